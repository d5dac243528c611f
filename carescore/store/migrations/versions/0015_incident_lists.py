"""incident lists: incidents newest first and the ones shown now, without a scan

Revision ID: 0015_incident_lists
Revises: 0014_post_lists
Create Date: 2026-12-02 12:45:00.000000

Incidents accumulate with the history. The lists of them (the API's, the Atom feeds',
a brand's page) are read newest first by start, and the home and sector pages read the
open ones and those closed in the last week. With one index on the brand, one on the
start and one on the open flag (0004), both databases read every incident of each
brand and sorted them: at 1,000,000 posts (about 4,900 incidents in bench/api.py's
database) 11-13 ms for the API's list and the feed, 5-6 ms for a brand's, 1.7 ms for the
home page's, against 0.03-0.1 ms on the demo. The indexes now hold:

- `ix_incident_recent` (start_at, id) and `ix_incident_brand_start` (brand_id, start_at,
  id): every incident, and a brand's, in the order shown (they replace `ix_incident_start`
  and `ix_incident_brand_id`, whose lookups they serve as well);
- `ix_incident_open_now` (is_open) over the open incidents alone (few at any time,
  where the flag's index over every incident told the planner half of them were open;
  it replaces `ix_incident_open`) and `ix_incident_end` (end_at): the open ones and the
  recently closed ones, each found by its own index.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_incident_lists"
down_revision = "0014_post_lists"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index("ix_incident_recent", ["start_at", "id"])
        batch_op.create_index("ix_incident_brand_start", ["brand_id", "start_at", "id"])
        batch_op.create_index(
            "ix_incident_open_now",
            ["is_open"],
            sqlite_where=sa.text("is_open IS 1"),
            postgresql_where=sa.text("is_open IS true"),
        )
        batch_op.create_index("ix_incident_end", ["end_at"])
        batch_op.drop_index("ix_incident_start")
        batch_op.drop_index("ix_incident_brand_id")
        batch_op.drop_index("ix_incident_open")


def downgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index("ix_incident_open", ["is_open"])
        batch_op.create_index("ix_incident_brand_id", ["brand_id"])
        batch_op.create_index("ix_incident_start", ["start_at"])
        batch_op.drop_index("ix_incident_end")
        batch_op.drop_index("ix_incident_open_now")
        batch_op.drop_index("ix_incident_brand_start")
        batch_op.drop_index("ix_incident_recent")
