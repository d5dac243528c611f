"""JSON Schema (2020-12, as OpenAPI 3.1 uses it) derived from dataclass shapes.

Only the right of reply's shapes (`website.api.reply_schemas`) are still dataclasses;
every read shape is a pydantic model whose schema pydantic writes (`website.api.schemas`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

_PRIMITIVES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _type_schema(hint: Any) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = _type_schema(options[0])
        if "type" in inner:
            return {**inner, "type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is list:
        return {"type": "array", "items": _type_schema(typing.get_args(hint)[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(typing.get_args(hint)[1])}
    if dataclasses.is_dataclass(hint):
        return {"$ref": f"#/components/schemas/{hint.__name__}"}
    return {"type": _PRIMITIVES[hint]}


def json_schema(shape: type) -> dict[str, Any]:
    """The closed JSON Schema of a `...Public` dataclass: every field required, no others."""
    hints = typing.get_type_hints(shape)
    properties = {}
    for f in dataclasses.fields(shape):
        prop = _type_schema(hints[f.name])
        extra = dict(f.metadata)
        if "format" in extra and "type" in prop:
            prop["format"] = extra.pop("format")
        prop.update(extra)
        properties[f.name] = prop
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if shape.__doc__ and not shape.__doc__.startswith(shape.__name__ + "("):
        schema["description"] = shape.__doc__.strip()
    return schema


def nested_shapes(shape: type, seen: dict[str, type] | None = None) -> dict[str, type]:
    """`shape` and every dataclass it refers to, by name."""
    seen = {} if seen is None else seen
    seen[shape.__name__] = shape
    for hint in typing.get_type_hints(shape).values():
        for candidate in (hint, *typing.get_args(hint)):
            if dataclasses.is_dataclass(candidate) and candidate.__name__ not in seen:
                nested_shapes(candidate, seen)
    return seen
