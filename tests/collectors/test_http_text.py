"""The shared pieces: reset headers of every platform, and HTML to text."""

from __future__ import annotations

import httpx
import pytest

from collectors.http import USER_AGENT, make_client, rate_limit_wait
from collectors.text import html_to_text

NOW = 1_715_591_700.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "30"}, 30),
        ({"Retry-After": "Mon, 13 May 2024 09:15:30 GMT"}, 30),
        ({"x-rate-limit-reset": str(int(NOW) + 90)}, 90),  # X: epoch seconds
        ({"X-RateLimit-Reset": "2024-05-13T09:20:00.000000Z"}, 300),  # Mastodon: ISO 8601
        ({"x-ratelimit-reset": "318", "x-ratelimit-remaining": "0.0"}, 318),  # Reddit: delta
        ({"RateLimit-Reset": str(int(NOW) + 45)}, 45),  # Bluesky: epoch seconds
        ({}, 60),
        ({"Retry-After": "soon"}, 60),
    ],
)
def test_rate_limit_wait_reads_each_platform(headers, expected):
    response = httpx.Response(429, headers=headers)
    assert rate_limit_wait(response, now=NOW) == pytest.approx(expected, abs=1)


def test_client_names_carescore_and_a_contact():
    client = make_client()
    assert client.headers["User-Agent"] == USER_AGENT and "https://" in USER_AGENT
    assert client.timeout.connect == 5.0 and client.timeout.read == 20.0


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a</p><p>b<br>c</p>", "a\n\nb\nc"),
        ("x <script>alert('x')</script>y", "x y"),
        ("<SCRIPT>document.cookie</SCRIPT>ok", "ok"),
        ("<style>a{}</style><b>bold</b> &amp; &lt;tag&gt;", "bold & <tag>"),
        ("unclosed <script>everything after is hidden", "unclosed"),
        ("<p>broken <a href='x'>link", "broken link"),
        ("", ""),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text
