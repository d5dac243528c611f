"""Score one post: language, sentiment, a label and complaint topics.

The pipeline is fold -> language -> cues -> logistic model -> label -> topics; each step
is its own module. The contract every caller relies on is `score_text(text, lang_hint)
-> Score` and `SCORER_VERSION`; bump the version whenever a change could move a label,
so `carescore score` re-scores the stored posts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from carescore.scoring import language
from carescore.scoring.classifier import MARKS, load_model
from carescore.scoring.cues import FAULT_FAMILIES, find_cues
from carescore.scoring.language import detect_language
from carescore.scoring.lexicon import valences
from carescore.scoring.textfold import fold
from carescore.scoring.topics import find_topics
from carescore.vocab import ACTIONABLE_LABELS, JUDGED_LANGUAGES

SCORER_VERSION = "2.5"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Score:
    """What the scorer says about one post.

    `sentiment` runs from -1 (surely a complaint) to 1 (surely praise): the model's
    P(praise) - P(fail), not VADER's compound, which misreads most customer posts. Its
    sign always agrees with a praise or fail label, even when a cue rule set the label.
    `label` is None for a post in another language than English or French: the scorer
    was not trained to read it, so it is not judged (no label, sentiment 0, no topics)
    and counts as no opinion anywhere.
    """

    lang: str
    sentiment: float
    label: str | None
    topics: tuple[str, ...]
    version: str = SCORER_VERSION


def decide(
    p_fail: float, p_praise: float, cues: frozenset[str], thresholds: dict, lang: str = "en"
) -> str:
    """The label from the model's two probabilities and the cue families found.

    A thank-you for a fix is praise even though it names the fault; a thank-you for the
    fault itself ("merci pour la panne", "lost my package gr8") is a complaint, however
    warm the rest of the words, and so is leaving for another brand ("gone to Best Buy.
    Thank you."). An offer or a
    promotion shared with no fault, thanks or question is neutral, whatever words of
    delight it holds ("only three bucks!! Happy Halloween!"). A question that names
    no fault ("comment resilier ?") is a question unless the model is all but sure it is
    a complaint; a question that names one ("why is my box still down?") is a complaint
    when the model says so. That bar is set per language: French training posts are
    nearly all complaints, so the model's French P(fail) runs high. The fail and praise
    bars are per language too (`fail_fr`, `praise_en`...), chosen out of fold on each
    language's sets, with `fail` and `praise` as the fallback.

    A language with class weights (`fail_weight_en`, `praise_weight_en`) is read by the
    most likely label instead of two bars one after the other: P(fail), P(praise) and
    P(neutral) (the praise head's split of 1 - P(fail)), fail and praise multiplied by
    their weights, the largest wins (a tie goes to fail, then praise). A post the model
    finds barely more likely a complaint than not, but surely an opinion, is then weighed
    against praise as well as against neutral.
    """
    if "fixed" in cues and "thanks" in cues and not cues & {"sarcasm", "waiting"}:
        return "praise"
    if cues & {"sarcasm", "leaving"} and "fixed" not in cues:
        return "fail"
    if "offer" in cues and not cues & FAULT_FAMILIES and not cues & {"thanks", "question"}:
        return "neutral"
    asks = "question" in cues
    if asks and not cues & FAULT_FAMILIES and p_fail < thresholds.get(f"question_{lang}", 0.0):
        return "question"
    fail_weight = thresholds.get(f"fail_weight_{lang}")
    if fail_weight is not None:
        fail = p_fail * fail_weight
        praise = (1.0 - p_fail) * p_praise * thresholds[f"praise_weight_{lang}"]
        neutral = (1.0 - p_fail) * (1.0 - p_praise)
        if fail >= praise and fail >= neutral:
            return "fail"
        if asks:
            return "question"
        return "praise" if praise >= neutral else "neutral"
    if p_fail >= thresholds.get(f"fail_{lang}", thresholds["fail"]):
        return "fail"
    if asks:
        return "question"
    if p_praise >= thresholds.get(f"praise_{lang}", thresholds["praise"]):
        return "praise"
    return "neutral"


def warm_up() -> None:
    """Load everything the scorer reads lazily (weights, both lexicons, the language model).

    Each loads on the first post that needs it, which can be thousands of posts into a
    run; a benchmark that did not load them first would time loading, not scoring.
    """
    load_model()
    for lang in JUDGED_LANGUAGES:
        valences(lang)
    language.warm_up()


def _score(text: object, lang_hint: str | None) -> Score:
    folded = fold(text)
    lang = detect_language(folded, lang_hint)
    if MARKS.issuperset(folded.tokens):
        return Score(lang=lang, sentiment=0.0, label="neutral", topics=())
    if lang not in JUDGED_LANGUAGES:
        return Score(lang=lang, sentiment=0.0, label=None, topics=())
    cues = find_cues(folded.folded)
    model = load_model()
    p_fail, p_praise = model.post_probabilities(folded.tokens, cues, lang, folded.shouting)
    label = decide(p_fail, p_praise, cues, model.thresholds, lang)
    topics = find_topics(folded.folded, cues) if label in ACTIONABLE_LABELS else ()
    sentiment = (1.0 - p_fail) * p_praise - p_fail
    if (label == "praise" and sentiment < 0) or (label == "fail" and sentiment > 0):
        sentiment = -sentiment
    sentiment = round(sentiment, 4)
    return Score(lang=lang, sentiment=sentiment, label=label, topics=topics)


def score_text(text: str, lang_hint: str | None = None) -> Score:
    """Score one post's text; never raises, whatever the input.

    A failure inside the scorer must not lose a post at import, so it becomes a post not
    judged (no label) and a logged warning, never an exception.
    """
    try:
        return _score(text, lang_hint)
    except Exception:
        log.warning("scorer failed on a post; stored unlabelled", exc_info=True)
        return Score(lang="other", sentiment=0.0, label=None, topics=())
