"""The README documents every setting and nothing else (as Datasette's test_docs does).

A setting added to `carescore/settings.py` without a row in the README's "Configuration"
tables fails here, and so does a row naming a variable that no longer exists. Variables
read only by the tests are documented beside `make test`, never as settings.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from carescore.settings_docs import TEST_ONLY_VARIABLES, markdown_table, setting_names

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
VARIABLE = re.compile(r"CARESCORE_[A-Z0-9_]+")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def _table_variables(text: str) -> list[str]:
    """The variables named in the first column of the markdown tables of `text`."""
    found = []
    for line in text.splitlines():
        if line.startswith("| `CARESCORE_"):
            found += VARIABLE.findall(line.split("|")[1])
    return found


def test_every_setting_has_exactly_one_row_in_the_configuration_tables():
    rows = _table_variables(_section("Configuration"))
    assert sorted(rows) == sorted(setting_names()), (
        "README 'Configuration' and carescore/settings.py disagree: "
        f"undocumented {sorted(set(setting_names()) - set(rows))}, "
        f"not a setting {sorted(set(rows) - set(setting_names()))}"
    )


def test_the_readme_tables_are_the_generated_ones():
    configuration = _section("Configuration")
    for collectors in (False, True):
        assert markdown_table(collectors=collectors) in configuration, (
            "run `carescore config --markdown` and paste its tables into the README"
        )


def test_test_only_variables_are_documented_beside_the_tests_not_as_settings():
    assert not set(TEST_ONLY_VARIABLES) & set(setting_names())
    configuration = _section("Configuration")
    outside = README.replace(configuration, "")
    for name in TEST_ONLY_VARIABLES:
        assert name not in configuration, f"{name} is a test variable, not a setting"
        assert f"`{name}`" in outside, f"{name} is not documented beside `make test`"


def test_no_file_names_a_variable_that_is_neither_a_setting_nor_a_test_variable():
    known = set(setting_names()) | set(TEST_ONLY_VARIABLES)
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    strays = {}
    for name in files:
        path = ROOT / name
        if name.startswith("tests/fixtures/") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        unknown = set(VARIABLE.findall(text)) - known
        if unknown:
            strays[name] = sorted(unknown)
    assert not strays, f"variables that nothing reads: {strays}"
