"""posts as their authors wrote them: decode the HTML entities X's API put in stored text

Revision ID: 0008_text_as_written
Revises: 0007_human_index
Create Date: 2026-12-02 09:00:00.000000

X's API and the TWCS file made from it escape `&`, `<` and `>` in a post's text
(`&amp;`, `&lt;`, `&gt;`). The collectors now decode them once, on the way in; posts
stored before kept the escaped form, and a re-import would not change them (storage
skips posts it already holds). This revision decodes them once, in place: the posts of
the `twcs` platform and the `x` posts that the X collector stored. Posts that a csv or
jsonl import stored under `x` are left as given, since nothing says their text was
escaped. Scores do not move (the scorer already read through entities); the data
generation is bumped so that no cache keeps serving the escaped text.

Downgrading escapes the same posts again, as the earlier code expects them.
"""

import html
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0008_text_as_written"
down_revision = "0007_human_index"
branch_labels = None
depends_on = None

BATCH = 5000

_post = sa.table(
    "post",
    sa.column("id", sa.Integer),
    sa.column("platform", sa.String),
    sa.column("text", sa.Text),
    sa.column("run_id", sa.Integer),
)
_run = sa.table("collectorrun", sa.column("id", sa.Integer), sa.column("source", sa.String))
_generation = sa.table(
    "datageneration", sa.column("id", sa.Integer), sa.column("value", sa.Integer)
)


def _escaped_sources() -> sa.ColumnElement[bool]:
    """The posts whose text came escaped: TWCS rows and what the X collector fetched."""
    collected_from_x = sa.select(_run.c.id).where(_run.c.source == "x")
    return sa.or_(
        _post.c.platform == "twcs",
        sa.and_(_post.c.platform == "x", _post.c.run_id.in_(collected_from_x)),
    )


def _rewrite(convert: Callable[[str], str], needles: tuple[str, ...]) -> None:
    """Apply `convert` to the text of those posts that holds one of `needles`, by id."""
    conn = op.get_bind()
    change = (
        _post.update().where(_post.c.id == sa.bindparam("b_id")).values(text=sa.bindparam("b_text"))
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(_post.c.id, _post.c.text)
            .where(
                _escaped_sources(),
                _post.c.id > last,
                sa.or_(*(_post.c.text.contains(n) for n in needles)),
            )
            .order_by(_post.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        updates = [
            {"b_id": row.id, "b_text": new}
            for row in rows
            if (new := convert(row.text)) != row.text
        ]
        if updates:
            conn.execute(change, updates)
    bumped = conn.execute(
        _generation.update().where(_generation.c.id == 1).values(value=_generation.c.value + 1)
    )
    if not bumped.rowcount:
        conn.execute(sa.insert(_generation).values(id=1, value=1))


def upgrade() -> None:
    _rewrite(html.unescape, ("&",))


def downgrade() -> None:
    _rewrite(lambda text: html.escape(text, quote=False), ("&", "<", ">"))
