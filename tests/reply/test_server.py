"""The issue's done-when, end to end: the real CLI and the real server (gunicorn, several
workers), on a fresh SQLite and PostgreSQL database.

Issue a key, post a statement, dispute a post, accept the dispute, rank again: the
statement is on the brand page, the post's label is the human one, the brand page shows
one correction, the audit log holds the four actions; a second brand's key gets 403 on
every write to the first brand, a revoked key 401 on every worker at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest
from sqlmodel import Session

from carescore.reply import issue_key
from carescore.store.db import make_engine
from tests.reply.conftest import seed
from tests.servers import gunicorn

pytestmark = pytest.mark.slow
WORKERS = 3
# Enough attempts that each of the workers answers some of them.
ROUNDS = 3 * WORKERS


def cli(db_url: str, *args: str) -> str:
    env = {**os.environ, "CARESCORE_DATABASE_URL": db_url}
    done = subprocess.run(
        [sys.executable, "-m", "carescore.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _token(output: str) -> tuple[int, str]:
    first, token = output.strip().splitlines()[:2]
    return int(first.split()[1]), token.strip()


def test_right_of_reply_end_to_end_through_gunicorn(db_url):
    """The operator's steps go through the `carescore` command, the brand's through HTTP."""
    engine = make_engine(db_url)
    with Session(engine) as session:
        seed(session)
        bolt = issue_key(session, "bolt", operator="ops").token
        session.commit()
    engine.dispose()
    acme_id, acme = _token(cli(db_url, "keys", "issue", "acme", "--label", "press office"))
    extra = {"CARESCORE_WRITE_RATELIMIT": "10000 per minute", "CARESCORE_API_CACHE_SECONDS": "0"}
    with gunicorn(db_url, workers=WORKERS, extra_env=extra) as base:
        api = httpx.Client(base_url=f"{base}/api/v1", timeout=30)
        mine = {"Authorization": f"Bearer {acme}"}
        statement = api.post(
            "/brands/acme/statements",
            json={"text": "Our network was back at 18:00 on 3 June.", "refers_to": "3 June"},
            headers=mine,
        )
        assert statement.status_code == 201, statement.text
        dispute = api.post(
            "/posts/x/a1/disputes",
            json={"kind": "mislabelled", "label": "praise", "reason": "Thanks for the fix."},
            headers=mine,
        )
        assert dispute.status_code == 201, dispute.text
        assert dispute.json()["status"] == "pending"

        cli(db_url, "disputes", "accept", str(dispute.json()["id"]), "--note", "It is praise.",
            "--by", "alice")  # fmt: skip
        cli(db_url, "rank", "--window", "90d")

        page = httpx.get(f"{base}/brands/acme?lang=en", timeout=30).text
        assert "Our network was back at 18:00 on 3 June." in page
        assert "Statement by <bdi>Acme Telecom</bdi>" in page
        assert "1 correction made after a dispute by the brand." in page
        posts = api.get("/posts", params={"brand": "acme"}).json()["items"]
        labels = {p["external_id"]: (p["label"], p["label_source"]) for p in posts}
        assert labels["a1"] == ("praise", "human") and labels["a3"][1] == "scorer"
        score = api.get("/brands/acme").json()["score"]
        assert score["human_labels_n"] == 1
        reply = api.get("/brands/acme/reply").json()
        assert reply["disputes"]["accepted"] == 1 and reply["disputes"]["acceptance_rate"] == 1.0

        actions = [json.loads(line)["action"] for line in cli(db_url, "audit", "--json",
                   "--brand", "acme").splitlines()]  # fmt: skip
        for action in ("key.issue", "statement.post", "dispute.file", "dispute.accept"):
            assert action in actions, actions
        assert len(actions) == 4

        sid = statement.json()["id"]
        writes = [
            ("POST", "/brands/acme/statements", {"text": "Not ours to say."}),
            ("DELETE", f"/brands/acme/statements/{sid}", None),
            ("POST", "/posts/x/a2/disputes", {"kind": "misattributed", "reason": "not us"}),
        ]
        theirs = {"Authorization": f"Bearer {bolt}"}
        for _ in range(ROUNDS):
            for method, path, body in writes:
                response = api.request(method, path, json=body, headers=theirs)
                assert response.status_code == 403, (method, path, response.text)
        # Every worker has served the valid key...
        for _ in range(ROUNDS):
            assert api.get(f"/disputes/{dispute.json()['id']}", headers=mine).status_code == 200
        cli(db_url, "keys", "revoke", str(acme_id))
        # ...and every worker refuses it at once.
        for _ in range(ROUNDS):
            for method, path, body in writes:
                response = api.request(method, path, json=body, headers=mine)
                assert response.status_code == 401, (method, path, response.text)
        assert "Our network was back" in httpx.get(f"{base}/brands/acme", timeout=30).text
