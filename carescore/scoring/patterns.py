"""Fast matching of many small keyword patterns against folded text.

Python's `re` tries every branch of one big alternation at every position of the text
(about 190 us for a tweet against the cue patterns). Cut into single branches, each keyed
by a literal that must occur for it to match, the same patterns match exactly the same
texts (checked on the 34,000 texts of ../shared/data), and only the branches whose literal
occurs are tried. Which literals occur is found in one pass over the text by an
Aho-Corasick automaton (pyahocorasick, in C): testing the 200 literals one by one from
Python cost three times as much as the whole search now does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import ahocorasick

_LITERAL = re.compile(r"[a-z#' ]+")


def _alternatives(pattern: str) -> list[str]:
    """A pattern cut at its top-level `|`, so each piece can be compiled on its own."""
    pieces, depth, current, i = [], 0, "", 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            current += pattern[i : i + 2]
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += char
        i += 1
    pieces.append(current)
    return pieces


def _literal(piece: str) -> str:
    """Text that must occur for `piece` to match ("" when it starts with a group)."""
    body = piece.removeprefix("\\b")
    found = _LITERAL.match(body)
    literal = found.group(0) if found else ""
    if literal and body[len(literal) : len(literal) + 1] in ("?", "*", "{"):
        literal = literal[:-1]
    return literal


def _inner_literal(piece: str) -> str:
    """The longest run of plain characters that every match of `piece` contains, wherever
    it stands ("% off" in "\\b\\d+ ?% off\\b"), for a piece with no literal in front;
    "" when there is none. Groups, classes, escapes and anything a quantifier makes
    optional break a run."""
    if "(?" in piece.replace("(?:", ""):
        return ""
    best = run = ""
    i = 0
    while i < len(piece):
        char = piece[i]
        if char in "|)":
            return ""
        if char in "?*+{":
            run = run[:-1]
            if char == "{":
                i = piece.find("}", i)
        if char in "\\([.^$?*+{":
            best = max(best, run, key=len)
            run = ""
            if char == "\\":
                i += 1
            elif char == "(":
                i = _group_end(piece, i)
            elif char == "[":
                i = piece.find("]", i + 2)
            if i < 0:
                return ""
        else:
            run += char
        i += 1
    return max(best, run, key=len)


def _group_end(pattern: str, start: int) -> int:
    """Index of the `)` that closes the group opening at `start` (-1 if none)."""
    depth, i = 0, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i
        i += 1
    return -1


def _expand(piece: str) -> list[str]:
    """Spread a leading group of plain words, "(?:no|zero) answer" -> "no answer", "zero
    answer", so that every piece starts with text a substring test can look for."""
    if piece.startswith("\\b(?:"):
        return ["\\b" + e for e in _expand(piece[2:])]
    if not piece.startswith("(?:"):
        return [piece]
    end = piece.find(")")
    inner = piece[3:end]
    rest = piece[end + 1 :]
    if end < 0 or any(c in inner for c in "([") or inner.endswith("\\") or "\\|" in inner:
        return [piece]
    if rest[:1] in ("*", "+", "{"):
        return [piece]
    optional = rest.startswith("?")
    rest = rest[1:] if optional else rest
    expanded = [word + rest for word in inner.split("|")]
    if optional:
        expanded += _expand(rest)
    return [e for item in expanded for e in _expand(item)]


def _join(pieces: list[str]) -> str:
    """One alternation of `pieces`; anchored ones share their `^`, so that a search tries
    the start of the text only (`^a|^b` would be tried at every position)."""
    if all(piece.startswith("^") for piece in pieces):
        return "^(?:" + "|".join(piece[1:] for piece in pieces) + ")"
    return "|".join(pieces)


class KeywordSets:
    """Named groups of patterns; `find` returns the names with at least one match."""

    def __init__(self, groups: Mapping[str, Sequence[str]]) -> None:
        by_literal: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        self._unguarded: list[tuple[str, re.Pattern[str]]] = []
        self._size = 0
        for name, patterns in groups.items():
            pieces_by_literal: dict[str, list[str]] = {}
            for pattern in patterns:
                for alternative in _alternatives(pattern):
                    for piece in _expand(alternative):
                        key = "^" if piece.startswith("^") else _literal(piece)
                        key = key or _inner_literal(piece)
                        pieces_by_literal.setdefault(key, []).append(piece)
            for literal, pieces in pieces_by_literal.items():
                branch = (name, re.compile(_join(pieces)))
                guard = literal.lstrip("^")
                (by_literal.setdefault(guard, []) if guard else self._unguarded).append(branch)
                self._size += 1
        self._automaton = ahocorasick.Automaton()
        for literal, branches in by_literal.items():
            self._automaton.add_word(literal, tuple(branches))
        if by_literal:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self._size

    def find(self, folded: str, found: set[str] | None = None) -> set[str]:
        found = set() if found is None else found
        for name, matcher in self._unguarded:
            if name not in found and matcher.search(folded):
                found.add(name)
        if len(self._automaton):
            for _, branches in self._automaton.iter(folded):
                for name, matcher in branches:
                    if name not in found and matcher.search(folded):
                        found.add(name)
        return found
