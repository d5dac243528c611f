"""The OpenAPI description of what brands write (statements, disputes) and of the bearer
key it takes, merged into the document by `website.api.openapi`. Built from the same
`...Input` / `...Public` shapes and limits the views and the domain use.
"""

from __future__ import annotations

from typing import Any

from carescore.reply.disputes import DISPUTES_PER_DAY
from website.api.params import SLUG_RE
from website.api.reply_schemas import (
    WRITE_MAX_BYTES,
    BrandReplyPublic,
    DisputeInput,
    DisputePublic,
    StatementInput,
    StatementPublic,
)

SECURITY_SCHEME = {
    "brandKey": {
        "type": "http",
        "scheme": "bearer",
        "description": (
            "A brand key (csk_...), issued by the operator for one brand. It writes for "
            "that brand only (403 elsewhere); a revoked or expired key gets 401 at once."
        ),
    }
}
WRITE_ERRORS = {
    "400": "A field cannot be accepted; invalid_params names it.",
    "401": "No key, an unknown key, or a revoked or expired one (WWW-Authenticate: Bearer).",
    "403": "The key belongs to another brand.",
    "404": "No such brand, post, statement or dispute.",
    "409": "The post already has a dispute waiting for review.",
    "413": f"The body is over {WRITE_MAX_BYTES} bytes.",
    "415": "The body is not application/json.",
    "429": (
        "Too many writes from this address, or more than the brand's quota of disputes "
        f"(default {DISPUTES_PER_DAY} in 24 hours); see Retry-After."
    ),
    "500": "The server failed; no internals are shown.",
}

_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "Brand slug, as listed by /brands.",
    "schema": {"type": "string", "pattern": f"^{SLUG_RE}$"},
    "example": "nimbus-telecom",
}


def _path_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema}  # fmt: skip


def _json(shape: type) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{shape.__name__}"}}}


def _errors(codes: tuple[str, ...]) -> dict[str, Any]:
    return {code: {"$ref": f"#/components/responses/WriteError{code}"} for code in codes}


_ALL = tuple(WRITE_ERRORS)


def _write(
    op_id: str, summary: str, params: list, body: type | None, status: str, shape: type, codes
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "tags": ["brands' right of reply"],
        "security": [{"brandKey": []}],
        "parameters": params,
        "responses": {
            status: {"description": "Done.", "content": _json(shape)},
            **_errors(codes),
        },
    }
    if body is not None:
        op["requestBody"] = {"required": True, "content": _json(body)}
    return op


def write_paths() -> dict[str, dict[str, Any]]:
    platform = _path_param("platform", "x, mastodon, bluesky, reddit...", {"type": "string"})
    external_id = _path_param("external_id", "the post's id on its platform", {"type": "string"})
    no_body = tuple(c for c in _ALL if c not in ("409", "413", "415"))
    return {
        "/brands/{slug}/statements": {
            "post": _write("postStatement", "Publish a statement as the brand (its own words)",
                           [_SLUG], StatementInput, "201", StatementPublic,
                           tuple(c for c in _ALL if c != "409")),
        },
        "/brands/{slug}/statements/{statement_id}": {
            "delete": _write("withdrawStatement",
                             "Withdraw a statement: gone from the pages, kept in the audit log",
                             [_SLUG, _path_param("statement_id", "as returned when posted",
                                                 {"type": "integer", "minimum": 1})],
                             None, "200", StatementPublic, no_body),
        },
        "/posts/{platform}/{external_id}/disputes": {
            "post": _write("postDispute",
                           "Dispute a post's label, attribution or reply; a reviewer decides",
                           [platform, external_id], DisputeInput, "201", DisputePublic, _ALL),
        },
        "/disputes/{dispute_id}": {
            "get": _write("getDispute", "Follow one of the brand's own disputes",
                          [_path_param("dispute_id", "as returned when filed",
                                       {"type": "integer", "minimum": 1})],
                          None, "200", DisputePublic, no_body),
        },
    }  # fmt: skip


def reply_read_path() -> dict[str, Any]:
    """The public read: statements, dispute figures and corrections of one brand."""
    return {
        "/brands/{slug}/reply": {
            "get": {
                "operationId": "getBrandReply",
                "summary": "A brand's statements, dispute figures and corrections",
                "tags": ["data"],
                "parameters": [_SLUG],
                "responses": {
                    "200": {"description": "OK", "content": _json(BrandReplyPublic)},
                    "304": {"description": "Not modified: the If-None-Match ETag is current."},
                    **{
                        code: {"$ref": f"#/components/responses/Error{code}"}
                        for code in ("400", "404", "405", "429", "500")
                    },
                },
            }
        }
    }


def write_responses(problem_content: dict[str, Any]) -> dict[str, Any]:
    return {
        f"WriteError{code}": {"description": text, "content": problem_content}
        for code, text in WRITE_ERRORS.items()
    }
