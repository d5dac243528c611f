"""`carescore eval` and `carescore score`: the CLI contract, its errors, real figures."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from carescore.cli import main
from carescore.cli.scoring import rescore_posts
from carescore.scoring.evaluation import intervals, is_heldout, metrics
from carescore.scoring.score import SCORER_VERSION
from carescore.store.models import Post
from tests.conftest import shared_data

POSTS = [
    ("@AcmeAir still waiting for my refund, 3 weeks now #fail", "fail", 1),
    ("toujours pas de réponse, ma box est en panne depuis une semaine", "fail", 1),
    ("thanks, sorted! great service from the team", "praise", 0),
    ("merci, c'est réglé, tout refonctionne", "praise", 0),
    ("est-ce qu'on peut annuler l'option tv ?", "question", 0),
    ("how do I add a bag to my booking?", "question", 0),
    ("our new lounge opens in Terminal 2 on Monday", "neutral", 0),
]


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _run(*args):
    return CliRunner().invoke(main, list(args))


def test_eval_prints_one_json_object_with_the_contract_keys(tmp_path):
    path = _write(tmp_path / "s.csv", ["text", "label"], [(t, lab) for t, lab, _ in POSTS])
    result = _run("eval", str(path))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n"] == len(POSTS)
    assert 0 <= report["accuracy"] <= 1 and 0 <= report["macro_f1"] <= 1
    assert set(report["labels"]) == {"praise", "fail", "question", "neutral"}
    for figures in report["labels"].values():
        assert set(figures) >= {"precision", "recall", "f1"}
    assert sum(sum(row.values()) for row in report["confusion"].values()) == len(POSTS)
    assert report["confusion"]["fail"]["fail"] >= 1


def test_eval_complaint_task_reports_the_complaint_f1(tmp_path):
    path = _write(tmp_path / "c.csv", ["text", "complaint"], [(t, c) for t, _, c in POSTS])
    report = json.loads(_run("eval", str(path), "--task", "complaint").output)
    assert report["n"] == len(POSTS)
    assert report["f1"] == report["labels"]["complaint"]["f1"]
    assert report["f1"] > 0.5


def test_three_class_files_count_questions_as_neutral_unless_strict(tmp_path):
    rows = [("how do I add a bag to my booking?", "neutral")]
    path = _write(tmp_path / "q.csv", ["text", "label"], rows)
    mapped = json.loads(_run("eval", str(path)).output)
    strict = json.loads(_run("eval", str(path), "--strict-questions").output)
    assert mapped["question_counted_as"] == "neutral"
    assert mapped["accuracy"] == 1.0
    assert strict["accuracy"] == 0.0
    assert "question_counted_as" not in strict


@pytest.mark.parametrize(
    ("header", "rows", "task", "message"),
    [
        (["body", "label"], [("x", "fail")], "sentiment", "no 'text' column"),
        (["text"], [("x",)], "sentiment", "no 'label' column"),
        (["text", "label"], [("x", "angry")], "sentiment", "unknown label 'angry'"),
        (["text", "label"], [("x", "fail")], "complaint", "no 'complaint' column"),
        (["text", "complaint"], [("x", "maybe")], "complaint", "unknown label 'maybe'"),
    ],
)
def test_eval_names_the_missing_column_or_unknown_label(tmp_path, header, rows, task, message):
    path = _write(tmp_path / "bad.csv", header, rows)
    result = _run("eval", str(path), "--task", task)
    assert result.exit_code == 2
    assert message in result.output


def test_eval_of_a_missing_file_is_a_clear_error(tmp_path):
    result = _run("eval", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "nope.csv" in result.output


def test_metrics_match_a_hand_computed_case():
    report = metrics(["fail", "fail", "praise"], ["fail", "praise", "praise"], ["fail", "praise"])
    assert report["accuracy"] == round(2 / 3, 4)
    assert report["labels"]["fail"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert report["labels"]["praise"]["precision"] == 0.5


def test_eval_reports_intervals_and_the_always_fail_baseline(tmp_path):
    path = _write(tmp_path / "s.csv", ["text", "label"], [(t, lab) for t, lab, _ in POSTS])
    first = json.loads(_run("eval", str(path)).output)
    assert first == json.loads(_run("eval", str(path)).output)
    assert first["always_fail"]["accuracy"] == round(2 / len(POSTS), 4)
    low, high = first["intervals"]["accuracy"]
    assert low <= first["accuracy"] <= high
    assert set(first["intervals"]["labels"]) == set(first["labels"])
    path = _write(tmp_path / "c.csv", ["text", "complaint"], [(t, c) for t, _, c in POSTS])
    complaint = json.loads(_run("eval", str(path), "--task", "complaint").output)
    assert complaint["always_fail"]["f1"] == round(2 * (2 / 7) / (1 + 2 / 7), 4)
    assert complaint["intervals"]["f1"] == complaint["intervals"]["labels"]["complaint"]["f1"]


def test_intervals_narrow_with_more_posts_and_vanish_when_every_post_is_right():
    gold = ["fail", "praise"] * 20
    half_right = ["fail", "fail"] * 20
    small = intervals(gold, half_right, ("fail", "praise"))
    large = intervals(gold * 10, half_right * 10, ("fail", "praise"))
    assert small["accuracy"][0] < 0.5 < small["accuracy"][1]
    assert large["accuracy"][0] < 0.5 < large["accuracy"][1]
    width = small["accuracy"][1] - small["accuracy"][0]
    assert large["accuracy"][1] - large["accuracy"][0] < width / 2
    perfect = intervals(gold, gold, ("fail", "praise"))
    assert perfect["accuracy"] == perfect["macro_f1"] == [1.0, 1.0]
    assert intervals([], [], ("fail",)) == {}


def test_heldout_split_is_stable_and_about_the_asked_share():
    keys = [str(i) for i in range(5000)]
    first = [is_heldout(k, "airline") for k in keys]
    assert first == [is_heldout(k, "airline") for k in keys]
    assert 0.27 < sum(first) / len(keys) < 0.33
    assert first != [is_heldout(k, "complaints") for k in keys]


def _post(i: int, text: str, version: str | None) -> Post:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Post(
        platform="x",
        external_id=f"p{i}",
        author_id="a",
        created_at=now,
        collected_at=now,
        text=text,
        direction="inbound",
        scorer_version=version,
        label="neutral" if version else None,
    )


def test_score_updates_outdated_posts_and_rescore_updates_all(session):
    session.add_all(
        [
            _post(1, "toujours pas de réponse, ma box est en panne", None),
            _post(2, "thanks, sorted!", "0.1-placeholder"),
            _post(3, "still waiting for my refund #fail", SCORER_VERSION),
        ]
    )
    session.commit()
    assert rescore_posts(session) == 2
    rows = {p.external_id: p for p in session.execute(select(Post)).scalars()}
    assert rows["p1"].label == "fail" and rows["p1"].lang == "fr"
    assert "outage" in rows["p1"].topics.split(",")
    assert rows["p2"].label == "praise"
    assert rows["p3"].label == "neutral"  # current version: left alone
    assert {p.scorer_version for p in rows.values()} == {SCORER_VERSION}
    assert rescore_posts(session) == 0
    assert rescore_posts(session, everything=True) == 3
    session.expire_all()
    assert session.get(Post, rows["p3"].id).label == "fail"


def test_held_out_airline_figures_reach_the_targets(tmp_path):
    """The issue's targets on our held-out part of the airline set (never trained on)."""
    source = shared_data("airline-sentiment/labels-dev.csv")
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [
            (r["text"], r["label"])
            for r in csv.DictReader(handle)
            if is_heldout(r["external_id"], "airline")
        ]
    path = _write(tmp_path / "airline.csv", ["text", "label"], rows)
    report = json.loads(_run("eval", str(path)).output)
    assert report["accuracy"] >= 0.80
    assert report["macro_f1"] >= 0.74


def test_complaint_held_out_keeps_its_floor():
    """The complaint target (0.75) is not met on the whole held-out part (0.700, interval
    0.645-0.749, docs/model-card.md), so this guards the floor that is: far above VADER's
    0.49 and always-complaint's 0.53 on the whole part, and above always-complaint (0.76)
    on its tweets addressed to companies, where the random personal tweets are left out."""
    from carescore.scoring.evaluation import evaluate
    from tools.training import (
        AIRLINE,
        COMPLAINTS,
        DEFAULT_FR_LABELS,
        FR_TWEETS,
        NOT_TO_BRANDS,
        load_rows,
    )

    for needed in (AIRLINE, FR_TWEETS):
        shared_data(needed)
    data = shared_data(COMPLAINTS).parents[1]
    heldout = load_rows(data, DEFAULT_FR_LABELS)["complaints-heldout"]
    brands = [r for r in heldout if r.domain not in NOT_TO_BRANDS]
    assert len(heldout) == 476 and len(brands) == 278
    whole = evaluate([(r.text, r.label) for r in heldout], "complaint")
    to_brands = evaluate([(r.text, r.label) for r in brands], "complaint")
    assert whole["f1"] >= 0.69
    assert to_brands["f1"] >= 0.80 > to_brands["always_fail"]["f1"]


def _french_labels() -> list[dict[str, str]]:
    from pathlib import Path

    labels = Path(__file__).parent / "fixtures" / "scoring" / "fr-free-labels.csv"
    with labels.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(("split", "accuracy", "fail_recall"), [("heldout-3", 0.80, 0.87)])
def test_french_held_out_keeps_its_floor(split, accuracy, fail_recall):
    """The French held-out part: the accuracy target is not met there (docs/scoring.md: on
    `heldout-3`, 0.830 against 0.867 for always-`fail`), so this guards the floor that
    is, a little under the measured figures (fail recall 0.896): most complaints found,
    far above vaderSentiment-fr alone (0.377)."""
    from carescore.scoring.evaluation import evaluate

    tweets = shared_data("fr-free/free-tweets-dev.csv")
    with tweets.open(encoding="utf-8", newline="") as handle:
        texts = {r["tweet_id"]: r["text"] for r in csv.DictReader(handle)}
    rows = [(texts[r["tweet_id"]], r["label"]) for r in _french_labels() if r["split"] == split]
    assert len(rows) == 300
    ours = evaluate(rows, "sentiment")
    assert ours["accuracy"] >= accuracy
    assert ours["labels"]["fail"]["recall"] >= fail_recall


def test_french_training_reads_each_split_in_its_role():
    """The Free labels reach training, threshold choice or the test part as
    `FR_SPLIT_ROLES` says; the test split `heldout-3` never trains nor chooses anything."""
    from tools.training import AIRLINE, COMPLAINTS, DEFAULT_FR_LABELS, FR_TWEETS, load_rows
    from tools.trainingdata import FR_SPLIT_ROLES

    for needed in (AIRLINE, COMPLAINTS):
        shared_data(needed)
    data = shared_data(FR_TWEETS).parents[1]
    parts = load_rows(data, DEFAULT_FR_LABELS)
    by_role: dict[str, set[str]] = {}
    for r in _french_labels():
        by_role.setdefault(FR_SPLIT_ROLES[r["split"]], set()).add(r["tweet_id"])
    assert FR_SPLIT_ROLES["heldout-3"] == "heldout-3"
    assert {FR_SPLIT_ROLES["tune"], FR_SPLIT_ROLES["tune-2"]} == {"train"}
    assert {r.key for r in parts["fr-train"]} == by_role["train"]
    assert {r.key for r in parts["fr-dev"]} == by_role.get("dev", set())
    assert {r.key for r in parts["fr-heldout-3"]} == by_role["heldout-3"]
    assert len(by_role["heldout-3"]) == 300
    seen = {r.key for r in parts.get("fr-dev", []) + parts["fr-train"]}
    assert not by_role["heldout-3"] & seen


def test_eval_with_a_brand_column_reports_each_brands_true_and_estimated_share(tmp_path):
    rows = [
        ("merci, c'est réglé ! super réactifs", "praise", "Nimbus"),
        ("toujours pas de réponse, ma box est en panne depuis une semaine", "fail", "Nimbus"),
        ("thanks, sorted! great service from the team", "praise", "Acme"),
        ("thanks, sorted in 10 minutes! Great support", "praise", "Acme"),
        ("still waiting for my refund, 3 weeks now #fail", "fail", "Acme"),
        ("our new lounge opens in Terminal 2 on Monday", "neutral", "Acme"),
    ]
    path = _write(tmp_path / "b.csv", ["text", "label", "brand"], rows)
    report = json.loads(_run("eval", str(path)).output)
    shares = report["brands"]
    assert shares["label"] == "praise" and shares["among"] == ["fail", "praise"]
    assert shares["brands"]["Nimbus"]["true"] == 0.5
    assert shares["brands"]["Acme"]["true"] == pytest.approx(2 / 3, abs=1e-4)
    assert shares["brands"]["Acme"]["n"] == 4
    errors = [abs(b["true"] - b["estimated"]) for b in shares["brands"].values()]
    assert shares["mae"] == pytest.approx(sum(errors) / 2, abs=1e-4)
    fail = report["brand_fail_shares"]
    assert fail["label"] == "fail" and fail["among"] == "all"
    assert fail["brands"]["Acme"]["true"] == 0.25 and fail["brands"]["Nimbus"]["true"] == 0.5
    corrected = [abs(b["true"] - b["corrected"]) for b in shares["brands"].values()]
    assert shares["mae_corrected"] == pytest.approx(sum(corrected) / 2, abs=1e-4)
    for entry in shares["brands"].values():
        assert entry["corrected_low"] <= entry["corrected"] <= entry["corrected_high"]
    without = _write(tmp_path / "n.csv", ["text", "label"], [r[:2] for r in rows])
    assert not {"brands", "brand_fail_shares"} & set(json.loads(_run("eval", str(without)).output))
    renamed = _write(tmp_path / "a.csv", ["text", "label", "airline"], rows)
    report = json.loads(_run("eval", str(renamed), "--brand-column", "airline").output)
    assert report["brands"] == shares


def test_corrected_shares_invert_the_measured_confusion_as_the_ranking_does():
    """The eval's corrected estimate is the ranking's `satisfaction_corrected`: with a
    scorer that says praise for 80% of true praise and 10% of true fails, a brand whose
    posts it calls 45% praise is estimated at (0.45 - 0.1) / (0.8 - 0.1) = 0.5."""
    from carescore.ranking.labelerror import Rates
    from carescore.scoring.evaluation import corrected_shares

    rates = {"en": Rates(tpr=0.8, n_praise=500, fpr=0.1, n_fail=500)}
    gold = ["praise"] * 10 + ["fail"] * 10 + ["neutral"] * 3
    predicted = ["praise"] * 9 + ["fail"] * 11 + ["neutral"] * 3
    shares = corrected_shares(["a"] * 23, gold, predicted, ["en"] * 23, rates)
    entry = shares["brands"]["a"]
    assert entry["true"] == 0.5
    assert entry["corrected"] == pytest.approx(0.5, abs=1e-4)
    assert entry["low"] < 0.5 < entry["high"] and entry["covered"]
    other = corrected_shares(["a"] * 23, gold, predicted, ["fr"] * 23, rates)
    assert other["brands"]["a"]["corrected"] == pytest.approx(0.45, abs=1e-4)


def test_brand_shares_count_gold_and_predicted_labels_apart():
    from carescore.scoring.evaluation import brand_shares

    shares = brand_shares(
        ["a", "a", "a", "b", "b"],
        ["praise", "fail", "neutral", "fail", "fail"],
        ["praise", "praise", "fail", "neutral", "fail"],
        "praise",
        ("praise", "fail"),
    )
    assert shares["brands"]["a"] == {"n": 3, "true": 0.5, "estimated": round(2 / 3, 4)}
    assert shares["brands"]["b"] == {"n": 2, "true": 0.0, "estimated": 0.0}
    assert shares["mae"] == round((abs(0.5 - round(2 / 3, 4)) + 0.0) / 2, 4)


def test_posts_not_judged_are_counted_as_such(tmp_path):
    rows = [("Excelente servicio! Muy rápido y amable", "praise"), ("thanks, sorted!", "praise")]
    path = _write(tmp_path / "o.csv", ["text", "label"], rows)
    report = json.loads(_run("eval", str(path)).output)
    assert report["not_judged"] == 1
    assert report["confusion"]["praise"]["neutral"] >= 1
