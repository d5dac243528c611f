"""The API shapes of the brands' right of reply: what a brand sends (`...Input`, with the
limits the domain enforces) and what anyone reads back (`...Public`), with their builders.

Pydantic models like every other shape (`website.api.shape_base`): the OpenAPI document takes
the outputs' JSON Schema in serialization mode and the inputs' in validation mode, so a
field a brand may leave out is optional there. Times are ISO 8601 UTC ending in Z.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from carescore.reply import BrandReply, Correction
from carescore.reply.disputes import REASON_MAX
from carescore.reply.public import StatementView
from carescore.reply.statements import REFERS_TO_MAX, TEXT_MAX
from carescore.reply.text import URL_MAX
from carescore.store.reply_tables import Dispute, Statement
from carescore.vocab import DISPUTE_KINDS, DISPUTE_STATUSES
from website.api.shape_base import Label, Public, UTCTime

WRITE_MAX_BYTES = 16 * 1024


class StatementInput(Public):
    """A statement: the brand's own words, shown as such beside its figures. Plain text."""

    text: Annotated[str, Field(min_length=1, max_length=TEXT_MAX)]
    link: Annotated[str | None, Field(max_length=URL_MAX)] = Field(
        None, description='an absolute http(s) URL; shown with rel="nofollow ugc noopener"'
    )
    refers_to: Annotated[str | None, Field(max_length=REFERS_TO_MAX)] = Field(
        None, description="the incident or period it refers to, e.g. 'outage of 3 June'"
    )


class DisputeInput(Public):
    """A dispute of one customer post; a reviewer decides, nothing changes before."""

    kind: Literal[DISPUTE_KINDS] = Field(
        description="mislabelled (give label), misattributed (not about this brand), "
        "answered (give link to the public reply)"
    )
    label: Label | None = Field(None, description="the right label, for mislabelled")
    link: Annotated[str | None, Field(max_length=URL_MAX)] = Field(
        None, description="http(s) URL of the reply, for answered"
    )
    reason: Annotated[str, Field(min_length=1, max_length=REASON_MAX)]


class StatementPublic(Public):
    """A brand's statement, in its own words."""

    id: int
    brand_slug: str
    text: str
    link: str | None
    refers_to: str | None
    created_at: UTCTime
    withdrawn_at: UTCTime | None = Field(description="set once the brand withdrew it")


class DisputePublic(Public):
    """A dispute as filed; `status` moves from pending to accepted or rejected on review."""

    id: int
    brand_slug: str
    platform: str
    external_id: str
    kind: str
    label: str | None = Field(description="the label asked for")
    previous_label: str | None = Field(description="the label when filed")
    link: str | None
    reason: str
    status: Literal[DISPUTE_STATUSES]
    created_at: UTCTime
    decided_at: UTCTime | None
    decision_note: str | None = Field(description="the reviewer's reason")


class DisputeFiguresPublic(Public):
    """Counts first; each rate is recomputable from the counts beside it."""

    inbound_posts: int = Field(description="customer posts stored for the brand")
    filed: int
    pending: int
    accepted: int
    rejected: int
    dispute_rate: float | None = Field(description="filed / inbound_posts")
    acceptance_rate: float | None = Field(
        description="accepted / (accepted + rejected); pending left out"
    )


class CorrectionPublic(Public):
    """An accepted dispute: a post a reviewer corrected."""

    platform: str
    external_id: str
    url: str | None
    kind: str
    previous_label: str | None
    label: str | None = Field(description="the human label (mislabelled only)")
    decided_at: UTCTime
    note: str | None = Field(description="the reviewer's reason")


class BrandReplyPublic(Public):
    """A brand's right of reply: its latest statements, dispute figures, corrections."""

    demo: bool
    brand_slug: str
    statements: list[StatementPublic]
    disputes: DisputeFiguresPublic
    corrections: list[CorrectionPublic] = Field(
        description="the newest accepted disputes; their count is accepted"
    )


INPUTS = (StatementInput, DisputeInput)
"""What brands send: documented in validation mode (what is accepted)."""
OUTPUTS = (StatementPublic, DisputePublic, BrandReplyPublic)
"""What the right of reply sends back (nested shapes follow)."""


def statement_public(s: Statement | StatementView, slug: str) -> StatementPublic:
    return StatementPublic(
        id=s.id,
        brand_slug=slug,
        text=s.text,
        link=s.link,
        refers_to=s.refers_to,
        created_at=s.created_at,
        withdrawn_at=getattr(s, "withdrawn_at", None),
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
        created_at=d.created_at,
        decided_at=d.decided_at,
        decision_note=d.decision_note,
    )


def correction_public(c: Correction) -> CorrectionPublic:
    return CorrectionPublic(
        platform=c.platform,
        external_id=c.external_id,
        url=c.url,
        kind=c.kind,
        previous_label=c.previous_label,
        label=c.label,
        decided_at=c.decided_at,
        note=c.note,
    )


def brand_reply_public(reply: BrandReply, demo: bool) -> BrandReplyPublic:
    f = reply.figures
    return BrandReplyPublic(
        demo=demo,
        brand_slug=reply.slug,
        statements=[statement_public(s, reply.slug) for s in reply.statements],
        disputes=DisputeFiguresPublic(
            inbound_posts=f.inbound_posts,
            filed=f.filed,
            pending=f.pending,
            accepted=f.accepted,
            rejected=f.rejected,
            dispute_rate=f.dispute_rate,
            acceptance_rate=f.acceptance_rate,
        ),
        corrections=[correction_public(c) for c in reply.corrections],
    )
