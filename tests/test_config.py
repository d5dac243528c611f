import subprocess
import sys

import pytest

from carescore.settings import DEFAULT_DATABASE_URL, ConfigError, Settings


def test_defaults():
    s = Settings.from_env({})
    assert s.database_url == DEFAULT_DATABASE_URL == "sqlite:///var/carescore.store.db"
    s.check()


def test_production_refuses_default_secret():
    with pytest.raises(ConfigError, match="CARESCORE_SECRET_KEY"):
        Settings.from_env({"CARESCORE_ENV": "production"}).check()
    Settings.from_env({"CARESCORE_ENV": "production", "CARESCORE_SECRET_KEY": "x" * 32}).check()


def test_cli_reports_unreachable_database_in_one_line(tmp_path):
    env = {
        "CARESCORE_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "carescore.cli", "db", "upgrade"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: database unreachable")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_refuses_to_start_without_a_database(tmp_path):
    env = {
        "CARESCORE_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "carescore.cli", "serve"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "database unreachable" in result.stderr and "Traceback" not in result.stderr


def test_production_without_secret_refuses_to_start(tmp_path):
    env = {
        "CARESCORE_ENV": "production",
        "CARESCORE_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "carescore.cli", "db", "upgrade"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert "CARESCORE_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr
