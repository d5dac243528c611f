"""A small logistic model over words, cues and lexicon valences, read from JSON.

Two binary heads share one feature set: `fail` (is this a complaint?) and `praise`
(among posts that are not complaints, is this praise rather than neutral?). Splitting the
question lets the complaint head learn from the complaint corpus, whose non-complaints
have no praise/neutral label. Besides whole words, each word's character 3- to 5-grams are
inputs: a word seen once or never in training ("disapointing", "unreliable", "remboursee")
still shares weight with its relatives. A word's grams depend on the word alone, so scoring
sums them once per distinct word and keeps the total.

Every input is named per language ("fr|w:merci", "en|g:<ref"): the English and the French
weights are two models in one file, fitted together but sharing nothing but the
regulariser. Scorer 1.1 shared them, and the French complaints taught the English grams
and the lexicon features what French posts are like (and the other way round); each
language now also has its own bias ("fr|bias") and its own thresholds. Weights are trained by
`python -m tools.training` (scikit-learn, a dev dependency) and read here with plain
Python, so scoring needs neither numpy nor scikit-learn and a post costs a few dictionary
lookups.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from carescore.scoring.lexicon import NEGATED, negators, polarity, valences

MODEL_PACKAGE = "carescore.scoring"
MODEL_NAME = "model.json"
HEADS = ("fail", "praise")
GRAM_SIZES = (3, 4, 5)
# The value of one gram of one word; 0.2-0.4 measured alike in 5-fold cross-validation
# within the train parts, so a word's dozen grams together weigh a few whole words.
GRAM_VALUE = 0.3
# Distinct words whose gram total a model keeps; past it the memo starts again.
_WORD_MEMO_SIZE = 100_000
# Tokens that are not words: punctuation kept for its own features.
MARKS = frozenset(("!", "?"))


def words_of(tokens: tuple[str, ...]) -> frozenset[str]:
    """The distinct words of a post, punctuation marks left out: what grams are taken of."""
    return frozenset(t for t in tokens if t not in MARKS)


def _grams(word: str) -> set[str]:
    marked = f"<{word}>"
    size = len(marked)
    return {marked[i : i + n] for n in GRAM_SIZES for i in range(size - n + 1)}


def word_grams(word: str, lang: str) -> frozenset[str]:
    """A word's character n-grams as feature names, its edges marked: "fr|g:<ref"."""
    return frozenset(f"{lang}|g:{gram}" for gram in _grams(word))


def word_features(words: Iterable[str], lang: str) -> dict[str, float]:
    """What a post's distinct words put in: each word, and its grams summed. Training's
    form of what `Model.probabilities` adds word by word from its memo."""
    feats: dict[str, float] = {}
    for word in words:
        feats[f"{lang}|w:{word}"] = 1.0
        for gram in word_grams(word, lang):
            feats[gram] = feats.get(gram, 0.0) + GRAM_VALUE
    return feats


def features(
    tokens: tuple[str, ...], cues: frozenset[str], lang: str, shouting: int = 0
) -> dict[str, float]:
    """The model's inputs for one post, its words apart (see `word_features`); training
    and scoring call this same function. `lang` is "en" or "fr"."""
    prefix = lang + "|"
    feats: dict[str, float] = {prefix + "bias": 1.0}
    if shouting:
        feats[prefix + "caps"] = shouting / 3.0
    words = [t for t in tokens if t not in MARKS]
    for first, second in pairwise(words):
        feats[f"{prefix}b:{first} {second}"] = 1.0
    for cue in cues:
        feats[prefix + "c:" + cue] = 1.0
    positive, negative = polarity(tuple(words), lang)
    if positive:
        feats[prefix + "lex:pos"] = min(positive / 4.0, 2.0)
    if negative:
        feats[prefix + "lex:neg"] = min(negative / 4.0, 2.0)
    if "?" in tokens:
        feats[prefix + "p:?"] = 1.0
    if "!" in tokens:
        feats[prefix + "p:!"] = 1.0
    if len(words) < 4:
        feats[prefix + "len:short"] = 1.0
    return feats


# A word's (fail weight, praise weight, valence, negates, pair weights by second word,
# whether it has a valence or negates).
_Entry = tuple[float, float, float | None, bool, dict[str, tuple[float, float]] | None, bool]


@dataclass(frozen=True)
class Model:
    """Weights per feature for each head, a bias per head and the decision thresholds."""

    version: str
    bias: tuple[float, float]
    weights: dict[str, tuple[float, float]]
    thresholds: dict[str, float]
    # Per language: word -> its weight plus its grams' (a memo), and gram -> weight.
    _word_memo: dict[str, dict[str, tuple[float, float]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _gram_weights: dict[str, dict[str, tuple[float, float]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # Per language: first word of a pair -> second word -> the pair's weight.
    _pair_weights: dict[str, dict[str, dict[str, tuple[float, float]]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # Per language: word -> what `post_probabilities` needs of it (see `_word_entry`).
    _entries: dict[str, dict[str, _Entry]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name, w in self.weights.items():
            lang, _, rest = name.partition("|")
            if rest.startswith("g:"):
                self._gram_weights.setdefault(lang, {})[rest[2:]] = w
            elif rest.startswith("b:"):
                first, _, second = rest[2:].partition(" ")
                self._pair_weights.setdefault(lang, {}).setdefault(first, {})[second] = w

    def probabilities(
        self, feats: dict[str, float], words: Iterable[str] = (), lang: str = "en"
    ) -> tuple[float, float]:
        """P(fail) and P(praise | not fail).

        `words` adds what `word_features(words, lang)` would, at one lookup per word once
        the word has been seen: a word's weight and its grams' depend on the word alone.
        """
        fail, praise = self.bias
        weights = self.weights
        for name, value in feats.items():
            w = weights.get(name)
            if w is not None:
                fail += w[0] * value
                praise += w[1] * value
        memo = self._word_memo.get(lang)
        if memo is None:
            memo = self._word_memo[lang] = {}
        for word in words:
            w = memo.get(word)
            if w is None:
                w = self._word_weight(word, lang, memo)
            fail += w[0]
            praise += w[1]
        return _sigmoid(fail), _sigmoid(praise)

    def post_probabilities(
        self, tokens: tuple[str, ...], cues: frozenset[str], lang: str, shouting: int = 0
    ) -> tuple[float, float]:
        """Exactly `probabilities(features(tokens, cues, lang, shouting), words_of(tokens),
        lang)`, the same sums in the same order, at one memo lookup per word.

        Scoring's path: building the feature names (a string per word pair) and looking
        each up among 90,000 weights cost more than the rest of the model. What a word
        brings (its weights, its valence, whether it negates, the pairs it starts) depends
        on the word alone, so it is looked up once per distinct word and kept.
        """
        prefix = lang + "|"
        weights = self.weights
        fail, praise = self.bias
        w = weights.get(prefix + "bias")
        if w is not None:
            fail += w[0]
            praise += w[1]
        if shouting:
            w = weights.get(prefix + "caps")
            if w is not None:
                value = shouting / 3.0
                fail += w[0] * value
                praise += w[1] * value
        memo = self._entries.get(lang)
        if memo is None or len(memo) >= _WORD_MEMO_SIZE:
            memo = self._entries[lang] = {}
        words = [token for token in tokens if token not in MARKS]
        positive = negative = 0.0
        last_negator = -4
        pairs: dict[str, tuple[float, float]] | None = None
        seen: set[tuple[str, str]] | None = None
        for i, word in enumerate(words):
            entry = memo.get(word) or self._word_entry(word, lang, memo)
            if pairs is not None:
                w = pairs.get(word)
                if w is not None:
                    # A pair is one feature however often it occurs.
                    pair = (words[i - 1], word)
                    if seen is None:
                        seen = set()
                    if pair not in seen:
                        seen.add(pair)
                        fail += w[0]
                        praise += w[1]
            pairs = entry[4]
            if entry[5]:
                value = entry[2]
                if value is not None:
                    if last_negator >= i - 3:
                        value *= NEGATED
                    if value > 0:
                        positive += value
                    else:
                        negative -= value
                if entry[3]:
                    last_negator = i
        for cue in cues:
            w = weights.get(prefix + "c:" + cue)
            if w is not None:
                fail += w[0]
                praise += w[1]
        for name, value in (
            ("lex:pos", min(positive / 4.0, 2.0) if positive else 0.0),
            ("lex:neg", min(negative / 4.0, 2.0) if negative else 0.0),
            ("p:?", 1.0 if "?" in tokens else 0.0),
            ("p:!", 1.0 if "!" in tokens else 0.0),
            ("len:short", 1.0 if len(words) < 4 else 0.0),
        ):
            if value:
                w = weights.get(prefix + name)
                if w is not None:
                    fail += w[0] * value
                    praise += w[1] * value
        for word in frozenset(words):
            entry = memo[word]
            fail += entry[0]
            praise += entry[1]
        return _sigmoid(fail), _sigmoid(praise)

    def _word_entry(self, word: str, lang: str, memo: dict[str, _Entry]) -> _Entry:
        """A word's weight with its grams, valence (None outside the lexicon), whether it
        negates, second word -> weight of the pairs it starts (None if none), and whether
        the lexicon's sums need to look at it at all."""
        weight = self._word_memo.setdefault(lang, {}).get(word)
        if weight is None:
            weight = self._word_weight(word, lang, self._word_memo[lang])
        valence = valences(lang).get(word)
        negates = word in negators(lang)
        pairs = self._pair_weights.get(lang, {}).get(word)
        entry = (weight[0], weight[1], valence, negates, pairs, valence is not None or negates)
        memo[word] = entry
        return entry

    def contributions(
        self, feats: dict[str, float], words: Iterable[str] = (), lang: str = "en"
    ) -> dict[str, tuple[float, float]]:
        """What each input adds to each head's log-odds: a feature's weight times its value,
        a word's own weight plus its grams' (the terms `probabilities` sums)."""
        out: dict[str, tuple[float, float]] = {}
        for name, value in feats.items():
            w = self.weights.get(name)
            if w is not None:
                out[name] = (w[0] * value, w[1] * value)
        memo = self._word_memo.setdefault(lang, {})
        for word in words:
            w = memo.get(word) or self._word_weight(word, lang, memo)
            out[f"{lang}|w:{word}"] = w
        return out

    def _word_weight(
        self, word: str, lang: str, memo: dict[str, tuple[float, float]]
    ) -> tuple[float, float]:
        fail = praise = 0.0
        grams = self._gram_weights.get(lang, {})
        for gram in _grams(word):
            w = grams.get(gram)
            if w is not None:
                fail += w[0]
                praise += w[1]
        fail, praise = fail * GRAM_VALUE, praise * GRAM_VALUE
        w = self.weights.get(f"{lang}|w:{word}")
        if w is not None:
            fail += w[0]
            praise += w[1]
        total = (fail, praise)
        if len(memo) >= _WORD_MEMO_SIZE:
            memo.clear()
        memo[word] = total
        return total

    def to_json(self) -> dict:
        return {
            "version": self.version,
            "heads": list(HEADS),
            "bias": list(self.bias),
            "thresholds": self.thresholds,
            "weights": {k: list(v) for k, v in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: dict) -> Model:
        return cls(
            version=data["version"],
            bias=(float(data["bias"][0]), float(data["bias"][1])),
            weights={k: (float(v[0]), float(v[1])) for k, v in data["weights"].items()},
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
        )


def _sigmoid(x: float) -> float:
    if x < -35.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The packaged model, read once per process."""
    text = resources.files(MODEL_PACKAGE).joinpath(MODEL_NAME).read_text(encoding="utf-8")
    return Model.from_json(json.loads(text))
