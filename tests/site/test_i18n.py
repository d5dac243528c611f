"""French and English: the locale by URL or Accept-Language, the switch, formats, catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

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


TRANSLATIONS = ROOT / "website/translations"
FRENCH = TRANSLATIONS / "fr/LC_MESSAGES"


def _key(message: Message) -> str | tuple[str, ...]:
    """A plural message is (singular, plural), read back from a catalogue as a list."""
    return tuple(message.id) if isinstance(message.id, list | tuple) else message.id


def _extracted() -> set[str | tuple[str, ...]]:
    """The messages `pybabel extract` finds, with the files and keywords its docs give."""
    with open(TRANSLATIONS / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    return {
        tuple(message) if isinstance(message, list | tuple) else message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords
        )
    }


def _translated(catalog) -> dict[str | tuple[str, ...], tuple[str, ...]]:
    return {
        _key(m): tuple(m.string) if isinstance(m.string, list | tuple) else (m.string,)
        for m in catalog
        if m.id
        and not m.fuzzy
        and all(m.string if isinstance(m.string, list | tuple) else [m.string])
    }


def test_every_message_of_the_site_has_a_french_translation():
    """The committed .mo must cover every string in the templates, website code and the
    vocabulary's names."""
    with open(FRENCH / "messages.mo", "rb") as handle:
        translated = _translated(read_mo(handle))
    assert _extracted() - set(translated) == set()


def test_the_french_catalogue_holds_only_messages_in_use_and_runs_what_it_says():
    """No obsolete entries (kept or marked `#~`) in the .po, and the committed .mo is the
    .po compiled: an edit to one without the other shows here."""
    with open(FRENCH / "messages.po", "rb") as handle:
        po = read_po(handle)
    assert list(po.obsolete) == []
    assert {_key(m) for m in po if m.id} - _extracted() == set()
    with open(FRENCH / "messages.mo", "rb") as handle:
        assert _translated(read_mo(handle)) == _translated(po)
