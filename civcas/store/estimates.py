"""Estimates in the database: saved results, and the linked victims' list memberships.

``estimate_result`` keeps every saved estimate. Each one carries where it came from (its
``provenance``, kept inside ``result_json``): an estimate made from this record's linked
victims names the scope and the snapshot hash of the records it was made from; one made
from a file (an overlap table from elsewhere, e.g. Kosovo) names the file. The dashboard
and the report show an estimate only beside the very records and scope it was made from
(:func:`estimate_for`), never an unrelated table as "the estimated total". ``person_record`` belongs to the linkage task: one row per record of
a linked person on one list; this module only reads it.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Float, Integer, String, Table, Text, inspect, select, text

from ..model.errors import InputError, NotFoundError
from .engine import Store
from .schema import metadata

estimate_result = Table(
    "estimate_result",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("label", String(200), nullable=False),
    Column("method", String(40), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("n_observed", Integer, nullable=False),
    Column("N", Float, nullable=True),
    Column("ci_lo", Float, nullable=True),
    Column("ci_hi", Float, nullable=True),
    Column("model", Text, nullable=True),
    Column("result_json", Text, nullable=False),
)

PERSON_RECORD = "person_record"
STRATA = ("month", "governorate")


def _finite(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


RECORD = "record"  # provenance source: this database's linked victim records


def record_provenance(scope: dict[str, str], snapshot_sha256: str) -> dict[str, Any]:
    """Provenance of an estimate made from this record: the filter's parameters (``{}``
    for the whole record) and the snapshot hash of the incidents in that scope."""
    return {"source": RECORD, "scope": dict(scope), "snapshot_sha256": snapshot_sha256}


def file_provenance(path: str) -> dict[str, Any]:
    """Provenance of an estimate made from a file: only its name (no local path)."""
    return {"source": "file", "file": path.replace("\\", "/").rsplit("/", 1)[-1]}


def save_estimate(
    store: Store,
    result: dict[str, Any],
    label: str,
    provenance: dict[str, Any] | None = None,
) -> int:
    """Store one JSON-ready estimate (see civcas.estimate.public); returns its id.

    Without ``provenance`` nothing says which records it describes, so no public page
    will show it (see :func:`estimate_for`)."""
    ci = result.get("ci95") or [None, None]
    if provenance is not None:
        result = {**result, "provenance": provenance}
    row = {
        "label": label,
        "method": str(result.get("method", "")),
        "created_at": datetime.now(UTC).replace(tzinfo=None),
        "n_observed": int(result.get("n_observed", 0)),
        "N": _finite(result.get("N")),
        "ci_lo": _finite(ci[0]),
        "ci_hi": _finite(ci[1]),
        "model": result.get("model"),
        "result_json": json.dumps(_clean(result), default=str, ensure_ascii=False),
    }
    with store.begin() as conn:
        res = conn.execute(estimate_result.insert().values(**row))
        return int(res.inserted_primary_key[0])  # type: ignore[index]


def _clean(obj: Any) -> Any:
    """Non-finite numbers become null (JSON has no NaN or infinity)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def _row(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "label": r.label,
        "method": r.method,
        "created_at": r.created_at.isoformat(timespec="seconds") if r.created_at else None,
        "n_observed": r.n_observed,
        "N": r.N,
        "ci95": [r.ci_lo, r.ci_hi],
        "ci_lo": r.ci_lo,
        "ci_hi": r.ci_hi,
        "model": r.model,
        "result": json.loads(r.result_json),
    }


def latest_estimate(store: Store) -> dict[str, Any] | None:
    """The most recently saved estimate, or None when there is none."""
    q = select(estimate_result).order_by(estimate_result.c.id.desc()).limit(1)
    with store.connect() as conn:
        r = conn.execute(q).first()
    return _row(r) if r is not None else None


def estimate_for(
    store: Store, scope: dict[str, str], snapshot_sha256: str
) -> dict[str, Any] | None:
    """The latest saved estimate made from this record, for exactly this scope (the
    filter's parameters) and these records (their snapshot hash); else None."""
    for est in record_estimates(store):
        if matches(est, scope, snapshot_sha256):
            return est
    return None


def record_estimates(store: Store) -> list[dict[str, Any]]:
    """Saved estimates made from this record (newest first), with a finite total."""
    return [
        e
        for e in list_estimates(store)
        if e["N"] is not None and (e["result"].get("provenance") or {}).get("source") == RECORD
    ]


def matches(est: dict[str, Any], scope: dict[str, str], snapshot_sha256: str) -> bool:
    prov = est["result"].get("provenance") or {}
    return (
        prov.get("source") == RECORD
        and prov.get("scope") == dict(scope)
        and prov.get("snapshot_sha256") == snapshot_sha256
    )


def list_estimates(store: Store) -> list[dict[str, Any]]:
    q = select(estimate_result).order_by(estimate_result.c.id.desc())
    with store.connect() as conn:
        return [_row(r) for r in conn.execute(q)]


def capture_records(store: Store, stratify: str | None = None) -> list[dict[str, Any]]:
    """Linked people's list memberships: rows {person_id, list[, month | governorate]}.

    month is YYYY-MM of date_of_death; governorate is the record's place.
    """
    if stratify is not None and stratify not in STRATA:
        raise InputError(f"--stratify {stratify!r}: choose one of {', '.join(STRATA)}")
    if not inspect(store.engine).has_table(PERSON_RECORD):
        raise NotFoundError(
            "there are no linked victim records (table person_record is missing): run "
            "`civcas link --from-db` first to link the victim lists."
        )
    cols = {c["name"] for c in inspect(store.engine).get_columns(PERSON_RECORD)}
    sql = f"SELECT person_id, list, date_of_death, place FROM {PERSON_RECORD}"
    if "run_id" in cols:  # only the latest linkage run counts
        sql += f" WHERE run_id = (SELECT MAX(run_id) FROM {PERSON_RECORD})"
    q = text(sql)
    out = []
    with store.connect() as conn:
        for pid, lst, dod, place in conn.execute(q):
            row: dict[str, Any] = {"person_id": pid, "list": lst}
            if stratify == "month":
                row["month"] = str(dod)[:7] if dod else None
            elif stratify == "governorate":
                row["governorate"] = place or None
            out.append(row)
    if not out:
        raise NotFoundError(
            "person_record is empty: run `civcas link --from-db` first to link the victim lists."
        )
    return out
