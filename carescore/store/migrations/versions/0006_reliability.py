"""reliability: a data generation counter that every worker's cache compares with

Revision ID: 0006_reliability
Revises: 0005_right_of_reply
Create Date: 2026-12-02 06:40:00.000000

`datageneration` holds one row; forget and ranking runs increase its value, and caches
drop what they built under an older value.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_reliability"
down_revision = "0005_right_of_reply"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "datageneration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("datageneration")
