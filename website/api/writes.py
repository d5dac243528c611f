"""What a brand writes through the API: statements and disputes, with its brand key.

Each write: its own rate limit per address (lower than the reads'), a body of at most
CARESCORE_WRITE_MAX_BYTES (413 beyond), a JSON object, a bearer key checked in the
database (401 when missing, unknown, revoked or expired; 403 for another brand), then
one domain call and a commit that holds the change and its audit entry together.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import BadRequest, TooManyRequests, UnsupportedMediaType

from carescore.reply import (
    Conflict,
    Forbidden,
    Invalid,
    Missing,
    TooManyDisputes,
    Unauthorized,
    authenticate,
    file_dispute,
    post_statement,
    withdraw_statement,
)
from carescore.store.models import Brand
from carescore.store.reply_tables import Dispute
from website.api.http import json_response
from website.api.params import check_query
from website.api.ratelimit import RateLimit
from website.api.reply_schemas import (
    dispute_public,
    statement_public,
)
from website.config import settings
from website.db import get_session
from website.errors import problem

bp = Blueprint("api_write", __name__)
check_query(bp)

EXTENSION = "carescore_write_ratelimit"


@bp.before_request
def _before_write() -> None:
    """Size limit and rate limit before anything is read or looked up."""
    request.max_content_length = settings().write_max_bytes
    if request.method == "OPTIONS":
        return
    limiter: RateLimit = current_app.extensions[EXTENSION]
    window = limiter.hit(request.remote_addr or "unknown")
    if not window.allowed:
        raise TooManyRequests(
            f"More than {window.limit} writes in this window from this address.",
            retry_after=max(1, window.reset - int(time.time())),
        )


def _unauthorized(exc: Unauthorized) -> Response:
    response = problem(401, "Unauthorized", str(exc))
    response.headers["WWW-Authenticate"] = 'Bearer realm="carescore", error="invalid_token"'
    return response


bp.register_error_handler(Unauthorized, _unauthorized)
bp.register_error_handler(Forbidden, lambda exc: problem(403, "Forbidden", str(exc)))
bp.register_error_handler(Missing, lambda exc: problem(404, "Not Found", str(exc)))
bp.register_error_handler(Conflict, lambda exc: problem(409, "Conflict", str(exc)))
bp.register_error_handler(
    Invalid,
    lambda exc: problem(
        400,
        "Bad Request",
        str(exc),
        invalid_params=[{"name": exc.field, "reason": exc.reason}],
    ),
)


@bp.errorhandler(TooManyDisputes)
def _too_many(exc: TooManyDisputes) -> Response:
    response = problem(429, "Too Many Requests", str(exc))
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _key():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        raise Unauthorized("a brand key is required: Authorization: Bearer csk_...")
    return authenticate(get_session(), token.strip())


def _body() -> dict[str, Any]:
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as application/json.")
    try:
        data = request.get_json(silent=False)
    except BadRequest:
        raise BadRequest("The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise Invalid("body", "expected a JSON object")
    return data


def _created(shape: Any, location: str) -> Response:
    response = json_response(shape)
    response.status_code = 201
    response.headers["Location"] = location
    return response


@bp.post("/brands/<slug>/statements")
def create_statement(slug: str) -> Response:
    key = _key()
    session = get_session()
    statement = post_statement(session, key, slug, _body(), address=request.remote_addr or "")
    session.commit()
    return _created(
        statement_public(statement, slug), f"/api/v1/brands/{slug}/statements/{statement.id}"
    )


@bp.delete("/brands/<slug>/statements/<int:statement_id>")
def delete_statement(slug: str, statement_id: int) -> Response:
    key = _key()
    session = get_session()
    statement = withdraw_statement(
        session, key, slug, statement_id, address=request.remote_addr or ""
    )
    session.commit()
    return json_response(statement_public(statement, slug))


@bp.post("/posts/<platform>/<path:external_id>/disputes")
def create_dispute(platform: str, external_id: str) -> Response:
    key = _key()
    session = get_session()
    per_day = settings().disputes_per_day
    dispute = file_dispute(
        session,
        key,
        platform,
        external_id,
        _body(),
        address=request.remote_addr or "",
        per_day=per_day,
    )
    session.commit()
    slug = session.get(Brand, dispute.brand_id).slug
    return _created(dispute_public(dispute, slug), f"/api/v1/disputes/{dispute.id}")


@bp.get("/disputes/<int:dispute_id>")
def read_dispute(dispute_id: int) -> Response:
    """A brand follows its own dispute (status, decision); no other brand can read it."""
    key = _key()
    session = get_session()
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise Missing(f"no dispute {dispute_id}")
    if dispute.brand_id != key.brand_id:
        raise Forbidden("this key reads only its own brand's disputes")
    response = json_response(dispute_public(dispute, session.get(Brand, dispute.brand_id).slug))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def init_app(app: Flask) -> None:
    """Mount the write routes under /api/v1 with their own, lower, rate limit."""
    config = settings(app)
    app.extensions[EXTENSION] = RateLimit(
        config.write_ratelimit,
        config.ratelimit_storage,
        config.ratelimit_prefix + "-write",
        bp.name,
    )
    app.register_blueprint(bp, url_prefix="/api/v1")
