import pytest
from click.testing import CliRunner

from carescore.cli import main
from carescore.errors import BadInput
from carescore.store.db import make_engine
from carescore.store.locks import job_lock
from collectors.cli import parse_interval


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("1h", 3600), ("90s", 90), ("2d", 172800)]
)
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["15", "m", "10s", "1 week", "-5m"])
def test_bad_intervals_are_refused(text):
    with pytest.raises(BadInput):
        parse_interval(text)


def test_a_source_already_running_is_skipped_not_doubled(db_url, monkeypatch):
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    monkeypatch.delenv("CARESCORE_RSS_FEEDS", raising=False)
    engine = make_engine(db_url)
    with job_lock(engine, "collect:rss"):
        result = CliRunner().invoke(main, ["collect", "--source", "rss"])
    engine.dispose()
    assert result.exit_code == 0, result.output
    assert "rss: skipped, another run of this source is going on" in result.output
    free = CliRunner().invoke(main, ["collect", "--source", "rss"])
    assert free.exit_code == 0 and "another run" not in free.output
