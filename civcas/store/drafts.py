"""Draft reports made by text extraction, waiting for a researcher's review.

A draft is never published: it stays ``draft`` until a person marks it ``accepted`` or
``rejected``. Each draft lists the incidents it may belong to (same date within a day,
within a few kilometres, compatible belligerent) so the reviewer can link it quickly.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    select,
    update,
)

from ..model.errors import InputError, NotFoundError
from .engine import Store
from .queries import KM_PER_DEG
from .schema import incident, metadata

STATUSES = ("draft", "accepted", "rejected")

draft_report = Table(
    "draft_report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("source_id", String(200), nullable=False),
    Column("source_path", Text),
    Column("source_sha256", String(64)),
    Column("url", Text),
    Column("lang", String(10)),
    Column("published", Date),
    Column("date", Date),
    Column("place", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("killed_min", Integer),
    Column("killed_max", Integer),
    Column("injured_min", Integer),
    Column("injured_max", Integer),
    Column("actor", Text),  # TEXT since 0011_text_columns
    Column("weapon", String(40)),
    Column("claim_json", Text, nullable=False),  # the claim with spans and confidences
    Column("candidates_json", Text, nullable=False, default="[]"),  # incident codes
    Column("status", String(10), nullable=False, default="draft"),
    Column("reviewed_by", String(100)),
    Column("reviewed_at", DateTime),
)
Index("ix_draft_status", draft_report.c.status)

# extraction's actor names -> the belligerent names incidents use (model.vocab)
ACTOR_TO_BELLIGERENT = {
    "US-led coalition": "us-led coalition", "Russia": "russian military",
    "Syrian government": "syrian government", "Turkey": "turkish military",
    "ISIS": "isis", "SDF": "sdf", "Israel": "israeli military",
}  # fmt: skip


def candidate_incidents(
    store: Store, day: date | None, lat: float | None, lon: float | None, actor: str | None,
    km: float = 5.0, days: int = 1,
) -> list[dict[str, Any]]:  # fmt: skip
    """Incidents within ``days`` of ``day`` and ``km`` of the point, with a compatible
    actor; nearest first (by distance; the review page orders by days apart, then km).

    Without a point, date and actor decide; without a date there are no candidates.
    """
    if day is None:
        return []
    c = incident.c
    q = select(c.id, c.code, c.date_start, c.latitude, c.longitude, c.belligerents, c.location_en)
    q = q.where(
        c.date_start >= day - timedelta(days=days), c.date_start <= day + timedelta(days=days)
    )
    if lat is not None and lon is not None:
        dlat = km / KM_PER_DEG
        dlon = km / (KM_PER_DEG * max(math.cos(math.radians(lat)), 0.01))
        q = q.where(
            c.latitude.between(lat - dlat, lat + dlat), c.longitude.between(lon - dlon, lon + dlon)
        )
    want = ACTOR_TO_BELLIGERENT.get(actor or "")
    out = []
    with store.connect() as conn:
        for row in conn.execute(q.limit(200)).mappings():
            bell = (row["belligerents"] or "").lower()
            if want and bell and want not in bell:
                continue
            dist = None
            if lat is not None and lon is not None and row["latitude"] is not None:
                dx = (row["longitude"] - lon) * KM_PER_DEG * math.cos(math.radians(lat))
                dy = (row["latitude"] - lat) * KM_PER_DEG
                dist = round(math.hypot(dx, dy), 2)
            out.append({"code": row["code"], "date": str(row["date_start"]), "km": dist,
                        "days": abs((row["date_start"] - day).days),
                        "belligerents": row["belligerents"], "location": row["location_en"]})  # fmt: skip
    out.sort(key=lambda r: (r["km"] is None, r["km"] or 0))
    return out


def add_draft(store: Store, values: dict[str, Any]) -> int:
    """Insert one draft (status 'draft'); ``values`` uses the column names above."""
    row = {
        **values,
        "created_at": datetime.now(UTC).replace(tzinfo=None),
        "status": "draft",
    }
    row["claim_json"] = json.dumps(row.get("claim_json") or {}, ensure_ascii=False)
    row["candidates_json"] = json.dumps(row.get("candidates_json") or [], ensure_ascii=False)
    with store.begin() as conn:
        res = conn.execute(draft_report.insert().values(**row))
        pk = res.inserted_primary_key
        return int(pk[0]) if pk else 0


def list_drafts(
    store: Store, status: str | None = "draft", limit: int = 500
) -> list[dict[str, Any]]:
    q = select(draft_report).order_by(draft_report.c.id).limit(limit)
    if status:
        q = q.where(draft_report.c.status == status)
    with store.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    for r in rows:
        r["claim"] = json.loads(r.pop("claim_json"))
        r["candidates"] = json.loads(r.pop("candidates_json"))
    return rows


def get_draft(store: Store, draft_id: int) -> dict[str, Any]:
    """One draft with its claim (fields, spans, confidences) and candidate incidents."""
    with store.connect() as conn:
        row = (
            conn.execute(select(draft_report).where(draft_report.c.id == draft_id))
            .mappings()
            .first()
        )
    if row is None:
        raise NotFoundError(f"no draft report {draft_id}")
    out = dict(row)
    out["claim"] = json.loads(out.pop("claim_json"))
    out["candidates"] = json.loads(out.pop("candidates_json"))
    return out


def decide(conn: Connection, draft_id: int, status: str, reviewer: str) -> bool:
    """Mark an undecided draft ``status``, in the caller's transaction; False when it was
    decided already (by someone else meanwhile) or does not exist."""
    if status not in STATUSES[1:]:
        raise InputError(f"status {status!r}: expected accepted or rejected")
    res = conn.execute(
        update(draft_report)
        .where(draft_report.c.id == draft_id, draft_report.c.status == "draft")
        .values(
            status=status,
            reviewed_by=reviewer,
            reviewed_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )
    return bool(res.rowcount == 1)


def set_status(store: Store, draft_id: int, status: str, reviewer: str) -> None:
    """Accept or reject a draft (a person's decision, recorded with their name)."""
    if status not in STATUSES:
        raise InputError(f"status {status!r}: expected one of {', '.join(STATUSES)}")
    with store.begin() as conn:
        res = conn.execute(
            update(draft_report)
            .where(draft_report.c.id == draft_id)
            .values(
                status=status,
                reviewed_by=reviewer,
                reviewed_at=datetime.now(UTC).replace(tzinfo=None),
            )  # fmt: skip
        )
        if res.rowcount == 0:
            raise NotFoundError(f"no draft report {draft_id}")
