"""The settings as people read them: the README's tables and the variables' names.

Apart from `carescore.settings`, which builds the one settings object, because only the
`config` command and the documentation test need the tables, the shown defaults and the
hunt for stray `CARESCORE_*` variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from carescore.settings import PREFIX, Settings, env_name

# Variables only the test suite and the benchmarks read; never product settings.
TEST_ONLY_VARIABLES = {
    "CARESCORE_TEST_DATABASE_URL": "PostgreSQL server for the PostgreSQL half of the tests",
    "CARESCORE_SHARED_DATA": "folder of the real datasets read by tests and benchmarks",
    "CARESCORE_CHROMIUM": "Chromium binary for the browser tests",
}


def setting_names() -> list[str]:
    """Every product setting's variable name, in the model's order."""
    return [env_name(name) for name in Settings.model_fields]


COLLECTOR_FIELDS = ("x_", "mastodon_", "bluesky_", "reddit_", "rss_")


def is_collector_setting(field: str) -> bool:
    """The collectors' credentials and endpoints, documented in a table of their own."""
    return field.startswith(COLLECTOR_FIELDS)


def _shown_default(field: str) -> str:
    info = Settings.model_fields[field]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if "shown_default" in extra:
        return str(extra["shown_default"])
    value = info.get_default(call_default_factory=True)
    if value is None or value == []:
        return "unset"
    if isinstance(value, bool):
        value = str(value).lower()
    return f"`{value}`"


def markdown_table(*, collectors: bool) -> str:
    """The README's table of the settings (`carescore config --markdown` prints both)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for field, info in Settings.model_fields.items():
        if is_collector_setting(field) == collectors:
            rows.append(f"| `{env_name(field)}` | {_shown_default(field)} | {info.description} |")
    return "\n".join(rows)


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """CARESCORE_* variables set here that are neither a setting nor a test variable:
    most often a typo that would otherwise be ignored in silence."""
    environ = os.environ if environ is None else environ
    known = set(setting_names()) | set(TEST_ONLY_VARIABLES)
    return sorted(k for k in environ if k.upper().startswith(PREFIX) and k.upper() not in known)
