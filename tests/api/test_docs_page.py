"""The site's API page documents every operation, and its curl examples work."""

from __future__ import annotations

import html
import re

from website.api.openapi import document
from website.config import settings


def test_api_page_lists_every_operation_and_field(api):
    page = api.get("/api")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    for path, item in document()["paths"].items():
        for method in item:
            assert f"{method.upper()} /api/v1{path}</code>" in text, path
    for field in ("reply_rate_low", "median_reply_s", "actionable_n", "next_cursor"):
        assert f"<code>{field}</code>" in text
    assert "Demo data" in text


def test_every_curl_example_on_the_page_answers(api):
    text = html.unescape(api.get("/api").get_data(as_text=True))
    base = settings(api.application).base_url
    urls = set(re.findall(rf"curl -s '({re.escape(base)}/api/v1/[^']+)'", text))
    assert f"{base}/api/v1/brands/nimbus-telecom/history" in urls
    for url in urls:
        response = api.get(url.removeprefix(base))
        assert response.status_code == (400 if "limit=-1" in url else 200), url
