"""French and English: the locale by URL or Accept-Language, the switch, formats, catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo

from website import i18n

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"


def test_locale_from_url_then_accept_language_then_english(site_client):
    assert '<html lang="fr">' in site_client.get("/?lang=fr").get_data(as_text=True)
    french = site_client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in french.get_data(as_text=True)
    assert "Accept-Language" in french.headers["Vary"]
    assert '<html lang="en">' in site_client.get("/", headers={"Accept-Language": "de"}).text
    forced = site_client.get("/?lang=en", headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in forced.get_data(as_text=True)


def test_switch_links_to_the_same_page_and_the_choice_follows_links(site_client):
    page = site_client.get("/rankings/telecom?sort=reply_rate&lang=fr").get_data(as_text=True)
    assert "Télécoms : classement du service client" in page
    assert 'href="/rankings/telecom?sort=reply_rate&amp;lang=en" hreflang="en"' in page
    assert 'href="/brands/nimbus-telecom?lang=fr"' in page
    assert 'href="/static/site.css"' in page


def test_french_formats_numbers_dates_and_durations(site_client):
    page = site_client.get("/brands/nimbus-telecom?lang=fr").get_data(as_text=True)
    assert "Taux de réponse publique" in page
    assert "juin 2026" in page or "mai 2026" in page
    english = site_client.get("/brands/nimbus-telecom?lang=en").get_data(as_text=True)
    assert "June 30, 2026" in english


@pytest.mark.parametrize(
    ("seconds", "lang", "expected"),
    [
        (None, "en", "—"),
        (45, "en", "45 s"),
        (12 * 60 + 10, "en", "12 min"),
        (3900, "fr", "1 h 05"),
        (3 * 3600 + 59 * 60, "en", "3 h 59"),
        (2 * 86400 + 3 * 3600, "en", "2 d 3 h"),
        (2 * 86400 + 3 * 3600, "fr", "2 j 3 h"),
    ],
)
def test_durations_read_as_people_say_them(app, seconds, lang, expected):
    with app.test_request_context(f"/?lang={lang}"):
        assert i18n.duration(seconds).replace(NBSP, " ") == expected


def test_percent_and_decimal_follow_the_locale(app):
    with app.test_request_context("/?lang=fr"):
        assert i18n.number(72.46, 1) == "72,5"
        assert i18n.percent(0.41).replace("\u202f", " ").replace(NBSP, " ") == "41 %"
        assert i18n.month_name("2026-05") == "mai 2026"
    with app.test_request_context("/?lang=en"):
        assert i18n.number(72.46, 1) == "72.5"
        assert i18n.percent(0.41) == "41%"
        assert i18n.percent(None) == "—"


def test_every_message_of_the_site_has_a_french_translation():
    """The committed .mo must cover every string in the templates and website code."""
    method_map = [
        ("website/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.xml", "jinja2"),
    ]
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
    wanted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, keywords=keywords
        )
    }
    with open(ROOT / "website/translations/fr/LC_MESSAGES/messages.mo", "rb") as handle:
        catalog = read_mo(handle)
    # A plural message is (singular, plural), read back from the .mo as a list.
    translated = {
        tuple(m.id) if isinstance(m.id, list) else m.id
        for m in catalog
        if m.id and (m.string[0] if isinstance(m.string, list | tuple) else m.string)
    }
    assert wanted - translated == set()
