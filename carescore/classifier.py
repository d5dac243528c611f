"""A small logistic model over words, cues and lexicon valences, read from JSON.

Two binary heads share one feature set: `fail` (is this a complaint?) and `praise`
(among posts that are not complaints, is this praise rather than neutral?). Splitting the
question lets the complaint head learn from the complaint corpus, whose non-complaints
have no praise/neutral label. Weights are trained by `python -m carescore.training`
(scikit-learn, a dev dependency) and read here with plain Python, so scoring needs
neither numpy nor scikit-learn and a post costs a few dictionary lookups.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from carescore.lexicon import polarity

MODEL_PACKAGE = "carescore.scoring_data"
MODEL_NAME = "model.json"
HEADS = ("fail", "praise")


def features(
    tokens: tuple[str, ...], cues: frozenset[str], lang: str, shouting: int = 0
) -> dict[str, float]:
    """The model's inputs for one post; training and scoring call this same function."""
    feats: dict[str, float] = {f"lang:{lang}": 1.0}
    if shouting:
        feats["caps"] = shouting / 3.0
    words = [t for t in tokens if t not in ("!", "?")]
    for word in words:
        feats["w:" + word] = 1.0
    for first, second in pairwise(words):
        feats[f"b:{first} {second}"] = 1.0
    for cue in cues:
        feats["c:" + cue] = 1.0
        feats[f"c:{cue}:{lang}"] = 1.0
    positive, negative = polarity(tuple(words), lang)
    if positive:
        feats["lex:pos"] = min(positive / 4.0, 2.0)
    if negative:
        feats["lex:neg"] = min(negative / 4.0, 2.0)
    if "?" in tokens:
        feats["p:?"] = 1.0
    if "!" in tokens:
        feats["p:!"] = 1.0
    if len(words) < 4:
        feats["len:short"] = 1.0
    return feats


@dataclass(frozen=True)
class Model:
    """Weights per feature for each head, a bias per head and the decision thresholds."""

    version: str
    bias: tuple[float, float]
    weights: dict[str, tuple[float, float]]
    thresholds: dict[str, float]

    def probabilities(self, feats: dict[str, float]) -> tuple[float, float]:
        """P(fail) and P(praise | not fail)."""
        fail, praise = self.bias
        weights = self.weights
        for name, value in feats.items():
            w = weights.get(name)
            if w is not None:
                fail += w[0] * value
                praise += w[1] * value
        return _sigmoid(fail), _sigmoid(praise)

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
