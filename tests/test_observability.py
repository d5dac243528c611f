import json
import logging

from carescore.demo import build_demo


def test_request_id_is_echoed_or_made(client):
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32
    kept = client.get("/healthz", headers={"X-Request-ID": "abc-123-def"})
    assert kept.headers["X-Request-ID"] == "abc-123-def"
    hostile = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert "<" not in hostile.headers["X-Request-ID"]


def test_metrics_expose_requests_and_stored_posts(app, client):
    from datetime import date

    from sqlmodel import Session

    from carescore.store.db import engine_for
    from website.config import settings

    with Session(engine_for(settings(app).database_url)) as s:
        result = build_demo(s, date(2026, 1, 31), n_posts=300)
    client.get("/")
    body = client.get("/metrics").get_data(as_text=True)
    assert 'carescore_http_requests_total{endpoint="/",method="GET",status="200"}' in body
    assert f'carescore_posts_stored{{platform="demo"}} {float(result.inserted)}' in body


def test_json_logs_carry_the_request_id_and_never_the_secret(db_url, capsys):
    from carescore.settings import load_settings
    from website import create_app

    secret = "s3cr3t-value-that-must-not-leak"
    config = load_settings(database_url=db_url, secret_key=secret, json_logs=True, access_log=True)
    app = create_app(config, {"TESTING": True})

    @app.get("/leaky")
    def leaky():
        logging.getLogger("carescore.test").warning("config dump: key=%s", secret)
        return "ok"

    app.test_client().get("/leaky", headers={"X-Request-ID": "trace-0001"})
    for name in ("carescore", "website", "collectors"):
        logging.getLogger(name).handlers = []  # the handler wrote to this test's captured stderr
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert lines, "no log line written"
    assert all(line["request_id"] == "trace-0001" for line in lines)
    assert any(line["message"] == "request" and line["status"] == 200 for line in lines)
    assert secret not in json.dumps(lines)
    assert any("[redacted]" in line["message"] for line in lines)
