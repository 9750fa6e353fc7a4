"""Record-linkage tables: runs, linked people, the review queue and clerical decisions.

Decisions (accept/reject of a pair of records) are the only table a run never rewrites:
each run reads them, obeys them, and replaces ``person_record`` and ``link_review``.
Deleting a decision undoes its effect on the next run, so merges are reversible, and
``person_record`` keeps every original record with its own spelling.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
)

from ..model.errors import InputError, NotFoundError
from .engine import Store
from .schema import incident, metadata, victim

link_run = Table(
    "link_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", DateTime, nullable=False),
    Column("engine", String(20), nullable=False),
    Column("threshold_match", Float, nullable=False),
    Column("threshold_review", Float, nullable=False),
    Column("records", Integer, nullable=False),
    Column("people", Integer, nullable=False),
    Column("model_json", Text, nullable=False),
)

person_record = Table(
    "person_record",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, nullable=False),
    Column("person_id", String(40), nullable=False),
    Column("record_id", String(200), nullable=False),
    Column("list", String(200), nullable=False),
    Column("unique_id", String(400), nullable=False),
    Column("date_of_death", Date, nullable=True),
    Column("place", Text, nullable=True),
    Column("name", Text),
    Column("name_ar", Text),
    Column("sex", String(10)),
    Column("age", Integer),
    Column("match_probability", Float),
)
Index("ix_person_record_person", person_record.c.person_id)

link_review = Table(
    "link_review",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, nullable=False),
    Column("uid_a", String(400), nullable=False),
    Column("uid_b", String(400), nullable=False),
    Column("match_probability", Float, nullable=False),
)

link_decision = Table(
    "link_decision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid_a", String(400), nullable=False),
    Column("uid_b", String(400), nullable=False),
    Column("decision", String(10), nullable=False),  # accept | reject
    Column("reviewer", String(200)),
    Column("note", Text),
    Column("decided_at", DateTime, nullable=False),
    UniqueConstraint("uid_a", "uid_b", name="uq_link_decision_pair"),
)

DECISIONS = ("accept", "reject")


def _pair(a: str, b: str) -> tuple[str, str]:
    if a == b:
        raise InputError(f"a record cannot be paired with itself: {a!r}")
    return (a, b) if a < b else (b, a)


def load_decisions(store: Store) -> list[tuple[str, str, str]]:
    with store.connect() as conn:
        rows = conn.execute(select(link_decision.c.uid_a, link_decision.c.uid_b,
                                   link_decision.c.decision)).all()  # fmt: skip
    return [(r[0], r[1], r[2]) for r in rows]


def record_decision(
    store: Store,
    a: str,
    b: str,
    decision: str,
    reviewer: str | None = None,
    note: str | None = None,
) -> None:
    """Store (or change) a reviewer's decision on a pair; the model never overrides it."""
    if decision not in DECISIONS:
        raise InputError(f"decision {decision!r}: expected one of {DECISIONS}")
    ua, ub = _pair(a, b)
    with store.begin() as conn:
        conn.execute(
            delete(link_decision).where(
                (link_decision.c.uid_a == ua) & (link_decision.c.uid_b == ub)
            )
        )
        conn.execute(insert(link_decision).values(uid_a=ua, uid_b=ub, decision=decision, reviewer=reviewer,
                                                  note=note, decided_at=datetime.now(UTC).replace(tzinfo=None)))  # fmt: skip
        conn.execute(
            delete(link_review).where((link_review.c.uid_a == ua) & (link_review.c.uid_b == ub))
        )


def undo_decision(store: Store, a: str, b: str) -> None:
    """Withdraw a decision: the next run decides that pair from the model again."""
    ua, ub = _pair(a, b)
    with store.begin() as conn:
        res = conn.execute(
            delete(link_decision).where(
                (link_decision.c.uid_a == ua) & (link_decision.c.uid_b == ub)
            )
        )
        if res.rowcount == 0:
            raise NotFoundError(f"no decision stored for {ua} / {ub}")


def review_queue(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    """Uncertain pairs of the latest run, most uncertain (closest to 0.5... 0.9) first."""
    with store.connect() as conn:
        rows = (
            conn.execute(
                select(link_review).order_by(link_review.c.match_probability.desc()).limit(limit)
            )
            .mappings()
            .all()
        )
        recs = {}
        uids = {r["uid_a"] for r in rows} | {r["uid_b"] for r in rows}
        if uids:
            for p in conn.execute(
                select(person_record).where(person_record.c.unique_id.in_(uids))
            ).mappings():
                recs[p["unique_id"]] = dict(p)
    out = []
    for r in rows:
        a, b = recs.get(r["uid_a"], {}), recs.get(r["uid_b"], {})
        out.append({"uid_a": r["uid_a"], "uid_b": r["uid_b"], "match_probability": r["match_probability"],
                    "a": {k: a.get(k) for k in ("name", "name_ar", "sex", "age", "date_of_death", "place")},
                    "b": {k: b.get(k) for k in ("name", "name_ar", "sex", "age", "date_of_death", "place")}})  # fmt: skip
    return out


def _none(v: Any) -> Any:
    if v is None or (isinstance(v, float) and v != v) or v == "":
        return None
    return v


def _date(v: Any) -> date | None:
    v = _none(v)
    if v is None:
        return None
    return v if isinstance(v, date) else date.fromisoformat(str(v)[:10])


def save_run(
    store: Store,
    records: pd.DataFrame,
    review: pd.DataFrame,
    model: dict[str, Any],
    *,
    engine: str,
    threshold_match: float,
    threshold_review: float,
) -> int:
    """Replace the linked people and the review queue with this run's, in one transaction."""
    with store.begin() as conn:
        run_id = conn.execute(insert(link_run).values(
            started_at=datetime.now(UTC).replace(tzinfo=None), engine=engine, threshold_match=threshold_match,
            threshold_review=threshold_review, records=len(records), people=int(records["person_id"].nunique()),
            model_json=json.dumps(model))).inserted_primary_key  # fmt: skip
        run_id = run_id[0]  # type: ignore[index]
        conn.execute(delete(person_record))
        conn.execute(delete(link_review))
        rows = [
            {"run_id": run_id, "person_id": r["person_id"], "record_id": str(r["record_id"]),
             "list": str(r["list"]), "unique_id": r["unique_id"], "date_of_death": _date(r.get("date_of_death")),
             "place": _none(r.get("place")), "name": _none(r.get("name")), "name_ar": _none(r.get("name_ar")),
             "sex": _none(r.get("sex")), "age": int(float(r["age"])) if _none(r.get("age")) is not None else None,
             "match_probability": _none(r.get("match_probability"))}
            for r in records.to_dict("records")
        ]  # fmt: skip
        for i in range(0, len(rows), 5000):
            conn.execute(insert(person_record), rows[i : i + 5000])
        queue = [{"run_id": run_id, "uid_a": min(a, b), "uid_b": max(a, b), "match_probability": float(p)}
                 for a, b, p in zip(review.get("unique_id_l", []), review.get("unique_id_r", []),
                                    review.get("match_probability", []), strict=True)]  # fmt: skip
        if queue:
            conn.execute(insert(link_review), queue)
    return int(run_id)


def victims_frame(store: Store) -> pd.DataFrame:
    """The victims in the record as person records (list = the incident's source kind)."""
    q = select(
        victim.c.id, victim.c.name, victim.c.name_ar, victim.c.sex, victim.c.age, victim.c.age_group,
        incident.c.code, incident.c.source_kind, incident.c.date_start, incident.c.location_en,
        incident.c.location_ar,
    ).join(incident, victim.c.incident_id == incident.c.id)  # fmt: skip
    with store.connect() as conn:
        rows = conn.execute(q).all()
    return pd.DataFrame(
        {
            "record_id": [f"victim-{r.id}" for r in rows],
            "list": [r.source_kind for r in rows],
            "name": [r.name or "" for r in rows],
            "name_ar": [r.name_ar or "" for r in rows],
            "sex": [r.sex if r.sex not in (None, "unknown") else "" for r in rows],
            "age": ["" if r.age is None else str(r.age) for r in rows],
            "date_of_death": [r.date_start.isoformat() if r.date_start else "" for r in rows],
            "place": [r.location_en or r.location_ar or "" for r in rows],
            "given": "", "father": "", "grandfather": "", "family": "",
            "age_group": [r.age_group if r.age_group not in (None, "unknown") else "" for r in rows],
            "incident": [r.code for r in rows],
        }
    )  # fmt: skip


incident_link = Table(
    "incident_link",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code_a", String(200), nullable=False),
    Column("code_b", String(200), nullable=False),
    Column("status", String(10), nullable=False),  # merge | review
    Column("days", Integer),
    Column("km", Float),
    Column("canonical", String(200)),
)


def incidents_frame(store: Store) -> pd.DataFrame:
    """Incidents with the fields incident clustering compares."""
    from .schema import incident_belligerent

    with store.connect() as conn:
        rows = conn.execute(select(incident.c.code, incident.c.date_start, incident.c.latitude,
                                   incident.c.longitude, incident.c.location_en, incident.c.location_ar,
                                   incident.c.killed_min, incident.c.killed_max, incident.c.id)).all()  # fmt: skip
        bell: dict[int, list[str]] = {}
        for iid, key in conn.execute(
            select(incident_belligerent.c.incident_id, incident_belligerent.c.belligerent_key)
        ):
            bell.setdefault(iid, []).append(key)
    return pd.DataFrame(
        {
            "code": [r.code for r in rows],
            "date": [r.date_start for r in rows],
            "latitude": [r.latitude for r in rows],
            "longitude": [r.longitude for r in rows],
            "place": [r.location_en or r.location_ar or "" for r in rows],
            "belligerents": [";".join(bell.get(r.id, [])) for r in rows],
            "killed_min": [r.killed_min for r in rows],
            "killed_max": [r.killed_max for r in rows],
        }
    )


def save_incident_links(store: Store, pairs: pd.DataFrame, canonical: dict[str, str]) -> None:
    """Replace the incident links; merged incidents' codes become aliases of the canonical one."""
    from .schema import incident_alias

    with store.begin() as conn:
        conn.execute(delete(incident_link))
        rows = [{"code_a": r["code_a"], "code_b": r["code_b"], "status": r["status"], "days": int(r["days"]),
                 "km": None if r["km"] != r["km"] else float(r["km"]),
                 "canonical": canonical.get(r["code_b"]) or canonical.get(r["code_a"])}
                for r in pairs.to_dict("records")]  # fmt: skip
        if rows:
            conn.execute(insert(incident_link), rows)
        ids = dict(conn.execute(select(incident.c.code, incident.c.id)).all())
        existing = {
            (a, b)
            for a, b in conn.execute(select(incident_alias.c.incident_id, incident_alias.c.alias))
        }
        new = [{"incident_id": ids[c], "alias": code} for code, c in canonical.items()
               if c in ids and (ids[c], code) not in existing]  # fmt: skip
        if new:
            conn.execute(insert(incident_alias), new)
