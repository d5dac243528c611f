"""Links that name a period keep naming it: the feed as of a day, the download links of
every page (in both languages), each answering the period the page shows."""

from __future__ import annotations

import csv
import io
import re

import feedparser
import pytest

from tests.site.conftest import AS_OF

LIVE = AS_OF.isoformat()


def test_the_feed_as_of_a_day_holds_only_the_months_over_by_then(site_client, site_app):
    months = site_app.config["SITE_MONTHS"]
    newest = max(months)
    full = feedparser.parse(site_client.get("/feed.atom").get_data())
    assert any(e.link.endswith(f"/{newest}") for e in full.entries)
    earlier = site_client.get(f"/feed.atom?as_of={newest}-15")
    feed = feedparser.parse(earlier.get_data())
    assert feed.entries and not any(e.link.endswith(f"/{newest}") for e in feed.entries)
    assert f"as_of={newest}-15" in feed.feed.links[0].href
    assert site_client.get("/feed.atom?as_of=yesterday").status_code == 400


def _downloads(page: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/api/v1/[^"]+)"', page)]


def _pages(months: list[str]) -> dict[str, str]:
    month = max(months)
    both = "brands=nimbus-telecom,ondeline"
    return {
        "/": month,
        "/rankings/telecom": LIVE,
        f"/rankings/telecom/{month}": month,
        f"/rankings/telecom?as_of={LIVE}&sort=reply_rate": LIVE,
        "/brands/nimbus-telecom": LIVE,
        f"/brands/nimbus-telecom?window={month}": month,
        f"/compare?{both}": LIVE,
        f"/compare?{both}&window={month}": month,
        "/search?q=telecom": LIVE,
    }


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_download_link_answers_the_period_its_page_shows(site_client, site_app, lang):
    for url, period in _pages(site_app.config["SITE_MONTHS"]).items():
        page = site_client.get(f"{url}{'&' if '?' in url else '?'}lang={lang}")
        assert page.status_code == 200, url
        links = _downloads(page.get_data(as_text=True))
        assert any(".csv" in link for link in links), url
        for link in links:
            response = site_client.get(link)
            assert response.status_code == 200, (url, link)
            if response.mimetype == "text/csv":
                rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
                if rows and "period" in rows[0] and "/history" not in link:
                    assert {r["period"] for r in rows} == {period}, (url, link)
                    assert all(r["methodology_version"] for r in rows), (url, link)
                    assert period in response.headers["Content-Disposition"] or (
                        "search" in link
                    ), (url, link)
            elif "period" in (body := response.get_json()) and "/history" not in link:
                assert body["period"] == period, (url, link)
