"""The team's work queue and who works on what.

``search`` is the queue as an actor may see it: researchers and above see every
incident; a contributor sees only their own submissions. ``assign`` gives an incident to
a researcher (or to nobody). Taking an incident yourself, or giving back your own, needs
``edit``; handing work to someone else, or taking it away from them, needs ``publish``
(a reviewer's call). Each assignment is a revision in the audit chain ("incident.assign",
before and after), and changes neither the incident's version nor its record.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..model.errors import InputError, NotFoundError
from ..store import Store
from ..store import queue as sq
from ..store import workflow as sw
from . import audit
from .roles import Actor, PermissionDenied, can, require

QueueQuery = sq.QueueQuery
STATUSES = sq.STATUSES


def check_query(f: QueueQuery) -> None:
    """Refuse a status or sort the queue does not know, naming the parameter."""
    if f.status not in sq.STATUSES:
        raise InputError(f"parameter 'status': expected one of {', '.join(sq.STATUSES)}")
    if f.sort not in sq.SORTS:
        raise InputError(f"parameter 'sort': expected one of {', '.join(sq.SORTS)}")
    if f.offset < 0:
        raise InputError("parameter 'offset': expected 0 or more")
    if not 1 <= f.limit <= sq.MAX_LIMIT:
        raise InputError(f"parameter 'limit': expected 1 to {sq.MAX_LIMIT}")


def search(store: Store, actor: Actor, f: QueueQuery) -> dict[str, Any]:
    """{"total", "offset", "limit", "rows"} of the queue ``actor`` may see."""
    require(actor, "submit")
    check_query(f)
    if f.mine is not None and f.mine != actor.user_id:
        raise InputError("parameter 'mine': a person's own incidents only")
    if not can(actor.role, "read_unpublished"):
        # a contributor's queue is what they submitted (nothing else unpublished)
        f = replace(f, submitted_by=actor.user_id or -1)
    total, rows = sq.search(store, f)
    return {"total": total, "offset": f.offset, "limit": f.limit, "rows": rows}


def assign(
    store: Store, actor: Actor, code: str, assignee: str | None, reason: str | None = None
) -> dict[str, Any]:
    """Give incident ``code`` to the user named ``assignee`` (None or "": to nobody).

    Returns {"code", "assigned_to", "assigned_at", "assigned_by"}.
    """
    require(actor, "edit")
    name = (assignee or "").strip() or None
    with audit.writing(store) as conn:
        row = sw.incident_row(conn, code)
        if row is None:
            raise NotFoundError(f"no incident with code {code!r}")
        before = sq.assignment(conn, row["id"])
        old = before["name"] if before else None
        if name == old:
            return {"code": code, "assigned_to": old, **_when(before)}
        user = None
        if name is not None:
            user = sq.user_by_name(conn, name)
            if user is None or user["disabled"]:
                raise InputError(f"parameter 'assignee': no active account named {name!r}")
            if not can(user["role"], "edit"):
                raise InputError(
                    f"parameter 'assignee': {name} ({user['role']}) cannot edit incidents;"
                    " assign a researcher, reviewer or admin"
                )
        others = {n for n in (old, name) if n is not None} - {actor.name}
        if others and not can(actor.role, "publish"):
            raise PermissionDenied(
                actor, "publish", f"only a reviewer assigns incidents to or from {min(others)}"
            )
        at = audit.now()
        sq.set_assignment(conn, row["id"], user["id"] if user else None, actor.name, at)
        audit.record(
            conn,
            actor,
            "incident.assign",
            "incident",
            code,
            {"assigned_to": old},
            {"assigned_to": name},
            reason or None,
        )
        return {"code": code, "assigned_to": name, "assigned_at": at, "assigned_by": actor.name}


def _when(a: dict[str, Any] | None) -> dict[str, Any]:
    return {"assigned_at": a["assigned_at"], "assigned_by": a["assigned_by"]} if a else {}


def assignable(store: Store, actor: Actor) -> list[str]:
    """Names an actor may pick in "assigned to": everyone who can edit."""
    require(actor, "submit")
    return [u["name"] for u in sq.assignable_users(store) if can(u["role"], "edit")]
