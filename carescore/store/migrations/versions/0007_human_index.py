"""human index: the corrected posts' partial index carries the direction

Revision ID: 0007_human_index
Revises: 0003_methodology_2
Create Date: 2026-12-02 09:10:00.000000

The ranking counts, per window, the customer posts a reviewer corrected. With the
direction in the statement, the partial index on (brand_id, created_at) lost to
ix_post_rank (brand_id, direction, created_at, ...), which matches one more column but
does not hold label_source and reply_source: SQLite then read every customer post of
the period from the table, 4 s of a 6 s ranking at 200,000 posts. With the direction in
the partial index, that index answers alone and is the one both databases pick.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_human_index"
down_revision = "0003_methodology_2"
branch_labels = None
depends_on = None

_HUMAN = "label_source = 'human' OR reply_source = 'human'"


def _create(columns: list[str]) -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index(
            "ix_post_human",
            columns,
            unique=False,
            sqlite_where=sa.text(_HUMAN),
            postgresql_where=sa.text(_HUMAN),
        )


def upgrade() -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_human")
    _create(["brand_id", "direction", "created_at"])


def downgrade() -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_human")
    _create(["brand_id", "created_at"])
