"""Fitting the scorer's heads: the feature matrix and the two logistic regressions per
language, for tools/training.py (which chooses C and the bars out of fold with them).

scikit-learn and scipy are dev dependencies; scoring reads model.json in plain Python.
"""

from __future__ import annotations

from carescore.scoring.classifier import Model
from carescore.scoring.score import SCORER_VERSION
from tools.trainingdata import Row

# How much one row of each source counts. The Free labels are few and are the kind of
# post the site scores; the reviews are many, long and formal.
SOURCE_WEIGHT = {
    "fr": 3.0,
    "complaints": 1.0,
    "airline": 1.0,
    "insurance": 0.5,
    "fintech": 0.5,
    "deft": 1.0,
}
# Words, word pairs and grams seen fewer than MIN_COUNT times get no weight.
MIN_COUNT = 3
_COUNTED = ("w:", "b:", "g:")  # after the language prefix "en|" / "fr|"
# Weights smaller than this in both heads are dropped from model.json.
MIN_WEIGHT = 0.004
# The praise head learns praise against neutral only: a complaint is the fail head's.
OPINION = ("praise", "neutral")


def _fail_target(row: Row) -> int:
    return int(row.label in ("fail", "complaint"))


def _vocabulary(rows: list[Row]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        for name in row.feats or {}:
            counts[name] = counts.get(name, 0) + 1
    kept = sorted(n for n, c in counts.items() if c >= MIN_COUNT or not n[3:].startswith(_COUNTED))
    return {name: i for i, name in enumerate(kept)}


def _matrix(rows: list[Row], vocab: dict[str, int]):
    from scipy.sparse import csr_matrix

    data, indices, indptr = [], [], [0]
    for row in rows:
        for name, value in (row.feats or {}).items():
            j = vocab.get(name)
            if j is not None:
                indices.append(j)
                data.append(value)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(vocab)))


def _nb_ratio(matrix, target: list[int]):
    """Naive Bayes log-count ratio per feature (Wang and Manning 2012, "NBSVM")."""
    import numpy as np

    y = np.asarray(target)
    p = 1.0 + np.asarray(matrix[y == 1].sum(axis=0)).ravel()
    q = 1.0 + np.asarray(matrix[y == 0].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def _head(matrix, target: list[int], weight: list[float], c_value: float):
    """One head: the mean of a plain logistic regression and one over NB-scaled inputs.

    Both are linear in the features, so their mean is one weight per feature and scoring
    stays a sum of lookups.
    """
    import numpy as np
    from scipy.sparse import diags
    from sklearn.linear_model import LogisticRegression

    plain = LogisticRegression(C=c_value, max_iter=3000, solver="liblinear", dual=True, tol=1e-3)
    plain.fit(matrix, target, sample_weight=weight)
    ratio = _nb_ratio(matrix, target)
    scaled = LogisticRegression(C=c_value, max_iter=3000, solver="liblinear", dual=True, tol=1e-3)
    scaled.fit(matrix @ diags(ratio), target, sample_weight=weight)
    coef = (plain.coef_[0] + scaled.coef_[0] * ratio) / 2.0
    bias = (plain.intercept_[0] + scaled.intercept_[0]) / 2.0
    return np.asarray(coef), float(bias)


class Design:
    """The rows' feature matrix, built once: every fit takes a subset of its rows.

    The vocabulary (which names get a column) is counted over all train rows, labels
    unseen; a fold's model may therefore hold a zero-information column for a word seen
    only in its held-out fold, which moves no prediction. Building it once instead of per
    fit saves most of the training time on the long reviews.
    """

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.vocab = _vocabulary(rows)
        self.matrix = _matrix(rows, self.vocab)
        self.names = sorted(self.vocab, key=self.vocab.__getitem__)


def _language_weights(
    design: Design, chosen: list[int], lang: str, c_value: float
) -> dict[str, tuple[float, float]]:
    """Both heads of one language, fitted on its rows among `chosen` (indices into
    `design.rows`) over its own columns; the intercepts go to the language's bias input,
    and weights under MIN_WEIGHT in both heads are dropped."""
    rows = design.rows
    mine = [i for i in chosen if rows[i].model_lang == lang]
    if not mine:
        return {}
    columns = [j for j, name in enumerate(design.names) if name.startswith(lang + "|")]
    matrix = design.matrix[:, columns]
    fail_coef, fail_bias = _head(
        matrix[mine],
        [_fail_target(rows[i]) for i in mine],
        [SOURCE_WEIGHT[rows[i].source] for i in mine],
        c_value,
    )
    opinion = [i for i in mine if rows[i].label in OPINION]
    praise_coef, praise_bias = _head(
        matrix[opinion],
        [int(rows[i].label == "praise") for i in opinion],
        [SOURCE_WEIGHT[rows[i].source] for i in opinion],
        c_value,
    )
    bias = design.vocab[lang + "|bias"]
    weights = {}
    for k, j in enumerate(columns):
        pair = [float(fail_coef[k]), float(praise_coef[k])]
        if j == bias:
            pair = [pair[0] + fail_bias, pair[1] + praise_bias]
        pair = (round(pair[0], 3), round(pair[1], 3))
        if abs(pair[0]) >= MIN_WEIGHT or abs(pair[1]) >= MIN_WEIGHT:
            weights[design.names[j]] = pair
    return weights


def fit(
    design: Design,
    chosen: list[int],
    c_values: dict[str, float],
    thresholds: dict[str, float],
) -> Model:
    """The heads of each language in `c_values` (its C), on the rows `chosen`."""
    weights = {}
    for lang, c_value in c_values.items():
        weights.update(_language_weights(design, chosen, lang, c_value))
    return Model(SCORER_VERSION, (0.0, 0.0), weights, dict(thresholds))
