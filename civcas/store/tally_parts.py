"""The tally's queries beyond the grouped scan: per-party comparisons, how many incidents
carry each breakdown, and the incidents whose date cannot be placed on the calendar.

Kept apart from :mod:`queries` because each answers one question the headline must not
hide: whose deaths are compared with whose concessions, how much of the record a figure
rests on, and which incidents a monthly series leaves out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from ..model.filters import IncidentFilter
from ..model.vocab import Assessment
from .engine import Store
from .queries import SUMMED_ENDS, conditions
from .schema import incident, incident_belligerent

# an assessment recorded (any status but "none"): an IN list, so the index serves it
RECORDED = tuple(a.value for a in Assessment if a is not Assessment.NONE)
# a party's own answer: what lists it among the comparisons. "Not yet assessed" alone
# does not (sources record it for parties that have never assessed anything)
ANSWERED = tuple(
    a.value for a in Assessment if a not in (Assessment.NONE, Assessment.NOT_YET_ASSESSED)
)


def _scan_conditions(f: IncidentFilter) -> list[ColumnElement[bool]]:
    """The filter's WHERE clause with "published" written so that no index is chosen for
    it alone: SQLite would otherwise walk the tally's covering index (published first)
    and fetch every table row from it, ten times slower than reading the table (or than
    ix_incident_date, for the few undated incidents)."""
    if f.include_unpublished:
        return conditions(f)
    published = func.coalesce(incident.c.published, False).is_(True)
    return [*conditions(replace(f, include_unpublished=True)), published]


def _flag(cond: ColumnElement[bool]) -> Any:
    return func.max(case((cond, 1), else_=0))


def party_rows(store: Store, f: IncidentFilter, likely: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per party named on the filtered incidents that answered for one of them
    (credible, non-credible, duplicate or open: :data:`ANSWERED`).

    Each row counts, over the filtered incidents where that party is a suspected (or
    known) belligerent: the incidents, those with its assessment recorded, those it
    assessed credible with the deaths it conceded there, and the deaths of its incidents
    graded ``likely``. An incident that names the party twice counts once.
    """
    ib, c = incident_belligerent.c, incident.c
    assessed = ib.assessment.in_(RECORDED)
    with store.connect() as conn:
        keys = sorted(
            k
            for (k,) in conn.execute(
                select(ib.belligerent_key)
                .select_from(incident_belligerent.join(incident, ib.incident_id == c.id))
                .where(*conditions(f), ib.assessment.in_(ANSWERED))
                .distinct()
            )
        )
        if not keys:
            return []
        credible = ib.assessment == "credible"
        per = (
            select(
                ib.incident_id.label("incident_id"),
                ib.belligerent_key.label("key"),
                func.min(ib.belligerent).label("name"),
                _flag(assessed).label("assessed"),
                _flag(credible).label("credible"),
                func.sum(
                    case(
                        (credible, func.coalesce(ib.deaths_conceded_min, ib.deaths_conceded_max)),
                        else_=0,
                    )
                ).label("c_min"),
                func.sum(
                    case(
                        (credible, func.coalesce(ib.deaths_conceded_max, ib.deaths_conceded_min)),
                        else_=0,
                    )
                ).label("c_max"),
            )
            .where(ib.belligerent_key.in_(keys))
            .group_by(ib.incident_id, ib.belligerent_key)
            .subquery("per")
        )
        is_likely = c.grade.in_(list(likely))
        q = (
            select(
                per.c.key,
                func.min(per.c.name).label("belligerent"),
                func.count().label("incidents_in_scope"),
                func.sum(per.c.assessed).label("incidents_with_assessment"),
                func.sum(per.c.credible).label("incidents_credible"),
                func.coalesce(func.sum(per.c.c_min), 0).label("deaths_min"),
                func.coalesce(func.sum(per.c.c_max), 0).label("deaths_max"),
                func.sum(case((is_likely, 1), else_=0)).label("likely_incidents"),
                func.coalesce(
                    func.sum(case((is_likely, func.coalesce(c.killed_min, c.killed_max)), else_=0)),
                    0,
                ).label("likely_min"),
                func.coalesce(
                    func.sum(case((is_likely, func.coalesce(c.killed_max, c.killed_min)), else_=0)),
                    0,
                ).label("likely_max"),
            )
            .select_from(per.join(incident, per.c.incident_id == c.id))
            .where(*conditions(f))
            .group_by(per.c.key)
            .order_by(per.c.key)
        )
        return [{k: v for k, v in r._mapping.items()} for r in conn.execute(q)]


def party_coverage(store: Store, f: IncidentFilter, belligerent: str) -> dict[str, Any]:
    """For the one party a tally compares: the filtered incidents that name it, those
    where its assessment is recorded (matched as the filter matches a belligerent), and
    the parties the name matched (a part of a name, e.g. "military", can match several:
    they are then compared together, which the caller says)."""
    ib, c = incident_belligerent.c, incident.c
    b = belligerent.lower()
    match = or_(ib.belligerent_key == b, ib.belligerent_key.like(f"%{b}%"))
    per = (
        select(ib.incident_id.label("incident_id"), _flag(ib.assessment.in_(RECORDED)).label("a"))
        .where(match)
        .group_by(ib.incident_id)
        .subquery("per")
    )
    q = (
        select(func.count().label("in_scope"), func.coalesce(func.sum(per.c.a), 0).label("known"))
        .select_from(per.join(incident, per.c.incident_id == c.id))
        .where(*conditions(f))
    )
    names = (
        select(ib.belligerent)
        .select_from(incident_belligerent.join(incident, ib.incident_id == c.id))
        .where(match, *conditions(f))
        .distinct()
    )
    with store.connect() as conn:
        row = conn.execute(q).one()
        matched = sorted({n for (n,) in conn.execute(names)})
    return {
        "incidents_in_scope": int(row.in_scope),
        "incidents_with_assessment": int(row.known),
        "parties_matched": matched,
    }


def men_sums(store: Store, f: IncidentFilter) -> dict[str, int]:
    """Men killed, Σmin–Σmax, and how many of the filtered incidents give any figure for it.

    The other breakdowns come from the grouped scan's covering index; men's columns are
    not in it, so only the incidents that have one are summed here.
    """
    c = incident.c
    lo, hi = c.men_killed_min, c.men_killed_max
    q = select(
        func.count().label("n"),
        func.coalesce(func.sum(func.coalesce(lo, hi)), 0).label("lo"),
        func.coalesce(func.sum(func.coalesce(hi, lo)), 0).label("hi"),
    ).where(*_scan_conditions(f), or_(lo.is_not(None), hi.is_not(None)))
    with store.connect() as conn:
        row = conn.execute(q).one()
    return {"min": int(row.lo), "max": int(row.hi), "incidents_with_figure": int(row.n)}


def _off_calendar(min_date: dt.date) -> ColumnElement[bool]:
    return or_(incident.c.date_start.is_(None), incident.c.date_start < min_date)


def off_calendar_sums(store: Store, f: IncidentFilter, min_date: dt.date) -> list[dict[str, Any]]:
    """The grouped sums (as :func:`queries.grouped_sums` gives them, per grade and month)
    of the filtered incidents with no date or a date before ``min_date``."""
    c = incident.c
    cols: list[Any] = [
        c.grade,
        c.month,
        func.count().label("incidents"),
        func.sum(case((and_(c.killed_min.is_(None), c.killed_max.is_(None)), 1), else_=0)).label(
            "unknown"
        ),
    ]
    for name in SUMMED_ENDS:
        lo, hi = c[f"{name}_min"], c[f"{name}_max"]
        cols.append(func.sum(func.coalesce(lo, hi)).label(f"{name}_min"))
        cols.append(func.sum(func.coalesce(hi, lo)).label(f"{name}_max"))
    cols.append(func.sum(c.named_victims).label("named_victims"))
    q = (
        select(*cols)
        .where(*_scan_conditions(f), _off_calendar(min_date))
        .group_by(c.grade, c.month)
    )
    with store.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def off_calendar_list(
    store: Store, f: IncidentFilter, min_date: dt.date, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` of those incidents (code and date as stored), undated first."""
    c = incident.c
    q = (
        select(c.code, c.date_start)
        .where(*_scan_conditions(f), _off_calendar(min_date))
        .order_by(c.date_start.is_not(None), c.date_start, c.code)
        .limit(limit)
    )
    with store.connect() as conn:
        return [{"code": code, "date": d.isoformat() if d else None} for code, d in conn.execute(q)]
