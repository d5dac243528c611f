"""Word valences from VADER (English) and vaderSentiment-fr (French).

The full VADER analysers are too slow for the store's import rate (vaderSentiment-fr
scores about 6,500 posts/s because of its fuzzy matching), and their compound score alone
is wrong on customer posts more often than right. We keep what they know best, their
hand-rated word lists, and sum the valences over a post's folded tokens with VADER's own
negation rule (a negator in the three words before flips and damps a word). The sums are
features of the classifier, beside the customer-service cues.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from carescore.scoring.textfold import fold
from carescore.vocab import JUDGED_LANGUAGES

# VADER's damping of a negated word (vaderSentiment.N_SCALAR).
NEGATED = -0.74
_NEGATORS = {
    "en": frozenset(
        [
            "not",
            "no",
            "never",
            "none",
            "nobody",
            "nothing",
            "nowhere",
            "neither",
            "nor",
            "dont",
            "doesnt",
            "didnt",
            "isnt",
            "arent",
            "wasnt",
            "werent",
            "cant",
            "cannot",
            "couldnt",
            "wont",
            "wouldnt",
            "shouldnt",
            "havent",
            "hasnt",
            "hadnt",
            "without",
            "aint",
        ]
    ),
    "fr": frozenset(
        [
            "ne",
            "pas",
            "plus",
            "jamais",
            "rien",
            "aucun",
            "aucune",
            "personne",
            "sans",
            "ni",
            "guere",
        ]
    ),
}


def _fold_word(word: str) -> str:
    tokens = fold(word).tokens
    return tokens[0] if len(tokens) == 1 else ""


def _read(package: str, name: str, separator: str) -> dict[str, float]:
    valences: dict[str, float] = {}
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split(separator)
        if len(parts) < 2:
            continue
        word = _fold_word(parts[0])
        try:
            value = float(parts[1])
        except ValueError:
            continue
        if word and word not in _NEGATORS["fr"] | _NEGATORS["en"]:
            valences.setdefault(word, value)
    return valences


@lru_cache(maxsize=2)
def valences(lang: str) -> dict[str, float]:
    """Folded word -> valence (-4..4) for "en" or "fr"; empty for other languages."""
    if lang == "en":
        return _read("vaderSentiment", "vader_lexicon.txt", "\t")
    if lang == "fr":
        return _read("vaderSentiment_fr", "fr_lexicon.txt", "->")
    return {}


def negators(lang: str) -> frozenset[str]:
    """The words that flip a valence in the three words after them, for "en" or "fr"."""
    return _NEGATORS.get(lang, _NEGATORS["en"])


def polarity(tokens: tuple[str, ...], lang: str) -> tuple[float, float]:
    """Sums of positive and of negative valence (the latter as a positive number)."""
    lexicon = valences(lang if lang in JUDGED_LANGUAGES else "en")
    if lexicon.keys().isdisjoint(tokens):
        return 0.0, 0.0
    flips = negators(lang)
    positive = negative = 0.0
    get = lexicon.get
    for i, token in enumerate(tokens):
        value = get(token)
        if value is None:
            continue
        if i and not flips.isdisjoint(tokens[max(0, i - 3) : i]):
            value *= NEGATED
        if value > 0:
            positive += value
        else:
            negative -= value
    return positive, negative
