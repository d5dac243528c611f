"""Which language a post is in: "en", "fr" or "other".

py3langid (an offline naive Bayes over byte n-grams, the maintained fork of langid.py) is
restricted to a handful of European languages that customers of our brands write in, so
that a short English or French post is not read as, say, Tagalog. Posts under a few words
carry too little signal for it; for those, common English and French function words
decide. The same words settle a longer post when they are unanimous (three or more of one
language, or two that no other candidate language shares, and none of the other), which
spares the n-gram model on most posts: it is the scorer's slowest step. A post with no
letters at all is "other".
"""

from __future__ import annotations

import re
from functools import lru_cache

from carescore.scoring.textfold import Folded
from carescore.vocab import JUDGED_LANGUAGES

# langid decides among these; everything but en and fr becomes "other".
_CANDIDATES = ["en", "fr", "es", "de", "it", "pt", "nl"]
_DETECT_CHARS = 200
_SHORT_LETTERS = 15
_UNANIMOUS = 3
_LETTER = re.compile(r"[^\W\d_]")
# Matches when the text holds at least _SHORT_LETTERS letters: counting every letter with
# findall cost more than the rest of the detection on posts the word lists decide.
_ENOUGH_LETTERS = re.compile(rf"(?:[\W\d_]*[^\W\d_]){{{_SHORT_LETTERS}}}")

_EN_WORDS = frozenset(
    [
        "the",
        "you",
        "your",
        "my",
        "is",
        "are",
        "was",
        "not",
        "and",
        "to",
        "for",
        "of",
        "it",
        "this",
        "that",
        "with",
        "have",
        "has",
        "why",
        "what",
        "when",
        "how",
        "can",
        "thanks",
        "thank",
        "please",
        "still",
        "just",
        "been",
        "don",
        "dont",
        "cant",
    ]
)
_FR_WORDS = frozenset(
    [
        "les",
        "une",
        "est",
        "et",
        "pas",
        "plus",
        "je",
        "tu",
        "vous",
        "mon",
        "ton",
        "votre",
        "vos",
        "avec",
        "pour",
        "sur",
        "depuis",
        "toujours",
        "merci",
        "bonjour",
        "pourquoi",
        "comment",
        "quand",
        "ai",
        "ca",
        "encore",
        "rien",
        "panne",
    ]
)

# Two of these settle a longer post as well as three of all the function words: none is
# also a common word of the other languages py3langid weighs, as "was" (de), "tu" (es,
# it, pt) or "les" (es) are. Measured on the 17,259 posts of ../shared/data: the same
# language for every post, and a fifth fewer posts left to the n-gram model.
_EN_DISTINCT = _EN_WORDS - {
    "is",
    "are",
    "was",
    "to",
    "of",
    "it",
    "has",
    "not",
    "still",
    "don",
    "dont",
}
_FR_DISTINCT = _FR_WORDS - {
    "les",
    "une",
    "est",
    "et",
    "plus",
    "tu",
    "mon",
    "ton",
    "vos",
    "sur",
    "ai",
    "ca",
    "comment",
}
_DISTINCT = 2

# A source's own language tag is trusted when it is one we score; "und" means unknown.
_HINTS = {"en": "en", "fr": "fr", "other": "other"}


@lru_cache(maxsize=1)
def _identifier():
    from carescore.scoring.identifier import load

    identifier = load()
    identifier.set_languages(_CANDIDATES)
    return identifier


def warm_up() -> None:
    """Load the n-gram model (half a second) now rather than on the first post that needs it."""
    _identifier()


def _settles(count: int, tokens: tuple[str, ...], distinct: frozenset[str]) -> bool:
    return count >= _UNANIMOUS or sum(map(distinct.__contains__, tokens)) >= _DISTINCT


def _by_words(tokens: tuple[str, ...], short: bool) -> str | None:
    en = sum(map(_EN_WORDS.__contains__, tokens))
    fr = sum(map(_FR_WORDS.__contains__, tokens))
    if not short:
        if en and not fr and _settles(en, tokens, _EN_DISTINCT):
            return "en"
        if fr and not en and _settles(fr, tokens, _FR_DISTINCT):
            return "fr"
        return None
    if en > fr:
        return "en"
    if fr > en:
        return "fr"
    return None


def detect_language(text: Folded, hint: str | None = None) -> str:
    """The post's language among `carescore.vocab.LANGUAGES`; a known hint from the source wins."""
    if hint:
        code = hint.strip().lower()[:2]
        if code in _HINTS:
            return _HINTS[code]
        if code.isalpha() and hint.lower() != "und":
            return "other"
    if not _LETTER.search(text.clean, 0, _DETECT_CHARS):
        return "other"
    short = not _ENOUGH_LETTERS.match(text.clean, 0, _DETECT_CHARS)
    guess = _by_words(text.tokens, short)
    if guess:
        return guess
    code, _ = _identifier().classify(text.clean[:_DETECT_CHARS])
    return code if code in JUDGED_LANGUAGES else "other"
