"""docs/methodology.md, the API's methodology rules and the ranking's constants agree."""

from __future__ import annotations

import re
from importlib import resources

from carescore import METHODOLOGY_VERSION, PREVIOUS_METHODOLOGY_VERSIONS
from carescore.ranking import labelerror, rules
from website.api.methodology import RULES

ROW = re.compile(r"^\|[^|]+\|\s*`([A-Z0-9_]+)`\s*\|\s*([0-9.]+)\s*\|$", re.MULTILINE)


def _doc() -> str:
    return (resources.files("website.docs") / "methodology.md").read_text(encoding="utf-8")


def test_the_documents_numbers_are_the_codes():
    table = dict(ROW.findall(_doc()))
    assert len(table) >= 15
    for name, value in table.items():
        constant = getattr(rules, name, None)
        if constant is None:
            constant = getattr(labelerror, name)
        assert float(value) == float(constant), name


def test_the_document_says_the_current_and_previous_versions():
    doc = _doc()
    assert doc.startswith(
        f"# How Carescore measures brands — methodology version {METHODOLOGY_VERSION}"
    )
    for version in PREVIOUS_METHODOLOGY_VERSIONS:
        assert f"## Methodology {version}" in doc
    assert "## What changed from 1.0 to 2.0" in doc


def test_the_api_rules_state_the_same_numbers():
    text = dict(RULES)
    assert f"within {rules.ANSWER_DAYS} days" in text["answered"]
    assert f"prior of {rules.PRIOR}" in text["satisfaction"]
    assert f"at least {rules.MIN_OPINION} opinions" in text["carescore"]
    assert f"{rules.MIN_CASES} cases" in text["carescore"]
    assert f"{rules.OPEN_HOUR}:00-{rules.CLOSE_HOUR}:00" in text["first_response_time"]
    doc = " ".join(_doc().split())
    assert f"within **{rules.ANSWER_DAYS} days**" in doc
    assert f"{rules.PRIOR} more opinions" in doc
    assert f"at least {rules.MIN_OPINION} opinions" in doc and f"{rules.MIN_CASES} cases" in doc
