"""Protected fields: what only researchers and above may see, and the public view.

Sensitive fields are listed here as data. ``redact`` is the single gate every adapter
uses before showing a record; ``public_export`` writes the public view plus a manifest
of what was withheld, so readers know the data is incomplete on purpose.
"""

from __future__ import annotations

import csv
import json
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
    },
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


def public_interviews(store: Store) -> list[dict[str, Any]]:
    """Interviews linked to at least one published incident, redacted for the public."""
    from .roles import PUBLIC

    with store.connect() as conn:
        rows = sw.interview_rows(conn)
        published = sw.published_codes(conn)
    out = []
    for r in rows:
        r["incidents"] = [c for c in r["incidents"] if c in published]
        if r["incidents"]:
            out.append(redact("interview", r, PUBLIC))
    return out


def public_export(store: Store, out_dir: str | Path) -> dict[str, Any]:
    """Write interviews.json, interviews.csv and withheld.json (the manifest)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = public_interviews(store)
    (out / "interviews.json").write_text(
        json.dumps(rows, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    cols = sorted({k for r in rows for k in r}) or ["code"]
    with open(out / "interviews.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in r.items()})
    manifest = withheld_manifest(len(rows))
    (out / "withheld.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def withheld_manifest(n_interviews: int) -> dict[str, Any]:
    return {
        "withheld": [
            {"record": kind, "field": f, "why": why, "records_affected": n_interviews}
            for kind, spec in PROTECTED.items()
            for f, why in spec.items()
        ],
        "coarsened": [
            {
                "record": "interview",
                "field": f,
                "rule": f"rounded to {PUBLIC_COORD_DECIMALS} decimal places",
            }
            for f in ("latitude", "longitude")
        ],
        "excluded": "interviews not linked to any published incident",
    }
