"""Keyword sets find exactly what their patterns, searched whole, find."""

from __future__ import annotations

import re

import pytest

from carescore.scoring.cues import _CUES, CUE_PATTERNS
from carescore.scoring.patterns import KeywordSets, _inner_literal
from carescore.scoring.textfold import fold
from carescore.scoring.topics import _KEYWORD_SETS, _KEYWORDS

TEXTS = [
    "25% off everything today, promo code XMAS",
    "25 % off? no, 10 % de reduction seulement",
    "my 2fa code never arrives, locked out of my account",
    "premier mois offert puis 50 % de reduction, bon plan",
    "why is my box still down? pas de reponse depuis 3 jours",
    "%off 2fa2 % offer",
    "",
]


@pytest.mark.parametrize(
    ("piece", "literal"),
    [
        (r"\b\d+ ?% off\b", "% off"),
        (r"\b2fa\b", "2fa"),
        (r"x.{0,40}yy", "yy"),
        (r"\w{2,3}ab?cd", "cd"),
        (r"(?:a|b)+x", "x"),
        (r"(?=ab)cd", ""),
        (r"(?i)abc", ""),
    ],
)
def test_a_piece_is_guarded_by_text_every_match_holds(piece, literal):
    assert _inner_literal(piece) == literal


def test_only_anchored_patterns_are_searched_on_every_text():
    """Every other branch waits for its literal: searching one on every post cost half of
    the cue step (the offer family's "25% off" before it had one)."""
    unguarded = [m.pattern for _, m in _CUES._unguarded + _KEYWORD_SETS._unguarded]
    assert all(pattern.startswith("^") for pattern in unguarded)


@pytest.mark.parametrize(
    ("sets", "groups"),
    [(_CUES, CUE_PATTERNS), (_KEYWORD_SETS, {k: (v,) for k, v in _KEYWORDS.items()})],
)
def test_keyword_sets_find_what_the_whole_patterns_find(sets: KeywordSets, groups):
    whole = {name: re.compile("|".join(patterns)) for name, patterns in groups.items()}
    for text in TEXTS:
        folded = fold(text).folded
        assert sets.find(folded) == {n for n, p in whole.items() if p.search(folded)}, text
