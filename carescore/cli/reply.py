"""`carescore keys`, `carescore audit` and `carescore disputes`: the operator's side of
the brands' right of reply (issue and revoke keys, read the audit log, review disputes).

Every change is made in the name of an operator (`--by`, default: the system user), who
is written to the audit log with the change.
"""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime, time, timedelta

import click

from carescore.cli.common import parse_day, session
from carescore.reply import (
    accept_dispute,
    audit_log,
    get_dispute,
    issue_key,
    list_disputes,
    list_keys,
    reject_dispute,
    revoke_key,
)
from carescore.reply.keys import key_state
from carescore.vocab import DISPUTE_STATUSES


def _operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "operator"


by_option = click.option(
    "--by", "operator", default=_operator, show_default="the system user", help="who acts"
)


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ") if moment else "-"


@click.group("keys")
def keys_group() -> None:
    """Brand API keys: each writes statements and disputes for one brand only."""


@keys_group.command("issue")
@click.argument("slug")
@click.option("--label", help="what the key is for (e.g. the brand's team or tool)")
@click.option(
    "--expires", callback=parse_day, help="last day of validity, YYYY-MM-DD (UTC, inclusive)"
)
@by_option
def keys_issue(slug: str, label: str | None, expires, operator: str) -> None:
    """Issue a key for brand SLUG and print it once; only its hash is stored."""
    expires_at = datetime.combine(expires + timedelta(days=1), time(0), UTC) if expires else None
    with session() as s:
        issued = issue_key(s, slug, operator=operator, label=label, expires_at=expires_at)
    click.echo(f"key {issued.id} for {issued.brand_slug} (expires {_when(expires_at)}):")
    click.echo(issued.token)
    click.echo("Shown once: give it to the brand now; it cannot be displayed again.", err=True)


@keys_group.command("list")
def keys_list() -> None:
    """Every key: id, brand, prefix, state, label, created, expires (never the token)."""
    with session() as s:
        rows = list_keys(s)
    for key, slug in rows:
        click.echo(
            "\t".join(
                [
                    str(key.id),
                    slug,
                    key.prefix,
                    key_state(key),
                    key.label or "-",
                    _when(key.created_at),
                    _when(key.expires_at),
                ]
            )
        )


@keys_group.command("revoke")
@click.argument("key_id", metavar="ID", type=int)
@by_option
def keys_revoke(key_id: int, operator: str) -> None:
    """Revoke key ID; every worker refuses it from the next request on."""
    with session() as s:
        key = revoke_key(s, key_id, operator=operator)
    click.echo(f"key {key.id} ({key.prefix}) revoked at {_when(key.revoked_at)}")


@click.command("audit")
@click.option("--brand", "brand_slug", help="only this brand's entries")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--json", "as_json", is_flag=True, help="one JSON object per line")
def audit(brand_slug: str | None, limit: int, as_json: bool) -> None:
    """The audit log, newest first: when, who, from where, what, on which brand."""
    with session() as s:
        entries = audit_log(s, brand_slug=brand_slug, limit=limit)
    for e in entries:
        if as_json:
            row = {
                "id": e.id,
                "at": _when(e.at),
                "actor": e.actor,
                "address": e.address,
                "action": e.action,
                "brand": e.brand,
                "target": e.target,
                "detail": e.detail,
            }
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            detail = json.dumps(e.detail, ensure_ascii=False) if e.detail else ""
            fields = [_when(e.at), e.actor, e.address, e.action, e.brand or "-", e.target or "-"]
            click.echo("\t".join([*fields, detail]))


@click.group("disputes")
def disputes_group() -> None:
    """The review queue of disputes filed by brands."""


@disputes_group.command("list")
@click.option(
    "--status", type=click.Choice([*DISPUTE_STATUSES, "all"]), default="pending", show_default=True
)
def disputes_list(status: str) -> None:
    """Disputes, oldest first: id, filed, brand post, kind, requested label, status."""
    with session() as s:
        rows = list_disputes(s, None if status == "all" else status)
    for d in rows:
        click.echo(
            "\t".join(
                [
                    str(d.id),
                    _when(d.created_at),
                    f"{d.platform}/{d.external_id}",
                    d.kind,
                    f"{d.previous_label or '-'}->{d.requested_label or '-'}",
                    d.status,
                ]
            )
        )


@disputes_group.command("show")
@click.argument("dispute_id", metavar="ID", type=int)
def disputes_show(dispute_id: int) -> None:
    """Everything about one dispute and the post it is about."""
    with session() as s:
        d, post = get_dispute(s, dispute_id)
    lines = [
        f"dispute {d.id}: {d.status}, filed {_when(d.created_at)}",
        f"post: {d.platform}/{d.external_id}" + (f" ({post.url})" if post and post.url else ""),
        f"kind: {d.kind}",
        f"label now: {post.label if post else '(post removed)'}"
        + (f" ({post.label_source})" if post else ""),
        f"label when filed: {d.previous_label or '-'}",
    ]
    if d.requested_label:
        lines.append(f"requested label: {d.requested_label}")
    if d.link:
        lines.append(f"link: {d.link}")
    lines.append(f"reason: {d.reason}")
    if post:
        lines.append(f"text: {post.text}")
    if d.decided_at:
        lines.append(f"decided {_when(d.decided_at)} by {d.decided_by}: {d.decision_note}")
    click.echo("\n".join(lines))


def _parse_moment(_ctx, _param, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"expected an ISO 8601 time, got {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@disputes_group.command("accept")
@click.argument("dispute_id", metavar="ID", type=int)
@click.option("--note", required=True, help="why: kept on the dispute and shown with it")
@click.option(
    "--replied-at",
    callback=_parse_moment,
    help="for an 'answered' dispute: when the public reply was posted (ISO 8601, UTC if no zone)",
)
@by_option
def disputes_accept(dispute_id: int, note: str, replied_at, operator: str) -> None:
    """Accept dispute ID: the post takes the human decision; the next `rank` counts it."""
    with session() as s:
        d = accept_dispute(s, dispute_id, reviewer=operator, note=note, replied_at=replied_at)
    click.echo(f"dispute {d.id} accepted; run `carescore rank` to publish the change")


@disputes_group.command("reject")
@click.argument("dispute_id", metavar="ID", type=int)
@click.option("--note", required=True, help="why: kept on the dispute")
@by_option
def disputes_reject(dispute_id: int, note: str, operator: str) -> None:
    """Reject dispute ID: the post keeps the scorer's label."""
    with session() as s:
        d = reject_dispute(s, dispute_id, reviewer=operator, note=note)
    click.echo(f"dispute {d.id} rejected")


COMMANDS = [keys_group, audit, disputes_group]
