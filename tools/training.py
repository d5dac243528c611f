"""Rebuild the scorer's weights from ../shared/data: `python -m tools.training`.

Training data (train parts only, see tools/trainingdata.py): English airline tweets and
complaint tweets, our hand labels of French tweets to Free, French insurer and bank
reviews with their stars, and French DEFT tweets. The French reviews teach French praise
and complaint vocabulary, which the Free tweets (nearly all complaints) lack: scorer 1.1,
trained without them, learned that French means fail.

C and the decision thresholds are chosen on out-of-fold predictions: each train row is
predicted by a model fitted on the four other folds, and each `fr-dev` row by the mean of
the five models (it gives no weight). Thresholds are chosen per language, English on the
English sets and French on the French ones, so calibration follows the language. The
test parts are never read here except to be written out as `carescore eval` files.

The run also rewrites carescore/scoring/confusion.json, the out-of-fold confusion of
true and predicted labels per language (format in carescore/scoring/confusion.py), and
prints every figure it chose by, so the model card can quote them. For experiments,
`--dry-run` writes nothing, `--languages fr` refits the French heads only (the English
ones predicted by the packaged model), `--fr-role SPLIT=ROLE` trains on a Free label
split or keeps it for the bars only, and `--oof-out FILE` writes the French rows'
out-of-fold probabilities.
scikit-learn (a dev dependency) fits the heads; scoring reads model.json in plain Python.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from carescore.scoring.classifier import Model, features, word_features, words_of
from carescore.scoring.cues import find_cues
from carescore.scoring.language import detect_language
from carescore.scoring.score import SCORER_VERSION
from carescore.scoring.textfold import fold
from tools.trainingdata import (
    AIRLINE,
    COMPLAINTS,
    FR_SPLIT_ROLES,
    FR_TWEETS,
    NOT_TO_BRANDS,
    Row,
    load_rows,
    write_heldout,
)
from tools.trainingfigures import by_source, confusion_file, objective, print_figures
from tools.trainingfit import Design, fit

__all__ = ["AIRLINE", "COMPLAINTS", "FR_TWEETS", "NOT_TO_BRANDS", "load_rows", "train"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_FR_LABELS = ROOT / "tests" / "fixtures" / "scoring" / "fr-free-labels.csv"
MODEL_PATH = ROOT / "carescore" / "scoring" / "model.json"
CONFUSION_PATH = ROOT / "carescore" / "scoring" / "confusion.json"

SOURCE_LANGUAGE = {
    "fr": "fr",
    "complaints": "en",
    "airline": "en",
    "insurance": "fr",
    "fintech": "fr",
    "deft": "fr",
}
FOLDS = 5
# Training reads each text's first TRAIN_CHARS characters: every tweet whole, the long
# reviews cut (a review says whether it is praise in its first lines, and their tails
# made fitting several times slower).
TRAIN_CHARS = 600
# Each language's heads are fitted apart (their inputs share nothing), each with its own
# C, chosen out of fold among these. Fitted together, English and French shared one
# intercept and one naive-Bayes normalisation, and English out of fold lost 0.006
# accuracy and 0.012 macro-F1 to it (docs/research/scoring-notes.md).
C_VALUES = {"en": (0.25, 0.5), "fr": (0.5,)}
LANGUAGES = ("en", "fr")
FAIL_BARS = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
PRAISE_BARS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
QUESTION_BARS = {"en": (0.0, 0.7, 0.8, 0.9), "fr": (0.0, 0.7, 0.8, 0.9, 0.95, 1.0)}
# Languages labelled by the most likely class, fail and praise weighted (see
# `carescore.scoring.score.decide`), instead of a fail bar then a praise bar. In English,
# out of fold, the weights beat the best bars on every recipe measured (objective
# +0.009 to +0.013, docs/research/scoring-notes.md).
WEIGHTED = ("en",)
CLASS_WEIGHTS = tuple(round(0.6 + 0.1 * i, 1) for i in range(15))  # 0.6 to 2.0


def featurize(rows: list[Row]) -> None:
    """Each row's inputs, in the language its text is detected in. A row detected as
    neither English nor French (an airline tweet of two words, say) gets no label from the
    scorer; it still trains the weights of its source's language."""
    for row in rows:
        folded = fold(row.text[:TRAIN_CHARS])
        row.cues = find_cues(folded.folded)
        row.lang = detect_language(folded)
        lang = row.lang if row.lang in ("en", "fr") else SOURCE_LANGUAGE[row.source]
        row.feats = features(folded.tokens, row.cues, lang, folded.shouting)
        row.words = words_of(folded.tokens)
        row.feats.update(word_features(row.words, lang))
        row.model_lang = lang


def _fold(key: str) -> int:
    import hashlib

    digest = hashlib.sha1(f"fold:{key}".encode(), usedforsecurity=False).hexdigest()
    return int(digest[:8], 16) % FOLDS


def _probabilities(model: Model, row: Row) -> tuple[float, float]:
    feats = {k: v for k, v in (row.feats or {}).items() if k[3:5] not in ("w:", "g:")}
    return model.probabilities(feats, row.words, row.model_lang)


def out_of_fold(
    design: Design, lang: str, c_value: float, dev: list[Row], verbose: bool = False
) -> dict[int, tuple[float, float]]:
    """One language's out-of-fold probabilities: each of its train rows' from a model
    fitted on the other folds, and each of its dev rows' (numbered after the train rows),
    averaged over the five models (none of which trained on it)."""
    rows = design.rows
    probs: dict[int, tuple[float, float]] = {}
    dev_sums = {j: [0.0, 0.0] for j, row in enumerate(dev) if row.model_lang == lang}
    folds = [_fold(r.key) for r in rows]
    for k in range(FOLDS):
        chosen = [i for i, f in enumerate(folds) if f != k]
        model = fit(design, chosen, {lang: c_value}, {})
        if verbose:
            print(f"    {lang} C={c_value} fold {k + 1}/{FOLDS} fitted", flush=True)
        for i, row in enumerate(rows):
            if folds[i] == k and row.model_lang == lang:
                probs[i] = _probabilities(model, row)
        for j, sums in dev_sums.items():
            p_fail, p_praise = _probabilities(model, dev[j])
            sums[0] += p_fail / FOLDS
            sums[1] += p_praise / FOLDS
    probs.update({len(rows) + j: (a, b) for j, (a, b) in dev_sums.items()})
    return probs


def _choose_bars(oof, c_value: float, base: dict[str, float], lang: str, best: tuple):
    if lang in WEIGHTED:
        grid = [
            {f"fail_weight_{lang}": w_fail, f"praise_weight_{lang}": w_praise}
            for w_fail in CLASS_WEIGHTS
            for w_praise in CLASS_WEIGHTS
        ]
    else:
        grid = [
            {f"fail_{lang}": t_fail, f"praise_{lang}": t_praise}
            for t_fail in FAIL_BARS
            for t_praise in PRAISE_BARS
        ]
    for chosen in grid:
        thresholds = {**base, **chosen}
        score = objective(oof, thresholds, lang, questions=False)
        if score > best[0]:
            best = (score, c_value, thresholds)
    return best


def _kept(model: Model, lang: str) -> tuple[dict, dict[str, float]]:
    """A packaged model's weights and thresholds of one language (`--languages`)."""
    weights = {k: v for k, v in model.weights.items() if k.startswith(lang + "|")}
    suffix = "_" + lang
    thresholds = {k: v for k, v in model.thresholds.items() if k.endswith(suffix)}
    return weights, thresholds


def train(
    data: Path,
    fr_labels: Path,
    verbose: bool = True,
    languages: tuple[str, ...] = LANGUAGES,
    oof_out: Path | None = None,
) -> tuple[Model, dict]:
    """Choose each language's C and thresholds out of fold, then refit on the train parts.

    `languages` leaves the others' weights and thresholds as the packaged model has them
    (their rows are predicted by that model, in sample: an experiment on one language,
    not a release). `oof_out` gets each French row's out-of-fold probabilities as CSV.
    Returns the model and the confusion file's content (out-of-fold figures).
    """
    started = time.perf_counter()
    parts = load_rows(data, fr_labels)
    rows = [r for name, rs in parts.items() if name.endswith("-train") for r in rs]
    dev = parts.get("fr-dev", [])
    featurize(rows + dev)
    design = Design(rows)
    if verbose:
        print(f"featurized {len(rows)} train rows and {len(dev)} dev rows", flush=True)
    everyone = rows + dev
    probs: dict[int, tuple[float, float]] = {}
    thresholds = {"fail": 0.5, "praise": 0.5}
    chosen_c: dict[str, float] = {}
    kept_weights: dict = {}
    if set(languages) != set(LANGUAGES):
        from carescore.scoring.classifier import load_model

        packaged = load_model()
        for lang in LANGUAGES:
            if lang in languages:
                continue
            weights, kept_thresholds = _kept(packaged, lang)
            kept_weights.update(weights)
            thresholds.update(kept_thresholds)
            for i, row in enumerate(everyone):
                if row.model_lang == lang:
                    probs[i] = _probabilities(packaged, row)
    # A row is predicted by the model of the language it is read in, which is not always
    # its source's (an airline tweet read as French): each language's choice is judged
    # with the languages chosen before it in place.
    for lang in languages:
        best = (-1.0, 0.0, thresholds, {})
        for c_value in C_VALUES[lang]:
            mine = out_of_fold(design, lang, c_value, dev, verbose)
            candidate = {**probs, **mine}
            oof = by_source(everyone, [candidate.get(i, (0.0, 0.0)) for i in range(len(everyone))])
            found = _choose_bars(oof, c_value, thresholds, lang, (-1.0, c_value, thresholds))
            if verbose:
                print(f"  {lang} C={c_value}: objective {found[0]:.4f}", flush=True)
            if found[0] > best[0]:
                best = (found[0], c_value, found[2], mine)
        _, chosen_c[lang], thresholds, mine = best
        probs.update(mine)
        oof = by_source(everyone, [probs.get(i, (0.0, 0.0)) for i in range(len(everyone))])
        best_q = (-1.0, thresholds)
        for t_question in QUESTION_BARS[lang]:
            candidate_t = {**thresholds, f"question_{lang}": t_question}
            score = objective(oof, candidate_t, lang, questions=True)
            if score > best_q[0]:
                best_q = (score, candidate_t)
        thresholds = best_q[1]
    oof = by_source(everyone, [probs[i] for i in range(len(everyone))])
    if verbose:
        print(f"chosen C={chosen_c}, thresholds={thresholds}")
        print_figures(oof, thresholds)
        print(f"out of fold done after {time.perf_counter() - started:.0f} s", flush=True)
    if oof_out is not None:
        _write_oof(oof_out, everyone, probs, len(rows))
    model = fit(design, list(range(len(rows))), chosen_c, thresholds)
    model.weights.update(kept_weights)
    if verbose:
        print(f"training took {time.perf_counter() - started:.0f} s")
    return model, confusion_file(oof, thresholds, SCORER_VERSION)


def _write_oof(
    path: Path, everyone: list[Row], probs: dict[int, tuple[float, float]], n_train: int
) -> None:
    """Each French-source row's out-of-fold P(fail) and P(praise), with what `decide`
    reads (cues, language) and the text it was read from, for experiments on the rules."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["source", "key", "label", "p_fail", "p_praise", "cues", "lang", "role", "text"]
        )
        for i, row in enumerate(everyone):
            if SOURCE_LANGUAGE[row.source] == "fr":
                writer.writerow(
                    [
                        row.source,
                        row.key,
                        row.label,
                        *probs.get(i, (0.0, 0.0)),
                        " ".join(sorted(row.cues)),
                        row.lang,
                        "train" if i < n_train else "dev",
                        row.text[:TRAIN_CHARS],
                    ]
                )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.training", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--fr-labels", type=Path, default=DEFAULT_FR_LABELS)
    parser.add_argument("--heldout-dir", type=Path, default=ROOT / "var" / "eval")
    parser.add_argument(
        "--languages",
        nargs="+",
        choices=LANGUAGES,
        default=list(LANGUAGES),
        help="refit these languages only (with --dry-run); the others keep the packaged"
        " weights and bars",
    )
    parser.add_argument("--oof-out", type=Path, help="write the French rows' out-of-fold CSV")
    parser.add_argument(
        "--fr-role",
        action="append",
        default=[],
        metavar="SPLIT=ROLE",
        help="give a Free label split another role than FR_SPLIT_ROLES's (train or dev)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the figures, write no model or files"
    )
    args = parser.parse_args(argv)
    if set(args.languages) != set(LANGUAGES) and not args.dry_run:
        # The other languages' rows would be predicted in sample: not a confusion to publish.
        parser.error("--languages with fewer than all languages needs --dry-run")
    for item in args.fr_role:
        split, _, role = item.partition("=")
        if split not in FR_SPLIT_ROLES or FR_SPLIT_ROLES[split] not in ("train", "dev"):
            parser.error(f"--fr-role: {split} is not a train or dev split")
        if role not in ("train", "dev"):
            parser.error(f"--fr-role: {role} is neither train nor dev")
        FR_SPLIT_ROLES[split] = role
    model, confusion = train(
        args.data, args.fr_labels, languages=tuple(args.languages), oof_out=args.oof_out
    )
    if args.dry_run:
        return
    MODEL_PATH.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n")
    CONFUSION_PATH.write_text(json.dumps(confusion, indent=1, sort_keys=True) + "\n")
    size_kb = MODEL_PATH.stat().st_size // 1024
    print(f"wrote {MODEL_PATH} ({size_kb} KB, {len(model.weights)} features)")
    print(f"wrote {CONFUSION_PATH}")
    for path in write_heldout(load_rows(args.data, args.fr_labels), args.heldout_dir):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
