"""Protected fields: what only researchers and above may see, and the public view.

Sensitive fields are listed here as data. ``redact`` is the single gate every adapter
uses before showing a record to a signed-in role; ``public_export`` writes the public view
plus a manifest of what was withheld, so readers know the data is incomplete on purpose.

The public view of interviews is an allowlist (:data:`PUBLIC_INTERVIEW_FIELDS`), not the
stored row minus a denylist: a column added to ``wf_interview`` later stays private until
someone decides to publish it. Only interviews whose consent is recorded as ``yes`` and
that are linked to a published incident are listed; the place is the linked published
incidents' governorate (never the interview's own place or coordinates, which may be where
a witness now lives), the date is the month, and there are no codes, ids or staff names.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from ..store import Store
from ..store import workflow as sw
from .roles import Actor, can

#: record type -> fields withheld from anyone below researcher, and why
PROTECTED: dict[str, dict[str, str]] = {
    "interview": {
        "witness_name": "witness identity",
        "witness_contact": "witness contact details",
        "witness_latitude": "exact location of a witness",
        "witness_longitude": "exact location of a witness",
        "notes": "interview notes",
        "interviewer": "identity of field staff",
        "created_by": "identity of the staff member who entered it",
    },
}

#: the only consent value that lets an interview be listed publicly: what
#: ``interviews.CONSENT`` maps yes, oral and written consent to. Anything else stored
#: (no, unknown, an unnormalised value from an old row or a restore) means no.
PUBLIC_CONSENT = "yes"

#: every field of the public view of an interview, and nothing else
PUBLIC_INTERVIEW_FIELDS: tuple[str, ...] = ("kind", "month", "incidents", "governorates")

#: the stored fields the public view shows, in some form (the rest are withheld)
SHOWN = ("kind", "date")

#: why each stored interview field is left out of the public view; a column missing here
#: is left out too ("not part of the public view")
PUBLIC_WITHHELD: dict[str, str] = {
    "id": "internal row number: sequential, it would show how many interviews exist",
    "code": "internal code: often sequential or the collection tool's id, it would show"
    " gaps (interviews left out) and link the record to the field team's files",
    **PROTECTED["interview"],
    "place": "the interview's own place: may be where a witness lives or shelters",
    "latitude": "the interview's location",
    "longitude": "the interview's location",
    "created_at": "when it was entered: with the staff rota it can point to a witness",
    "consent": "every listed interview has consent recorded as yes",
}

#: how the fields that are shown were coarsened
PUBLIC_COARSENED: dict[str, str] = {
    "date": "month only (YYYY-MM), in field 'month'",
    "place": "replaced by the governorate (else the country) of the linked published"
    " incidents, in field 'governorates'; no coordinates",
    "incidents": "only the codes of linked incidents that are published",
}

#: public coordinates are rounded to this many decimal places (about 1 km)
PUBLIC_COORD_DECIMALS = 2


def redact(kind: str, record: dict[str, Any], actor: Actor) -> dict[str, Any]:
    if can(actor.role, "read_protected"):
        return dict(record)
    out = {k: v for k, v in record.items() if k not in PROTECTED.get(kind, {})}
    for k in ("latitude", "longitude"):
        if isinstance(out.get(k), float):
            out[k] = round(out[k], PUBLIC_COORD_DECIMALS)
    return out


def _month(date: Any) -> str | None:
    text = str(date or "")
    return text[:7] if re.match(r"\d{4}-\d{2}(-|$)", text) else None


def public_interviews(store: Store) -> list[dict[str, Any]]:
    """Consented interviews linked to a published incident, as the public may see them.

    Rows are sorted by what they show (month, kind, incidents), never by when they were
    entered, so their order reveals no sequence either.
    """
    incidents: dict[str, dict[str, Any] | None] = {}
    out = []
    with store.connect() as conn:
        for r in sw.interview_rows(conn):
            if r.get("consent") != PUBLIC_CONSENT:
                continue
            for c in r["incidents"]:
                if c not in incidents:
                    incidents[c] = sw.incident_row(conn, c)
            linked = [inc for c in r["incidents"] if (inc := incidents[c]) and inc["published"]]
            if not linked:
                continue
            levels = {
                inc["governorate_en"] or inc["governorate_ar"] or inc["country"] for inc in linked
            }
            row = {
                "kind": r["kind"],
                "month": _month(r["date"]),
                "incidents": sorted({inc["code"] for inc in linked}),
                "governorates": sorted(g for g in levels if g),
            }
            assert tuple(row) == PUBLIC_INTERVIEW_FIELDS
            out.append(row)
    out.sort(key=lambda x: json.dumps([x[k] for k in PUBLIC_INTERVIEW_FIELDS]))
    return out


def public_export(store: Store, out_dir: str | Path) -> dict[str, Any]:
    """Write interviews.json, interviews.csv and withheld.json (the manifest)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = public_interviews(store)
    (out / "interviews.json").write_text(
        json.dumps(rows, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    cols = list(PUBLIC_INTERVIEW_FIELDS)
    from ..io.csvsafe import safe_dict  # formula-safe text cells

    with open(out / "interviews.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow(
                safe_dict({k: ";".join(v) if isinstance(v, list) else v for k, v in r.items()})
            )
    manifest = withheld_manifest(len(rows))
    (out / "withheld.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def withheld_manifest(n_listed: int) -> dict[str, Any]:
    """What the public view leaves out and why: rules, never counts of what was left out.

    ``n_listed`` is the number of interviews listed (the length of the list anyway). How
    many were excluded is not given, in total or per incident: per incident it would tell
    how many witnesses declined consent or are kept back for one strike, and a total that
    moves after a field trip tells who was visited; the rules below say that there are such
    interviews without saying how many.
    """
    fields = [str(c) for c in sw.wf_interview.columns.keys()]
    return {
        "listed": n_listed,
        "withheld": [
            {
                "record": "interview",
                "field": f,
                "why": PUBLIC_WITHHELD.get(f, "not part of the public view"),
            }
            for f in fields
            if f not in SHOWN
        ],
        "coarsened": [
            {"record": "interview", "field": f, "rule": rule}
            for f, rule in PUBLIC_COARSENED.items()
        ],
        "excluded": [
            "interviews whose consent is not recorded as yes (no, unknown or not recorded)",
            "interviews not linked to any published incident",
        ],
        "excluded_count": "not published: a count of interviews left out, in total or per"
        " incident, would tell how many witnesses declined or are kept back",
    }
