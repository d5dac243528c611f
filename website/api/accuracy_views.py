"""/api/v1/accuracy and its CSV twin, on the API blueprint (so the same ETag, problem
documents, rate limit and cache apply)."""

from __future__ import annotations

from flask import Response

from carescore.scoring.accuracy import published_accuracy
from website.api.accuracy_shapes import AccuracyPublic, AccuracyRowPublic, accuracy_rows
from website.api.cache import edge_cacheable
from website.api.http import csv_response, json_response, wants_csv
from website.api.views import bp


@bp.get("/accuracy")
@bp.get("/accuracy.csv", defaults={"fmt": "csv"})
@edge_cacheable
def accuracy_table(fmt: str | None = None) -> Response:
    accuracy = published_accuracy()
    rows = accuracy_rows(accuracy)
    name = f"accuracy-scorer-{accuracy.scorer_version}"
    if wants_csv(fmt):
        return csv_response(AccuracyRowPublic, rows, name)
    return json_response(
        AccuracyPublic(
            demo=False,
            scorer_version=accuracy.scorer_version,
            confidence=accuracy.confidence,
            command=accuracy.command,
            count=len(rows),
            items=rows,
        ),
        name,
    )
