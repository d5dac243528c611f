"""Every page renders what a reader needs, in both languages, and unknown things are 404."""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date
from pathlib import Path

import feedparser
import pytest

from carescore import METHODOLOGY_VERSION
from tests.site.conftest import AS_OF
from tests.site.snapshots import parse_xml
from website.config import settings

# Scripts only from our own static files (progressive enhancement; every page works without).
INLINE_SCRIPT = re.compile(r'<script(?![^>]*\bsrc="/static/[\w.-]+\.js")[^>]*>')
EXTERNAL_ASSET = re.compile(r"<(img|script|link|iframe)\b[^>]*\b(src|href)=\"(https?:)?//")
PAGES = [
    "/",
    "/rankings/telecom",
    "/rankings/telecom?sort=median_reply",
    "/brands/nimbus-telecom",
    "/compare?brands=nimbus-telecom,ondeline",
    "/compare",
    "/methodology",
    "/about/data",
    "/legal",
    "/search?q=sky",
    "/embed/brands/nimbus-telecom",
]


def _month(period: str) -> str:
    return date.fromisoformat(f"{period}-01").strftime("%B %Y")


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_renders_in_both_languages(site_client, site_app, lang):
    months = site_app.config["SITE_MONTHS"]
    for url in [*PAGES, f"/rankings/telecom/{months[-1]}"]:
        sep = "&" if "?" in url else "?"
        response = site_client.get(f"{url}{sep}lang={lang}")
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in text(response), url
        title = re.search(r"<title>(.*?)</title>", text(response), re.S)
        assert title and "<" not in title[1] and len(title[1]) < 200, (url, title)


def test_home_lists_best_and_worst_per_sector_movers_and_search(site_client):
    page = text(site_client.get("/?lang=en"))
    assert "Telecoms" in page and "Airlines" in page
    assert "Best" in page
    assert "Biggest movers" in page
    assert 'role="search"' in page and 'name="q"' in page
    assert "Demo data" in page


def test_sector_ranking_sorts_and_lists_not_enough_data(site_client):
    by_score = text(site_client.get("/rankings/telecom?lang=en"))
    assert "Not enough data" in by_score
    assert 'aria-sort="descending"' in by_score
    assert "/api/v1/rankings.csv?sector=telecom&amp;window=90d" in by_score
    assert "/api/v1/rankings?sector=telecom&amp;window=90d" in by_score
    by_rate = text(site_client.get("/rankings/telecom?sort=reply_rate&lang=en"))
    assert "sorted by Public reply rate" in by_rate
    assert by_score != by_rate


def test_unknown_sort_falls_back_to_carescore(site_client):
    page = text(site_client.get("/rankings/telecom?sort=drop+table&lang=en"))
    assert "sorted by Carescore" in page


def test_monthly_snapshot_has_a_cite_box_with_permalink_and_version(site_client, site_app):
    month = site_app.config["SITE_MONTHS"][-1]
    page = text(site_client.get(f"/rankings/telecom/{month}?lang=en"))
    assert "Cite this" in page
    assert f"{settings(site_app).base_url}/rankings/telecom/{month}" in page
    assert f"methodology {METHODOLOGY_VERSION}" in page
    assert "never change" in page
    assert f"window=month&amp;month={month}" in page  # the download is this very month


def test_live_ranking_cites_the_latest_snapshot(site_client, site_app):
    latest = site_app.config["SITE_MONTHS"][-1]
    page = text(site_client.get("/rankings/telecom?lang=en"))
    assert f"{settings(site_app).base_url}/rankings/telecom/{latest}" in page


def test_window_month_redirects_to_the_newest_snapshot(site_client, site_app):
    response = site_client.get("/rankings/telecom?window=month")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(
        f"/rankings/telecom/{site_app.config['SITE_MONTHS'][-1]}"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/rankings/no-such-sector",
        "/rankings/no-such-sector/2026-05",
        "/rankings/telecom/1999-01",
        "/rankings/telecom/2026-13",
        "/rankings/telecom/latest",
        "/brands/no-such-brand",
        "/badge/no-such-brand.svg",
        "/embed/brands/no-such-brand",
        "/compare?brands=nimbus-telecom,no-such-brand",
    ],
)
def test_unknown_things_are_friendly_404s(site_client, url):
    response = site_client.get(url)
    assert response.status_code == 404
    assert "could not find" in text(response) or "introuvable" in text(response)
    assert "Traceback" not in text(response)
    assert "object at 0x" not in response.get_data(as_text=True)
    assert "<title>404 Not Found" in response.get_data(as_text=True)


def test_brand_page_shows_metrics_samples_trend_posts_and_accounts(site_client):
    page = text(site_client.get("/brands/nimbus-telecom?lang=en"))
    for expected in (
        "Public reply rate",
        "95% interval",
        "answered of",
        "Monthly trend",
        # The small test demo gives no month of this brand the ranking's minimum sample
        # (tests/site/test_month_words.py draws the chart from a month that has it).
        "No month has enough posts to be plotted yet.",
        "The figures as a table",
        "Recent complaints",
        "Recent praise",
        "Official accounts",
        "@NimbusAide",
        "Cite this",
        "/badge/nimbus-telecom.svg",
        "/embed/brands/nimbus-telecom",
        "/api/v1/brands/nimbus-telecom",
    ):
        assert expected in page, expected


def test_recent_posts_show_their_main_cues_on_hover(site_client):
    page = text(site_client.get("/brands/nimbus-telecom?lang=en"))
    assert page.count('title="Main cues: ') >= 3
    french = text(site_client.get("/brands/nimbus-telecom?lang=fr"))
    assert 'title="Indices principaux : ' in french


def test_compare_needs_two_to_four_brands(site_client):
    picker = text(site_client.get("/compare?brands=ondeline&lang=en"))
    assert "Choose two to four brands" in picker and 'value="ondeline" checked' in picker
    both = text(site_client.get("/compare?brands=nimbus-telecom&brands=ondeline&lang=en"))
    assert "Side by side: <bdi>Nimbus Telecom</bdi>, <bdi>Ondeline Télécom</bdi>" in both
    five = "nimbus-telecom,ondeline,cirrus-mobile,beaconwave,parapluie-box"
    too_many = site_client.get(f"/compare?brands={five}&lang=en")
    assert too_many.status_code == 400
    said = text(too_many)
    assert "You chose 5 brands: compare at most 4 brands." in said
    assert 'data-max="4"' in said and said.count('" checked>') == 5
    french = text(site_client.get(f"/compare?brands={five}&lang=fr"))
    assert "comparez au plus 4 marques" in french


def test_search_finds_brands_by_part_of_the_name(site_client):
    page = text(site_client.get("/search?q=NIMBUS&lang=en"))
    assert "/brands/nimbus-telecom" in page
    assert "No brand matches" in text(site_client.get("/search?q=%25_%25&lang=en"))


def test_methodology_shows_version_and_the_documents_or_says_they_are_missing(site_client):
    page = text(site_client.get("/methodology?lang=en"))
    assert f"Methodology version {METHODOLOGY_VERSION}" in page
    assert "In plain words" in page
    assert "What the figures cannot tell" in page
    assert "Mention" in page and "Satisfaction" in page, "the rules document is rendered"
    assert "French labelling guidelines" in page, "the scorer document is rendered"
    for section in ("full", "right-of-reply", "scoring-doc", "incidents"):
        assert page.count(f'<section aria-labelledby="{section}">') == 1, section
        assert f'<a href="#{section}">' in page, section


@pytest.mark.parametrize(("lang", "decimal"), [("en", "."), ("fr", ",")])
def test_methodology_shows_every_published_error_rate_with_its_interval(site_client, lang, decimal):
    from carescore.scoring.accuracy import published_accuracy

    page = text(site_client.get(f"/methodology?lang={lang}"))
    accuracy = published_accuracy()
    figures = [f for s in accuracy.sets for f in s.figures]
    assert len(figures) >= 8 and {s.language for s in accuracy.sets} == {"en", "fr"}

    def shown(value: float) -> str:
        return f"{value:.3f}".replace(".", decimal)

    for figure in figures:
        low, high = (shown(bound) for bound in figure.interval)
        assert f"<strong>{shown(figure.value)}</strong>" in page
        assert f"{low}–{high}" in page
        assert shown(figure.always_fail) in page and shown(figure.lexicon) in page
    if lang == "en":
        assert all(f">{s.n:,}<" in page for s in accuracy.sets), "each set's size"


def test_methodology_shows_no_research_notes(site_client):
    """docs/research/ is the record of experiments not taken: never on the public page."""
    research = Path(__file__).resolve().parents[2] / "docs" / "research"
    headings = [
        line.lstrip("#").strip()
        for path in research.glob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]
    assert len(headings) >= 5
    for lang in ("en", "fr"):
        page = text(site_client.get(f"/methodology?lang={lang}"))
        assert not [h for h in headings if h in page]
        assert "measured and not taken" not in page.lower()


def test_about_data_explains_sources_licences_and_removal(site_client):
    page = text(site_client.get("/about/data?lang=en"))
    assert "Licences" in page and "removal" in page


def test_feed_lists_one_entry_per_sector_and_month(site_client, site_app):
    response = site_client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception
    months = site_app.config["SITE_MONTHS"]
    latest = [e for e in feed.entries if e.link.endswith(f"/rankings/telecom/{months[-1]}")]
    assert len(latest) == 1
    assert latest[0].title == f"[demo] Telecoms ranking, {_month(months[-1])}"
    assert f"methodology {METHODOLOGY_VERSION}" in latest[0].summary
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_badge_is_an_svg_image_with_the_score(site_client):
    response = site_client.get("/badge/nimbus-telecom.svg")
    assert response.mimetype == "image/svg+xml"
    root = parse_xml(response.get_data())
    assert root.tag.endswith("svg")
    assert "Carescore" in text(response)
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]


def test_only_embed_pages_and_badges_may_be_framed(site_client):
    embed = site_client.get("/embed/brands/nimbus-telecom")
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    for url in ("/", "/brands/nimbus-telecom", "/rankings/telecom"):
        response = site_client.get(url)
        assert response.headers["X-Frame-Options"] == "DENY"
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "'unsafe-inline'" not in csp


def test_pages_have_no_inline_script_and_no_external_assets(site_client):
    for url in PAGES:
        page = text(site_client.get(url))
        assert not INLINE_SCRIPT.search(page), url
        assert "style=" not in page, url
        assert not EXTERNAL_ASSET.search(page), url


def test_every_download_link_answers(site_client, site_app):
    """The CSV and JSON links beside the tables point at real API routes."""
    month = site_app.config["SITE_MONTHS"][-1]
    pages = [
        "/rankings/telecom",
        f"/rankings/telecom/{month}",
        "/brands/nimbus-telecom",
        "/compare?brands=nimbus-telecom,ondeline",
    ]
    links = set()
    for url in pages:
        links |= set(re.findall(r'href="(/api/v1/[^"]+)"', text(site_client.get(url))))
    assert len(links) >= 8
    for link in sorted(links):
        response = site_client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link


def test_brand_page_gives_the_secondary_figures_their_intervals(site_client):
    """Within 30 minutes, both business-hours medians and recovery carry an interval on
    the page and in the API, the one the page shows."""
    page = text(site_client.get("/brands/nimbus-telecom?lang=en"))
    score = site_client.get("/api/v1/brands/nimbus-telecom").get_json()["score"]
    rows = {
        "Answered within 30 minutes": ("within_30m_low", "within_30m_high"),
        "Median first reply, business hours": ("median_business_low_s", "median_business_high_s"),
        "Median first reply, other hours": ("median_offhours_low_s", "median_offhours_high_s"),
        "Recovery rate (customer happy after the reply)": (
            "recovery_rate_low",
            "recovery_rate_high",
        ),
    }
    for label, (low, high) in rows.items():
        row = page[page.index(label) :].split("</tr>", 1)[0]
        assert score[low] is not None and score[low] <= score[high], label
        assert '<span class="ci">' in row, label
    assert "not computed: a split of the median above" not in page
    if score["equal_treatment"] is not None:
        assert score["equal_treatment_low"] <= score["equal_treatment"]
        assert score["equal_treatment"] <= score["equal_treatment_high"]


# Links that name a period keep naming it: the feed as of a day, and the download links
# of every page (in both languages), each answering the period the page shows.

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


# Each walk of the download links asks the API from an address of its own, so that one
# walk does not spend the rate-limit quota of the next (the shared client's address).
_ADDRESSES = (f"192.0.2.{n}" for n in itertools.count(20))


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
    address = {"REMOTE_ADDR": next(_ADDRESSES)}
    for url, period in _pages(site_app.config["SITE_MONTHS"]).items():
        page = site_client.get(f"{url}{'&' if '?' in url else '?'}lang={lang}")
        assert page.status_code == 200, url
        links = _downloads(page.get_data(as_text=True))
        assert any(".csv" in link for link in links), url
        for link in links:
            response = site_client.get(link, environ_base=address)
            assert response.status_code == 200, (url, link)
            # The home page shows two periods: the live lists and the movers' month.
            shown = LIVE if url == "/" and "/leaders" in link else period
            if response.mimetype == "text/csv":
                rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
                if rows and "period" in rows[0] and "/history" not in link:
                    assert {r["period"] for r in rows} == {shown}, (url, link)
                    assert all(r["methodology_version"] for r in rows), (url, link)
                    named = response.headers["Content-Disposition"]
                    assert shown in named or "search" in link, (url, link)
            elif "period" in (body := response.get_json()) and "/history" not in link:
                assert body["period"] == shown, (url, link)


def test_the_citation_leads_to_a_final_month_and_the_badge_to_the_live_page(site_client):
    page = site_client.get("/brands/nimbus-telecom?lang=en").get_data(as_text=True)
    cite = re.search(r'<aside class="cite".*?</aside>', page, re.S)[0]
    finals = [m for m, final in _snapshot_months(site_client) if final]
    assert f"/brands/nimbus-telecom?window={max(finals)}" in cite
    assert "cite the latest final monthly snapshot" in cite
    badge = re.search(r'<textarea id="badge-code"[^>]*>(.*?)</textarea>', page, re.S)[1]
    assert re.search(r"/brands/nimbus-telecom&#3[49];", badge), badge


def _snapshot_months(client) -> list[tuple[str, bool]]:
    history = client.get("/api/v1/brands/nimbus-telecom/history").get_json()["items"]
    return [(h["period"], h["is_final"]) for h in history]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compare_page_gives_within_1h_and_recovery_their_intervals(site_client, lang):
    """Each brand's within-1-hour share and recovery rate carry the API's interval, as on
    the brand page, in either language."""
    slugs = ["nimbus-telecom", "ondeline"]
    page = text(site_client.get(f"/compare?brands={','.join(slugs)}&lang={lang}"))
    # An address of its own: the tests before this one spend the shared client's API quota.
    answer = site_client.get(
        f"/api/v1/compare?brands={','.join(slugs)}", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    items = answer.get_json()["items"]
    scores = [item["score"] for item in items]
    labels = {
        "en": ("Answered within 1 hour", "Recovery rate (customer happy after the reply)"),
        "fr": (
            "Réponse en moins d’une heure",
            "Taux de rattrapage (client satisfait après la réponse)",
        ),
    }[lang]
    for label, field in zip(labels, ("within_1h", "recovery_rate"), strict=True):
        row = page[page.index(label) :].split("</tr>", 1)[0]
        shown = re.findall(r'<span class="ci">(\d+)\s*%–(\d+)\s*%</span>', row)
        assert len(shown) == len(slugs), label
        for (low, high), score in zip(shown, scores, strict=True):
            assert abs(int(low) - 100 * score[f"{field}_low"]) <= 0.5, label
            assert abs(int(high) - 100 * score[f"{field}_high"]) <= 0.5, label
