"""What readers are told: present-tense public text, and published figures that match
what the scorer does.

History (which machine measured what, which working session did what) belongs to git
and CHANGELOG.md, not to the README, the documents, the templates or the site's code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from carescore.scoring.accuracy import published_accuracy
from tests.conftest import shared_data

ROOT = Path(__file__).resolve().parent.parent
ORDINALS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
NUMBERED_HISTORY = re.compile(
    rf"\b({ORDINALS}|1st|2nd|3rd|[4-9]th|10th)\s+(machine|session)s?\b", re.IGNORECASE
)
PUBLIC = ("README.md", "docs", "templates", "website")
SKIPPED_PARTS = {"__pycache__", "static"}


def _public_files() -> list[Path]:
    files = []
    for name in PUBLIC:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        files += [
            p
            for p in candidates
            if p.is_file() and not SKIPPED_PARTS & set(p.parts) and p.suffix != ".mo"
        ]
    return files


def test_the_numbered_history_pattern_finds_what_it_should():
    for phrase in ("the Eighth machine", "fifth session's", "third  sessions", "2nd machine"):
        assert NUMBERED_HISTORY.search(phrase), phrase
    for phrase in ("first reply", "the second half", "a machine of the same kind"):
        assert not NUMBERED_HISTORY.search(phrase), phrase


def test_public_text_holds_no_numbered_history_of_machines_or_sessions():
    """The issue's grep, `grep -riE "(first|...|eighth) machine" README.md docs/
    templates/ website/`, and the same for working sessions: docs/research/ included."""
    files = _public_files()
    assert any(p.parts[-2:] == ("research", "scoring-notes.md") for p in files)
    assert len(files) > 50
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if NUMBERED_HISTORY.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("document", ["README.md", "docs/model-card.md"])
def test_documents_quote_the_published_error_rates(document):
    """The README and the model card repeat accuracy.json's figures: they must agree."""
    text = (ROOT / document).read_text(encoding="utf-8")
    accuracy = published_accuracy()
    assert f"scorer {accuracy.scorer_version}" in text.lower()
    for held in accuracy.sets:
        assert f"{held.n:,}" in text, held.id
        for figure in held.figures:
            low, high = figure.interval
            quoted = f"{figure.value:.3f} ({low:.3f}-{high:.3f})"
            assert quoted in text, f"{held.id} {figure.metric}: {quoted} not in {document}"
            assert f"{figure.always_fail:.3f}" in text and f"{figure.lexicon:.3f}" in text


@pytest.mark.slow
def test_published_error_rates_are_what_the_scorer_measures_now():
    """accuracy.json against a fresh measurement on the shared held-out rows: a scorer or
    label change that moves a figure fails here until `python -m tools.accuracy` rewrites
    the file (and the README and model card follow, by the test above)."""
    from tools.accuracy import measure
    from tools.training import AIRLINE, COMPLAINTS, FR_TWEETS

    for needed in (AIRLINE, COMPLAINTS, FR_TWEETS):
        data = shared_data(needed).parents[1]
    fresh = measure(data)
    published = published_accuracy()
    assert fresh["scorer_version"] == published.scorer_version
    assert [s["id"] for s in fresh["sets"]] == [s.id for s in published.sets]
    for new, old in zip(fresh["sets"], published.sets, strict=True):
        assert new["n"] == old.n
        for figure, shown in zip(new["figures"], old.figures, strict=True):
            assert figure["metric"] == shown.metric
            assert figure["value"] == shown.value, (old.id, shown.metric)
            assert tuple(figure["interval"]) == shown.interval, (old.id, shown.metric)
            assert figure["always_fail"] == shown.always_fail
            assert figure["lexicon"] == shown.lexicon
