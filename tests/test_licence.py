"""The code's licence is said the same way in the four places a reader may look: the
package metadata (pyproject.toml and a licence file), the README, the site's data page
and the OpenAPI document.

No licence has been chosen yet (that is the company's decision): then none of them may
name one. Once pyproject.toml declares an SPDX identifier, all of them must name it.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from website.api.openapi import document

ROOT = Path(__file__).resolve().parent.parent
# Names of source-code licences a page could claim by mistake.
CODE_LICENCES = re.compile(r"\b(?:A?GPL|LGPL|GNU General|MIT License|Apache License|BSD-|MPL)")
NOT_CHOSEN = "no licence has been chosen"


def _declared() -> str | None:
    """The SPDX identifier pyproject.toml declares, or None."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    licence = project.get("license")
    if isinstance(licence, dict):
        return licence.get("text")
    return licence


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Licence.*?(?=^## )", text, re.M | re.S)
    assert match, "the README has a Licence section"
    return " ".join(match[0].split())


def _about_page(client) -> str:
    response = client.get("/about/data?lang=en")
    assert response.status_code == 200
    return " ".join(response.get_data(as_text=True).split())


def test_the_package_readme_site_and_api_document_agree(client):
    declared = _declared()
    readme = _readme_section()
    about = _about_page(client)
    info = document()["info"]
    if declared is None:
        licence_files = sorted(p.name for p in ROOT.glob("LICEN[CS]E*"))
        assert licence_files == [], "a licence file without a declaration in pyproject.toml"
        assert NOT_CHOSEN in readme.lower()
        assert NOT_CHOSEN in about.lower()
        assert "license" not in info
        assert not CODE_LICENCES.search(about), CODE_LICENCES.search(about)
        assert not CODE_LICENCES.search(json.dumps(document()))
        assert not CODE_LICENCES.search(readme), CODE_LICENCES.search(readme)
    else:
        assert info["license"]["identifier"] == declared
        assert declared in readme
        assert declared in about or info["license"]["name"] in about


def test_the_french_page_says_the_same(client):
    about = " ".join(client.get("/about/data?lang=fr").get_data(as_text=True).split())
    if _declared() is None:
        assert "aucune licence n’a encore été choisie" in about.lower()
        assert not CODE_LICENCES.search(about)
