"""Field interviews and site visits, entered one by one or imported from KoBo/ODK XLSX.

An interview's witness fields are protected (see ``protected.PROTECTED``). The XLSX
import reads the exported sheet through a column mapping (JSON), checks every row first
and reports all problems at once, then writes everything in one transaction: a crash
half-way leaves nothing behind, and re-importing the same export adds only new rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model.errors import ConfigError, InputError, NotFoundError, RowProblem
from ..store import Store
from ..store import workflow as sw
from . import audit, fields
from .protected import redact
from .roles import Actor, require

CONSENT = {
    "yes": "yes",
    "y": "yes",
    "true": "yes",
    "1": "yes",
    "oral": "yes",
    "written": "yes",
    "no": "no",
    "n": "no",
    "false": "no",
    "0": "no",
    "": "unknown",
    "unknown": "unknown",
}


def _kind(v: Any) -> str:
    s = (fields.text(v) or "interview").lower().replace(" ", "_")
    if s not in ("interview", "site_visit"):
        raise ValueError
    return s


def _consent(v: Any) -> str:
    key = (fields.text(v) or "").lower()
    if key not in CONSENT:
        raise ValueError(key)
    return CONSENT[key]


_kind.__doc__ = "interview or site_visit"
_consent.__doc__ = "yes, no or unknown"

INTERVIEW: dict[str, fields.Parser] = {
    "code": fields.text,
    "kind": _kind,
    "date": fields.date,
    "place": fields.text,
    "latitude": fields.number,
    "longitude": fields.number,
    "interviewer": fields.text,
    "witness_name": fields.text,
    "witness_contact": fields.text,
    "witness_latitude": fields.number,
    "witness_longitude": fields.number,
    "consent": _consent,
    "notes": fields.text,
}

#: a KoBoToolbox/ODK export's usual headers (group prefixes like ``g1/`` are ignored)
KOBO_MAPPING: dict[str, Any] = {
    "columns": {
        "code": "_uuid",
        "kind": "visit_type",
        "date": "today",
        "place": "place_name",
        "latitude": "_location_latitude",
        "longitude": "_location_longitude",
        "interviewer": "interviewer",
        "witness_name": "witness_name",
        "witness_contact": "witness_phone",
        "witness_latitude": "_witness_location_latitude",
        "witness_longitude": "_witness_location_longitude",
        "consent": "consent",
        "notes": "notes",
        "incidents": "incident_codes",
    }
}


def _insert(
    conn: Any,
    actor: Actor,
    data: dict[str, Any],
    incident_ids: list[int],
    codes: list[str],
    victims: list[int],
) -> dict[str, Any]:
    row = {
        **data,
        "date": data["date"].isoformat() if data.get("date") else None,
        "created_by": actor.name,
        "created_at": audit.now(),
    }
    row["id"] = sw.insert_row(conn, sw.wf_interview, row)
    for iid in incident_ids:
        sw.insert_row(conn, sw.wf_interview_link, {"interview_id": row["id"], "incident_id": iid})
    for vid in victims:
        sw.insert_row(conn, sw.wf_interview_link, {"interview_id": row["id"], "victim_id": vid})
    audit.record(
        conn,
        actor,
        "interview.add",
        "interview",
        row["code"],
        None,
        {**row, "incidents": codes, "victims": victims},
    )
    return row


def add(
    store: Store,
    actor: Actor,
    values: dict[str, Any],
    *,
    incidents: list[str] | None = None,
    victims: list[int] | None = None,
) -> dict[str, Any]:
    require(actor, "interviews")
    data = fields.clean(INTERVIEW, values, "interview", partial=False)
    if not data["code"]:
        raise InputError("interview: code is required")
    codes = incidents or []
    with audit.writing(store) as conn:
        ids = sw.incident_ids(conn, codes)
        unknown = [c for c in codes if c not in ids]
        if unknown:
            raise NotFoundError(f"no incident with code {', '.join(map(repr, unknown))}")
        if data["code"] in sw.interview_codes(conn):
            raise InputError(f"interview code {data['code']!r} is already in use")
        return _insert(conn, actor, data, [ids[c] for c in codes], codes, victims or [])


def get(store: Store, actor: Actor, code: str) -> dict[str, Any]:
    require(actor, "interviews")
    with store.connect() as conn:
        rows = sw.interview_rows(conn, code)
    if not rows:
        raise NotFoundError(f"no interview with code {code!r}")
    return redact("interview", rows[0], actor)


def list_all(store: Store, actor: Actor) -> list[dict[str, Any]]:
    require(actor, "interviews")
    with store.connect() as conn:
        return [redact("interview", r, actor) for r in sw.interview_rows(conn)]


def load_mapping(path: str | Path | None) -> dict[str, Any]:
    if path is None:
        return KOBO_MAPPING
    try:
        m = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the column mapping: {exc}") from exc
    cols = m.get("columns") if isinstance(m, dict) else None
    bad = [k for k in (cols or {}) if k not in INTERVIEW and k != "incidents"]
    if not isinstance(cols, dict) or bad or "code" not in cols:
        raise ConfigError(
            f"{path}: expected {{\"columns\": {{field: header}}}} with a 'code' column and "
            f"fields from {', '.join([*INTERVIEW, 'incidents'])}; unknown: {', '.join(bad)}"
        )
    return m


def read_xlsx(path: str | Path, mapping: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the first sheet as {field: value} through the mapping."""
    from openpyxl import load_workbook

    from ..io.xlsx_guard import check_xlsx

    check_xlsx(path)  # size and compression limits, before anything is inflated
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise InputError(f"cannot read the workbook: {exc}", source=str(path)) from exc
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(it, ())]
    short = [h.rsplit("/", 1)[-1] for h in header]
    where: dict[str, int] = {}
    missing = []
    for fld, col in mapping["columns"].items():
        if col in header:
            where[fld] = header.index(col)
        elif col in short:
            where[fld] = short.index(col)
        elif fld == "code":
            missing.append(col)
    if missing:
        raise InputError(f"the sheet has no column {missing[0]!r} (mapped to code)", str(path))
    rows = []
    for r in it:
        if r is None or all(v is None or v == "" for v in r):
            continue
        rows.append({f: (r[i] if i < len(r) else None) for f, i in where.items()})
    wb.close()
    return rows


def import_xlsx(
    store: Store,
    actor: Actor,
    path: str | Path,
    mapping: dict[str, Any] | None = None,
    *,
    kind: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Import an export; all rows are checked before anything is written."""
    require(actor, "interviews")
    mapping = mapping or KOBO_MAPPING
    rows = read_xlsx(path, mapping)
    problems: list[RowProblem] = []
    cleaned: list[tuple[int, dict[str, Any], list[str]]] = []
    for n, raw in enumerate(rows, start=2):
        inc = str(raw.pop("incidents", None) or "").replace(",", " ").split()
        if kind and not raw.get("kind"):
            raw["kind"] = kind
        try:
            data = fields.clean(INTERVIEW, raw, "interview", partial=False)
        except InputError as exc:
            problems += [RowProblem(n, p.field, p.value, p.expected) for p in exc.problems]
            continue
        if not data["code"]:
            problems.append(RowProblem(n, "code", raw.get("code"), "a unique id"))
            continue
        cleaned.append((n, data, inc))
    counts = {"rows": len(rows), "inserted": 0, "unchanged": 0}
    with audit.writing(store) as conn:
        ids = sw.incident_ids(conn, sorted({c for _, _, cs in cleaned for c in cs}))
        for n, _, cs in cleaned:
            problems += [
                RowProblem(n, "incidents", c, "a known incident code") for c in cs if c not in ids
            ]
        if problems:
            raise InputError("cannot import the interviews", str(path), problems)
        existing = sw.interview_codes(conn)
        for i, (_, data, cs) in enumerate(cleaned, start=1):
            if data["code"] in existing:
                counts["unchanged"] += 1
            else:
                existing.add(data["code"])
                _insert(conn, actor, data, [ids[c] for c in cs], cs, [])
                counts["inserted"] += 1
            if progress:
                progress(i, len(cleaned))
    return counts
