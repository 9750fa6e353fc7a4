"""Reviewing draft reports: a claim read from text becomes part of the record, or not.

A researcher accepts a draft **into a new incident** (made from the claim's date, place,
point and counts, with the blamed party as a suspected belligerent) or **into an existing
incident** (one of the candidates found by date and distance, or any code); either way
the report itself is attached to the incident as a source (its title, URL, date,
language and SHA-256), so the incident carries it. Or they reject it, with a reason.

Every step is a revision in the one audit chain (:mod:`.audit`, :mod:`civcas.store.history`):
``incident.create``, ``assessment.add`` and ``source.add`` on the incident (their reason
names the draft), and ``draft.accept`` / ``draft.reject`` on the draft, whose ``after``
names the incident. A draft is decided once: a second decision is a conflict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model.errors import ConflictError, InputError
from ..model.urls import safe_url
from ..store import Store
from ..store import drafts as sd
from . import audit, editing
from .roles import Actor, require

#: candidates: incidents within this many days of the claim's date and km of its point
CANDIDATE_DAYS = 2
CANDIDATE_KM = 10.0


def get(store: Store, actor: Actor, draft_id: int) -> dict[str, Any]:
    """One draft with live candidates (by date, then distance) and its decision."""
    require(actor, "read_unpublished")
    d = sd.get_draft(store, draft_id)
    d["candidates"] = candidates(store, d)
    d["decision"] = decision(store, draft_id)
    return d


def list_drafts(store: Store, actor: Actor, status: str | None) -> list[dict[str, Any]]:
    require(actor, "read_unpublished")
    if status is not None and status not in sd.STATUSES:
        raise InputError(f"parameter 'status': expected one of {', '.join(sd.STATUSES)}, all")
    return sd.list_drafts(store, status)


def candidates(store: Store, d: dict[str, Any]) -> list[dict[str, Any]]:
    """Incidents that may be the claim's: within ``CANDIDATE_DAYS`` of its date and
    ``CANDIDATE_KM`` of its point, nearest in time first, then nearest in space."""
    day = d.get("date")
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    out = sd.candidate_incidents(
        store, day, d.get("latitude"), d.get("longitude"), d.get("actor"),
        km=CANDIDATE_KM, days=CANDIDATE_DAYS,
    )  # fmt: skip
    out.sort(key=lambda r: (r["days"], r["km"] is None, r["km"] or 0.0, r["code"]))
    return out


def decision(store: Store, draft_id: int) -> dict[str, Any] | None:
    """The revision that decided the draft (action, actor, at, incident, reason)."""
    revs = [
        r
        for r in audit.log(store, entity="draft", key=str(draft_id))
        if r["action"] in ("draft.accept", "draft.reject")
    ]
    if not revs:
        return None
    r = revs[-1]
    after = r.get("after") or {}
    return {
        "action": r["action"],
        "actor": r["actor"],
        "at": r["at"],
        "reason": r.get("reason"),
        "incident": after.get("incident") if isinstance(after, dict) else None,
    }


def _span_value(claim: dict[str, Any], name: str) -> Any:
    field = claim.get(name) or {}
    return field.get("value")


def incident_values(d: dict[str, Any]) -> dict[str, Any]:
    """The new incident's fields, from the claim (what the text said, nothing more)."""
    claim = d["claim"]
    place = _span_value(claim, "place") or {}
    out: dict[str, Any] = {
        "date_start": d.get("date"),
        "location_en": (place.get("name") if isinstance(place, dict) else None) or d.get("place"),
        "location_ar": place.get("name_ar") if isinstance(place, dict) else None,
        "governorate_en": place.get("governorate") if isinstance(place, dict) else None,
        "latitude": d.get("latitude"),
        "longitude": d.get("longitude"),
        "killed_min": d.get("killed_min"),
        "killed_max": d.get("killed_max"),
        "injured_min": d.get("injured_min"),
        "injured_max": d.get("injured_max"),
        "summary": (claim.get("sentence") or {}).get("text", "").strip() or None,
        "url": safe_url(d.get("url")) or None,
    }
    for name in ("children_killed", "women_killed"):
        v = _span_value(claim, name)
        if isinstance(v, dict):
            out[f"{name}_min"], out[f"{name}_max"] = v.get("min"), v.get("max")
    return {k: (str(v) if isinstance(v, dt.date) else v) for k, v in out.items() if v is not None}


def source_values(d: dict[str, Any]) -> dict[str, Any]:
    """The report as a source of the incident: how the incident carries the draft."""
    out = {
        "title": f"{d['source_id']} (draft report {d['id']})",
        "url": safe_url(d.get("url")) or None,
        "date": str(d["published"]) if d.get("published") else None,
        "language": d.get("lang"),
        "sha256": d.get("source_sha256"),
    }
    return {k: v for k, v in out.items() if v}


def _open(store: Store, draft_id: int) -> dict[str, Any]:
    d = sd.get_draft(store, draft_id)
    if d["status"] != "draft":
        raise ConflictError(f"draft report {draft_id} was already {d['status']}")
    return d


def accept(
    store: Store, actor: Actor, draft_id: int, into: str, reason: str | None = None
) -> dict[str, Any]:
    """Accept the draft into incident ``into`` (a code) or a new one (``into == "new"``).

    Returns {"draft", "incident", "created", "source"}.
    """
    require(actor, "edit")
    into = (into or "").strip()
    if not into:
        raise InputError("parameter 'into': choose an incident, or new")
    d = _open(store, draft_id)
    why = f"draft report {draft_id}" + (f": {reason.strip()}" if reason and reason.strip() else "")
    created = into == "new"
    if created:
        inc = editing.create(store, actor, incident_values(d), reason=why)
        code = inc["code"]
        blamed = sd.ACTOR_TO_BELLIGERENT.get(d.get("actor") or "")
        if blamed:
            editing.add_child(
                store, actor, code, "assessment", {"belligerent": d["actor"]}, reason=why
            )
    else:
        code = editing.get(store, actor, into)["code"]  # NotFound when it is not there
    src = editing.add_child(store, actor, code, "source", source_values(d), reason=why)
    _decide(store, actor, d, "accepted", {"incident": code, "source_id": src.get("id")}, reason)
    return {"draft": draft_id, "incident": code, "created": created, "source": src}


def reject(store: Store, actor: Actor, draft_id: int, reason: str | None = None) -> dict[str, Any]:
    """Reject the draft (nothing in the record changes); the reason is kept."""
    require(actor, "edit")
    d = _open(store, draft_id)
    _decide(store, actor, d, "rejected", {}, reason)
    return {"draft": draft_id, "status": "rejected"}


def _decide(
    store: Store,
    actor: Actor,
    d: dict[str, Any],
    status: str,
    extra: dict[str, Any],
    reason: str | None,
) -> None:
    with audit.writing(store) as conn:
        if not sd.decide(conn, d["id"], status, actor.name):
            raise ConflictError(f"draft report {d['id']} was decided by someone else meanwhile")
        audit.record(
            conn,
            actor,
            "draft.accept" if status == "accepted" else "draft.reject",
            "draft",
            d["id"],
            {"status": "draft", "source_id": d["source_id"]},
            {"status": status, **extra},
            (reason or "").strip() or None,
        )
