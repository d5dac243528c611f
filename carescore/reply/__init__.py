"""Brands' right of reply: keys that write for one brand, statements, disputed labels
reviewed by a person, and the audit log of every write.

What a brand can change: nothing directly. A statement is shown beside the figures and
never moves one; a dispute changes a post only after a reviewer accepts it, and then as
a human label that rescoring keeps (docs/right-of-reply.md).
"""

from carescore.reply.audit import AuditRecord, audit_log, record
from carescore.reply.disputes import (
    DISPUTE_KINDS,
    DISPUTES_PER_DAY,
    accept_dispute,
    file_dispute,
    get_dispute,
    list_disputes,
    reject_dispute,
)
from carescore.reply.errors import (
    Conflict,
    Forbidden,
    Invalid,
    Missing,
    ReplyError,
    TooManyDisputes,
    Unauthorized,
)
from carescore.reply.keys import IssuedKey, authenticate, issue_key, list_keys, revoke_key
from carescore.reply.public import BrandReply, Correction, DisputeFigures, brand_reply
from carescore.reply.statements import post_statement, withdraw_statement

__all__ = [
    "DISPUTES_PER_DAY",
    "DISPUTE_KINDS",
    "AuditRecord",
    "BrandReply",
    "Conflict",
    "Correction",
    "DisputeFigures",
    "Forbidden",
    "Invalid",
    "IssuedKey",
    "Missing",
    "ReplyError",
    "TooManyDisputes",
    "Unauthorized",
    "accept_dispute",
    "audit_log",
    "authenticate",
    "brand_reply",
    "file_dispute",
    "get_dispute",
    "issue_key",
    "list_disputes",
    "list_keys",
    "post_statement",
    "record",
    "reject_dispute",
    "revoke_key",
    "withdraw_statement",
]
