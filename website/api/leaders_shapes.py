"""/api/v1/leaders' shapes and OpenAPI operations: the home page's best and worst ranked
brands of each sector, kept apart from its view (like the incidents') so that the OpenAPI
document imports them without the blueprint.

Every row carries its period, methodology version and is_final, as every table's rows do.
"""

from __future__ import annotations

from typing import Literal

from carescore.read.overview import SectorSummary, Standing
from website.api.params import AS_OF, PERIOD
from website.api.shape_base import Public, Window
from website.api.shape_base import described as _d

LEADERS_QUERY = (PERIOD, AS_OF)


class LeaderRowPublic(Public):
    """One brand of a sector's best or worst list on the home page."""

    sector: str
    group: Literal["best", "worst"] = _d("which of the sector's two lists shows it")
    rank_sector: int | None = _d("position in its sector's ranking of the period")
    brand: str = _d("brand slug")
    brand_name: str
    carescore: float | None = _d("0-100")
    window: Window = _d("90d, month or all")
    period: str = _d("the as-of date for 90d and all, YYYY-MM for month")
    is_final: bool = _d("a closed month: these figures are never rewritten")
    methodology_version: str | None = _d("version of the rules that produced the figure")


class LeaderListPublic(Public):
    demo: bool
    methodology_version: str
    window: Window
    period: str | None = _d("null when no snapshot of the window is stored yet")
    count: int
    items: list[LeaderRowPublic] = _d(
        "by sector; its best brands best first, then its worst brands worst first"
    )


def leader_rows(window: str, period: str | None, sectors: list[SectorSummary]) -> list:
    """The home page's lists as rows, in the page's order."""

    def row(sector: str, which: str, s: Standing) -> LeaderRowPublic:
        return LeaderRowPublic(
            sector=sector,
            group=which,
            rank_sector=s.rank_sector,
            brand=s.brand.slug,
            brand_name=s.brand.name,
            carescore=s.carescore,
            window=window,
            period=period or "",
            is_final=s.is_final,
            methodology_version=s.methodology_version,
        )

    return [
        row(summary.slug, which, standing)
        for summary in sectors
        for which, standings in (("best", summary.best), ("worst", summary.worst))
        for standing in standings
    ]


def operations(operation: type) -> tuple:
    """The lists' entries of the OpenAPI document (built with its `Operation`)."""
    return (
        operation("/leaders", "listLeaders",
                  "Each sector's best and worst ranked brands, as the home page lists them",
                  LEADERS_QUERY, LeaderListPublic, LeaderRowPublic),
        operation("/leaders.csv", "listLeadersCsv", "The best and worst brands as CSV",
                  LEADERS_QUERY, None, LeaderRowPublic, csv_only=True),
    )  # fmt: skip
