"""post tally: each brand's customer posts counted once per ranking run

Revision ID: 0013_post_tally
Revises: 0012_unjudged_index
Create Date: 2026-12-02 10:20:00.000000

The right of reply's dispute rate divides by every customer post stored for the brand,
and counting them on each brand page walked the brand's whole history (17 ms at
1,000,000 posts on SQLite). The count is now kept per brand up to a post id
(`brandposttally`, refreshed by every ranking run) and a read adds the posts stored
after that id, which `ix_post_brand_direction_id` finds by a seek. The table starts
filled, so the first read after the upgrade is already cheap.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_post_tally"
down_revision = "0012_unjudged_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "brandposttally",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("inbound_posts", sa.Integer(), nullable=False),
        sa.Column("through_post_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("brand_id"),
    )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index(
            "ix_post_brand_direction_id", ["brand_id", "direction", "id"], unique=False
        )
    op.execute(
        "INSERT INTO brandposttally (brand_id, inbound_posts, through_post_id) "
        "SELECT brand.id, "
        "(SELECT count(*) FROM post WHERE post.brand_id = brand.id "
        "AND post.direction = 'inbound' AND post.id <= top.id), top.id "
        "FROM brand, (SELECT coalesce(max(id), 0) AS id FROM post) AS top"
    )


def downgrade() -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_brand_direction_id")
    op.drop_table("brandposttally")
