"""Text folding shared by language detection, cues, topics and the classifier.

Every later step matches against the same folded form (lower case, accents removed,
HTML entities decoded, links and @mentions dropped), so a French post typed without
accents ("reglé", "regle") and one typed with them meet the same patterns. Folding must
accept anything a platform sends us, including lone surrogates and 100 KB of text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

# Long posts are cut: a tweet or a review says what it means in the first few hundred
# characters, and scoring time must not grow with a pasted essay.
MAX_CHARS = 2000

_TAG = re.compile(r"<[^>]{0,200}>")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@\w+")
_TOKEN = re.compile(r"#?[a-z0-9]+|[!?]|[:;=]-?[()dp/|]|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2764]")
_SHOUT = re.compile(r"\b[A-Z]{3,}\b")
_CURLY_APOSTROPHES = ("\u2019", "\u2018", "\u02bc")
# Runs of the accented letters _ACCENTS maps (U+00C0 to U+024F): translating only these
# runs gives the same text as translating the whole post, at a third of the cost.
_ACCENTED = re.compile("[\u00c0-\u024f]+")


def _accent_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii())
        if base and base != char:
            table[code] = base.lower()
    table.update({ord("œ"): "oe", ord("æ"): "ae", ord("ß"): "ss"})
    return table


_ACCENTS = _accent_table()


def _unaccent(match: re.Match) -> str:
    return match.group().translate(_ACCENTS)


@dataclass(frozen=True, slots=True)
class Folded:
    """A post's text in the forms the scorer needs.

    `clean` keeps accents (language detection needs them); `folded` is accent-free lower
    case; `tokens` are the folded words, with `#hashtags`, `!`, `?`, emoticons and emoji as
    tokens of their own; `shouting` counts words written in capitals (up to 3).
    """

    clean: str
    folded: str
    tokens: tuple[str, ...]
    shouting: int = 0


def safe_text(text: object) -> str:
    """Any value as a bounded, encodable string: never raises."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[:MAX_CHARS]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "ignore").decode("utf-8")
    return text


def fold(text: object) -> Folded:
    """Fold a post's text; see the module docstring for why each step exists."""
    text = safe_text(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "`" in text:
        text = text.replace("`", "'")
    if not text.isascii():
        for apostrophe in _CURLY_APOSTROPHES:
            if apostrophe in text:
                text = text.replace(apostrophe, "'")
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    clean = text.lower()
    shouting = 0 if clean == text else min(len(_SHOUT.findall(text)), 3)
    folded = clean if clean.isascii() else _ACCENTED.sub(_unaccent, clean)
    folded = folded.replace("n't", "nt")
    return Folded(clean, folded, tuple(_TOKEN.findall(folded)), shouting)
