"""Checks on the text a brand writes: plain text, bounded, links http(s) only.

The text is stored as written (after trimming) and escaped wherever it is shown; these
checks keep out what no reader should be handed: markup, control characters, endless
text, and links to anything but a web page.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from carescore.reply.errors import Invalid

_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?]")
URL_MAX = 500


def plain_text(value: Any, field: str, max_length: int, *, required: bool = True) -> str | None:
    """A trimmed string of at most `max_length` characters, without markup or controls."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(field, "required")
        return None
    if not isinstance(value, str):
        raise Invalid(field, "expected a string")
    text = unicodedata.normalize("NFC", value.strip())
    if len(text) > max_length:
        raise Invalid(field, f"at most {max_length} characters ({len(text)} given)")
    if any(unicodedata.category(c) in ("Cc", "Cf") and c not in "\n\t" for c in text):
        raise Invalid(field, "control or formatting characters are not allowed")
    if _TAG.search(text):
        raise Invalid(field, "plain text only: no HTML or other markup")
    return text


def web_link(value: Any, field: str = "link", *, required: bool = False) -> str | None:
    """An absolute http(s) URL with a host, at most URL_MAX characters."""
    if value is None or value == "":
        if required:
            raise Invalid(field, "required")
        return None
    if not isinstance(value, str):
        raise Invalid(field, "expected a string")
    url = value.strip()
    if len(url) > URL_MAX:
        raise Invalid(field, f"at most {URL_MAX} characters")
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in url):
        raise Invalid(field, "a URL has no spaces or control characters")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise Invalid(field, "not a URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Invalid(field, "an absolute http:// or https:// URL")
    return url
