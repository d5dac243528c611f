"""Measure the scorer on the held-out parts and write the figures the site publishes.

    python -m tools.accuracy [--data ../shared/data] [--check]

Each figure is what `carescore eval` prints on the held-out files that `python -m
tools.training` writes under var/eval/ (same rows, same 95% bootstrap intervals, same
always-`fail` baseline), plus the sentiment lexicon alone as a second baseline: VADER's
compound for English, vaderSentiment-fr's for French, read as praise at 0.05 or more,
fail at -0.05 or less, neutral between. The result goes to
carescore/scoring/accuracy.json, which the methodology page renders; `--check` only
compares a fresh measurement with that file and exits 1 when they differ.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from carescore.scoring.accuracy import ACCURACY_PATH
from carescore.scoring.evaluation import evaluate, metrics
from carescore.scoring.score import SCORER_VERSION
from tools.training import DEFAULT_DATA, DEFAULT_FR_LABELS, NOT_TO_BRANDS, Row, load_rows

# (id, language, part, task, the figures published for it).
SETS = (
    ("airline", "en", "airline-heldout", "sentiment", ("accuracy", "macro_f1")),
    ("complaints", "en", "complaints-heldout", "complaint", ("f1", "macro_f1")),
    ("complaints-to-brands", "en", "complaints-heldout-brands", "complaint", ("f1",)),
    ("fr-heldout-3", "fr", "fr-heldout-3", "sentiment", ("accuracy", "question_f1")),
    ("insurance", "fr", "insurance-heldout", "sentiment", ("accuracy",)),
    ("fintech", "fr", "fintech-heldout", "sentiment", ("accuracy",)),
    ("deft", "fr", "deft-heldout-posneg", "sentiment", ("accuracy",)),
)


def _lexicon(lang: str) -> Callable[[str], float]:
    """The compound score of the lexicon the scorer's word valences come from."""
    if lang == "fr":
        from vaderSentiment_fr.vaderSentiment import SentimentIntensityAnalyzer
    else:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    analyser = SentimentIntensityAnalyzer()
    return lambda text: analyser.polarity_scores(text)["compound"]


def _figures_of(gold: list[str], said: list[str], task: str) -> dict[str, float]:
    """Accuracy, macro-F1 and the task's own F1 of labels from a baseline (praise, fail,
    neutral, maybe question), counted the way `evaluate` counts the scorer's."""
    if task == "complaint":
        predicted = ["complaint" if label == "fail" else "other" for label in said]
        report = metrics(gold, predicted, ["complaint", "other"])
        return {"f1": report["labels"]["complaint"]["f1"], "macro_f1": report["macro_f1"]}
    labels = ["praise", "fail", "question", "neutral"]
    if "question" not in gold:
        labels.remove("question")
        said = ["neutral" if label == "question" else label for label in said]
    report = metrics(gold, said, labels)
    figures = {"accuracy": report["accuracy"], "macro_f1": report["macro_f1"]}
    if "question" in labels:
        figures["question_f1"] = report["labels"]["question"]["f1"]
    return figures


def _lexicon_labels(rows: list[Row], lang: str) -> list[str]:
    compound = _lexicon(lang)
    said = []
    for row in rows:
        value = compound(row.text)
        said.append("praise" if value >= 0.05 else "fail" if value <= -0.05 else "neutral")
    return said


def _figure(report: dict, name: str) -> tuple[float, list[float]]:
    intervals = report["intervals"]
    if name == "question_f1":
        return report["labels"]["question"]["f1"], intervals["labels"]["question"]["f1"]
    return report[name], intervals[name]


def measure(data: Path = DEFAULT_DATA, fr_labels: Path = DEFAULT_FR_LABELS) -> dict:
    """Every published figure, measured now, as the JSON document the site reads."""
    parts = load_rows(data, fr_labels)
    parts["complaints-heldout-brands"] = [
        r for r in parts["complaints-heldout"] if r.domain not in NOT_TO_BRANDS
    ]
    parts["deft-heldout-posneg"] = [r for r in parts["deft-heldout"] if r.label != "neutral"]
    sets = []
    for set_id, lang, part, task, names in SETS:
        rows = parts[part]
        report = evaluate([(r.text, r.label) for r in rows], task)
        gold = [r.label for r in rows]
        lexicon = _figures_of(gold, _lexicon_labels(rows, lang), task)
        always_fail = _figures_of(gold, ["fail"] * len(gold), task)
        figures = []
        for name in names:
            value, interval = _figure(report, name)
            figures.append(
                {
                    "metric": name,
                    "value": round(value, 3),
                    "interval": [round(bound, 3) for bound in interval],
                    "always_fail": round(always_fail[name], 3),
                    "lexicon": round(lexicon[name], 3),
                }
            )
        sets.append(
            {"id": set_id, "language": lang, "n": report["n"], "task": task, "figures": figures}
        )
    return {
        "scorer_version": SCORER_VERSION,
        "confidence": 0.95,
        "command": "python -m tools.accuracy",
        "sets": sets,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.accuracy", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--fr-labels", type=Path, default=DEFAULT_FR_LABELS)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    measured = measure(args.data, args.fr_labels)
    text = json.dumps(measured, indent=1, ensure_ascii=False) + "\n"
    if args.check:
        if ACCURACY_PATH.read_text(encoding="utf-8") != text:
            sys.exit(
                f"{ACCURACY_PATH} differs from a fresh measurement: run python -m tools.accuracy"
            )
        print(f"{ACCURACY_PATH} matches a fresh measurement")
        return
    ACCURACY_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {ACCURACY_PATH}")


if __name__ == "__main__":
    main()
