"""The figures training chooses by and prints, from out-of-fold predictions.

Each source is read as its targets are stated in issue #22: the airline set on three
classes (a predicted question counts as neutral), the complaint set as complaint or not,
the Free labels on four classes, the French reviews as praise (4-5 stars) against fail
(1-2 stars), the DEFT tweets as positive against negative. A review or tweet counts as
right only when the label the site would show is the gold one: a praise review labelled
neutral is an error, not half a success.
"""

from __future__ import annotations

from collections import Counter

from carescore.scoring.evaluation import brand_shares, metrics
from carescore.scoring.score import decide
from carescore.vocab import LABELS

NOT_JUDGED = "neutral"
# Sets whose rows are posts of the kind the site scores, per language: the confusion the
# published satisfaction is corrected by (carescore/scoring/confusion.py).
POST_SETS = {"en": ("airline",), "fr": ("fr",)}
EXTRA_SETS = ("complaints", "insurance", "fintech", "deft")


def by_source(rows, probs) -> dict[str, tuple[list, list]]:
    out: dict[str, tuple[list, list]] = {}
    for p, row in zip(probs, rows, strict=True):
        out.setdefault(row.source, ([], []))
        out[row.source][0].append(p)
        out[row.source][1].append(row)
    return out


def predict(probs, rows, thresholds: dict[str, float]) -> list[str]:
    """The labels the scorer would give; a post in another language is not judged."""
    return [
        decide(p_fail, p_praise, row.cues, thresholds, row.lang)
        if row.lang in ("en", "fr")
        else NOT_JUDGED
        for (p_fail, p_praise), row in zip(probs, rows, strict=True)
    ]


def report(probs, rows, source: str, thresholds: dict[str, float]) -> dict:
    """The figures of one source's rows, as `carescore eval` computes them."""
    predicted = predict(probs, rows, thresholds)
    gold = [r.label for r in rows]
    if source == "complaints":
        pred = ["complaint" if p == "fail" else "other" for p in predicted]
        m = metrics(gold, pred, ("complaint", "other"))
        m["f1"] = m["labels"]["complaint"]["f1"]
        return m
    if source == "airline":
        pred = ["neutral" if p == "question" else p for p in predicted]
        m = metrics(gold, pred, ("praise", "fail", "neutral"))
        m["shares"] = brand_shares([r.brand for r in rows], gold, pred, "fail")
        return m
    if source == "deft":
        kept = [(g, p) for g, p in zip(gold, predicted, strict=True) if g != "neutral"]
        m = metrics([g for g, _ in kept], [p for _, p in kept], LABELS)
        m["three_class"] = metrics(gold, predicted, LABELS)["accuracy"]
        return m
    m = metrics(gold, predicted, LABELS)
    if source in ("insurance", "fintech"):
        m["shares"] = brand_shares(
            [r.brand for r in rows], gold, predicted, "praise", ("praise", "fail"), top=10
        )
    return m


def objective(oof, thresholds: dict[str, float], lang: str, questions: bool) -> float:
    """What the choice of C and of one language's thresholds rewards.

    English: airline accuracy and macro-F1 and complaint F1, as for scorer 1.1. French:
    the accuracy on each French source, so the reviews (praise vs fail), the DEFT tweets
    and the Free posts weigh alike whatever their sizes, plus the insurers' mean share
    error (the ranking reads shares) and, for the question bar only, the Free question F1.
    """
    if lang == "en":
        airline = report(*oof["airline"], "airline", thresholds)
        complaints = report(*oof["complaints"], "complaints", thresholds)
        return airline["macro_f1"] + airline["accuracy"] + complaints["f1"]
    score = 0.0
    for source in ("insurance", "fintech", "deft"):
        score += report(*oof[source], source, thresholds)["accuracy"]
    score -= report(*oof["insurance"], "insurance", thresholds)["shares"]["mae"]
    free = report(*oof["fr"], "fr", thresholds)
    score += free["accuracy"]
    if questions:
        score += 0.5 * free["labels"]["question"]["f1"]
    return score


def print_figures(oof, thresholds: dict[str, float]) -> None:
    for source, (probs, rows) in oof.items():
        m = report(probs, rows, source, thresholds)
        line = f"  out of fold, {source}: n={m['n']} accuracy={m['accuracy']}"
        line += f" macro_f1={m['macro_f1']}"
        print(line, {k: v["f1"] for k, v in m["labels"].items() if v["support"]})
        if "shares" in m:
            print(f"    per-brand share MAE {m['shares']['mae']} over {len(m['shares']['brands'])}")
        if source == "fr":
            always = Counter(r.label for r in rows)["fail"] / len(rows)
            print(f"    always-fail accuracy {always:.4f}")


def _counts(gold: list[str], predicted: list[str]) -> dict[str, dict[str, int]]:
    counts = {g: dict.fromkeys(LABELS, 0) for g in sorted(set(gold))}
    for g, p in zip(gold, predicted, strict=True):
        counts[g][p] += 1
    return counts


def confusion_file(oof, thresholds: dict[str, float], version: str) -> dict:
    """The content of carescore/scoring/confusion.json (format: confusion.py)."""
    languages = {}
    for lang, sources in POST_SETS.items():
        gold: list[str] = []
        predicted: list[str] = []
        for source in sources:
            probs, rows = oof[source]
            gold += [r.label for r in rows]
            predicted += predict(probs, rows, thresholds)
        languages[lang] = {
            "sets": list(sources),
            "n": len(gold),
            "counts": _counts(gold, predicted),
        }
    sets = {}
    for source in POST_SETS["en"] + POST_SETS["fr"] + EXTRA_SETS:
        probs, rows = oof[source]
        gold = [r.label for r in rows]
        sets[source] = {"n": len(rows), "counts": _counts(gold, predict(probs, rows, thresholds))}
    return {
        "scorer_version": version,
        "method": "out of fold (5 folds) on the train parts; fr also on fr-dev (mean of 5 models)",
        "labels": list(LABELS),
        "languages": languages,
        "sets": sets,
    }
