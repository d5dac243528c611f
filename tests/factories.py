"""Test data built through the production functions."""

from sqlmodel import Session

from carescore.store.brands import parse_registry, upsert_brands
from collectors.base import BrandTarget
from collectors.runner import load_targets

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


RIVALS_REGISTRY = """
[[brand]]
slug = "acme"
name = "Acme"
sector = "telecom"
country = "FR"
accounts.x = ["AcmeHelp", "AcmeCare"]

[[brand]]
slug = "zenith"
name = "Zenith"
sector = "telecom"
country = "FR"
accounts.x = ["ZenithHelp"]
"""


def load_rivals(session: Session) -> None:
    """Two French telecom brands: Acme (@AcmeHelp, @AcmeCare) and Zenith (@ZenithHelp)."""
    upsert_brands(session, parse_registry(RIVALS_REGISTRY))


# Text a spreadsheet would run as a formula (OWASP CSV injection), for names, handles
# and posts.
HOSTILE = (
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r\n=1+1",
)

HOSTILE_REGISTRY = """
[[brand]]
slug = "evil"
name = '=HYPERLINK("http://evil.example","click")'
sector = "telecom"
country = "FR"
accounts.x = ["@SUM(1+1)*cmd"]

[[brand]]
slug = "evil-two"
name = "-2+3+cmd|' /C calc'!A0"
sector = "+sector"
country = "FR"
"""


def load_hostile(session: Session) -> None:
    """Two brands whose name, handle and sector a spreadsheet would run as formulas."""
    upsert_brands(session, parse_registry(HOSTILE_REGISTRY))


def collection_target(session: Session, slug: str = "example-brand") -> BrandTarget:
    """The runner's view of one registered brand (tests/collectors' registry loads
    `example-brand`), as `load_targets` hands it to every source."""
    return next(t for t in load_targets(session) if t.slug == slug)
