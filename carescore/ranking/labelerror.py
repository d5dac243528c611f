"""Satisfaction corrected for the scorer's measured label errors (adjusted classify and count).

The scorer calls some praise "fail" and some fails "praise", and not at the same rate,
so the raw share praise / (praise + fail) is biased. On held-out posts labelled by
people, per language, we measure among the posts that people call praise or fail and
the scorer calls an opinion:

    tpr = P(scorer says praise | person says praise)
    fpr = P(scorer says praise | person says fail)

If q is the share of praise among a brand's opinions (after de-duplication), the true
share p satisfies q = p·tpr + (1 − p)·fpr, so p = (q − fpr) / (tpr − fpr), clipped to
[0, 1] (Forman's adjusted classify and count). Languages are corrected separately and
combined weighted by their opinion counts; a language without a measured confusion
(fewer than 30 held-out praise or fail posts, or tpr − fpr < 0.2, too little signal to
invert) is counted as observed.

The interval (delta method) carries both uncertainties: the sampling of the brand's
opinions (binomial, q(1 − q)/n) and that of the confusion counts (binomial,
tpr(1 − tpr)/n_praise and fpr(1 − fpr)/n_fail of the held-out set):

    Var(p) = [Var(q) + p²·Var(tpr) + (1 − p)²·Var(fpr)] / (tpr − fpr)²

summed over languages with the squared weights, p ± 1.96·sd, clipped to [0, 1].
What it does not model: posts people call neutral or question that the scorer counts
as opinions (and the reverse); the held-out sets are airline tweets (English) and
Free tweets (French), not every brand's customers.

The confusion counts are read from `carescore/scoring/confusion.json` (written by the
scorer's evaluation, with the scorer's version); without it nothing is corrected.
Format: {"scorer_version": ..., "languages": {"en": {"counts": {gold: {predicted: n}}},
...}} (carescore/scoring/confusion.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from carescore.ranking.stats import Z95

MIN_SEPARATION = 0.2  # tpr - fpr below this: the correction would amplify noise, skip it
MIN_HELD_OUT = 30  # held-out praise and fail posts each needed to measure tpr and fpr


@dataclass(frozen=True)
class Rates:
    """One language's measured confusion between praise and fail, with its sample sizes."""

    tpr: float
    n_praise: int
    fpr: float
    n_fail: int

    @property
    def separation(self) -> float:
        return self.tpr - self.fpr


def rates_from(confusion: dict[str, dict[str, int]]) -> Rates | None:
    """tpr and fpr among people's praise and fail that the scorer calls an opinion."""
    praise, fail = confusion.get("praise", {}), confusion.get("fail", {})
    n_praise = int(praise.get("praise", 0)) + int(praise.get("fail", 0))
    n_fail = int(fail.get("praise", 0)) + int(fail.get("fail", 0))
    if not n_praise or not n_fail:
        return None
    return Rates(
        praise.get("praise", 0) / n_praise, n_praise, fail.get("praise", 0) / n_fail, n_fail
    )


@lru_cache(maxsize=1)
def measured_rates() -> tuple[str, dict[str, Rates]]:
    """(scorer version, rates per language) from the newest confusion file available."""
    for package in ("carescore.scoring",):
        path = resources.files(package) / "confusion.json"
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            rates = {}
            for lang, entry in data.get("languages", {}).items():
                found = rates_from(entry.get("counts") or entry.get("confusion") or {})
                if found is not None:
                    rates[lang] = found
            return str(data.get("scorer_version", "")), rates
    return "", {}


def corrected_share(
    votes: dict[tuple[str, str], int], rates: dict[str, Rates] | None = None
) -> tuple[float, float, float] | tuple[None, None, None]:
    """(corrected share of praise, low, high) from de-duplicated opinions per language.

    `votes` maps (label, language) to counts, label in praise/fail. None without opinions.
    """
    rates = measured_rates()[1] if rates is None else rates
    languages = {lang for _label, lang in votes}
    total = sum(votes.values())
    if total <= 0:
        return None, None, None
    estimate = variance = 0.0
    for lang in sorted(languages):
        praise, fail = votes.get(("praise", lang), 0), votes.get(("fail", lang), 0)
        n = praise + fail
        if n == 0:
            continue
        q = praise / n
        weight = n / total
        r = rates.get(lang)
        if r is None or r.separation < MIN_SEPARATION or min(r.n_praise, r.n_fail) < MIN_HELD_OUT:
            p, var = q, q * (1 - q) / n
        else:
            d = r.separation
            p = min(1.0, max(0.0, (q - r.fpr) / d))
            var = (
                q * (1 - q) / n
                + p * p * r.tpr * (1 - r.tpr) / r.n_praise
                + (1 - p) ** 2 * r.fpr * (1 - r.fpr) / r.n_fail
            ) / (d * d)
        estimate += weight * p
        variance += weight * weight * var
    half = Z95 * math.sqrt(variance)
    return estimate, max(0.0, estimate - half), min(1.0, estimate + half)
