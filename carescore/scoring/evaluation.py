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
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from carescore.errors import BadInput
from carescore.scoring.score import Score, score_text
from carescore.vocab import LABELS, OPINION_LABELS

TASKS = ("sentiment", "complaint")
_COMPLAINT_VALUES = {"1": "complaint", "0": "other", "true": "complaint", "false": "other"}
RESAMPLES = 1000
CONFIDENCE = 0.95


def is_heldout(key: str, salt: str, share_in_10: int = 3) -> bool:
    """Whether a row belongs to the held-out part, by a hash of its id (stable, seedless).

    Rows for which this is true are never used to train or tune the scorer.
    """
    digest = hashlib.sha1(f"{salt}:{key}".encode(), usedforsecurity=False).hexdigest()
    return int(digest[:8], 16) % 10 < share_in_10


def _scores(tp: int, predicted: int, support: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of one label from its true positives and counts."""
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def metrics(gold: list[str], predicted: list[str], labels: Iterable[str]) -> dict:
    """Accuracy, macro-F1 over the gold labels present, per-label figures, confusion."""
    labels = list(labels)
    confusion = {g: dict.fromkeys(labels, 0) for g in labels}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    per_label = {}
    for label in labels:
        support = sum(confusion[label].values())
        precision, recall, f1 = _scores(
            confusion[label][label], sum(confusion[g][label] for g in labels), support
        )
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


def brand_shares(
    brands: list[str],
    gold: list[str],
    predicted: list[str],
    label: str,
    among: Iterable[str] | None = None,
    top: int | None = None,
) -> dict:
    """Each brand's true and estimated share of `label`, and their mean absolute error.

    The ranking reads a brand's share (of praise among opinions), not single posts, so a
    scorer can be right post by post and still misplace brands. A share is `label`'s count
    over the posts whose label is in `among` (all posts when None), counted on the gold
    labels and on the predicted ones separately; a brand with no such post is left out.
    `top` keeps the brands with the most posts. The error is in share units (0.03 is
    three points).
    """
    kept = None if among is None else frozenset(among)
    sizes = Counter(brands)
    names = [b for b, _ in sizes.most_common(top)] if top else sorted(sizes)
    out = {}
    for brand in names:
        if not brand:
            continue
        mine = [(g, p) for b, g, p in zip(brands, gold, predicted, strict=True) if b == brand]
        true_n = [g for g, _ in mine if kept is None or g in kept]
        est_n = [p for _, p in mine if kept is None or p in kept]
        if not true_n or not est_n:
            continue
        out[brand] = {
            "n": len(mine),
            "true": round(true_n.count(label) / len(true_n), 4),
            "estimated": round(est_n.count(label) / len(est_n), 4),
        }
    errors = [abs(v["true"] - v["estimated"]) for v in out.values()]
    return {
        "label": label,
        "among": sorted(kept) if kept is not None else "all",
        "brands": out,
        "mae": round(sum(errors) / len(errors), 4) if errors else 0.0,
    }


def corrected_shares(
    brands: list[str],
    gold: list[str],
    predicted: list[str],
    langs: list[str],
    rates: dict | None = None,
) -> dict:
    """Each brand's share of praise among praise and fail as the ranking publishes it in
    `satisfaction_corrected`: the same function (`carescore.ranking.labelerror.
    corrected_share`, adjusted classify and count with the packaged confusion, per
    language), fed the predicted opinions of the brand's posts by language.

    `brand_shares` measures the raw share (`satisfaction_raw`); this measures the
    corrected one on the same posts, with its 95% interval and whether the true share
    falls inside it. `rates` replaces the packaged confusion (tests).
    """
    from carescore.ranking.labelerror import corrected_share

    votes: dict[str, Counter[tuple[str, str]]] = {}
    truth: dict[str, Counter[str]] = {}
    for brand, g, p, lang in zip(brands, gold, predicted, langs, strict=True):
        if not brand:
            continue
        truth.setdefault(brand, Counter())[g] += 1
        if p in OPINION_LABELS:
            votes.setdefault(brand, Counter())[p, lang] += 1
    out = {}
    for brand in sorted(truth):
        opinions = truth[brand]["praise"] + truth[brand]["fail"]
        if not opinions or brand not in votes:
            continue
        estimate, low, high = corrected_share(dict(votes[brand]), rates)
        if estimate is None or low is None or high is None:
            continue
        true = truth[brand]["praise"] / opinions
        out[brand] = {
            "true": round(true, 4),
            "corrected": round(estimate, 4),
            "low": round(low, 4),
            "high": round(high, 4),
            "covered": low <= true <= high,
        }
    errors = [abs(v["true"] - v["corrected"]) for v in out.values()]
    return {
        "brands": out,
        "mae": round(sum(errors) / len(errors), 4) if errors else 0.0,
        "covered": sum(v["covered"] for v in out.values()),
    }


def intervals(
    gold: list[str], predicted: list[str], labels: Iterable[str], resamples: int = RESAMPLES
) -> dict:
    """95% bootstrap intervals (percentile, posts drawn with replacement) of accuracy,
    macro-F1 and each label's F1.

    A figure on 200 posts with 13 questions moves by several points when a handful of
    posts change: a target is met when the interval says so, not the point figure alone.
    Seeded, so the same file gives the same interval.
    """
    labels = list(labels)
    n = len(gold)
    if not n:
        return {}
    cells = list(zip(gold, predicted, strict=True))
    present = [label for label in labels if label in set(gold)]
    rng = random.Random(f"{n}:{resamples}")
    accuracy: list[float] = []
    macro: list[float] = []
    per_label: dict[str, list[float]] = {label: [] for label in labels}
    for _ in range(resamples):
        counts = Counter(rng.choices(cells, k=n))
        truth: Counter[str] = Counter()
        guessed: Counter[str] = Counter()
        for (g, p), c in counts.items():
            truth[g] += c
            guessed[p] += c
        f1s = {
            label: _scores(counts[label, label], guessed[label], truth[label])[2]
            for label in labels
        }
        for label in labels:
            per_label[label].append(f1s[label])
        accuracy.append(sum(counts[label, label] for label in labels) / n)
        macro.append(sum(f1s[label] for label in present) / len(present) if present else 0.0)

    def bounds(values: list[float]) -> list[float]:
        values = sorted(values)
        tail = (1 - CONFIDENCE) / 2
        low = values[int(tail * (len(values) - 1))]
        high = values[math.ceil((1 - tail) * (len(values) - 1))]
        return [round(low, 4), round(high, 4)]

    return {
        "confidence": CONFIDENCE,
        "resamples": resamples,
        "accuracy": bounds(accuracy),
        "macro_f1": bounds(macro),
        "labels": {label: {"f1": bounds(values)} for label, values in per_label.items()},
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


def read_brands(path: Path, column: str = "brand") -> list[str] | None:
    """The brand column of a labelled CSV (`brand`, or another name such as the airline
    set's `airline`), row by row, or None when it has none."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if column not in (reader.fieldnames or []):
                return None
            return [(row[column] or "").strip() for row in reader]
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror}") from exc


def evaluate(
    rows: list[tuple[str, str]],
    task: str,
    *,
    map_questions: bool = True,
    scorer: Callable[[str], Score] = score_text,
    brands: list[str] | None = None,
) -> dict:
    """The eval report for rows of (text, gold label), with bootstrap intervals and the
    figures of always answering `fail` beside ours, the baseline every target is read
    against (real customer posts are mostly complaints).

    A post the scorer does not judge (another language: no label) counts as `neutral`
    (`other` for complaints), and `not_judged` says how many there were. With `brands`
    (one per row), a sentiment report adds each brand's true and estimated share of
    praise among praise and fail, estimated both ways the ranking publishes it (counted,
    `satisfaction_raw`; corrected for the measured confusion, `satisfaction_corrected`),
    and each estimator's mean absolute error (`brand_shares`, `corrected_shares`); and
    each brand's share of fail among all its posts, counted (`brand_fail_shares`), the
    per-brand figure the airline set's targets are stated in.
    """
    gold = [g for _, g in rows]
    scores = [scorer(text) for text, _ in rows]
    scored = [s.label for s in scores]
    labels_out = [label or "neutral" for label in scored]
    not_judged = sum(label is None for label in scored)
    if task == "complaint":
        predicted = ["complaint" if label == "fail" else "other" for label in labels_out]
        labels = ["complaint", "other"]
        report = metrics(gold, predicted, labels)
        report["f1"] = report["labels"]["complaint"]["f1"]
        report["task"] = task
        report["not_judged"] = not_judged
        always = metrics(gold, ["complaint"] * len(gold), labels)
        report["always_fail"] = {
            "accuracy": always["accuracy"],
            "f1": always["labels"]["complaint"]["f1"],
        }
        report["intervals"] = intervals(gold, predicted, labels)
        if report["intervals"]:
            report["intervals"]["f1"] = report["intervals"]["labels"]["complaint"]["f1"]
        return report
    labels = list(LABELS)
    mapped = map_questions and "question" not in gold
    if mapped:
        labels_out = ["neutral" if label == "question" else label for label in labels_out]
        labels.remove("question")
    report = metrics(gold, labels_out, labels)
    report["task"] = task
    report["not_judged"] = not_judged
    if mapped:
        report["question_counted_as"] = "neutral"
    always = metrics(gold, ["fail"] * len(gold), labels)
    report["always_fail"] = {"accuracy": always["accuracy"], "macro_f1": always["macro_f1"]}
    report["intervals"] = intervals(gold, labels_out, labels)
    if brands is not None:
        if len(brands) != len(rows):
            raise BadInput(f"{len(brands)} brands for {len(rows)} rows")
        shares = brand_shares(brands, gold, labels_out, "praise", OPINION_LABELS)
        corrected = corrected_shares(brands, gold, labels_out, [s.lang for s in scores])
        for brand, entry in corrected["brands"].items():
            if brand in shares["brands"]:
                shares["brands"][brand].update(
                    corrected=entry["corrected"],
                    corrected_low=entry["low"],
                    corrected_high=entry["high"],
                )
        shares["estimators"] = {
            "estimated": "classify and count: the ranking's satisfaction_raw",
            "corrected": "adjusted classify and count: the ranking's satisfaction_corrected",
        }
        shares["mae_corrected"] = corrected["mae"]
        shares["corrected_covered"] = corrected["covered"]
        report["brands"] = shares
        report["brand_fail_shares"] = brand_shares(brands, gold, labels_out, "fail")
    return report
