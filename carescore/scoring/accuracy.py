"""The scorer's measured error rates, as published on the methodology page.

The figures live in accuracy.json beside the model weights, written by `python -m
tools.accuracy` from the held-out labelled sets (which stay outside the package). They
are data, not code: the page renders them in either language, and a test measures them
again from the shared datasets to check that the file says what the scorer does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

ACCURACY_PATH = Path(str(resources.files("carescore.scoring").joinpath("accuracy.json")))


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure: `value` with its 95% `interval`, and the same figure for
    always answering `fail` and for the sentiment lexicon alone (None when not defined)."""

    metric: str
    value: float
    interval: tuple[float, float]
    always_fail: float
    lexicon: float


@dataclass(frozen=True, slots=True)
class HeldOutSet:
    id: str
    language: str
    n: int
    task: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Accuracy:
    scorer_version: str
    confidence: float
    command: str
    sets: tuple[HeldOutSet, ...]


@lru_cache(maxsize=1)
def published_accuracy() -> Accuracy:
    """The figures of accuracy.json (read once per process)."""
    raw = json.loads(ACCURACY_PATH.read_text(encoding="utf-8"))
    return Accuracy(
        scorer_version=raw["scorer_version"],
        confidence=raw["confidence"],
        command=raw["command"],
        sets=tuple(
            HeldOutSet(
                id=s["id"],
                language=s["language"],
                n=s["n"],
                task=s["task"],
                figures=tuple(
                    Figure(
                        metric=f["metric"],
                        value=f["value"],
                        interval=tuple(f["interval"]),
                        always_fail=f["always_fail"],
                        lexicon=f["lexicon"],
                    )
                    for f in s["figures"]
                ),
            )
            for s in raw["sets"]
        ),
    )
