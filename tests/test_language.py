"""Language detection: en, fr or other, short posts included, measured on real data."""

from __future__ import annotations

import csv

import pytest

from carescore.scoring.language import detect_language
from carescore.scoring.textfold import fold
from tests.conftest import shared_data


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("@AcmeAir my flight was cancelled and nobody told me", "en"),
        ("toujours pas de réponse, ma box est en panne depuis une semaine", "fr"),
        ("merci !", "fr"),
        ("thanks!", "en"),
        ("¿Por qué mi vuelo está retrasado otra vez? Nadie responde en el aeropuerto", "other"),
        ("Warum ist mein Paket immer noch nicht angekommen? Seit zwei Wochen warte ich", "other"),
        ("😀🔥", "other"),
        ("", "other"),
        ("https://t.co/abc @AcmeAir", "other"),
    ],
)
def test_detects_english_french_and_other(text, lang):
    assert detect_language(fold(text)) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the paella buena", "en"),
        ("the 12345 paella buena !!", "en"),
        ("the paella buenas", "other"),
        ("vuelo the retrasado otra vez nadie responde", "other"),
    ],
)
def test_one_function_word_decides_only_under_fifteen_letters(text, lang):
    """Digits and punctuation do not count as letters; at 15 letters the n-gram model decides."""
    assert detect_language(fold(text)) == lang


def test_a_known_source_tag_wins_and_unknown_ones_do_not():
    text = fold("my flight was cancelled")
    assert detect_language(text, "fr") == "fr"
    assert detect_language(text, "es") == "other"
    assert detect_language(text, "und") == "en"
    assert detect_language(text, None) == "en"


@pytest.mark.parametrize(
    ("path", "lang", "minimum"),
    [
        ("airline-sentiment/labels-dev.csv", "en", 0.98),
        ("fr-free/free-tweets-dev.csv", "fr", 0.98),
    ],
)
def test_accuracy_on_real_posts(path, lang, minimum):
    with shared_data(path).open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    right = sum(detect_language(fold(t)) == lang for t in texts)
    assert right / len(texts) >= minimum


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("why did flight 1234 get delayed again, please", "en"),
        ("pourquoi la box redémarre depuis hier soir", "fr"),
    ],
)
def test_two_words_no_other_language_shares_settle_a_longer_post(text, lang, monkeypatch):
    """The n-gram model is the slow step; two distinct function words make it unneeded."""

    def no_model():
        raise AssertionError("the n-gram model was consulted")

    monkeypatch.setattr("carescore.scoring.language._identifier", no_model)
    assert detect_language(fold(text)) == lang


def test_words_other_languages_share_leave_a_post_to_the_model():
    """'tu' and 'les' are Spanish too: a Spanish post holding both is not read as French."""
    text = "hola, les escribo porque tu aplicación no funciona desde ayer en mi teléfono"
    assert detect_language(fold(text)) == "other"


def test_the_word_walk_scores_exactly_as_py3langid(monkeypatch):
    """The per-word memo must give py3langid's own scores, bit for bit, on real posts of
    both languages and others, with the memo cold, warm, and starting again when full."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from carescore.scoring import identifier

    texts = ["", " ", "a  b ", "né à Paris ", "¿Por qué? 😀", "x" * 300]
    for path in ("airline-sentiment/labels-dev.csv", "fr-free/free-tweets-dev.csv"):
        with shared_data(path).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"][:200] for row in csv.DictReader(handle)][:1500]
    plain = LanguageIdentifier.from_model_file(MODEL_FILE)
    walked = identifier.load()
    assert isinstance(walked, identifier.WordWalkIdentifier)
    for ident in (plain, walked):
        ident.set_languages(["en", "fr", "es", "de", "it", "pt", "nl"])
    expected = [plain.rank(t) for t in texts]
    monkeypatch.setattr(identifier, "_memo", {})
    assert [walked.rank(t) for t in texts] == expected
    assert [walked.rank(t) for t in texts] == expected
    monkeypatch.setattr(identifier, "_MEMO_SIZE", 50)
    assert [walked.rank(t) for t in texts] == expected
    assert len(identifier._memo) < 50 + 100
