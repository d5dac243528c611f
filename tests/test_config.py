"""One settings object: defaults, refused values, production checks, where secrets go."""

from __future__ import annotations

import multiprocessing

import pytest
from click.testing import CliRunner

from carescore.cli import main
from carescore.settings import (
    DEFAULT_DATABASE_URL,
    ConfigError,
    Settings,
    load_settings,
)
from carescore.settings_docs import unknown_variables
from collectors.sources import SOURCE_NAMES, build_sources

TYPO = "CARESCORE_" + "DATABSE_URL"  # spelt in two halves: the docs test greps for stray names
PROD = {
    "CARESCORE_ENV": "production",
    "CARESCORE_SECRET_KEY": "x" * 32,
    "CARESCORE_PUBLIC_BASE_URL": "https://carescore.example/",
    "CARESCORE_OPERATOR_NAME": "Carescore SAS",
    "CARESCORE_CONTACT_EMAIL": "contact@carescore.example",
    "CARESCORE_HOSTING_PROVIDER": "Example Hosting, Roubaix",
}
DEAD_DB = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"


def test_defaults_when_nothing_is_set():
    s = load_settings({})
    assert s.database_url == DEFAULT_DATABASE_URL == "sqlite:///var/carescore.db"
    assert (s.env, s.bind, s.threads, s.preload, s.rss_feeds) == (
        "development",
        "127.0.0.1:8000",
        1,
        True,
        [],
    )
    assert s.base_url == "http://127.0.0.1:8000"
    assert s.workers == multiprocessing.cpu_count()  # gevent: one worker per CPU
    assert load_settings({"CARESCORE_WORKER_CLASS": "sync"}).workers == s.workers * 2 + 1


def test_the_given_environment_replaces_the_process_one(monkeypatch):
    monkeypatch.setenv("CARESCORE_THREADS", "7")
    assert load_settings({}).threads == 1
    assert load_settings().threads == 7
    assert load_settings({"CARESCORE_THREADS": ""}).threads == 1, "empty means the default"


def test_values_are_typed_and_parsed():
    s = load_settings(
        {
            "CARESCORE_WORKERS": "3",
            "CARESCORE_PRELOAD": "false",
            "CARESCORE_LOG_LEVEL": "WARNING",
            "CARESCORE_RSS_FEEDS": "https://a.example/feed, https://b.example/rss https://c.example",
            "CARESCORE_BIND": "0.0.0.0:9000",
        }
    )
    assert (s.workers, s.preload, s.log_level) == (3, False, "warning")
    assert s.rss_feeds == ["https://a.example/feed", "https://b.example/rss", "https://c.example"]
    assert s.base_url == "http://127.0.0.1:9000"


@pytest.mark.parametrize("value", ["prod", "Production", "staging", "test"])
def test_an_unknown_environment_is_refused_in_one_line(value):
    with pytest.raises(ConfigError) as caught:
        load_settings({"CARESCORE_ENV": value})
    message = str(caught.value)
    assert message.startswith("CARESCORE_ENV:") and repr(value) in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "value"),
    [("CARESCORE_WORKERS", "many"), ("CARESCORE_PRELOAD", "maybe"), ("CARESCORE_TIMEOUT", "0")],
)
def test_bad_values_name_their_variable(name, value):
    with pytest.raises(ConfigError, match=f"^{name}: "):
        load_settings({name: value})


def test_production_refuses_a_default_or_short_secret_and_a_missing_base_url():
    with pytest.raises(ConfigError, match="CARESCORE_SECRET_KEY must be set") as caught:
        load_settings({"CARESCORE_ENV": "production"})
    assert "CARESCORE_PUBLIC_BASE_URL" in str(caught.value)
    with pytest.raises(ConfigError, match="CARESCORE_SECRET_KEY is too short"):
        load_settings({**PROD, "CARESCORE_SECRET_KEY": "short"})
    with pytest.raises(ConfigError, match="CARESCORE_PUBLIC_BASE_URL must be set"):
        load_settings({**PROD, "CARESCORE_PUBLIC_BASE_URL": ""})
    with pytest.raises(ConfigError, match="CARESCORE_PUBLIC_BASE_URL: must be an absolute"):
        load_settings({**PROD, "CARESCORE_PUBLIC_BASE_URL": "carescore.example"})
    s = load_settings(PROD)
    assert s.is_production and s.base_url == "https://carescore.example"


@pytest.mark.parametrize(
    "name", ["CARESCORE_OPERATOR_NAME", "CARESCORE_CONTACT_EMAIL", "CARESCORE_HOSTING_PROVIDER"]
)
def test_production_refuses_to_start_without_the_legal_notice(name):
    """A French site must name its publisher, a way to reach them and its host."""
    with pytest.raises(ConfigError, match=f"{name} must be set for the legal notice"):
        load_settings({**PROD, name: ""})
    development = {k: v for k, v in PROD.items() if k not in ("CARESCORE_ENV", name)}
    assert getattr(load_settings(development), name.removeprefix("CARESCORE_").lower()) is None


def test_a_contact_address_must_be_an_email_address():
    with pytest.raises(ConfigError, match="CARESCORE_CONTACT_EMAIL: must be an e-mail"):
        load_settings({"CARESCORE_CONTACT_EMAIL": "call us"})


def test_a_refused_secret_is_never_echoed():
    with pytest.raises(ConfigError) as caught:
        load_settings({**PROD, "CARESCORE_SECRET_KEY": "tooshort"})
    assert "CARESCORE_SECRET_KEY" in str(caught.value) and "tooshort" not in str(caught.value)


def test_unknown_variables_are_reported():
    env = {TYPO: "x", "CARESCORE_SHARED_DATA": "/d", "CARESCORE_BIND": "a:1"}
    assert unknown_variables(env) == [TYPO]


def test_config_prints_effective_values_with_secrets_masked(monkeypatch):
    monkeypatch.setenv("CARESCORE_X_BEARER_TOKEN", "tok-hush-1")
    monkeypatch.setenv("CARESCORE_SECRET_KEY", "key-hush-2" * 4)
    monkeypatch.setenv("CARESCORE_DATABASE_URL", "postgresql+psycopg://u:pw-hush-3@h/db")
    monkeypatch.setenv(TYPO, "typo")
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 0, result.output
    assert "hush" not in result.stdout
    lines = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert set(lines) == {f"CARESCORE_{f.upper()}" for f in Settings.model_fields}
    assert lines["CARESCORE_X_BEARER_TOKEN"] == "********"
    assert lines["CARESCORE_DATABASE_URL"] == "postgresql+psycopg://u:***@h/db"
    assert lines["CARESCORE_BIND"] == "127.0.0.1:8000  # default"
    assert f"{TYPO} is not a Carescore setting" in result.stderr


def test_collector_secrets_stay_out_of_the_site_config(db_url):
    from website import create_app

    settings = load_settings(
        {"CARESCORE_DATABASE_URL": db_url, "CARESCORE_REDDIT_CLIENT_SECRET": "reddit-SECRET"}
    )
    app = create_app(settings)
    assert "reddit-SECRET" not in repr(dict(app.config))
    assert not [k for k in app.config if k.startswith("CARESCORE_")]


def test_sources_get_their_credentials_from_the_settings_only(monkeypatch):
    monkeypatch.setenv("CARESCORE_X_BEARER_TOKEN", "from-the-environment")
    bare = build_sources(SOURCE_NAMES, load_settings({}))
    assert [s.configured() for s in bare] == [
        "missing CARESCORE_X_BEARER_TOKEN",
        "missing CARESCORE_MASTODON_INSTANCE",
        "missing CARESCORE_BLUESKY_HANDLE, CARESCORE_BLUESKY_APP_PASSWORD",
        "missing CARESCORE_REDDIT_CLIENT_ID, CARESCORE_REDDIT_CLIENT_SECRET",
        "missing CARESCORE_RSS_FEEDS",
    ]
    full = load_settings(
        {
            "CARESCORE_X_BEARER_TOKEN": "t",
            "CARESCORE_MASTODON_INSTANCE": "mastodon.example",
            "CARESCORE_BLUESKY_HANDLE": "h.example",
            "CARESCORE_BLUESKY_APP_PASSWORD": "p",
            "CARESCORE_REDDIT_CLIENT_ID": "i",
            "CARESCORE_REDDIT_CLIENT_SECRET": "s",
            "CARESCORE_RSS_FEEDS": "https://a.example/feed",
        }
    )
    sources = build_sources(SOURCE_NAMES, full, max_pages=3)
    assert [s.configured() for s in sources] == [None] * 5
    assert sources[0].token == "t" and sources[1].base == "https://mastodon.example"
    assert all(s.max_pages == 3 for s in sources)


def test_cli_reports_an_unreachable_database_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"CARESCORE_DATABASE_URL": DEAD_DB})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: database unreachable")
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_refuses_to_start_without_a_database():
    result = CliRunner().invoke(main, ["serve"], env={"CARESCORE_DATABASE_URL": DEAD_DB})
    assert result.exit_code == 2
    assert "database unreachable" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"CARESCORE_ENV": "production"}, "CARESCORE_SECRET_KEY"),
        ({"CARESCORE_ENV": "prod"}, "CARESCORE_ENV: "),
    ],
)
def test_an_unsafe_or_unknown_setting_stops_a_command_in_one_line(tmp_path, env, expected):
    env = {**env, "CARESCORE_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.db").exists()
