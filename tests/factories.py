"""Test data built through the production functions."""

from sqlmodel import Session

from carescore.store.brands import parse_registry, upsert_brands

ACME_REGISTRY = """
[[brand]]
slug = "acme"
name = "Acme"
sector = "telecom"
country = "FR"
accounts.x = ["AcmeHelp"]
"""


def load_acme(session: Session) -> None:
    """One French telecom brand, Acme, answering as @AcmeHelp on X."""
    upsert_brands(session, parse_registry(ACME_REGISTRY))
