"""A brand's monthly trend as a chart may show it: which months are plotted, and how.

A month is a point of the trend only when its snapshot has the sample the ranking asks
for (`ranked`: 50 opinions and 50 complaints or questions); below that, a few posts at
the start of a month would plot as if they were a month's verdict, so the point is left
out (the table beside the chart still gives the figures and their sample sizes). A month
that is not final yet is plotted as partial, with its 95% interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from carescore.store.models import BrandScore


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One month of a brand's trend. Figures are None when the month is not plotted.

    Shares are percentages (0-100), as the chart draws them; `*_low` / `*_high` their
    95% interval.
    """

    period: str
    final: bool
    plotted: bool
    opinion_n: int
    actionable_n: int
    carescore: float | None
    satisfaction: float | None
    satisfaction_low: float | None
    satisfaction_high: float | None
    reply_rate: float | None
    reply_rate_low: float | None
    reply_rate_high: float | None

    @property
    def partial(self) -> bool:
        """Plotted, but its month is not final: its figures still change."""
        return self.plotted and not self.final


def _pct(value: float | None) -> float | None:
    return None if value is None else value * 100


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def trend_points(history: Sequence[BrandScore]) -> list[TrendPoint]:
    """The monthly snapshots `history` (oldest first) as trend points, one per calendar
    month from the first to the last: a month without a snapshot is an empty point, so
    the chart's axis keeps time evenly spaced."""
    by_period = {s.period: s for s in history}
    points = []
    for period in _months(history[0].period, history[-1].period) if history else []:
        s = by_period.get(period)
        if s is None:
            points.append(
                TrendPoint(period, True, False, 0, 0, None, None, None, None, None, None, None)
            )
            continue
        plotted = bool(s.ranked)
        points.append(
            TrendPoint(
                period=s.period,
                final=bool(s.is_final),
                plotted=plotted,
                opinion_n=s.opinion_n or 0,
                actionable_n=s.actionable_n or 0,
                carescore=s.carescore if plotted else None,
                satisfaction=_pct(s.satisfaction) if plotted else None,
                satisfaction_low=_pct(s.satisfaction_low) if plotted else None,
                satisfaction_high=_pct(s.satisfaction_high) if plotted else None,
                reply_rate=_pct(s.reply_rate) if plotted else None,
                reply_rate_low=_pct(s.reply_rate_low) if plotted else None,
                reply_rate_high=_pct(s.reply_rate_high) if plotted else None,
            )
        )
    return points
