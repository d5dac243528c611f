"""The folded form that name search compares: case, accents and punctuation set aside.

"Télécom", "TELECOM" and "telecom" fold alike, and so do "T-Mobile" and "t mobile", so a
search finds a brand however it is typed, in French or English. The fold is computed in
Python and stored (`Brand.search_key`), and the query is folded the same way, so SQLite
and PostgreSQL compare the same strings with the same plain `LIKE`, with no collation or
extension that one of them lacks. A change to `fold` needs a migration that writes the
stored keys again (as 0009_brand_search did first).
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_NOT_WORD = re.compile(r"[\W_]+")
# Never produced by `fold`: a query cannot match across the name and the slug.
_BETWEEN = "|"


def fold(text: str) -> str:
    """Lower case without accents, runs of punctuation and spaces as one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)
    return _NOT_WORD.sub(" ", bare).strip()


def brand_search_key(name: str, slug: str) -> str:
    """What a brand is found by: its folded name and its folded slug."""
    return f"{fold(name)}{_BETWEEN}{fold(slug)}"
