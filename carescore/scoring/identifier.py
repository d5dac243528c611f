"""py3langid's language identifier, walking its byte automaton a word at a time.

py3langid counts a text's byte n-grams by stepping a DFA through every byte in Python:
on the posts the function words leave to it, that walk was half of its 35-100 us a post.
Where the automaton goes on a word and the n-grams it counts on the way depend only on
the state it starts the word in and the word's bytes, so `(state, word)` -> `(state
after, n-grams counted)` is kept in a bounded memo and a word seen before in that state
costs one lookup. The counts come out the same, in the same order, and the scores are
py3langid's own code on them: the same language for every text, to the last bit of the
score (tests/test_language.py compares the two on the shared datasets' posts).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from py3langid.langid import MODEL_FILE, LanguageIdentifier

if TYPE_CHECKING:
    import numpy as np

# Distinct (state, word) pairs kept; past it the memo starts again. About 30,000 on the
# 3,448 bench posts that reach the model.
_MEMO_SIZE = 200_000
_SPACE = b" "


class WordWalkIdentifier(LanguageIdentifier):
    """A LanguageIdentifier whose n-gram counts go through the per-word memo."""

    __slots__ = ()

    def _raw_score(self, text: bytes) -> np.ndarray:
        visits = _visits(self, text)
        if visits:
            return self._sparse_score(visits, self.nb_ptc)
        return super()._raw_score(text)


_memo: dict[tuple[int, bytes], tuple[int, tuple[int, ...]]] = {}


def _walk(identifier: LanguageIdentifier, state: int, data: bytes) -> tuple[int, list[int]]:
    """py3langid's `visit_counts` loop: the state after `data` and the n-grams it counts."""
    nextmove, rowbase, output = identifier.tk_nextmove, identifier._rowbase, identifier.tk_output
    found = []
    for byte in data:
        state = nextmove[rowbase[state] + byte]
        feature = output[state]
        if feature >= 0:
            found.append(feature)
    return state, found


def _visits(identifier: LanguageIdentifier, text: bytes) -> Counter | None:
    """What `py3langid.langid.visit_counts` returns for `text`, a word at a time."""
    if len(_memo) >= _MEMO_SIZE:
        _memo.clear()
    words = text.split(_SPACE)
    last = words.pop()
    state, found = 0, []
    for word in words:
        key = (state, word)
        step = _memo.get(key)
        if step is None:
            after, counted = _walk(identifier, state, word + _SPACE)
            step = _memo[key] = (after, tuple(counted))
        state = step[0]
        found += step[1]
    found += _walk(identifier, state, last)[1]
    return Counter(found) if found else None


def load() -> LanguageIdentifier:
    """py3langid's packaged model, walked a word at a time when this py3langid has the
    internals the walk reads (0.4's); a plain LanguageIdentifier otherwise."""
    identifier = WordWalkIdentifier.from_model_file(MODEL_FILE)
    if all(hasattr(identifier, name) for name in ("_rowbase", "_sparse_score", "tk_output")):
        return identifier
    return LanguageIdentifier.from_model_file(MODEL_FILE)
