"""The conflict queue: where a re-import disagrees with what a person set (issue 16).

A re-import keeps a person's value of a field and queues the source's new value here
(see :mod:`civcas.store.merge`). A reviewer resolves each: keep the team's value, or take
the source's. Taking the source's is an edit like any other: it goes through
:mod:`.editing`'s gate (``_bump``: version, publication check) and the audit chain, and
the field comes from the source again (its provenance row is dropped).
"""

from __future__ import annotations

import json
from typing import Any

from ..model.errors import InputError, NotFoundError
from ..model.vocab import normalise_grade
from ..store import Store
from ..store import merge as sm
from . import audit, editing, fields
from .roles import Actor, require

KEEP = ("team", "source")
STATUSES = ("open", "kept_team", "took_source")


def _decode(v: str | None) -> Any:
    return None if v is None else json.loads(v)


def list_conflicts(
    store: Store, actor: Actor, status: str | None = "open", code: str | None = None
) -> list[dict[str, Any]]:
    """Conflicts (open ones by default; ``status=None``: all), oldest first, each with
    the incident's code, the field, both values, who set the team's value and why."""
    require(actor, "read_audit")
    if status is not None and status not in STATUSES:
        raise InputError(f"status {status!r}: expected one of {', '.join(STATUSES)}")
    with store.connect() as conn:
        rows = sm.conflict_rows(conn, status, code)
    for row in rows:
        row["source_value"] = _decode(row["source_value"])
        row["team_value"] = _decode(row["team_value"])
        row.pop("incident_id", None)
    return rows


def _typed(field: str, value: Any) -> Any:
    """The source's value (from JSON) as the column takes it."""
    if value is None:
        return None
    if field == "grade":
        g = normalise_grade(str(value))
        return g.value if g else None
    if field in fields.INCIDENT:
        return fields.clean(fields.INCIDENT, {field: value}, "incident", partial=True)[field]
    return value


def resolve(
    store: Store, actor: Actor, conflict_id: int, keep: str, reason: str | None = None
) -> dict[str, Any]:
    """Resolve one open conflict: ``keep`` 'team' or 'source'. Returns the conflict."""
    require(actor, "publish")
    if keep not in KEEP:
        raise InputError(f"keep {keep!r}: expected team or source")
    reason = (reason or "").strip() or None
    with audit.writing(store) as conn:
        con = sm.conflict_row(conn, conflict_id)
        if con is None:
            raise NotFoundError(f"no conflict {conflict_id}")
        if con["status"] != "open":
            raise InputError(f"conflict {conflict_id} is already resolved ({con['status']})")
        code = con["code"]
        inc = editing._load(conn, code)
        field = con["field"]
        what = {
            "conflict": conflict_id,
            "field": field,
            "source_value": _decode(con["source_value"]),
            "team_value": _decode(con["team_value"]),
        }
        if keep == "team":
            audit.record(
                conn,
                actor,
                "conflict.keep_team",
                "incident",
                code,
                {field: editing.jsonable({field: inc[field]})[field]},  # type: ignore[index]
                what,
                reason,
            )
            status = "kept_team"
        else:
            value = _typed(field, what["source_value"])
            change: dict[str, Any] = {field: value}
            if field == "date_start":
                change["month"] = value.strftime("%Y-%m") if value else None
            fields.check_ranges({**inc, **change}, "incident", fields.RANGES)
            version = editing._bump(conn, actor, inc, None, change, change)
            audit.record(
                conn,
                actor,
                "conflict.take_source",
                "incident",
                code,
                editing.jsonable({**{k: inc[k] for k in change}, "version": inc["version"]}),
                {**what, **(editing.jsonable(change) or {}), "version": version},
                reason,
            )
            # the field comes from the source again: the next import updates it
            sm.clear_provenance(conn, inc["id"], change)
            status = "took_source"
        sm.close_conflict(conn, conflict_id, status, actor.name, reason, audit.now())
    out = [x for x in list_conflicts(store, actor, None, code) if x["id"] == conflict_id]
    return out[0]
