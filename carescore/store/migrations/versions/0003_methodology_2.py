"""methodology 2.0: cases on customer posts, case counts on brand scores

Revision ID: 0003_methodology_2
Revises: 0006_reliability
Create Date: 2026-12-02 06:00:00.000000

Methodology 2.0 counts reply figures per case (one customer's request to one brand in
one conversation, see carescore/threads/cases.py). Threading writes each case on its
opening post (`opens_case`, the first reply that answers it and its delay, whether the
customer's last word after that reply is positive) and every post's conversation
(`thread_key`), so the ranking keeps counting posts in one pass of its covering index,
which now carries the case columns instead of the per-post delay.

The brand scores gain the case counts, the de-duplicated praise count, the satisfaction
corrected for the scorer's label errors and the prior a figure was shrunk toward; they
are NULL on 1.0 rows, whose final snapshots keep their figures and version label.

Existing posts get their conversations and cases here, with the same code threading
uses, so an upgraded database ranks by the 2.0 rules at once.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_methodology_2"
down_revision = "0006_reliability"
branch_labels = None
depends_on = None

OLD_RANK = [
    "brand_id",
    "direction",
    "created_at",
    "label",
    "first_reply_seconds",
    "author_followers",
    "topics",
    "author_id",
]
RANK = [
    "brand_id",
    "direction",
    "created_at",
    "label",
    "opens_case",
    "case_reply_seconds",
    "case_recovered",
    "author_followers",
    "topics",
    "author_id",
    "lang",
]
SCORE_COLUMNS = [
    ("cases_n", sa.Integer()),
    ("cases_answered_n", sa.Integer()),
    ("opinion_praise_n", sa.Integer()),
    ("satisfaction_corrected", sa.Float()),
    ("satisfaction_corrected_low", sa.Float()),
    ("satisfaction_corrected_high", sa.Float()),
    ("p90_reply_low_s", sa.Float()),
    ("p90_reply_high_s", sa.Float()),
    ("within_1h_low", sa.Float()),
    ("within_1h_high", sa.Float()),
    ("within_1h_n", sa.Integer()),
    ("within_30m_n", sa.Integer()),
    ("recovered_n", sa.Integer()),
    ("shrunk_toward", sa.String(length=10)),
]


def upgrade() -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thread_key", sa.String(length=300), nullable=True))
        batch_op.add_column(
            sa.Column("opens_case", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("case_reply_id", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("case_reply_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("case_recovered", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.drop_index("ix_post_rank")
        batch_op.create_index("ix_post_thread", ["platform", "thread_key"], unique=False)
        batch_op.create_index("ix_post_rank", RANK, unique=False, postgresql_include=["id"])
    with op.batch_alter_table("brandscore", schema=None) as batch_op:
        for name, kind in SCORE_COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    _backfill()


def _backfill() -> None:
    from sqlalchemy import select
    from sqlmodel import Session

    from carescore.store.models import Post
    from carescore.threads.cases import build_cases

    session = Session(bind=op.get_bind())
    ids = list(session.execute(select(Post.id).order_by(Post.id)).scalars())
    for start in range(0, len(ids), 5000):
        build_cases(session, ids[start : start + 5000])
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table("brandscore", schema=None) as batch_op:
        for name, _kind in SCORE_COLUMNS:
            batch_op.drop_column(name)
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_rank")
        batch_op.drop_index("ix_post_thread")
        for name in ("case_recovered", "case_reply_seconds", "case_reply_id", "opens_case"):
            batch_op.drop_column(name)
        batch_op.drop_column("thread_key")
        batch_op.create_index("ix_post_rank", OLD_RANK, unique=False, postgresql_include=["id"])
