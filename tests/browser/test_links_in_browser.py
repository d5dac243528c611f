"""Every download and cite link, followed in headless Chromium on the demo and on imported
TWCS threads, in English and French: each answers the period and the figures its page
shows.

The TWCS half reads ../shared/data/twcs/twcs-threads-dev.csv (a slice of it, for speed)
and skips with the reason when the file is absent. Chromium as in test_site_in_browser.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
from click.testing import CliRunner
from sqlmodel import Session

from carescore.ranking.snapshots import recompute_all
from carescore.store.db import make_engine
from carescore.store.migrate import upgrade
from tests.browser.test_site_in_browser import CHROMIUM_ARGS, _chromium
from tests.conftest import shared_data
from tests.servers import gunicorn
from tests.site.conftest import build_site

pytestmark = pytest.mark.browser

TWCS_LINES = 800
TWCS_AS_OF = date(2017, 12, 31)
LANGS = ("en", "fr")


@dataclass
class Site:
    """A served database and what the walk needs to know of it, read from its own API."""

    base: str
    app: object
    brands: list[str] = field(default_factory=list)
    sector: str = ""
    months: list[str] = field(default_factory=list)
    final_months: list[str] = field(default_factory=list)
    live: str | None = None
    everything: str | None = None  # the as-of day of the `all` window, when computed
    compared: int = 0  # figures compared between a page and a download


def _app(url: str):
    from carescore.settings import load_settings
    from website import create_app

    return create_app(load_settings(database_url=url), {"TESTING": True})


def _describe(base: str, url: str, request) -> Site:
    site = Site(base=base, app=_app(url))
    brands = request.get(f"{base}/api/v1/brands?limit=200").json()["items"]
    site.brands = [b["slug"] for b in brands]
    site.sector = brands[0]["sector"]
    history = request.get(f"{base}/api/v1/brands/{site.brands[0]}/history").json()["items"]
    site.months = [h["period"] for h in history]
    site.final_months = [h["period"] for h in history if h["is_final"]]
    site.live = request.get(f"{base}/api/v1/rankings").json()["period"]
    site.everything = request.get(f"{base}/api/v1/rankings?window=all").json()["period"]
    return site


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('links') / 'demo.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        build_site(session, n_posts=1500, months=2)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def twcs_db(tmp_path_factory, monkeypatch_module) -> str:
    """The first TWCS_LINES lines of the shared threads, imported and ranked as of the end
    of 2017 (the 90 days, all, and every month), as the README's walkthrough does."""
    source = shared_data("twcs/twcs-threads-dev.csv")
    folder = tmp_path_factory.mktemp("twcs")
    part = folder / "threads.csv"
    with source.open(encoding="utf-8") as lines:
        part.write_text("".join(line for _, line in zip(range(TWCS_LINES), lines, strict=False)))
    url = f"sqlite:///{folder / 'twcs.db'}"
    engine = make_engine(url)
    upgrade(engine)
    monkeypatch_module.setenv("CARESCORE_DATABASE_URL", url)
    from carescore.cli import main

    result = CliRunner().invoke(
        main, ["import", "twcs", str(part), "--create-brands", "--sector", "telecom"]
    )
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        recompute_all(session, TWCS_AS_OF)
        session.commit()
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module", params=["demo", "twcs"])
def site(request, browser) -> Iterator[Site]:
    url = request.getfixturevalue(f"{request.param}_db")
    with gunicorn(url, workers=1) as base:
        context = browser.new_context()
        try:
            yield _describe(base, url, context.request)
        finally:
            context.close()


@pytest.fixture(params=LANGS)
def tab(request, browser, site):
    """A tab in one language that fails the test on any console error or failed request."""
    lang = request.param
    context = browser.new_context(locale="fr-FR" if lang == "fr" else "en-GB")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    page.lang = lang
    yield page
    context.close()
    assert problems == [], problems


class Format:
    """The site's own formatting of a figure, in the tab's language."""

    def __init__(self, site: Site, lang: str) -> None:
        self.site, self.lang = site, lang

    def __getattr__(self, name: str):
        from website import i18n

        def call(*args):
            with self.site.app.test_request_context(f"/?lang={self.lang}"):
                return getattr(i18n, name)(*args)

        return call


def _go(tab, site: Site, path: str) -> None:
    sep = "&" if "?" in path else "?"
    response = tab.goto(f"{site.base}{path}{sep}lang={tab.lang}")
    assert response is not None and response.ok, path


def _downloads(tab) -> list[tuple[str, str]]:
    """(what, href) of every link into the API on the page: the download links."""
    found = []
    for link in tab.locator("a[href^='/api/v1/']").all():
        paragraph = link.locator("xpath=..").inner_text()
        found.append((paragraph, link.get_attribute("href")))
    return found


def _follow(tab, site: Site, href: str) -> tuple[str, object, str]:
    """(mime type, CSV rows or JSON body, Content-Disposition) of a download."""
    response = tab.request.get(urljoin(site.base, href))
    assert response.ok, href
    kind = response.headers["content-type"].split(";")[0]
    disposition = response.headers.get("content-disposition", "")
    if kind == "text/csv":
        return kind, list(csv.DictReader(io.StringIO(response.text()))), disposition
    return kind, response.json(), disposition


def _period_of(tab, site: Site, href: str, period: str, final: bool) -> list[dict]:
    """Follow a download; every row (CSV) or the answer (JSON) names `period`; returns
    the CSV rows."""
    kind, body, disposition = _follow(tab, site, href)
    if kind == "text/csv":
        assert all(r["period"] == period for r in body), (href, period)
        assert all(r["methodology_version"] for r in body), href
        assert all(r["is_final"] == ("true" if final else "false") for r in body), href
        assert period in disposition, (href, disposition)
        return body
    named = body["period"] if "period" in body else (body["score"] or {}).get("period", period)
    assert named == period, (href, period)
    assert body["methodology_version"], href
    assert period in disposition, (href, disposition)
    return []


def _cells(tab, selector: str) -> list[str]:
    return [t.strip() for t in tab.locator(selector).all_text_contents()]


def _label(fmt: Format, window: str, period: str) -> str:
    if window == "month":
        return fmt.month_name(period)
    return fmt.long_date(period)


def _check_ranking(tab, site: Site, fmt: Format, window: str, period: str) -> None:
    final = window == "month" and period in site.final_months
    assert _label(fmt, window, period) in tab.locator(".lede").inner_text()
    links = [href for what, href in _downloads(tab) if "rankings" in href]
    assert {urlsplit(h).path for h in links} == {"/api/v1/rankings", "/api/v1/rankings.csv"}
    for href in links:
        rows = _period_of(tab, site, href, period, final)
        if not href.split("?")[0].endswith(".csv"):
            continue
        ranked = {r["name"]: r for r in rows if r["ranked"] == "true"}
        for line in tab.locator("table.ranking tbody tr").all():
            name = line.locator("th a").inner_text()
            score = line.locator("td").nth(1).inner_text()
            assert score == fmt.number(float(ranked[name]["carescore"]), 1), name
            site.compared += 1
        assert len(ranked) == tab.locator("table.ranking tbody tr").count()
    _check_cite(tab, site, fmt)


def _check_cite(tab, site: Site, fmt: Format) -> None:
    """The permalink of the cite box leads to a page of the period it names, with the
    methodology version it names; a final month whenever one exists."""
    cite = tab.locator("aside.cite")
    permalink = cite.locator("dd a").first.get_attribute("href")
    period_text = cite.locator("dd").nth(1).inner_text()
    version = cite.locator("dd").nth(2).inner_text()
    citation = cite.locator("textarea").input_value()
    assert permalink in citation and period_text in citation
    path = urlsplit(permalink)
    month = re.search(r"(?:/|window=)(\d{4}-\d{2})(?:$|&|\?)", path.path + "?" + path.query)
    if site.final_months:
        assert month and month[1] in site.final_months, permalink
        assert fmt.month_name(month[1]) == period_text
    _go(tab, site, f"{path.path}{'?' + path.query if path.query else ''}")
    assert period_text in tab.locator("main").inner_text()
    assert version.split()[-1] in tab.locator("main").inner_text()


def _check_brand(tab, site: Site, fmt: Format, slug: str, window: str, period: str) -> None:
    final = window == "month" and period in site.final_months
    caption = tab.locator("table.metrics caption")
    if caption.count():
        assert _label(fmt, window, period) in caption.inner_text()
    links = dict((urlsplit(h).path, h) for _, h in _downloads(tab))
    assert f"/api/v1/brands/{slug}.csv" in links, links
    values = _cells(tab, "table.metrics tbody td:nth-child(2)")
    (row,) = _period_of(tab, site, links[f"/api/v1/brands/{slug}.csv"], period, final) or [None]
    _period_of(tab, site, links[f"/api/v1/brands/{slug}"], period, final)
    if row is not None:
        if row["carescore"]:
            assert fmt.number(float(row["carescore"]), 1) in values
        for name in ("reply_rate", "within_1h", "within_30m", "recovery_rate", "satisfaction"):
            expected = fmt.percent(float(row[name])) if row[name] else "—"
            assert expected in values, (name, expected, values)
        assert fmt.number(int(row["question_n"])) in values
        site.compared += 7
    for table in ("topics", "delays"):
        rows = _period_of(tab, site, links[f"/api/v1/brands/{slug}/{table}.csv"], period, final)
        _period_of(tab, site, links[f"/api/v1/brands/{slug}/{table}"], period, final)
        shown = _cells(tab, f"section[aria-labelledby='{table}'] details tbody td")
        counts = [int(r["complaints" if table == "topics" else "replies"]) for r in rows]
        assert shown == [fmt.number(n) for n in counts], table
        site.compared += len(counts)
    history = _follow(tab, site, links[f"/api/v1/brands/{slug}/history.csv"])[1]
    months = _cells(tab, "section[aria-labelledby='trend'] details tbody th")
    assert months == [fmt.month_name(h["period"]) for h in history]
    for path, href in links.items():
        if "incidents" in path or "reply" in path:
            _follow(tab, site, href)
    _check_cite(tab, site, fmt)


def _check_compare(tab, site: Site, fmt: Format, slugs: list[str], window: str, period: str):
    final = window == "month" and period in site.final_months
    assert _label(fmt, window, period) in tab.locator(".lede").inner_text()
    links = dict((urlsplit(h).path, h) for _, h in _downloads(tab))
    rows = _period_of(tab, site, links["/api/v1/compare.csv"], period, final)
    _period_of(tab, site, links["/api/v1/compare"], period, final)
    by_slug = {r["brand"]: r for r in rows}
    scores = _cells(tab, "table.compare tbody tr:first-child td")
    for slug, shown in zip(slugs, scores, strict=True):
        value = by_slug.get(slug, {}).get("carescore")
        if value:
            assert shown == fmt.number(float(value), 1), slug
            site.compared += 1
    for path, href in links.items():
        if "/history" in path:
            _follow(tab, site, href)


def _check_search(tab, site: Site, fmt: Format) -> None:
    links = dict((urlsplit(h).path, h) for _, h in _downloads(tab))
    rows = _follow(tab, site, links["/api/v1/search.csv"])[1]
    assert {r["period"] for r in rows} == {site.live}
    assert _follow(tab, site, links["/api/v1/search"])[1]["count"] == len(rows)
    names = _cells(tab, "table.results tbody th")
    assert names == [r["name"] for r in rows]
    shown = _cells(tab, "table.results tbody td:nth-child(3)")
    for row, text in zip(rows, shown, strict=True):
        if row["carescore"]:
            assert text == fmt.number(float(row["carescore"]), 1)
            site.compared += 1


def _check_home(tab, site: Site, fmt: Format) -> None:
    """The best and worst lists' download holds the scores they show; the movers' holds the
    two final months the table compares, with its figures."""
    links = dict((urlsplit(h).path, h) for _, h in _downloads(tab))
    for href in links.values():
        _follow(tab, site, href)
    if "/api/v1/leaders.csv" in links:
        rows = _follow(tab, site, links["/api/v1/leaders.csv"])[1]
        shown = _cells(tab, ".sector.card .score")
        assert shown == [fmt.number(float(r["carescore"]), 1) for r in rows]
        site.compared += len(rows)
    if "/api/v1/movers.csv" not in links:
        return
    rows = _follow(tab, site, links["/api/v1/movers.csv"])[1]
    assert {r["period"] for r in rows} == {site.final_months[-1]}
    assert fmt.month_name(site.final_months[-1]) in tab.locator("#movers").inner_text()
    shown = _cells(tab, "section[aria-labelledby='movers'] tbody td:nth-child(3)")
    assert shown == [fmt.number(float(r["carescore"]), 1) for r in rows]
    site.compared += len(rows)


def test_every_download_and_cite_link_answers_what_its_page_shows(site, tab):
    fmt = Format(site, tab.lang)
    _go(tab, site, "/")
    _check_home(tab, site, fmt)

    _go(tab, site, f"/rankings/{site.sector}")
    _check_ranking(tab, site, fmt, "90d", site.live)
    for month in site.final_months[-2:]:
        _go(tab, site, f"/rankings/{site.sector}/{month}")
        _check_ranking(tab, site, fmt, "month", month)

    if site.everything:
        _go(tab, site, f"/rankings/{site.sector}?window=all")
        _check_ranking(tab, site, fmt, "all", site.everything)

    slug = site.brands[0]
    _go(tab, site, f"/brands/{slug}")
    _check_brand(tab, site, fmt, slug, "90d", site.live)
    if site.everything:
        _go(tab, site, f"/brands/{slug}?window=all")
        _check_brand(tab, site, fmt, slug, "all", site.everything)
    for month in site.final_months[-1:]:
        _go(tab, site, f"/brands/{slug}?window={month}")
        _check_brand(tab, site, fmt, slug, "month", month)

    pair = site.brands[:2]
    _go(tab, site, f"/compare?brands={','.join(pair)}")
    _check_compare(tab, site, fmt, pair, "90d", site.live)
    if site.final_months:
        month = site.final_months[-1]
        _go(tab, site, f"/compare?brands={','.join(pair)}&window={month}")
        _check_compare(tab, site, fmt, pair, "month", month)

    _go(tab, site, f"/search?q={slug[:4]}")
    _check_search(tab, site, fmt)

    for path in ("/methodology", "/about/data", "/api"):
        _go(tab, site, path)
    assert site.compared >= 10, f"only {site.compared} figures compared"
    feed = tab.request.get(f"{site.base}/feed.atom?as_of={site.live}")
    assert feed.ok and "<feed" in feed.text()
