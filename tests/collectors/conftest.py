"""Shared helpers: a registry with one made-up brand, recorded payloads, a mock network."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from carescore.store.brands import parse_registry, upsert_brands
from collectors.http import make_client

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

REGISTRY = """
[[brand]]
slug = "example-brand"
name = "Example Brand"
sector = "telecom"
country = "FR"
keywords = ["examplebrand"]
hashtags = ["#examplebrandfail"]
accounts.x = ["example_brand"]
accounts.mastodon = ["example_brand@brand.example"]
accounts.bluesky = ["examplebrand.com"]
accounts.reddit = ["ExampleBrand"]

[[brand]]
slug = "other-brand"
name = "Other Brand"
sector = "bank"
country = "GB"
keywords = ["otherbrand"]
accounts.x = ["other_help"]
"""


def fixture_text(platform: str, name: str) -> str:
    return (FIXTURES / platform / name).read_text(encoding="utf-8")


def fixture_json(platform: str, name: str):
    return json.loads(fixture_text(platform, name))


@pytest.fixture
def registry(session):
    upsert_brands(session, parse_registry(REGISTRY))
    session.commit()
    return session


class Sleeps(list):
    """An injectable sleep that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    """Our real client factory, on a transport that answers from recorded payloads."""
    return make_client(transport=httpx.MockTransport(handler))


def json_response(body, status: int = 200, headers: dict | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers or {})
