"""The migrations form one line, and `alembic` run by hand from the checkout finds the same
scripts `carescore db upgrade` runs."""

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from carescore.store.migrate import MIGRATIONS_DIR

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(Config(str(ALEMBIC_INI)))


def test_alembic_ini_points_at_the_packaged_migrations():
    assert Path(_scripts().dir).resolve() == Path(str(MIGRATIONS_DIR)).resolve()


def test_the_migrations_have_exactly_one_head():
    """Two branches merged without a merge revision would leave `upgrade head` ambiguous."""
    heads = _scripts().get_heads()
    assert len(heads) == 1, f"alembic heads: {heads}"


def test_every_revision_but_the_first_chains_to_one_in_the_repo():
    scripts = _scripts()
    revisions = list(scripts.walk_revisions())
    ids = {r.revision for r in revisions}
    roots = [r.revision for r in revisions if r.down_revision is None]
    assert len(roots) == 1
    for rev in revisions:
        if rev.down_revision is not None:
            assert rev.down_revision in ids
