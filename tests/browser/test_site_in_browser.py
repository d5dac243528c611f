"""A person's visit, in headless Chromium against gunicorn serving a small demo database.

Playwright (from PyPI) drives Debian's chromium by its executable path: Playwright's own
browser download is not used. Without chromium the tests skip with the reason, except
under CI=true, where they fail. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from carescore.store.db import make_engine
from carescore.store.migrate import upgrade
from tests.servers import gunicorn
from tests.site.conftest import build_site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    path = os.environ.get("CARESCORE_CHROMIUM") or shutil.which("chromium")
    if path:
        return path
    reason = "chromium not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """gunicorn on a free local port over a freshly built demo database."""
    database = tmp_path_factory.mktemp("browser") / "demo.db"
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        build_site(session)
    engine.dispose()
    with gunicorn(url, workers=1) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh tab that records console errors and failed requests; the test fails on any."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: problems.append(str(exc)))
    tab.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    yield tab
    context.close()
    assert problems == [], f"console errors in {request.node.name}: {problems}"


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_visit_home_sector_sort_brand(server, page):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Customer care rankings by sector"
    assert page.get_by_role("note").inner_text().startswith("Demo data.")
    shot(page, "01-home")

    page.get_by_role("link", name="Telecoms", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Telecoms: customer care ranking")
    expect(page.get_by_role("heading", name="Not enough data")).to_be_visible()
    expect(page.get_by_role("link", name="CSV").first).to_be_visible()
    shot(page, "02-sector")

    page.get_by_role("link", name="Public reply rate").click()
    expect(page.locator("table.ranking caption")).to_contain_text("sorted by Public reply rate")
    assert "sort=reply_rate" in page.url
    rates = [
        float(cell.split("%")[0])
        for cell in page.locator("table.ranking tbody td:nth-child(5)").all_inner_texts()
    ]
    assert rates == sorted(rates, reverse=True) and len(rates) >= 2
    shot(page, "03-sorted")

    first = page.locator("table.ranking tbody th a").first
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(name)
    expect(page.get_by_role("heading", name="Monthly trend")).to_be_visible()
    expect(page.get_by_role("heading", name="Cite this")).to_be_visible()
    shot(page, "04-brand")


def test_compare_two_brands(server, page):
    page.goto(server + "/compare")
    page.get_by_label("Nimbus Telecom").check()
    page.get_by_label("Ondeline Télécom").check()
    page.get_by_role("button", name="Compare").click()
    caption = page.locator("table.compare caption")
    expect(caption).to_have_text("Side by side: Nimbus Telecom, Ondeline Télécom")
    # No month of this demo is in a published snapshot: the page says so instead of a chart.
    expect(page.locator("p.na")).to_contain_text("None of these brands had enough data")
    shot(page, "05-compare")


def test_switch_language_and_keep_it(server, page):
    page.goto(server + "/rankings/telecom")
    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Télécoms : classement du service client")
    shot(page, "06-sector-fr")
    page.locator("table.ranking tbody th a").first.click()
    expect(page.get_by_role("heading", name="Évolution mensuelle")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    shot(page, "07-brand-fr")


def test_phone_width_has_no_horizontal_scroll(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    tab = context.new_page()
    for path, name in [("/", "08-home-phone"), ("/brands/nimbus-telecom", "09-brand-phone")]:
        tab.goto(server + path)
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        shot(tab, name)
    context.close()
