"""The period a page or an API call names: ?window= and ?as_of=, the same everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from carescore.errors import BadInput
from carescore.read.periods import Period, latest_ranked_period, parse_period, resolve_period
from carescore.store.models import Brand, BrandScore


@pytest.mark.parametrize(
    ("window", "as_of", "expected"),
    [
        (None, None, ("90d", None)),
        ("90d", "2017-12-01", ("90d", "2017-12-01")),
        (None, "2017-12-01", ("90d", "2017-12-01")),
        ("all", None, ("all", None)),
        ("all", "2017-12-31", ("all", "2017-12-31")),
        ("2017-11", None, ("month", "2017-11")),
    ],
)
def test_parse_period(window, as_of, expected):
    assert parse_period(window, as_of) == expected


@pytest.mark.parametrize(
    ("window", "as_of"),
    [("2017-13", None), ("weekly", None), (None, "2017-02-30"), ("2017-11", "2017-12-01")],
)
def test_bad_periods_are_refused_with_a_message(window, as_of):
    with pytest.raises(BadInput):
        parse_period(window, as_of)


def _score(session, brand_id, window, period, ranked):
    session.add(
        BrandScore(
            brand_id=brand_id,
            window=window,
            period=period,
            methodology_version="2.0",
            computed_at=datetime(2026, 1, 1, tzinfo=UTC),
            ranked=ranked,
        )
    )


def test_newest_periods_and_the_latest_with_ranked_brands(session):
    b = Brand(slug="acme", name="Acme", sector="telecom", country="FR")
    session.add(b)
    session.flush()
    assert latest_ranked_period(session) is None
    _score(session, b.id, "90d", date(2026, 1, 1).isoformat(), False)
    _score(session, b.id, "all", "2017-12-31", True)
    _score(session, b.id, "month", "2017-11", True)
    _score(session, b.id, "month", "2017-12", False)
    session.commit()
    assert resolve_period(session, None, None) == Period("90d", "2026-01-01")
    assert resolve_period(session, "all", None) == Period("all", "2017-12-31")
    latest = latest_ranked_period(session)
    assert latest == Period("month", "2017-11") and latest.params == {"window": "2017-11"}
    assert Period("all", "2017-12-31").params == {"window": "all", "as_of": "2017-12-31"}
    assert Period("90d", "2017-12-01").params == {"as_of": "2017-12-01"}
