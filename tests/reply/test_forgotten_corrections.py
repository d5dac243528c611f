"""A forgotten post leaves the public list of corrections too; the counts keep it."""

from __future__ import annotations

import time

from sqlmodel import Session

from carescore.reply.disputes import accept_dispute, file_dispute
from carescore.reply.keys import authenticate, issue_key
from carescore.reply.public import brand_reply
from carescore.store.db import engine_for
from carescore.store.forget import forget
from tests.reply.conftest import seed
from website.config import settings

NOTE = "The customer thanks us for the repair of the box."


def test_a_forgotten_posts_correction_is_no_longer_shown(app, client):
    with Session(engine_for(settings(app).database_url)) as session:
        seed(session)
        issued = issue_key(session, "acme", operator="ops")
        session.commit()
        key = authenticate(session, issued.token)
        dispute = file_dispute(session, key, "x", "a1",
                               {"kind": "mislabelled", "label": "praise", "reason": "thanks"},
                               address="9.9.9.9")  # fmt: skip
        accept_dispute(session, dispute.id, reviewer="alice", note=NOTE)
        session.commit()
        assert [c.external_id for c in brand_reply(session, "acme").corrections] == ["a1"]
        for url in ("/brands/acme", "/api/v1/brands/acme/reply"):
            body = client.get(url).get_data(as_text=True)
            assert "x.com/u1/status/a1" in body and NOTE in body, url

        forget(session, platform="x", post_id="a1")
        session.commit()
        reply = brand_reply(session, "acme")
        assert reply.corrections == []
        assert (reply.figures.filed, reply.figures.accepted) == (1, 1)
    time.sleep(0.6)  # the interval at which the answer cache reads the data generation
    for url in ("/brands/acme", "/api/v1/brands/acme/reply"):
        body = client.get(url).get_data(as_text=True)
        assert "status/a1" not in body and "x/a1" not in body and NOTE not in body, url
