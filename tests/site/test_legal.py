"""The legal notice: who runs the site, how to reach them and who hosts it, from the
settings, in both languages; /about/data and every page's footer link to it."""

from __future__ import annotations

import pytest

from carescore.settings import load_settings
from website import create_app

LEGAL = {
    "operator_name": "Carescore <SAS>",
    "operator_address": "1 rue de l'Exemple\n75001 Paris",
    "operator_registration": "RCS Paris 123 456 789",
    "contact_email": "contact@carescore.example",
    "hosting_provider": "Example Hosting SAS, 2 rue Kellermann, 59100 Roubaix",
}


@pytest.fixture
def legal_client(db_url):
    return create_app(load_settings(database_url=db_url, **LEGAL), {"TESTING": True}).test_client()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("Legal notice", "Publisher", "Director of publication", "Hosting")),
        ("fr", ("Mentions légales", "Éditeur", "Directeur de la publication", "Hébergement")),
    ],
)
def test_the_legal_notice_shows_the_operator_from_the_settings(legal_client, lang, words):
    page = legal_client.get(f"/legal?lang={lang}").get_data(as_text=True)
    for word in words:
        assert word in page
    assert "Carescore &lt;SAS&gt;" in page and "<SAS>" not in page
    assert "RCS Paris 123 456 789" in page and "75001 Paris" in page
    assert 'href="mailto:contact@carescore.example"' in page
    assert "Example Hosting SAS, 2 rue Kellermann" in page
    assert "CARESCORE_OPERATOR_NAME" not in page, "no 'not filled in' notice once set"
    # The director of publication defaults to the operator.
    assert page.count("Carescore &lt;SAS&gt;") == 2


def test_about_data_and_the_footer_link_to_it(legal_client):
    about = legal_client.get("/about/data?lang=en").get_data(as_text=True)
    assert 'href="/legal?lang=en">Legal notice</a>' in about
    assert 'href="mailto:contact@carescore.example"' in about
    home = legal_client.get("/?lang=fr").get_data(as_text=True)
    assert 'href="/legal?lang=fr">Mentions légales</a>' in home


def test_without_settings_the_page_says_what_is_missing(client):
    page = client.get("/legal?lang=en").get_data(as_text=True)
    assert "has not filled in its legal notice yet" in page
    assert "CARESCORE_OPERATOR_NAME" in page
