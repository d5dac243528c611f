"""The OpenAPI 3.1 document of /api/v1, built from the same parameter declarations and
`...Public` models the views use, so that it describes what the API really sends.

The schemas are pydantic's JSON Schema (2020-12, the dialect of OpenAPI 3.1) of those
models, in serialization mode (what is sent, not what would be accepted), with their
references pointed at `#/components/schemas/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from carescore import METHODOLOGY_VERSION
from carescore.read.serialize import to_json
from website.api.accuracy_shapes import operations as accuracy_operations
from website.api.figure_shapes import (
    BrandFiguresPublic,
    DelayListPublic,
    DelayRowPublic,
    MetricsPublic,
    TopicListPublic,
    TopicRowPublic,
)
from website.api.http import body_etag
from website.api.incident_shapes import operations as incident_operations
from website.api.leaders_shapes import operations as leaders_operations
from website.api.openapi_writes import (
    SECURITY_SCHEME,
    reply_read_path,
    write_paths,
    write_responses,
)
from website.api.params import (
    BRAND_QUERY,
    BRANDS_QUERY,
    COMPARE_QUERY,
    NO_QUERY,
    POSTS_QUERY,
    RANKINGS_QUERY,
    SEARCH_QUERY,
    SLUG_RE,
    Param,
)
from website.api.reply_schemas import INPUTS, OUTPUTS
from website.api.schemas import (
    BrandDetailPublic,
    BrandListPublic,
    BrandPublic,
    ComparePublic,
    HistoryPublic,
    MethodologyPublic,
    MoverListPublic,
    MoverPublic,
    PostListPublic,
    PostPublic,
    ProblemPublic,
    RankingPublic,
    RankingRowPublic,
    SearchPublic,
    SearchRowPublic,
    SectorListPublic,
    SectorPublic,
)
from website.api.shape_base import csv_columns

API_VERSION = "1.0.0"


@dataclass(frozen=True)
class Operation:
    path: str
    operation_id: str
    summary: str
    query: tuple[Param, ...]
    shape: type | None
    csv_row: type | None = None
    csv_only: bool = False
    tag: str = "data"


OPERATIONS = (
    Operation("/brands", "listBrands", "Brands, filtered, by slug", BRANDS_QUERY,
              BrandListPublic, BrandPublic),
    Operation("/brands.csv", "listBrandsCsv", "Brands as CSV", BRANDS_QUERY, None,
              BrandPublic, csv_only=True),
    Operation("/brands/{slug}", "getBrand",
              "A brand's figures for the live 90 days or any stored period (window, as_of), "
              "with intervals, sample sizes and ranks",
              BRAND_QUERY, BrandDetailPublic),
    Operation("/brands/{slug}.csv", "getBrandCsv",
              "A brand's figures for a period as one CSV row (none when nothing is stored)",
              BRAND_QUERY, None, BrandFiguresPublic, csv_only=True),
    Operation("/brands/{slug}/topics", "getBrandTopics",
              "A brand's complaint topics for a period, most frequent first",
              BRAND_QUERY, TopicListPublic, TopicRowPublic),
    Operation("/brands/{slug}/topics.csv", "getBrandTopicsCsv", "Complaint topics as CSV",
              BRAND_QUERY, None, TopicRowPublic, csv_only=True),
    Operation("/brands/{slug}/delays", "getBrandDelays",
              "A brand's first replies per delay band for a period, fastest first",
              BRAND_QUERY, DelayListPublic, DelayRowPublic),
    Operation("/brands/{slug}/delays.csv", "getBrandDelaysCsv", "Reply delays as CSV",
              BRAND_QUERY, None, DelayRowPublic, csv_only=True),
    Operation("/brands/{slug}/history", "getBrandHistory", "A brand's monthly snapshots",
              NO_QUERY, HistoryPublic, MetricsPublic),
    Operation("/brands/{slug}/history.csv", "getBrandHistoryCsv", "Monthly snapshots as CSV",
              NO_QUERY, None, MetricsPublic, csv_only=True),
    Operation("/compare", "compareBrands",
              "Two to four brands' figures for one period, in the order asked",
              COMPARE_QUERY, ComparePublic, BrandFiguresPublic),
    Operation("/compare.csv", "compareBrandsCsv",
              "The comparison as CSV: one row per brand with figures for the period",
              COMPARE_QUERY, None, BrandFiguresPublic, csv_only=True),
    Operation("/rankings", "getRanking",
              "The ranking of a period (window with month or as_of), optionally per sector",
              RANKINGS_QUERY, RankingPublic, RankingRowPublic),
    Operation("/rankings.csv", "getRankingCsv", "The ranking as CSV", RANKINGS_QUERY, None,
              RankingRowPublic, csv_only=True),
    Operation("/search", "searchBrands",
              "The site's search: brands whose name or slug holds q, with their live Carescore",
              SEARCH_QUERY, SearchPublic, SearchRowPublic),
    Operation("/search.csv", "searchBrandsCsv", "Search results as CSV", SEARCH_QUERY, None,
              SearchRowPublic, csv_only=True),
    Operation("/movers", "listMovers",
              "The biggest Carescore changes between the two newest final months",
              NO_QUERY, MoverListPublic, MoverPublic),
    Operation("/movers.csv", "listMoversCsv", "The movers as CSV", NO_QUERY, None,
              MoverPublic, csv_only=True),
    Operation("/sectors", "listSectors", "Sectors with their number of brands", NO_QUERY,
              SectorListPublic, SectorPublic),
    Operation("/sectors.csv", "listSectorsCsv", "Sectors as CSV", NO_QUERY, None,
              SectorPublic, csv_only=True),
    Operation("/posts", "listPosts", "Customer posts, newest first", POSTS_QUERY,
              PostListPublic, PostPublic),
    Operation("/posts.csv", "listPostsCsv", "Customer posts as CSV (next page in Link)",
              POSTS_QUERY, None, PostPublic, csv_only=True),
    *incident_operations(Operation),
    *leaders_operations(Operation),
    Operation("/methodology", "getMethodology", "The rules behind every figure", NO_QUERY,
              MethodologyPublic, tag="about"),
    *accuracy_operations(Operation),
    Operation("/openapi.json", "getOpenApi", "This document", NO_QUERY, None, tag="about"),
)  # fmt: skip

_ERRORS = {
    "400": "A parameter cannot be used; invalid_params names it.",
    "404": "No such brand, sector or snapshot.",
    "405": "Only GET, HEAD and OPTIONS.",
    "429": "Too many requests from this address; see Retry-After.",
    "500": "The server failed; no internals are shown.",
}
_HEADERS = {
    "ETag": {"description": "Send back in If-None-Match for a 304."},
    "Cache-Control": {"description": "public, max-age=60 on success."},
    "X-RateLimit-Limit": {"description": "Requests allowed in the current window."},
    "X-RateLimit-Remaining": {"description": "Requests left in the current window."},
    "X-RateLimit-Reset": {"description": "When the window resets, Unix seconds."},
}


def _parameter(param: Param) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": param.description,
        "schema": param.schema,
    }
    if param.example is not None:
        spec["example"] = param.example
    return spec


def _success(op: Operation) -> dict[str, Any]:
    content: dict[str, Any] = {}
    if op.shape is not None:
        content["application/json"] = {
            "schema": {"$ref": f"#/components/schemas/{op.shape.__name__}"}
        }
    elif not op.csv_only:
        content["application/json"] = {"schema": {"type": "object"}}
    if op.csv_row is not None:
        columns = ", ".join(csv_columns(op.csv_row))
        content["text/csv"] = {"schema": {"type": "string", "description": f"columns: {columns}"}}
    headers = {name: {**spec, "schema": {"type": "string"}} for name, spec in _HEADERS.items()}
    if op.csv_row is not None:
        headers["Content-Disposition"] = {
            "description": "The file name, with the period where the figures have one "
            "(ranking-telecom-2026-10.csv); attachment for CSV, inline for JSON.",
            "schema": {"type": "string"},
        }
    return {"description": "OK", "headers": headers, "content": content}


def _operation(op: Operation) -> dict[str, Any]:
    parameters = [_parameter(p) for p in op.query]
    if "{slug}" in op.path:
        parameters.insert(
            0,
            {
                "name": "slug",
                "in": "path",
                "required": True,
                "description": "Brand slug, as listed by /brands.",
                "schema": {"type": "string", "pattern": f"^{SLUG_RE}$"},
                "example": "nimbus-telecom",
            },
        )
    responses: dict[str, Any] = {
        "200": _success(op),
        "304": {"description": "Not modified: the If-None-Match ETag is current."},
    }
    responses |= {code: {"$ref": f"#/components/responses/Error{code}"} for code in _ERRORS}
    return {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
    }


class _Schemas(GenerateJsonSchema):
    """Pydantic's generator without a title on every field (the name says it already)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _schemas() -> dict[str, Any]:
    """Every model the operations send (and the ones they nest) in serialization mode, what
    brands send in validation mode (a field with a default is optional), and the problem."""
    models: list[type] = [ProblemPublic, *OUTPUTS]
    for op in OPERATIONS:
        models += [shape for shape in (op.shape, op.csv_row) if shape is not None]
    _refs, top = models_json_schema(
        [(model, "serialization") for model in dict.fromkeys(models)]
        + [(model, "validation") for model in INPUTS],
        ref_template="#/components/schemas/{model}",
        schema_generator=_Schemas,
    )
    schemas = top["$defs"]
    schemas["Problem"] = schemas.pop("ProblemPublic")
    return dict(sorted(schemas.items()))


@cache
def document_json() -> bytes:
    """The document as the API sends it, written once per process: walking and encoding
    it cost about thirty built brand answers on every miss of the answer cache."""
    return to_json(document()).encode()


@cache
def document_etag() -> str:
    """The document's ETag, hashed once too: hashing its 130 KB on every request cost
    more than the rest of the answer."""
    return body_etag(document_json())


@cache
def document() -> dict[str, Any]:
    """The whole document; it depends on code only, so it is built once per process."""
    problem_schema = {"schema": {"$ref": "#/components/schemas/Problem"}}
    problem_content = {"application/problem+json": problem_schema}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Carescore API",
            "version": API_VERSION,
            "summary": "How companies treat customers who speak up in public.",
            "description": (
                "Reads are public, JSON by default, CSV for tables (`.csv` or "
                "`Accept: text/csv`). Brands write statements and disputes with their key "
                "(bearer token); see the brands' right of reply. "
                "Every response has `demo` (true when the data are the fictional demo) and "
                "`methodology_version` "
                f"(currently {METHODOLOGY_VERSION}). Times are ISO 8601 UTC, durations "
                "seconds. Errors are RFC 9457 problem documents. Responses carry an ETag "
                "(send If-None-Match for a 304) and rate-limit headers; CORS is open for GET."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "tags": [
            {"name": "data", "description": "Brands, rankings, history, posts and incidents."},
            {"name": "about", "description": "The rules and this document."},
            {
                "name": "brands' right of reply",
                "description": "What a brand writes with its key: statements and disputes.",
            },
        ],
        "paths": {op.path: {"get": _operation(op)} for op in OPERATIONS}
        | reply_read_path()
        | write_paths(),
        "components": {
            "schemas": _schemas(),
            "responses": {
                f"Error{code}": {"description": text, "content": problem_content}
                for code, text in _ERRORS.items()
            }
            | write_responses(problem_content),
            "securitySchemes": SECURITY_SCHEME,
        },
    }
