"""A person decides each suggestion of the matcher: accepting one sets the incident's
strike status through the normal edit path (civcas.workflow.editing: permission, version,
audited revision, field provenance, publication gate); rejecting one changes nothing but
the suggestion, which keeps who decided, when and why."""

from __future__ import annotations

from typing import Any

from ..model.errors import ConflictError, InputError, NotFoundError
from ..model.strikes import StrikeStatus
from ..store import strikes as ss
from ..store.engine import Store
from ..workflow import editing
from ..workflow.roles import Actor, can, require


def _public(r: dict[str, Any]) -> dict[str, Any]:
    out = {
        "id": r["id"],
        "code": r["code"],
        "date": r["date_start"].isoformat() if r["date_start"] else None,
        "place": r["location_en"],
        "settings": r["settings"],
        "suggested": r["suggested"],
        "status": r["status"],
        "current_status": r["strike_status"],
        "version": r["version"],
        "state": r["state"],
        "matches": r["detail"].get("matches", []),
        "reasons": r["detail"].get("reasons", []),
        "decided_by": r["decided_by"],
        "decided_at": r["decided_at"].isoformat() if r["decided_at"] else None,
        "decision_reason": r["decision_reason"],
    }
    return out


def list_suggestions(
    store: Store, state: str | None = "pending", code: str | None = None
) -> list[dict[str, Any]]:
    with store.connect() as conn:
        return [_public(r) for r in ss.suggestions(conn, state=state, code=code)]


def pending(store: Store, actor: Actor) -> list[dict[str, Any]]:
    """The suggestions waiting for a person (researchers and above see them)."""
    require(actor, "read_unpublished")
    return list_suggestions(store, "pending")


def decide(
    store: Store,
    actor: Actor,
    sid: int,
    *,
    accept: bool,
    status: str | None = None,
    reason: str | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Accept (set the strike status, an audited edit) or reject one pending suggestion.

    ``status`` overrides the suggested one when accepting (a person may set likely,
    contested or single_source where no strike was declared); a suggestion that
    proposes none needs it.
    """
    require(actor, "edit")
    with store.connect() as conn:
        row = ss.suggestion(conn, sid)
    if row is None:
        raise NotFoundError(f"no strike suggestion {sid}")
    if row["state"] != "pending":
        raise ConflictError(f"suggestion {sid} was already {row['state']} by {row['decided_by']}")
    why = (reason or "").strip() or None
    if accept:
        value = status or row["status"]
        if value is None:
            raise InputError(
                f"suggestion {sid} ({row['suggested']}) proposes no strike status: "
                f"choose one of {', '.join(s.value for s in StrikeStatus)}"
            )
        if value not in {s.value for s in StrikeStatus}:
            raise InputError(f"status {value!r}: expected one of {', '.join(StrikeStatus)}")
        editing.edit(
            store,
            actor,
            row["code"],
            {"strike_status": value},
            expected_version=expected_version,
            reason=why or f"strike suggestion {sid} accepted ({row['settings']})",
        )
    with store.begin() as conn:
        if not ss.decide(conn, sid, "accepted" if accept else "rejected", actor.name, why):
            raise ConflictError(f"suggestion {sid} was decided by someone else meanwhile")
        row = ss.suggestion(conn, sid)
    assert row is not None
    return _public(row)


def may_decide(actor: Actor) -> bool:
    return can(actor.role, "edit")


__all__ = ["decide", "list_suggestions", "may_decide", "pending"]
