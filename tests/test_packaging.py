"""pyproject.toml lists every package the code imports, so the wheel carries them all.

The list is explicit because three packages are mapped from top-level folders
(templates/, docs/, data/); a new package missing from it installs without its modules,
which only an installed wheel would reveal (tests/test_wheel.py, slow).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_python_package_of_the_tree_is_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in ("carescore", "collectors", "website")
        for path in (ROOT / top).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert found <= listed, f"missing from [tool.setuptools] packages: {sorted(found - listed)}"
