"""The site's API page (/api): the OpenAPI document made readable, with curl examples that
work against this very host. It reads the same document as /api/v1/openapi.json, so the
page cannot drift from the API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from carescore.reply.disputes import REASON_MAX
from carescore.reply.statements import TEXT_MAX
from website.api.openapi import document
from website.config import settings

bp = Blueprint("api_docs", __name__)

EXAMPLE_SLUG = "nimbus-telecom"


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    kind = schema.get("type", "string")
    kinds = kind if isinstance(kind, list) else [kind]
    text = " or ".join(kinds)
    if "array" in kinds and "items" in schema:
        text = f"list of {_type(schema['items'])}"
    if "enum" in schema:
        text += ": " + ", ".join(str(v) for v in schema["enum"])
    if "format" in schema:
        text += f" ({schema['format']})"
    return text


def _operations(doc: dict[str, Any], base: str) -> list[dict[str, Any]]:
    operations = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            example = path.replace("{slug}", EXAMPLE_SLUG)
            required = [
                f"{p['name']}={p['example']}"
                for p in op["parameters"]
                if p["in"] == "query" and p["required"] and "example" in p
            ]
            if required:
                example += "?" + "&".join(required)
            success = next(v for k, v in op["responses"].items() if k.startswith("2"))
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op["summary"],
                    "id": op["operationId"],
                    "key": bool(op.get("security")),
                    "params": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "type": _type(p["schema"]),
                            "default": p["schema"].get("default"),
                            "description": p.get("description", ""),
                        }
                        for p in op["parameters"]
                    ],
                    "formats": list(success.get("content", {})),
                    "curl": None if op.get("security") else f"curl -s '{base}{example}'",
                }
            )
    return operations


def _shapes(doc: dict[str, Any]) -> list[dict[str, Any]]:
    shapes = []
    for name, schema in doc["components"]["schemas"].items():
        if name == "Problem" or "properties" not in schema:
            continue
        shapes.append(
            {
                "name": name,
                "description": schema.get("description", ""),
                "fields": [
                    {"name": f, "type": _type(s), "description": s.get("description", "")}
                    for f, s in schema["properties"].items()
                ],
            }
        )
    return shapes


@bp.get("/api")
def api_page():
    doc = document()
    base = settings().base_url + doc["servers"][0]["url"]
    return render_template(
        "api.html",
        doc=doc,
        base=base,
        slug=EXAMPLE_SLUG,
        operations=_operations(doc, base),
        shapes=_shapes(doc),
        limits={
            "text": TEXT_MAX,
            "reason": REASON_MAX,
            "bytes": settings().write_max_bytes,
        },
    )
