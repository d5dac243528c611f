"""incidents: hourly complaint counts, detection state and detected incidents

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 06:00:00.000000

`complainthour` holds each brand's complaints per clock hour, so that detection reads
only new posts; `incidentstate` where detection stands per brand; `incident` what it
found, with the care figures measured during each incident.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import carescore.store.sqltypes

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complainthour",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("complaints", sa.Integer(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("brand_id", "hour"),
    )
    op.create_table(
        "incidentstate",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("first_hour", sa.Integer(), nullable=False),
        sa.Column("through", sa.Integer(), nullable=False),
        sa.Column("last_hour", sa.Integer(), nullable=True),
        sa.Column("complaints", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("brand_id"),
    )
    ts = carescore.store.sqltypes.UTCDateTime()
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("start_at", ts, nullable=False),
        sa.Column("detected_at", ts, nullable=False),
        sa.Column("end_at", ts, nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("peak_at", ts, nullable=False),
        sa.Column("peak_count", sa.Integer(), nullable=False),
        sa.Column("peak_baseline", sa.Float(), nullable=False),
        sa.Column("peak_ratio", sa.Float(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("p_value", sa.Float(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("detector_version", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("care_unit", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("care_n", sa.Integer(), nullable=False),
        sa.Column("care_answered", sa.Integer(), nullable=False),
        sa.Column("care_median_reply_s", sa.Float(), nullable=True),
        sa.Column("care_recovery_n", sa.Integer(), nullable=False),
        sa.Column("care_recovered", sa.Integer(), nullable=False),
        sa.Column("usual_n", sa.Integer(), nullable=False),
        sa.Column("usual_answered", sa.Integer(), nullable=False),
        sa.Column("usual_median_reply_s", sa.Float(), nullable=True),
        sa.Column("usual_recovery_n", sa.Integer(), nullable=False),
        sa.Column("usual_recovered", sa.Integer(), nullable=False),
        sa.Column("computed_at", ts, nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "start_at", name="uq_incident_brand_start"),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index("ix_incident_brand_id", ["brand_id"], unique=False)
        batch_op.create_index("ix_incident_start", ["start_at"], unique=False)
        batch_op.create_index("ix_incident_open", ["is_open"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_open")
        batch_op.drop_index("ix_incident_start")
        batch_op.drop_index("ix_incident_brand_id")
    op.drop_table("incident")
    op.drop_table("incidentstate")
    op.drop_table("complainthour")
