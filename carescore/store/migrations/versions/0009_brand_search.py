"""brand search that ignores case and accents: a stored folded name

Revision ID: 0009_brand_search
Revises: 0008_text_as_written
Create Date: 2026-12-02 09:10:00.000000

`brand.search_key` holds the brand's name and slug folded (lower case, no accents, no
punctuation; carescore.store.folding), written on every insert and update of a brand.
Search folds the query the same way and compares with LIKE, the same on SQLite and
PostgreSQL. Existing brands get their key here.
"""

import sqlalchemy as sa
from alembic import op

from carescore.store.folding import brand_search_key

revision = "0009_brand_search"
down_revision = "0008_text_as_written"
branch_labels = None
depends_on = None

_brand = sa.table(
    "brand",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("slug", sa.String),
    sa.column("search_key", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("brand", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.Text(), nullable=False, server_default=""))
    conn = op.get_bind()
    rows = conn.execute(sa.select(_brand.c.id, _brand.c.name, _brand.c.slug)).all()
    if rows:
        conn.execute(
            _brand.update()
            .where(_brand.c.id == sa.bindparam("b_id"))
            .values(search_key=sa.bindparam("b_key")),
            [{"b_id": r.id, "b_key": brand_search_key(r.name, r.slug)} for r in rows],
        )


def downgrade() -> None:
    with op.batch_alter_table("brand", schema=None) as batch_op:
        batch_op.drop_column("search_key")
