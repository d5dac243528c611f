"""The API shapes of the brands' right of reply: what a brand sends (`...Input`, with the
limits the domain enforces) and what anyone reads back (`...Public`).

Same conventions as `website.api.schemas`: dataclasses of JSON values whose JSON Schema
is derived for the OpenAPI document, ISO 8601 UTC times ending in Z.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carescore.read.serialize import iso
from carescore.reply import BrandReply, Correction
from carescore.reply.disputes import DISPUTE_KINDS, REASON_MAX
from carescore.reply.public import StatementView
from carescore.reply.statements import REFERS_TO_MAX, TEXT_MAX
from carescore.reply.text import URL_MAX
from carescore.store.models import Dispute, Statement
from carescore.vocab import LABELS

WRITE_MAX_BYTES = 16 * 1024


@dataclass
class StatementInput:
    """A statement: the brand's own words, shown as such beside its figures. Plain text."""

    text: str = field(metadata={"minLength": 1, "maxLength": TEXT_MAX})
    link: str | None = field(
        metadata={
            "maxLength": URL_MAX,
            "description": 'an absolute http(s) URL; shown with rel="nofollow ugc noopener"',
        }
    )
    refers_to: str | None = field(
        metadata={
            "maxLength": REFERS_TO_MAX,
            "description": "the incident or period it refers to, e.g. 'outage of 3 June'",
        }
    )


@dataclass
class DisputeInput:
    """A dispute of one customer post; a reviewer decides, nothing changes before."""

    kind: str = field(
        metadata={
            "enum": list(DISPUTE_KINDS),
            "description": "mislabelled (give label), misattributed (not about this brand), "
            "answered (give link to the public reply)",
        }
    )
    label: str | None = field(
        metadata={"enum": [*LABELS, None], "description": "the right label, for mislabelled"}
    )
    link: str | None = field(
        metadata={"maxLength": URL_MAX, "description": "http(s) URL of the reply, for answered"}
    )
    reason: str = field(metadata={"minLength": 1, "maxLength": REASON_MAX})


@dataclass
class StatementPublic:
    """A brand's statement, in its own words."""

    id: int
    brand_slug: str
    text: str
    link: str | None
    refers_to: str | None
    created_at: str = field(metadata={"format": "date-time"})
    withdrawn_at: str | None = field(
        metadata={"format": "date-time", "description": "set once the brand withdrew it"}
    )


@dataclass
class DisputePublic:
    """A dispute as filed; `status` moves from pending to accepted or rejected on review."""

    id: int
    brand_slug: str
    platform: str
    external_id: str
    kind: str
    label: str | None = field(metadata={"description": "the label asked for"})
    previous_label: str | None = field(metadata={"description": "the label when filed"})
    link: str | None
    reason: str
    status: str = field(metadata={"enum": ["pending", "accepted", "rejected"]})
    created_at: str = field(metadata={"format": "date-time"})
    decided_at: str | None = field(metadata={"format": "date-time"})
    decision_note: str | None = field(metadata={"description": "the reviewer's reason"})


@dataclass
class DisputeFiguresPublic:
    """Counts first; each rate is recomputable from the counts beside it."""

    inbound_posts: int = field(metadata={"description": "customer posts stored for the brand"})
    filed: int
    pending: int
    accepted: int
    rejected: int
    dispute_rate: float | None = field(metadata={"description": "filed / inbound_posts"})
    acceptance_rate: float | None = field(
        metadata={"description": "accepted / (accepted + rejected); pending left out"}
    )


@dataclass
class CorrectionPublic:
    """An accepted dispute: a post a reviewer corrected."""

    platform: str
    external_id: str
    url: str | None
    kind: str
    previous_label: str | None
    label: str | None = field(metadata={"description": "the human label (mislabelled only)"})
    decided_at: str = field(metadata={"format": "date-time"})
    note: str | None = field(metadata={"description": "the reviewer's reason"})


@dataclass
class BrandReplyPublic:
    """A brand's right of reply: its latest statements, dispute figures, corrections."""

    demo: bool
    brand_slug: str
    statements: list[StatementPublic]
    disputes: DisputeFiguresPublic
    corrections: list[CorrectionPublic] = field(
        metadata={"description": "the newest accepted disputes; their count is accepted"}
    )


def statement_public(s: Statement | StatementView, slug: str) -> StatementPublic:
    return StatementPublic(
        id=s.id,
        brand_slug=slug,
        text=s.text,
        link=s.link,
        refers_to=s.refers_to,
        created_at=iso(s.created_at) or "",
        withdrawn_at=iso(getattr(s, "withdrawn_at", None)),
    )


def dispute_public(d: Dispute, slug: str) -> DisputePublic:
    return DisputePublic(
        id=d.id,
        brand_slug=slug,
        platform=d.platform,
        external_id=d.external_id,
        kind=d.kind,
        label=d.requested_label,
        previous_label=d.previous_label,
        link=d.link,
        reason=d.reason,
        status=d.status,
        created_at=iso(d.created_at) or "",
        decided_at=iso(d.decided_at),
        decision_note=d.decision_note,
    )


def correction_public(c: Correction) -> CorrectionPublic:
    return CorrectionPublic(
        c.platform,
        c.external_id,
        c.url,
        c.kind,
        c.previous_label,
        c.label,
        iso(c.decided_at) or "",
        c.note,
    )


def brand_reply_public(reply: BrandReply, demo: bool) -> BrandReplyPublic:
    f = reply.figures
    return BrandReplyPublic(
        demo=demo,
        brand_slug=reply.slug,
        statements=[statement_public(s, reply.slug) for s in reply.statements],
        disputes=DisputeFiguresPublic(
            f.inbound_posts, f.filed, f.pending, f.accepted, f.rejected,
            f.dispute_rate, f.acceptance_rate,
        ),
        corrections=[correction_public(c) for c in reply.corrections],
    )  # fmt: skip
