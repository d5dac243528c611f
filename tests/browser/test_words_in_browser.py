"""What a reader sees in words and figures, in headless Chromium: the comparison picker's
limit, and charts that stay readable on a 390 px phone.

Shares the demo server and the browser of `test_site_in_browser` (same fixtures).
"""

from __future__ import annotations

import pytest

from tests.browser.test_site_in_browser import browser, page, server  # noqa: F401

pytestmark = pytest.mark.browser


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
    assert page.locator("table.compare thead th").count() == 5  # "Measure" and four brands
