"""The work queue's SQL: incidents found by code, place and date, filtered and paged.

One query for the page of rows and one for the total, both built from the same WHERE
clause, so "page 17 of 163" and the rows on it always agree. Everything is a plain index
or table scan over ``incident`` (8,114 rows for the whole Syria archive: milliseconds on
SQLite and PostgreSQL), with EXISTS sub-queries for conflicts, assignments, submissions
and the revisions a person made.

Assignments (``wf_assignment``) are read and written here; who may assign whom is the
library's business (:mod:`civcas.workflow.queue`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    true,
)

from .engine import Store
from .schema import incident, incident_alias
from .workflow import wf_assignment, wf_conflict, wf_revision, wf_submission, wf_user

#: needs review: not yet published; conflict: an open import conflict; published
STATUSES = ("all", "review", "conflict", "published")
SORTS = ("-date", "date", "code", "-updated")
MAX_LIMIT = 500
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass(frozen=True)
class QueueQuery:
    """What the queue shows. ``q``: words that must each match the code (or an alias),
    the place (English or Arabic name, governorate) or the date (``2017``, ``2017-06``,
    ``2017-06-12``). ``mine``: the user id whose incidents (edited, assigned, submitted)
    to keep; ``assigned``: a user's name, or ``"none"`` for unassigned incidents;
    ``submitted_by``: only that user's submissions (a contributor's view)."""

    q: str = ""
    status: str = "all"
    mine: int | None = None
    assigned: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    submitted_by: int | None = None
    sort: str = "-date"
    offset: int = 0
    limit: int = 50


def date_span(word: str) -> tuple[dt.date, dt.date] | None:
    """The days a word names: a year, a month or a day; None when it names none."""
    m = _DATE.match(word)
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d is not None:
            day = dt.date(y, int(mo), int(d))
            return day, day
        if mo is not None:
            first = dt.date(y, int(mo), 1)
            nxt = dt.date(y + (first.month == 12), first.month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        return None


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _word(word: str) -> ColumnElement[bool]:
    c = incident.c
    pat = _like(word)
    alias = exists().where(
        incident_alias.c.incident_id == c.id, incident_alias.c.alias.ilike(pat, escape="\\")
    )
    parts: list[ColumnElement[bool]] = [
        c.code.ilike(pat, escape="\\"),
        alias,
        c.location_en.ilike(pat, escape="\\"),
        c.location_ar.like(pat, escape="\\"),
        c.governorate_en.ilike(pat, escape="\\"),
        c.governorate_ar.like(pat, escape="\\"),
    ]
    span = date_span(word)
    if span is not None:
        parts.append(and_(c.date_start >= span[0], c.date_start <= span[1]))
    return or_(*parts)


def _where(conn: Connection, f: QueueQuery) -> list[ColumnElement[bool]]:
    c = incident.c
    # own names for the tables the page's outer join also reads (no auto-correlation)
    a, u = wf_assignment.alias("qa"), wf_user.alias("qu")
    out: list[ColumnElement[bool]] = [_word(w) for w in f.q.split()[:10]]
    if f.status == "review":
        out.append(c.published.is_(false()))
    elif f.status == "published":
        out.append(c.published.is_(true()))
    elif f.status == "conflict":
        out.append(
            exists().where(wf_conflict.c.incident_id == c.id, wf_conflict.c.status == "open")
        )
    if f.date_from is not None:
        out.append(c.date_start >= f.date_from)
    if f.date_to is not None:
        out.append(c.date_start <= f.date_to)
    if f.submitted_by is not None:
        out.append(
            exists().where(
                wf_submission.c.incident_id == c.id, wf_submission.c.submitted_by == f.submitted_by
            )
        )
    if f.mine is not None:
        name = conn.execute(select(wf_user.c.name).where(wf_user.c.id == f.mine)).scalar()
        edited = select(wf_revision.c.entity_key).where(
            wf_revision.c.actor == (name or ""), wf_revision.c.entity == "incident"
        )
        out.append(
            or_(
                c.code.in_(edited),
                exists().where(a.c.incident_id == c.id, a.c.user_id == f.mine),
                exists().where(
                    wf_submission.c.incident_id == c.id, wf_submission.c.submitted_by == f.mine
                ),
            )
        )
    if f.assigned == "none":
        out.append(~exists().where(a.c.incident_id == c.id))
    elif f.assigned:
        out.append(
            exists().where(a.c.incident_id == c.id, a.c.user_id == u.c.id, u.c.name == f.assigned)
        )
    return out


def _order(sort: str) -> list[Any]:
    c = incident.c
    if sort == "date":
        return [c.date_start.asc().nulls_last(), c.id.asc()]
    if sort == "code":
        return [c.code.asc()]
    if sort == "-updated":
        return [c.updated_at.desc().nulls_last(), c.id.desc()]
    # needs review first, then newest first
    return [c.published.asc(), c.date_start.desc().nulls_last(), c.id.desc()]


def search(store: Store, f: QueueQuery) -> tuple[int, list[dict[str, Any]]]:
    """(how many incidents match, the page of them ``f.offset`` .. ``+ f.limit``)."""
    c = incident.c
    opened = (
        select(func.count())
        .where(wf_conflict.c.incident_id == c.id, wf_conflict.c.status == "open")
        .scalar_subquery()
    )
    cols = [
        c.id, c.code, c.date_start, c.date_precision, c.location_en, c.location_ar,
        c.governorate_en, c.killed_min, c.killed_max, c.grade, c.published, c.version,
        c.updated_at, c.belligerents,
        wf_user.c.name.label("assigned_to"), wf_assignment.c.assigned_at,
        opened.label("open_conflicts"),
    ]  # fmt: skip
    with store.connect() as conn:
        where = _where(conn, f)
        total = conn.execute(select(func.count()).select_from(incident).where(*where)).scalar()
        q = (
            select(*cols)
            .select_from(
                incident.outerjoin(wf_assignment, wf_assignment.c.incident_id == c.id).outerjoin(
                    wf_user, wf_user.c.id == wf_assignment.c.user_id
                )
            )
            .where(*where)
            .order_by(*_order(f.sort))
            .offset(max(0, f.offset))
            .limit(max(1, min(f.limit, MAX_LIMIT)))
        )
        rows = [dict(r) for r in conn.execute(q).mappings()]
    return int(total or 0), rows


# ---- assignments ------------------------------------------------------------------------


def assignment(conn: Connection, incident_id: int) -> dict[str, Any] | None:
    """{"user_id", "name", "role", "assigned_by", "assigned_at"} or None."""
    a, u = wf_assignment.c, wf_user.c
    r = conn.execute(
        select(a.user_id, u.name, u.role, a.assigned_by, a.assigned_at)
        .join(wf_user, u.id == a.user_id)
        .where(a.incident_id == incident_id)
    ).first()
    return dict(r._mapping) if r else None


def set_assignment(
    conn: Connection, incident_id: int, user_id: int | None, by: str, at: str
) -> None:
    """Give the incident to ``user_id`` (None: to nobody), replacing any assignment."""
    conn.execute(delete(wf_assignment).where(wf_assignment.c.incident_id == incident_id))
    if user_id is not None:
        conn.execute(
            insert(wf_assignment).values(
                incident_id=incident_id, user_id=user_id, assigned_by=by, assigned_at=at
            )
        )


def user_by_name(conn: Connection, name: str) -> dict[str, Any] | None:
    r = conn.execute(
        select(wf_user.c.id, wf_user.c.name, wf_user.c.role, wf_user.c.disabled).where(
            wf_user.c.name == name
        )
    ).first()
    return dict(r._mapping) if r else None


def assignable_users(store: Store) -> list[dict[str, Any]]:
    """Active accounts (name, role), for the queue's "assigned to" choices."""
    with store.connect() as conn:
        q = (
            select(wf_user.c.name, wf_user.c.role)
            .where(wf_user.c.disabled.is_(false()))
            .order_by(wf_user.c.name)
        )
        return [dict(r) for r in conn.execute(q).mappings()]
