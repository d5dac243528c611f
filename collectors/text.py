"""HTML to plain text for scoring and display, with the standard library's parser.

Mastodon content and feed summaries are HTML. Scripts and styles are dropped with their
content, tags go, entities are decoded, paragraphs and line breaks become newlines. The
result is plain text; templates escape it again when they show it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_DROP = {"script", "style", "template", "noscript", "iframe", "object"}
_BREAKS = {"br"}
_BLOCKS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _DROP:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


_SPACES = re.compile(r"[ \t\r\f\v]+")
_GAPS = re.compile(r"\n\s*\n+")


def html_to_text(html: str | None) -> str:
    """Visible text of an HTML fragment; never raises on broken markup."""
    if not html:
        return ""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = _SPACES.sub(" ", "".join(parser.parts))
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _GAPS.sub("\n\n", text).strip()


def decode_entities(text: str) -> str:
    """What the author typed, from a plain-text field that escapes `&`, `<` and `>` as
    HTML entities (X's API, v1.1 and v2, and the TWCS file made from it).

    Decoded exactly once, when a post is read from its source: the stored text is what
    the author wrote, so "&amp;amp;" (an author who typed "&amp;") stays "&amp;". Fields
    that are plain text already (Bluesky records, Reddit with raw_json=1) must not be
    passed here, or an author's literal "&lt;" would be lost.
    """
    return html.unescape(text) if "&" in text else text
