"""Placeholder scorer: VADER plus a '#fail' cue. Replaced by the real scorer (issue 8).

The contract every caller relies on is `score_text(text, lang_hint) -> Score` and
`SCORER_VERSION`; both stay when the internals change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

SCORER_VERSION = "0.1-placeholder"

_QUESTION = re.compile(r"\?\s*$|^(how|when|why|what|can|is|do|does|comment|quand|pourquoi)\b", re.I)


@dataclass(frozen=True, slots=True)
class Score:
    lang: str
    sentiment: float
    label: str
    topics: tuple[str, ...]
    version: str = SCORER_VERSION


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def score_text(text: str, lang_hint: str | None = None) -> Score:
    """Score one post's text; never raises, whatever the input."""
    text = (text or "")[:5000]
    lang = lang_hint if lang_hint in ("en", "fr") else "en"
    compound = _vader().polarity_scores(text)["compound"] if text.strip() else 0.0
    if "#fail" in text.lower() or compound <= -0.05:
        label = "fail"
    elif _QUESTION.search(text.strip()):
        label = "question"
    elif compound >= 0.05:
        label = "praise"
    else:
        label = "neutral"
    return Score(lang=lang, sentiment=compound, label=label, topics=())
