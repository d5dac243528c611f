"""incidents per complaint topic: the topic an incident was found on, and the detector
version each brand's incidents were found with

Revision ID: 0010_incident_topic
Revises: 0009_brand_search
Create Date: 2026-12-02 09:10:00.000000

An incident is now found on a brand's complaints together (topic "") or on one topic's
complaints alone, so a brand may hold two incidents starting the same hour: the unique
key gains the topic. `incidentstate.detector_version` tells `carescore incidents` which
brands were detected with older rules, so that it rebuilds them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_incident_topic"
down_revision = "0009_brand_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("topic", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.drop_constraint("uq_incident_brand_start", type_="unique")
        batch_op.create_unique_constraint(
            "uq_incident_brand_topic_start", ["brand_id", "topic", "start_at"]
        )
    with op.batch_alter_table("incidentstate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "detector_version", sa.String(length=10), nullable=False, server_default="1.0"
            )
        )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM incident WHERE topic <> ''"))
    with op.batch_alter_table("incidentstate", schema=None) as batch_op:
        batch_op.drop_column("detector_version")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_constraint("uq_incident_brand_topic_start", type_="unique")
        batch_op.create_unique_constraint("uq_incident_brand_start", ["brand_id", "start_at"])
        batch_op.drop_column("topic")
