"""post lists: every list of posts newest first is a seek, however long the history

Revision ID: 0014_post_lists
Revises: 0013_post_tally
Create Date: 2026-12-02 12:10:00.000000

The posts API lists posts newest first, with or without a brand, a label, a topic, a
period or a cursor, and the brand page lists a brand's newest praise, complaints and
posts the scorer did not judge. Without an index in that order, both databases read
every customer post (or every post of the label, or of the brand) and sorted them to
keep fifty: at 1,000,000 posts, 2.0 s for the unfiltered list on SQLite and 2.3 s on
PostgreSQL, 1.7 and 1.5 s for one label, 0.46 s on PostgreSQL for a brand's page after a
cursor, growing with the history. Four indexes hold the lists in the order they are
shown, so a page is a seek and a walk of about its own length:

- `ix_post_recent` (direction, created_at, id): every customer post, and within it a
  period, a topic or the posts after a cursor;
- `ix_post_label_recent` (label, direction, created_at, id): every post of a label; it
  starts with the label, so it also serves every lookup of 0001's `ix_post_label`,
  which it replaces;
- `ix_post_brand_recent` (brand_id, direction, created_at, id): a brand's customer posts
  (PostgreSQL walked `ix_post_recent` past every other brand's posts otherwise);
- `ix_post_brand_label` (brand_id, direction, label, created_at, id): a brand's posts of
  a label or without one, the brand page's three lists; it holds `label IS NULL` too, so
  it replaces 0012's partial `ix_post_unjudged`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_post_lists"
down_revision = "0013_post_tally"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index("ix_post_recent", ["direction", "created_at", "id"])
        batch_op.create_index("ix_post_label_recent", ["label", "direction", "created_at", "id"])
        batch_op.create_index("ix_post_brand_recent", ["brand_id", "direction", "created_at", "id"])
        batch_op.create_index(
            "ix_post_brand_label", ["brand_id", "direction", "label", "created_at", "id"]
        )
        batch_op.drop_index("ix_post_label")
        batch_op.drop_index("ix_post_unjudged")


def downgrade() -> None:
    unjudged = "label IS NULL"
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index(
            "ix_post_unjudged",
            ["brand_id", "direction", "created_at", "id"],
            sqlite_where=sa.text(unjudged),
            postgresql_where=sa.text(unjudged),
        )
        batch_op.create_index("ix_post_label", ["label"])
        batch_op.drop_index("ix_post_brand_label")
        batch_op.drop_index("ix_post_brand_recent")
        batch_op.drop_index("ix_post_label_recent")
        batch_op.drop_index("ix_post_recent")
