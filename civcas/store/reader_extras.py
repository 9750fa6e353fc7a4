"""What an incident page adds for a reader beyond the incident's own rows (issue 19): the
web captures archived for its sources, and the other spellings under which linkage found
its victims. Public by construction: only web captures (never evidence files, which may
identify witnesses), only a capture's hash and day, and only spellings of victims of
published incidents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from .engine import Store
from .name_keys import person_records
from .schema import incident, victim
from .workflow import wf_evidence


def web_captures(store: Store, source_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """{source id: [{sha256, date}]} of the web captures archived for those sources."""
    if not source_ids:
        return {}
    e = wf_evidence.c
    q = (
        select(e.source_id, e.sha256, e.added_at)
        .where(e.source_id.in_(list(source_ids)), e.kind == "web_capture")
        .order_by(e.source_id, e.added_at, e.id)
    )
    out: dict[int, list[dict[str, Any]]] = {}
    with store.connect() as conn:
        for r in conn.execute(q):
            out.setdefault(int(r.source_id), []).append(
                {"sha256": r.sha256, "date": str(r.added_at or "")[:10] or None}
            )
    return out


def other_spellings(store: Store, victim_ids: Sequence[int]) -> dict[int, list[dict[str, str]]]:
    """{victim id: [{name, name_ar}]}: how the records linkage joined to each victim spell
    the person's name, where that differs from the victim's own, from published incidents
    only (a record of an unpublished incident shows nothing, not even a spelling)."""
    linked = person_records(store, [f"victim-{i}" for i in victim_ids])
    if not linked:
        return {}
    wanted = {
        int(rec["record_id"][len("victim-") :])
        for recs in linked.values()
        for rec in recs
        if str(rec["record_id"]).startswith("victim-")
        and str(rec["record_id"])[len("victim-") :].isdigit()
    }
    with store.connect() as conn:
        public = set(
            conn.execute(
                select(victim.c.id)
                .join(incident, incident.c.id == victim.c.incident_id)
                .where(victim.c.id.in_(list(wanted)), incident.c.published.is_(True))
            ).scalars()
        )
    out: dict[int, list[dict[str, str]]] = {}
    for vid in victim_ids:
        own = f"victim-{vid}"
        recs = linked.get(own, [])
        mine = next((r for r in recs if r["record_id"] == own), None)
        seen = {((mine or {}).get("name") or "", (mine or {}).get("name_ar") or "")}
        for rec in recs:
            rid = str(rec["record_id"])
            if rid == own or not rid.startswith("victim-"):
                continue
            if not rid[len("victim-") :].isdigit() or int(rid[len("victim-") :]) not in public:
                continue
            pair = (rec.get("name") or "", rec.get("name_ar") or "")
            if pair in seen or not any(pair):
                continue
            seen.add(pair)
            out.setdefault(vid, []).append({"name": pair[0], "name_ar": pair[1]})
    return out


__all__ = ["other_spellings", "web_captures"]
