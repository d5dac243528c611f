"""right of reply: brand keys, statements, disputes, the audit log, human labels

Revision ID: 0005_right_of_reply
Revises: 0004
Create Date: 2026-12-02 05:50:00.000000

A brand writes through a key (stored as a SHA-256 only), posts statements and disputes
labels; a reviewer's accepted dispute marks the post's label (or reply) as human, which
rescoring and threading keep. Each ranking row says how many of its posts a human
corrected.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import carescore.store.sqltypes

revision = "0005_right_of_reply"
down_revision = "0004"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = carescore.store.sqltypes.UTCDateTime
_HUMAN = "label_source = 'human' OR reply_source = 'human'"


def upgrade() -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("label_source", _S(length=10), nullable=False, server_default="scorer")
        )
        batch_op.add_column(
            sa.Column("reply_source", _S(length=10), nullable=False, server_default="thread")
        )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index(
            "ix_post_human",
            ["brand_id", "created_at"],
            unique=False,
            sqlite_where=sa.text(_HUMAN),
            postgresql_where=sa.text(_HUMAN),
        )
    with op.batch_alter_table("brandscore", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("human_labels_n", sa.Integer(), nullable=False, server_default="0")
        )

    op.create_table(
        "brandkey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("prefix", _S(length=16), nullable=False),
        sa.Column("token_hash", _S(length=64), nullable=False),
        sa.Column("label", _S(length=200), nullable=True),
        sa.Column("created_at", _T(), nullable=False),
        sa.Column("expires_at", _T(), nullable=True),
        sa.Column("revoked_at", _T(), nullable=True),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("brandkey", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_brandkey_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_brandkey_prefix"), ["prefix"], unique=True)

    op.create_table(
        "statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", _S(length=500), nullable=True),
        sa.Column("refers_to", _S(length=200), nullable=True),
        sa.Column("created_at", _T(), nullable=False),
        sa.Column("withdrawn_at", _T(), nullable=True),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["key_id"], ["brandkey.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.create_index(
            "ix_statement_brand_created", ["brand_id", "created_at"], unique=False
        )

    op.create_table(
        "dispute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("platform", _S(length=20), nullable=False),
        sa.Column("external_id", _S(length=300), nullable=False),
        sa.Column("kind", _S(length=20), nullable=False),
        sa.Column("requested_label", _S(length=10), nullable=True),
        sa.Column("link", _S(length=500), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", _S(length=10), nullable=False),
        sa.Column("created_at", _T(), nullable=False),
        sa.Column("previous_label", _S(length=10), nullable=True),
        sa.Column("decided_at", _T(), nullable=True),
        sa.Column("decided_by", _S(length=200), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["key_id"], ["brandkey.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dispute", schema=None) as batch_op:
        batch_op.create_index("ix_dispute_brand_created", ["brand_id", "created_at"], unique=False)
        batch_op.create_index("ix_dispute_status", ["status"], unique=False)

    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _T(), nullable=False),
        sa.Column("actor", _S(length=200), nullable=False),
        sa.Column("address", _S(length=100), nullable=False),
        sa.Column("action", _S(length=40), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=True),
        sa.Column("target", _S(length=100), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditentry_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_brand_at", ["brand_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_table("auditentry")
    op.drop_table("dispute")
    op.drop_table("statement")
    op.drop_table("brandkey")
    with op.batch_alter_table("brandscore", schema=None) as batch_op:
        batch_op.drop_column("human_labels_n")
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_human")
        batch_op.drop_column("reply_source")
        batch_op.drop_column("label_source")
