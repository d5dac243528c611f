"""What every API shape shares: a closed model, one time format, the code lists as
literal types, a field's description, and a row shape's CSV columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from carescore.read.serialize import iso
from carescore.vocab import LABEL_SOURCES, LABELS, SORTS, WINDOWS


class Public(BaseModel):
    """Base of the API's shapes: closed, fields in declaration order."""

    model_config = ConfigDict(extra="forbid", frozen=True)


UTCTime = Annotated[
    datetime,
    PlainSerializer(iso, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Window = Literal[WINDOWS]
Sort = Literal[SORTS]
Label = Literal[LABELS]
LabelSource = Literal[LABEL_SOURCES]


def _d(text: str) -> object:
    """A field's description, as the OpenAPI document shows it."""
    return Field(description=text)


def described(text: str) -> object:
    """A field's description, as the OpenAPI document shows it."""
    return Field(description=text)


def csv_columns(shape: type[BaseModel]) -> list[str]:
    """The CSV columns of a row shape: its fields, in order."""
    return list(shape.model_fields)
