"""Tables and SQL of strike reports (what a belligerent declared) and of the matcher's
suggestions of an incident's strike status (issue 20).

``strike_report``: one line of a release, keyed by (party, release date, country,
position of the line in the release), the raw line and row kept. ``strike_suggestion``:
one suggestion per incident and settings, waiting for a person (``state`` pending, then
accepted or rejected, by whom and when); accepting one is an incident edit (an audited
revision) made by ``civcas.strikes.review``, never by this module.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    delete,
    func,
    insert,
    select,
    update,
)

from .schema import incident, metadata

strike_report = Table(
    "strike_report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("party", Text, nullable=False),  # TEXT since 0011_text_columns
    Column("release_date", Date, nullable=True),
    Column("strike_date", Date, nullable=True),
    Column("country", Text, nullable=False, default=""),
    Column("position", Integer, nullable=False),
    Column("place_name", Text, nullable=False),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("place_precision", String(20), nullable=False, default="unknown"),
    Column("located_as", Text),
    Column("strikes", Integer),
    Column("targets", Text, nullable=False, default="[]"),  # JSON [{action, count, kind}]
    Column("line", Text, nullable=False),
    Column("raw", Text, nullable=False),  # JSON of the original row
    Column("content_hash", String(64), nullable=False),
    Column("import_id", Integer, nullable=True),
    UniqueConstraint("party", "release_date", "country", "position", name="uq_strike_report"),
)
Index("ix_strike_report_day", strike_report.c.strike_date)

strike_suggestion = Table(
    "strike_suggestion",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), nullable=False),
    Column("settings", String(200), nullable=False),  # "party|days|km", what made it
    Column("suggested", String(20), nullable=False),  # declared | none_declared | cannot_tell
    Column("status", String(20), nullable=True),  # the strike status accepting it would set
    Column("detail", Text, nullable=False),  # JSON: matches and reasons
    Column("state", String(10), nullable=False, default="pending"),
    Column("created_at", DateTime, nullable=False),
    Column("decided_by", String(200)),
    Column("decided_at", DateTime),
    Column("decision_reason", Text),
    UniqueConstraint("incident_id", "settings", name="uq_strike_suggestion"),
)
Index("ix_strike_suggestion_state", strike_suggestion.c.state)

STRIKE_TABLES = (strike_report, strike_suggestion)


def existing_reports(conn: Connection, party: str) -> dict[tuple[str, str, int], tuple[int, str]]:
    """(release date ISO, country, position) -> (id, content hash) of a party's reports."""
    t = strike_report
    q = select(t.c.id, t.c.release_date, t.c.country, t.c.position, t.c.content_hash).where(
        t.c.party == party
    )
    out: dict[tuple[str, str, int], tuple[int, str]] = {}
    for rid, day, country, pos, h in conn.execute(q):
        out[(day.isoformat() if day else "", country, int(pos))] = (int(rid), h)
    return out


def insert_reports(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(strike_report), rows)


def update_report(conn: Connection, rid: int, values: dict[str, Any]) -> None:
    conn.execute(update(strike_report).where(strike_report.c.id == rid).values(**values))


def reports(
    conn: Connection,
    *,
    party: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Strike reports (targets decoded), by strike day then release order."""
    t = strike_report
    q = select(t)
    if party:
        q = q.where(t.c.party == party)
    if start:
        q = q.where(t.c.strike_date >= start)
    if end:
        q = q.where(t.c.strike_date <= end)
    out = []
    for r in conn.execute(q.order_by(t.c.strike_date, t.c.country, t.c.position)):
        d = dict(r._mapping)
        d["targets"] = json.loads(d["targets"] or "[]")
        out.append(d)
    return out


POINT_COLUMNS = ("id", "party", "release_date", "strike_date", "place_name", "strikes",
                 "latitude", "longitude", "country")  # fmt: skip


def report_points(
    conn: Connection,
    *,
    party: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[dict[str, Any]]:
    """What the matcher needs of each report (no targets, line or raw row)."""
    t = strike_report
    q = select(*(t.c[c] for c in POINT_COLUMNS))
    if party:
        q = q.where(t.c.party == party)
    if start:
        q = q.where(t.c.strike_date >= start)
    if end:
        q = q.where(t.c.strike_date <= end)
    q = q.order_by(t.c.strike_date, t.c.country, t.c.position)
    return [dict(zip(POINT_COLUMNS, r, strict=True)) for r in conn.execute(q)]


def report_days(conn: Connection, party: str | None = None) -> list[dt.date]:
    """The release dates the record holds (a release covers its strike day)."""
    t = strike_report
    q = select(t.c.release_date).distinct().where(t.c.release_date.is_not(None))
    if party:
        q = q.where(t.c.party == party)
    return sorted(r[0] for r in conn.execute(q))


def strike_period(conn: Connection, party: str | None = None) -> tuple[Any, Any] | None:
    """(first, last) strike day of the reports (a party's), or None when there are none."""
    t = strike_report
    q = select(func.min(t.c.strike_date), func.max(t.c.strike_date))
    if party:
        q = q.where(t.c.party == party)
    first, last = conn.execute(q).one()
    return None if first is None else (first, last)


def parties(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute(select(strike_report.c.party).distinct())]


def count_reports(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(strike_report)).scalar_one())


# ---- suggestions --------------------------------------------------------------------


def save_suggestions(conn: Connection, settings: str, rows: Iterable[dict[str, Any]]) -> int:
    """Store the matcher's suggestions for these settings; a pending one is replaced, a
    decided one is kept as the person decided it. Returns how many were written."""
    s = strike_suggestion
    decided = {
        int(r[0])
        for r in conn.execute(
            select(s.c.incident_id).where(and_(s.c.settings == settings, s.c.state != "pending"))
        )
    }
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    fresh = [
        {**r, "settings": settings, "state": "pending", "created_at": now}
        for r in rows
        if int(r["incident_id"]) not in decided
    ]
    conn.execute(delete(s).where(and_(s.c.settings == settings, s.c.state == "pending")))
    if fresh:
        conn.execute(insert(s), fresh)
    return len(fresh)


def suggestions(
    conn: Connection,
    *,
    state: str | None = "pending",
    code: str | None = None,
    sid: int | None = None,
) -> list[dict[str, Any]]:
    s = strike_suggestion
    q = select(
        s,
        incident.c.code,
        incident.c.date_start,
        incident.c.location_en,
        incident.c.strike_status,
        incident.c.version,
    ).join(incident, incident.c.id == s.c.incident_id)
    if state:
        q = q.where(s.c.state == state)
    if code:
        q = q.where(incident.c.code == code)
    if sid is not None:
        q = q.where(s.c.id == sid)
    out = []
    for r in conn.execute(q.order_by(incident.c.date_start, incident.c.code, s.c.id)):
        d = dict(r._mapping)
        d["detail"] = json.loads(d["detail"] or "{}")
        out.append(d)
    return out


def suggestion(conn: Connection, sid: int) -> dict[str, Any] | None:
    rows = suggestions(conn, state=None, sid=sid)
    return rows[0] if rows else None


def decide(conn: Connection, sid: int, state: str, who: str, reason: str | None) -> bool:
    """Mark a pending suggestion accepted or rejected; False when it is no longer pending."""
    s = strike_suggestion
    res = conn.execute(
        update(s)
        .where(and_(s.c.id == sid, s.c.state == "pending"))
        .values(
            state=state,
            decided_by=who,
            decided_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            decision_reason=reason,
        )
    )
    return bool(res.rowcount == 1)
