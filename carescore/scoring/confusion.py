"""The scorer's measured confusion per language: what its labels mean in numbers.

Satisfaction is a share of praise among praise and fail labels; a scorer that calls one
praise post in ten a complaint shifts every brand's share. `confusion.json` (package data
beside this module) holds, for each language the scorer judges, how often each true label
was given each predicted label on posts the model did not train on, so a published figure
can be corrected for it. `python -m tools.training` rewrites the file whenever it
rewrites model.json; both carry the same `scorer_version`.

Format (JSON object):

    {
      "scorer_version": "2.0",           # SCORER_VERSION of the model measured
      "method": "out of fold ...",       # how the predictions were made
      "labels": ["praise", "fail", "question", "neutral"],   # the predicted labels
      "languages": {
        "en": {                          # one entry per judged language ("en", "fr")
          "sets": ["airline"],           # which labelled sets of posts were pooled
          "n": 5937,                     # posts counted (the sum of all counts)
          "counts": {                    # counts[true][predicted] = number of posts
            "praise": {"praise": 700, "fail": 40, "question": 10, "neutral": 90},
            ...                          # one row per true label present in the sets
          }
        },
        "fr": {...}
      },
      "sets": {                          # the same counts per labelled set, for reference
        "airline": {"n": ..., "counts": {...}},
        "fr": ..., "complaints": ..., "insurance": ..., "fintech": ..., "deft": ...
      }
    }

True labels are those of each set: the airline set has no `question` (its annotators
filed questions under neutral); the complaint set's are `complaint` / `other`; the French
reviews' are `praise` (4-5 stars) / `fail` (1-2 stars); DEFT's `praise` / `fail` /
`neutral` (positive / negative / neutral). The per-language entries pool only sets of
posts addressed to brands (airline tweets for English, our hand-labelled Free tweets for
French), which is what the site scores. Predicted labels are always the four above; a
post in another language is not judged and appears in no count.

Sets: `airline` is Twitter US Airline Sentiment (train part, out of fold); `fr` is our
hand labels of Free tweets (the `tune` split out of fold and the `fr-dev` split predicted
by models that never trained on it); see tools/trainingdata.py for every source.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

CONFUSION_NAME = "confusion.json"


@lru_cache(maxsize=1)
def load_confusion() -> dict:
    """The packaged confusion file (format above), read once per process."""
    text = resources.files("carescore.scoring").joinpath(CONFUSION_NAME).read_text("utf-8")
    return json.loads(text)


def counts(lang: str) -> dict[str, dict[str, int]]:
    """counts[true][predicted] for a judged language; KeyError for another."""
    return load_confusion()["languages"][lang]["counts"]
