"""The lean access logger writes exactly gunicorn's own lines."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from gunicorn import glogging
from gunicorn.config import Config

from tests.servers import gunicorn
from website.access_log import ACCESS_LOG_FORMAT, AccessLogger

FORMATS = [
    ACCESS_LOG_FORMAT,
    Config().access_log_format,  # gunicorn's default, with its date, referer and agent
    '%(h)s "%({X-Forwarded-For}i)s" %({content-type}o)s %({wsgi.url_scheme}e)s %(L)s %(q)s',
    "%(u)s %(r)s %({missing}i)s %({Missing}o)s %({NOPE}e)s %(p)s",
]


class Sent:
    """The response object gunicorn's workers hand to the logger."""

    def __init__(self, headers: list[tuple[str, str]]) -> None:
        self.status = "200 OK"
        self.sent = 1234
        self.headers = headers


class Asked:
    def __init__(self, headers: list[tuple[str, str]]) -> None:
        self.headers = headers


def _environ() -> dict:
    return {
        "REMOTE_ADDR": "203.0.113.9",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/brands/acme?x=1",
        "PATH_INFO": "/api/v1/brands/acme",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": 'https://example.org/"quoted"',
        "HTTP_USER_AGENT": "curl/8",
        "HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz",
        "HTTP_X_FORWARDED_FOR": "198.51.100.1",
        "wsgi.url_scheme": "https",
    }


def _line(logger_class: type, format_: str, tmp_path: Path, monkeypatch) -> str:
    monkeypatch.setattr(glogging.Logger, "now", lambda self: "[03/Dec/2026:08:00:00 +0000]")
    path = tmp_path / f"{logger_class.__name__}.log"
    cfg = Config()
    cfg.set("accesslog", str(path))
    cfg.set("access_log_format", format_)
    logger = logger_class(cfg)
    request = Asked([("HOST", "example.org"), ("X-FORWARDED-FOR", 'a"b')])
    response = Sent([("Content-Type", "application/json"), ("X-Request-ID", "abc123")])
    logger.access(response, request, _environ(), timedelta(seconds=1, microseconds=2345))
    for handler in logger.access_log.handlers:
        handler.flush()
    return path.read_text()


@pytest.mark.parametrize("format_", FORMATS)
def test_same_line_as_gunicorn(format_: str, tmp_path: Path, monkeypatch) -> None:
    ours = _line(AccessLogger, format_, tmp_path, monkeypatch)
    theirs = _line(glogging.Logger, format_, tmp_path, monkeypatch)
    assert ours == theirs
    assert ours.strip() and ours.strip() != "-"


def test_named_atoms_are_filled(tmp_path: Path, monkeypatch) -> None:
    line = _line(AccessLogger, ACCESS_LOG_FORMAT, tmp_path, monkeypatch)
    assert '"request_id":"abc123"' in line
    assert '"path":"/api/v1/brands/acme"' in line


def test_gunicorn_writes_one_json_line_per_request(db_url: str, tmp_path: Path) -> None:
    """The production configuration, really served: the line names the request's id."""
    path = tmp_path / "access.log"
    with gunicorn(db_url, workers=1, extra_env={"CARESCORE_ACCESS_LOG_FILE": str(path)}) as base:
        answer = httpx.get(f"{base}/healthz", headers={"X-Request-ID": "trace-0123456789"})
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    asked = [line for line in lines if line["request_id"] == "trace-0123456789"]
    assert asked == [
        {
            "remote": "127.0.0.1",
            "method": "GET",
            "path": "/healthz",
            "status": answer.status_code,
            "bytes": len(answer.content),
            "duration_us": asked[0]["duration_us"],
            "request_id": "trace-0123456789",
        }
    ]
    assert asked[0]["duration_us"] > 0
