"""/api/v1/accuracy's shapes and OpenAPI operations: the methodology page's table of the
scorer's measured error rates, kept apart from its view (like the incidents') so that the
OpenAPI document imports them without the blueprint.

One row per figure of a held-out set, the same figures as the page's table, with the
scorer version and the confidence of the intervals in every row so a CSV line stands alone.
"""

from __future__ import annotations

from carescore.scoring.accuracy import Accuracy
from website.api.params import NO_QUERY
from website.api.shape_base import Public
from website.api.shape_base import described as _d


class AccuracyRowPublic(Public):
    """One figure of the methodology page's accuracy table."""

    set: str = _d("held-out labelled set")
    language: str = _d("language of its posts (en, fr)")
    n: int = _d("posts in the set")
    task: str = _d("labels the set distinguishes")
    metric: str = _d("accuracy, macro_f1, f1 (of the complaint label) or question_f1")
    value: float = _d("the scorer's figure, 0-1, higher is better")
    interval_low: float = _d("lower bound of its bootstrap interval (confidence)")
    interval_high: float = _d("upper bound of its bootstrap interval (confidence)")
    always_fail: float | None = _d("the same figure when always answering complaint")
    lexicon: float | None = _d("the same figure for the sentiment lexicon alone")
    scorer_version: str = _d("version of the scorer measured")
    confidence: float = _d("confidence level of the interval")


class AccuracyPublic(Public):
    demo: bool = _d(
        "always false: the scorer is measured on real labelled posts, whatever the site serves"
    )
    scorer_version: str
    confidence: float
    command: str = _d("the command that measures these figures again from the labelled sets")
    count: int = _d("figures")
    items: list[AccuracyRowPublic] = _d("in the page's order: by set, then figure")


def accuracy_rows(accuracy: Accuracy) -> list[AccuracyRowPublic]:
    """The page's table, one row per figure."""
    return [
        AccuracyRowPublic(
            set=held.id,
            language=held.language,
            n=held.n,
            task=held.task,
            metric=figure.metric,
            value=figure.value,
            interval_low=figure.interval[0],
            interval_high=figure.interval[1],
            always_fail=figure.always_fail,
            lexicon=figure.lexicon,
            scorer_version=accuracy.scorer_version,
            confidence=accuracy.confidence,
        )
        for held in accuracy.sets
        for figure in held.figures
    ]


def operations(operation: type) -> tuple:
    """The accuracy table's entries of the OpenAPI document (built with its `Operation`)."""
    return (
        operation("/accuracy", "getAccuracy",
                  "The scorer's measured error rates on held-out posts", NO_QUERY,
                  AccuracyPublic, AccuracyRowPublic, tag="about"),
        operation("/accuracy.csv", "getAccuracyCsv", "The scorer's error rates as CSV",
                  NO_QUERY, None, AccuracyRowPublic, csv_only=True, tag="about"),
    )  # fmt: skip
