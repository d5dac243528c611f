"""unjudged index: the brand page's posts without a label, found without a scan

Revision ID: 0012_unjudged_index
Revises: 0011_more_intervals
Create Date: 2026-12-02 09:40:00.000000

The brand page lists a brand's newest customer posts the scorer did not judge (another
language). Without an index that holds `label IS NULL`, both databases walk every
customer post of the brand, newest first, to find a few or none: 180 ms at 1,000,000
posts on SQLite, growing with the history. A partial index on the unjudged posts alone,
in the page's order, answers at once and stays as small as those posts are few.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_unjudged_index"
down_revision = "0011_more_intervals"
branch_labels = None
depends_on = None

_UNJUDGED = "label IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index(
            "ix_post_unjudged",
            ["brand_id", "direction", "created_at", "id"],
            unique=False,
            sqlite_where=sa.text(_UNJUDGED),
            postgresql_where=sa.text(_UNJUDGED),
        )


def downgrade() -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_unjudged")
