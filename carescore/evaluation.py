"""Measure the scorer against a labelled CSV: the figures `carescore eval` prints.

Two tasks. `sentiment`: a `text,label` file with labels among praise/fail/question/neutral.
`complaint`: a `text,complaint` file with 1/0, where a post is a complaint when the scorer
labels it `fail`. Files labelled on three classes (no `question`, as in the airline set,
whose annotators filed questions under neutral) count a predicted question as neutral,
and the output says so; `map_questions=False` gives the strict figure.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from carescore.errors import BadInput
from carescore.scoring import LABELS, Score, score_text

TASKS = ("sentiment", "complaint")
_COMPLAINT_VALUES = {"1": "complaint", "0": "other", "true": "complaint", "false": "other"}


def is_heldout(key: str, salt: str, share_in_10: int = 3) -> bool:
    """Whether a row belongs to the held-out part, by a hash of its id (stable, seedless).

    Rows for which this is true are never used to train or tune the scorer.
    """
    digest = hashlib.sha1(f"{salt}:{key}".encode(), usedforsecurity=False).hexdigest()
    return int(digest[:8], 16) % 10 < share_in_10


def metrics(gold: list[str], predicted: list[str], labels: Iterable[str]) -> dict:
    """Accuracy, macro-F1 over the gold labels present, per-label figures, confusion."""
    labels = list(labels)
    confusion = {g: dict.fromkeys(labels, 0) for g in labels}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    per_label = {}
    for label in labels:
        tp = confusion[label][label]
        predicted_n = sum(confusion[g][label] for g in labels)
        support = sum(confusion[label].values())
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    present = [label for label in labels if per_label[label]["support"]]
    n = len(gold)
    correct = sum(confusion[label][label] for label in labels)
    return {
        "n": n,
        "accuracy": round(correct / n, 4) if n else 0.0,
        "macro_f1": (
            round(sum(per_label[x]["f1"] for x in present) / len(present), 4) if present else 0.0
        ),
        "labels": per_label,
        "confusion": confusion,
    }


def read_labelled(path: Path, task: str) -> list[tuple[str, str]]:
    """(text, gold label) rows of a labelled CSV, or BadInput naming what is wrong."""
    if task not in TASKS:
        raise BadInput(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    column = "label" if task == "sentiment" else "complaint"
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror}") from exc
    rows: list[tuple[str, str]] = []
    with handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        for needed in ("text", column):
            if needed not in fields:
                raise BadInput(
                    f"{path} has no {needed!r} column (columns: {', '.join(fields) or 'none'})"
                )
        for line, row in enumerate(reader, start=2):
            value = (row[column] or "").strip().lower()
            if task == "sentiment":
                if value not in LABELS:
                    raise BadInput(
                        f"{path}, row {line}: unknown label {value!r} in column 'label'; "
                        f"expected one of {', '.join(LABELS)}"
                    )
                gold = value
            else:
                if value not in _COMPLAINT_VALUES:
                    raise BadInput(
                        f"{path}, row {line}: unknown label {value!r} in column 'complaint'; "
                        "expected 1 or 0"
                    )
                gold = _COMPLAINT_VALUES[value]
            rows.append((row["text"] or "", gold))
    return rows


def evaluate(
    rows: list[tuple[str, str]],
    task: str,
    *,
    map_questions: bool = True,
    scorer: Callable[[str], Score] = score_text,
) -> dict:
    """The eval report for rows of (text, gold label)."""
    gold = [g for _, g in rows]
    labels_out = [scorer(text).label for text, _ in rows]
    if task == "complaint":
        predicted = ["complaint" if label == "fail" else "other" for label in labels_out]
        report = metrics(gold, predicted, ("complaint", "other"))
        report["f1"] = report["labels"]["complaint"]["f1"]
        report["task"] = task
        return report
    labels = list(LABELS)
    mapped = map_questions and "question" not in gold
    if mapped:
        labels_out = ["neutral" if label == "question" else label for label in labels_out]
        labels.remove("question")
    report = metrics(gold, labels_out, labels)
    report["task"] = task
    if mapped:
        report["question_counted_as"] = "neutral"
    return report
