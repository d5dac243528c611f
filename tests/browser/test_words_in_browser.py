"""What a reader sees in words and figures, in headless Chromium: the comparison picker's
limit, and charts that stay readable on a 390 px phone.

The demo of `test_site_in_browser` plus June ranked on its last day, so the brand page
has a trend with a partial month besides its bar charts and incident timeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from carescore.ranking.snapshots import rank_brands
from carescore.store.db import make_engine
from carescore.store.migrate import upgrade
from tests.browser.test_site_in_browser import browser, page  # noqa: F401
from tests.servers import gunicorn
from tests.site.conftest import AS_OF, build_site

pytestmark = pytest.mark.browser

# The smallest text a chart may show, in CSS pixels, at any of these widths.
MIN_TEXT_PX = 11
WIDTHS = (390, 700, 1280)

# Every chart's text in CSS pixels as drawn: the font size times the drawing's scale
# (its width on screen over its viewBox width); hidden drawings (display: none) are skipped.
TEXT_SIZES = """() => Array.from(document.querySelectorAll('svg.chart'))
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .flatMap((svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Array.from(svg.querySelectorAll('text')).map((t) => ({
      text: t.textContent,
      px: parseFloat(getComputedStyle(t).fontSize) * scale,
      inside: t.getBBox().x >= -0.5 && t.getBBox().x + t.getBBox().width
        <= svg.viewBox.baseVal.width + 0.5,
    }));
  })"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("browser-words") / "demo.db"
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        build_site(session)
        rank_brands(session, "2026-06", AS_OF, now=datetime.combine(AS_OF, time(23), UTC))
        session.commit()
    engine.dispose()
    with gunicorn(url, workers=1) as base:
        yield base


def test_the_picker_stops_at_four_brands(server, page):  # noqa: F811
    page.goto(server + "/compare?lang=en")
    boxes = page.locator('form.picker input[name="brands"]')
    assert boxes.count() > 4
    for index in range(4):
        boxes.nth(index).check()
    assert boxes.nth(4).is_disabled()
    boxes.nth(0).uncheck()
    assert boxes.nth(4).is_enabled()
    boxes.nth(4).check()
    page.get_by_role("button", name="Compare").click()
    # The answer is a new page: expect() waits for it, a plain count() could read it half-loaded.
    expect(page.locator("table.compare thead th")).to_have_count(5)  # "Measure", four brands


def test_a_comparison_chart_names_its_brands_isolated(server, page):  # noqa: F811
    """June is ranked here, so the comparison has a chart; its accessible name isolates each
    brand's name (U+2068 ... U+2069) from the words around, and only one of the chart's two
    drawings (wide and narrow) is shown at a time."""
    page.goto(server + "/compare?brands=nimbus-telecom&brands=ondeline&lang=en")
    chart = "Carescore per month: \u2068Nimbus Telecom\u2069, \u2068Ondeline Télécom\u2069"
    expect(page.get_by_role("img", name=chart)).to_have_count(1)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_chart_text_is_readable_at_every_width(server, browser, width, lang):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    pages = [
        "/brands/nimbus-telecom",
        "/compare?brands=nimbus-telecom,ondeline",
        "/embed/brands/nimbus-telecom",
    ]
    seen = 0
    for path in pages:
        tab.goto(f"{server}{path}{'&' if '?' in path else '?'}lang={lang}")
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        texts = tab.evaluate(TEXT_SIZES)
        small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < MIN_TEXT_PX]
        assert not small, f"{path} at {width}px: text under {MIN_TEXT_PX}px: {small}"
        cut = [t["text"] for t in texts if not t["inside"]]
        assert not cut, f"{path} at {width}px: text outside the chart: {cut}"
        seen += len(texts)
    assert seen > 50, "the pages drew their charts"
    if width == 390:
        tab.goto(f"{server}/brands/nimbus-telecom?lang={lang}")
        tab.screenshot(
            path=f"test-output/screenshots/10-brand-charts-390-{lang}.png", full_page=True
        )
    context.close()
