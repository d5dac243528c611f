"""What can go wrong when a brand writes, as exceptions the web edge maps to statuses
(401, 403, 400, 409, 429) and the CLI prints as one line."""

from __future__ import annotations

from carescore.errors import BadInput, CarescoreError


class ReplyError(CarescoreError):
    """Base of the right-of-reply refusals; the message is meant for the caller."""


class Unauthorized(ReplyError):
    """No key, an unknown key, or a revoked or expired one."""


class Forbidden(ReplyError):
    """A valid key for another brand than the one written to."""


class Missing(ReplyError, BadInput):
    """No such brand, post, statement or dispute."""


class Invalid(ReplyError, BadInput):
    """A field that cannot be accepted; `field` names it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class Conflict(ReplyError, BadInput):
    """The write contradicts the current state (a dispute already decided or pending)."""


class TooManyDisputes(ReplyError):
    """The brand filed its quota of disputes for the last 24 hours."""

    def __init__(self, limit: int, retry_after: int) -> None:
        super().__init__(
            f"at most {limit} disputes per brand in 24 hours; retry in {retry_after} s"
        )
        self.limit = limit
        self.retry_after = retry_after
