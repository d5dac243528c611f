"""The scorer on real-looking customer posts, both languages, and on hostile input."""

from __future__ import annotations

import random

import pytest

from carescore.scoring import classifier
from carescore.scoring.classifier import features, load_model, word_features, words_of
from carescore.scoring.cues import CUE_FAMILIES, FAULT_FAMILIES, find_cues
from carescore.scoring.score import SCORER_VERSION, Score, score_text
from carescore.scoring.textfold import MAX_CHARS, fold
from carescore.scoring.topics import TAXONOMY, TOPIC_CODES, find_topics
from carescore.vocab import LABELS

# (post, cue family it must raise) for each family, in English and in French.
CUE_POSTS = [
    ("@AcmeAir still waiting for someone to call me back about my bag", "waiting"),
    ("3 hours on hold and no answer, great customer care", "waiting"),
    ("toujours pas de réponse à mon mail depuis lundi", "waiting"),
    ("on m'a promis un rappel, jamais rappelé bien sûr", "waiting"),
    ("@NimbusTel network is down again in Leeds, no signal since 8am", "outage"),
    ("ma box est en panne depuis hier soir, plus d'internet", "outage"),
    ("freebox bloquée à l'étape 2 depuis ce matin", "outage"),
    ("Flight Cancelled Flightled again, now I'm stranded in Denver", "delay"),
    ("train en retard de 40 minutes, correspondance ratée", "delay"),
    ("still no refund for a flight you cancelled in March", "refund"),
    ("j'attends toujours le remboursement de ma facture", "refund"),
    ("lost my luggage twice this month #fail", "fail"),
    ("service client inadmissible, c'est une honte", "fail"),
    ("thanks for nothing @AcmeAir, 5 hour delay and not a word", "sarcasm"),
    ("merci pour la panne en plein match", "sarcasm"),
    ("@AcmeAir thanks, sorted! you guys rock", "fixed"),
    ("merci, c'est réglé, tout refonctionne", "fixed"),
    ("Thank you so much for the upgrade", "thanks"),
    ("merci à l'équipe de la boutique", "thanks"),
    ("I've cancelled my order and gone to Best Buy. Thank you.", "leaving"),
    ("je vais résilier et partir chez la concurrence", "leaving"),
    ("my bowl was only three bucks!! Happy Halloween!", "offer"),
    ("premier mois offert avec le code promo NOEL", "offer"),
    ("Okay amazon lost my package gr8", "sarcasm"),
    ("great, another delay", "sarcasm"),
    ("Génial... encore une coupure de la fibre", "sarcasm"),
    ("how do I add a bag to my booking", "question"),
    ("est-ce que l'option tv est incluse dans l'offre ?", "question"),
]


@pytest.mark.parametrize(("post", "family"), CUE_POSTS)
def test_each_cue_family_is_found_in_both_languages(post, family):
    assert family in find_cues(fold(post).folded)


def test_every_cue_family_has_an_english_and_a_french_example():
    covered = {family for _, family in CUE_POSTS}
    assert covered == set(CUE_FAMILIES) - {"same"}
    for family in covered:
        posts = [p for p, f in CUE_POSTS if f == family]
        assert len(posts) >= 2, family


def test_cues_ignore_accents_and_case():
    assert find_cues(fold("TOUJOURS PAS DE RÉPONSE").folded) == find_cues(
        fold("toujours pas de reponse").folded
    )


@pytest.mark.parametrize(
    "post",
    [
        "@AcmeAir still waiting for my bag, 3 days now. No answer from anyone.",
        "toujours pas de réponse, ma box est en panne depuis une semaine",
        "merci pour la panne, vraiment top le service client",
        "thanks for nothing, flight cancelled and no rebooking offered #fail",
        "jamais rappelé alors que ça fait 10 jours sans internet",
        "no signal at home for 3 days and nobody answers the phone",
    ],
)
def test_complaints_are_fail_with_negative_sentiment(post):
    score = score_text(post)
    assert score.label == "fail"
    assert score.sentiment < 0


@pytest.mark.parametrize(
    "post",
    [
        "@AcmeAir thanks, sorted! Great service from your team today",
        "merci, c'est réglé ! super réactifs",
        "Big thanks to the crew on flight 212, amazing service :)",
        "merci beaucoup, problème résolu en 10 minutes !",
    ],
)
def test_thanks_and_fixes_are_praise(post):
    score = score_text(post)
    assert score.label == "praise"
    assert score.sentiment > 0


@pytest.mark.parametrize(
    "post",
    [
        "bonjour, est-ce qu'on peut annuler l'option tv by canal sur une révolution ?",
        "bonjour quelle est la démarche pour résilier un abonnement freebox ? merci",
    ],
)
def test_french_information_requests_are_questions(post):
    assert score_text(post).label == "question"


def test_a_question_that_names_a_fault_is_a_fail():
    assert score_text("pourquoi ma box est toujours en panne depuis 5 jours ??").label == "fail"


def test_sarcastic_thanks_is_not_praise():
    fixed = score_text("merci, c'est réglé")
    sarcastic = score_text("merci pour la panne")
    assert sarcastic.label == "fail"
    assert sarcastic.sentiment < fixed.sentiment


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀🔥",
        "https://t.co/abc http://example.com/x",
        "@AcmeAir @NimbusTel",
        "x" * 100_000,
        "my box is down " * 7000,
        "\ud800 broken surrogate \udfff",
        "<p>Hello <b>world</b></p><script>alert(1)</script>",
        "&lt;b&gt;still waiting&lt;/b&gt; &amp; no answer",
        None,
        12345,
    ],
)
def test_any_input_gets_a_label_and_never_raises(text):
    score = score_text(text)
    assert isinstance(score, Score)
    assert score.label in LABELS or (score.label is None and score.lang == "other")
    assert score.lang in ("en", "fr", "other")
    assert -1.0 <= score.sentiment <= 1.0
    assert set(score.topics) <= set(TOPIC_CODES)
    assert score.version == SCORER_VERSION


def test_texts_without_words_are_neutral():
    for text in ("", "https://t.co/abc", "@AcmeAir @NimbusTel", "!!!"):
        assert score_text(text).label == "neutral"


def test_long_posts_are_cut_not_scored_whole():
    assert len(fold("y" * 100_000).clean) == MAX_CHARS


def test_html_is_read_as_text():
    assert score_text("&lt;b&gt;still waiting&lt;/b&gt; &amp; no answer").label == "fail"
    assert "script" not in fold("<script>x</script> hello").tokens


def test_complaint_topics_in_both_languages():
    cases = {
        "my internet is down and no signal since Monday": "outage",
        "vous m'avez facturé deux fois, je veux un remboursement": "billing",
        "my parcel was never delivered, tracking says lost": "delivery",
        "flight delayed 4 hours then cancelled": "delay",
        "2 hours on hold and nobody answers": "waiting",
        "impossible de me connecter à mon espace abonné, mot de passe refusé": "account",
        "my new phone screen is broken after a week, defective": "defect",
        "le technicien était très désagréable et impoli": "staff",
    }
    for post, topic in cases.items():
        score = score_text(post)
        assert topic in find_topics(fold(post).folded, find_cues(fold(post).folded)), post
        if score.label in ("fail", "question"):
            assert topic in score.topics, post


def test_praise_carries_no_complaint_topic():
    score = score_text("thanks, my internet works again, sorted!")
    assert score.label == "praise"
    assert score.topics == ()


def test_taxonomy_has_english_and_french_names_for_each_code():
    assert set(TOPIC_CODES) == {
        "outage",
        "billing",
        "delivery",
        "delay",
        "waiting",
        "account",
        "defect",
        "staff",
    }
    for topic in TAXONOMY.values():
        assert topic.en and topic.fr and topic.en != topic.fr


def test_fault_families_are_cue_families():
    assert set(FAULT_FAMILIES) <= set(CUE_FAMILIES)


def test_topics_fit_the_stored_column():
    everything = " ".join(CUE_POSTS[i][0] for i in range(len(CUE_POSTS)))
    assert len(",".join(score_text(everything).topics)) <= 200


def test_the_word_memo_adds_what_training_puts_in():
    """Scoring sums a word's grams once and keeps the total; training lists them. Both
    must give the same probabilities, or the model scores what it was not trained on."""
    model = load_model()
    rng = random.Random(8)
    alphabet = "abcdefghijklmnopqrstuvwxyzéèàç  !?#'😡"
    made_up = ["".join(rng.choices(alphabet, k=rng.randint(1, 60))) for _ in range(300)]
    for text in (
        "@united still waiting on my refund, worst service ever",
        "merci free, la fibre est enfin rétablie !",
        "unbelievabley disapointing, refundd me",
        *made_up,
    ):
        folded = fold(text)
        words = words_of(folded.tokens)
        feats = features(folded.tokens, find_cues(folded.folded), "en", folded.shouting)
        listed = model.probabilities({**feats, **word_features(words, "en")})
        memoised = [model.probabilities(feats, words) for _ in range(2)]
        assert memoised[0] == pytest.approx(listed, abs=1e-9)
        assert memoised[1] == memoised[0]


def test_scoring_path_sums_exactly_what_the_features_give():
    """`post_probabilities` is the scorer's shortcut through `features`: the same sums in
    the same order, so the same floats to the last bit, negations, repeated word pairs,
    capitals and punctuation included, whether a word is new to the memo or not."""
    model = classifier.Model.from_json(load_model().to_json())
    rng = random.Random(22)
    alphabet = "abcdefghijklmnopqrstuvwxyzéèàç  !?#'😡"
    made_up = ["".join(rng.choices(alphabet, k=rng.randint(1, 80))) for _ in range(300)]
    vocabulary = [*model.weights, "not", "never", "pas", "sans", "good", "bad", "merci", "!"]
    shuffled = [
        " ".join(rng.choice(vocabulary).rpartition(":")[2] for _ in range(rng.randint(1, 40)))
        for _ in range(300)
    ]
    for text in (
        "NOT good, not bad, never great!!! still waiting? not good again",
        "pas de réponse, pas de réponse, sans internet, vraiment pas génial",
        *made_up,
        *shuffled,
    ):
        folded = fold(text)
        cues = find_cues(folded.folded)
        for lang in ("en", "fr"):
            feats = features(folded.tokens, cues, lang, folded.shouting)
            expected = model.probabilities(feats, words_of(folded.tokens), lang)
            for _ in range(2):
                got = model.post_probabilities(folded.tokens, cues, lang, folded.shouting)
                assert got == expected, text


def test_the_scoring_memo_starts_again_when_full(monkeypatch):
    monkeypatch.setattr(classifier, "_WORD_MEMO_SIZE", 3)
    model = classifier.Model.from_json(load_model().to_json())
    posts = [("refund", "waiting"), ("not", "sorted", "!"), ("merci",), ("refund", "waiting")]
    first = [model.post_probabilities(p, frozenset(), "en") for p in posts]
    assert len(model._entries["en"]) <= 3 + 3
    assert [model.post_probabilities(p, frozenset(), "en") for p in posts] == first
    assert first[0] == first[-1]


def test_a_misspelt_word_shares_the_weight_of_its_relatives():
    """A word never seen in training gets no weight of its own, but its grams lean the way
    its spelt-right relative's do."""
    model = load_model()
    for unseen, relative, lang in (
        ("disapointing", "disappointing", "en"),
        ("inadmissable", "inadmissible", "fr"),
    ):
        baseline = model.probabilities({}, [], lang)[0]
        assert f"{lang}|w:{unseen}" not in model.weights
        assert model.probabilities({}, [relative], lang)[0] > baseline
        assert model.probabilities({}, [unseen], lang)[0] > baseline


def test_the_word_memo_starts_again_when_full(monkeypatch):
    """A long-running importer sees an endless tail of new words; the memo must not grow
    without bound, and starting it again must not change a probability."""
    import carescore.scoring.classifier as classifier

    monkeypatch.setattr(classifier, "_WORD_MEMO_SIZE", 3)
    model = classifier.Model.from_json(load_model().to_json())
    words = ["refund", "waiting", "sorted", "panne", "merci", "cancelled", "refund"]
    first = [model.probabilities({}, [w]) for w in words]
    assert len(model._word_memo["en"]) <= 3
    assert [model.probabilities({}, [w]) for w in words] == first
    assert first[0] == first[-1]


@pytest.mark.parametrize(
    "post",
    [
        "très satisfait de la fibre, rapide et stable",
        "Client depuis 10 ans et jamais déçu, je recommande",
        "conseillère très à l'écoute, remboursement reçu en 48h, parfait",
        "super appli, ouverture de compte simple et rapide",
    ],
)
def test_french_praise_is_praise_not_a_complaint(post):
    """Scorer 1.1 called nearly all French praise a complaint (issue #22)."""
    score = score_text(post)
    assert score.label == "praise", score
    assert score.sentiment > 0


@pytest.mark.parametrize(
    "post",
    [
        "Excelente servicio! Muy rápido y amable",
        "Sehr schlechter Kundenservice, niemand antwortet seit zwei Wochen",
        "Ottimo servizio, consegna veloce e personale gentile",
    ],
)
def test_posts_in_other_languages_are_not_judged(post):
    """Spanish, German, Italian...: the scorer was not trained to read them, so they get
    no label (and so count as no opinion), no sentiment and no topics."""
    score = score_text(post)
    assert score.lang == "other"
    assert score.label is None
    assert score.sentiment == 0.0 and score.topics == ()


def test_a_source_language_tag_outside_en_fr_means_not_judged():
    assert score_text("Excelente servicio", lang_hint="es").label is None
    assert score_text("great service", lang_hint="en").label == "praise"


def test_main_cues_name_the_words_a_label_rests_on():
    from carescore.scoring.explain import main_cues

    praise = main_cues("très satisfait de la fibre, rapide et stable")
    assert praise and any("satisf" in cue or "rapide" in cue for cue in praise), praise
    fail = main_cues("toujours pas de réponse, ma box est en panne depuis une semaine")
    assert fail and any("panne" in cue or "waiting" in cue or "outage" in cue for cue in fail)
    assert main_cues("Excelente servicio! Muy rápido y amable") == []
    # The guideline's own example (issue #22). Scorer 2.4 reads "comment résilier mon
    # abonnement ?" as a complaint: P(fail) 0.756 against its question bar of 0.7 (2.1:
    # 0.76 against 0.8); "résilier" is mostly written by leaving customers in the Free
    # labels (docs/research/scoring-notes.md).
    assert main_cues("comment résilier ?")[0] == "cue: question"


def test_contributions_are_the_terms_the_model_sums():
    """Cues are read from exact terms: the contributions add up to P(fail)."""
    model = load_model()
    folded = fold("service client nul, je résilie")
    cues = find_cues(folded.folded)
    feats = features(folded.tokens, cues, "fr", folded.shouting)
    parts = model.contributions(feats, words_of(folded.tokens), "fr")
    fail = sum(f for f, _ in parts.values()) + model.bias[0]
    assert model.probabilities(feats, words_of(folded.tokens), "fr")[0] == pytest.approx(
        1 / (1 + __import__("math").exp(-fail))
    )


def test_confusion_file_matches_the_model_and_counts_add_up():
    from carescore.scoring.confusion import counts, load_confusion

    data = load_confusion()
    assert data["scorer_version"] == SCORER_VERSION == load_model().version
    for lang in ("en", "fr"):
        entry = data["languages"][lang]
        assert entry["sets"] and entry["n"] > 100
        assert sum(sum(row.values()) for row in counts(lang).values()) == entry["n"]
        for row in counts(lang).values():
            assert set(row) == set(LABELS)


@pytest.mark.parametrize(
    ("post", "not_label"),
    [
        ("Okay amazon lost my package gr8", "praise"),
        ("I've cancelled my order and gone to Best Buy. Thank you.", "praise"),
        ("my bowl was only three bucks!! Happy Halloween!", "fail"),
        ("premier mois offert avec le code promo NOEL, bon plan", "fail"),
    ],
)
def test_the_error_classes_seen_on_the_pages(post, not_label):
    """Sarcasm is not praise, leaving for another brand is not praise, and an offer the
    author shares is not a complaint (issue #22)."""
    assert score_text(post).label != not_label


@pytest.mark.parametrize(
    "post",
    [
        "great, another delay",
        "Perfect... yet another cancelled flight",
        "yay another delay",
        "Awesome. One more hour on hold",
        "Super, encore une panne",
        "Bravo, de nouveau plus de réseau",
    ],
)
def test_delight_before_another_fault_is_sarcasm(post):
    """The delight word is what VADER and the praise head read; the fault it greets
    "again" or "another" time is what the author means."""
    assert "sarcasm" in find_cues(fold(post).folded)
    assert score_text(post).label == "fail"


@pytest.mark.parametrize(
    "post",
    [
        "great, another great flight with you",
        "perfect, thanks again for fixing the problem",
        "Super, encore une belle soirée devant la télé, merci",
    ],
)
def test_delight_before_another_good_thing_is_not_sarcasm(post):
    assert "sarcasm" not in find_cues(fold(post).folded)
