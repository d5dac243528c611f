"""Why a post got its label: the few inputs that pushed the model hardest towards it.

The model is a sum of weights (carescore.scoring.classifier), so each input's share of
the decision is exact, not an approximation: a word's weight (with its character grams),
a word pair's, a cue family's, the lexicon's sums. The cues are shown beside each post in
the API and on hover on the site, so a reader can see what the label rests on and judge
it. Computed from the text on demand, with the same code that labelled it, rather than
stored: no migration, and nothing to keep in step when the model changes (a post stored
by an older scorer version is explained by the current one, as `carescore score` will
label it).
"""

from __future__ import annotations

from functools import lru_cache

from carescore.scoring.classifier import features, load_model, words_of
from carescore.scoring.cues import find_cues
from carescore.scoring.language import detect_language
from carescore.scoring.score import decide
from carescore.scoring.textfold import fold
from carescore.vocab import JUDGED_LANGUAGES

TOP = 3
# Contributions smaller than this (in log-odds) are not cues worth showing.
_MIN_SHARE = 0.15
_READABLE = {
    "lex:pos": "positive words (lexicon)",
    "lex:neg": "negative words (lexicon)",
    "p:?": "?",
    "p:!": "!",
    "caps": "CAPITALS",
    "len:short": "short post",
}


def _readable(name: str) -> str | None:
    name = name.partition("|")[2]
    if name in _READABLE:
        return _READABLE[name]
    kind, _, rest = name.partition(":")
    if kind in ("w", "b"):
        return rest
    if kind == "c":
        return "cue: " + rest.split(":")[0]
    return None


def main_cues(text: str, lang_hint: str | None = None, top: int = TOP) -> list[str]:
    """The post's main cues, strongest first: words, word pairs or cue families.

    For a complaint, what raised P(fail); for praise, what raised P(praise) over P(fail);
    for a question, the question cue first; for a neutral post, what kept P(fail) down.
    A post that is not judged (another language) or has no words has no cues.
    """
    return list(_cues(text, lang_hint, top))


# The model is packaged and read once, so a text's cues never change within a process;
# the pages show the same recent posts request after request and each costs ~0.1 ms.
@lru_cache(maxsize=4096)
def _cues(text: str, lang_hint: str | None, top: int) -> tuple[str, ...]:
    try:
        folded = fold(text)
        lang = detect_language(folded, lang_hint)
        if lang not in JUDGED_LANGUAGES:
            return ()
        cues = find_cues(folded.folded)
        model = load_model()
        feats = features(folded.tokens, cues, lang, folded.shouting)
        words = words_of(folded.tokens)
        if not words:
            return ()
        p_fail, p_praise = model.probabilities(feats, words, lang)
        label = decide(p_fail, p_praise, cues, model.thresholds, lang)
        parts = model.contributions(feats, words, lang)
    except Exception:
        return ()
    if label == "fail":
        push = {k: f for k, (f, _) in parts.items()}
    elif label == "praise":
        push = {k: p - f for k, (f, p) in parts.items()}
    else:
        push = {k: -f for k, (f, _) in parts.items()}
    ranked = sorted(push.items(), key=lambda item: (-item[1], item[0]))
    out: list[str] = ["cue: question"] if label == "question" else []
    for name, value in ranked:
        if len(out) >= top or value < _MIN_SHARE:
            break
        readable = _readable(name)
        if readable and readable not in out:
            out.append(readable)
    return tuple(out)
