"""Reading the record: filters to SQL, tallies' grouped sums, lists, one incident.

Domain packages call these with a Store; they never write SQL themselves.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    asc,
    case,
    desc,
    exists,
    func,
    or_,
    select,
)

from ..model.errors import InputError, NotFoundError
from ..model.filters import IncidentFilter
from .engine import Store
from .schema import (
    incident,
    incident_alias,
    incident_belligerent,
    raw_record,
    source,
    statement,
    victim,
)

KM_PER_DEG = 111.32

SORTABLE = {
    "date": incident.c.date_start,
    "code": incident.c.code,
    "killed_min": incident.c.killed_min,
    "killed_max": incident.c.killed_max,
    "grade": incident.c.grade,
    "location": incident.c.location_en,
    "governorate": incident.c.governorate_en,
}


def conditions(f: IncidentFilter) -> list[ColumnElement[bool]]:
    """The WHERE clause of a filter (inclusive dates, case-insensitive names).

    Distance uses an equirectangular approximation (error well under 1% within 100 km),
    so that it needs no SQL math functions on any engine.
    """
    c = incident.c
    out: list[ColumnElement[bool]] = []
    if not f.include_unpublished:
        out.append(c.published.is_(True))
    if f.date_from:
        out.append(c.date_start >= f.date_from)
    if f.date_to:
        out.append(c.date_start <= f.date_to)
    if f.source_kind:
        out.append(c.source_kind == f.source_kind)
    if f.grades:
        out.append(c.grade.in_([g.value for g in f.grades]))
    if f.governorate:
        g = f.governorate.lower()
        out.append(or_(func.lower(c.governorate_en) == g, c.governorate_ar == f.governorate))
    if f.belligerent:
        b = f.belligerent.lower()
        ib = incident_belligerent.alias("fb")
        out.append(
            exists()
            .where(
                and_(
                    ib.c.incident_id == c.id,
                    or_(ib.c.belligerent_key == b, ib.c.belligerent_key.like(f"%{b}%")),
                )
            )
            .correlate(incident)
        )
    if f.near:
        n = f.near
        dlat = n.km / KM_PER_DEG
        coslat = max(math.cos(math.radians(n.latitude)), 1e-6)
        dlon = n.km / (KM_PER_DEG * coslat)
        out += [
            c.latitude.between(n.latitude - dlat, n.latitude + dlat),
            c.longitude.between(n.longitude - dlon, n.longitude + dlon),
            (
                ((c.latitude - n.latitude) * KM_PER_DEG) * ((c.latitude - n.latitude) * KM_PER_DEG)
                + ((c.longitude - n.longitude) * (KM_PER_DEG * coslat))
                * ((c.longitude - n.longitude) * (KM_PER_DEG * coslat))
            )
            <= n.km * n.km,
        ]
    return out


def grouped_sums(store: Store, f: IncidentFilter) -> list[dict[str, Any]]:
    """One scan: sums per (grade, month, assessment, counts known?) group.

    Everything a tally reports is a sum over these groups, so a tally of a million
    incidents costs one aggregate query.
    """
    c = incident.c
    known = or_(c.killed_min.isnot(None), c.killed_max.isnot(None))
    known_flag = case((known, 1), else_=0).label("known")

    def s(col: Any, name: str) -> Any:
        return func.coalesce(func.sum(col), 0).label(name)

    q = (
        select(
            c.grade,
            c.month,
            c.assessment,
            known_flag,
            func.count().label("incidents"),
            s(func.coalesce(c.killed_min, c.killed_max), "killed_min"),
            s(func.coalesce(c.killed_max, c.killed_min), "killed_max"),
            s(func.coalesce(c.injured_min, c.injured_max), "injured_min"),
            s(func.coalesce(c.injured_max, c.injured_min), "injured_max"),
            s(func.coalesce(c.children_killed_min, c.children_killed_max), "children_killed_min"),
            s(func.coalesce(c.children_killed_max, c.children_killed_min), "children_killed_max"),
            s(func.coalesce(c.women_killed_min, c.women_killed_max), "women_killed_min"),
            s(func.coalesce(c.women_killed_max, c.women_killed_min), "women_killed_max"),
            s(c.named_victims, "named_victims"),
        )
        .where(*conditions(f))
        .group_by(c.grade, c.month, c.assessment, known_flag)
    )
    with store.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def conceded_sums(store: Store, f: IncidentFilter, belligerent: str | None) -> dict[str, Any]:
    """Deaths the belligerent(s) conceded, by month, over the filtered incidents.

    Only assessments of ``credible`` count as concessions. With no belligerent named,
    every party's own credible assessments are summed (each concedes its own strikes).
    """
    c, ib = incident.c, incident_belligerent.c
    conds = [*conditions(f), ib.assessment == "credible"]
    if belligerent:
        b = belligerent.lower()
        conds.append(or_(ib.belligerent_key == b, ib.belligerent_key.like(f"%{b}%")))
    q = (
        select(
            c.month,
            func.count(func.distinct(c.id)).label("incidents_credible"),
            func.coalesce(
                func.sum(func.coalesce(ib.deaths_conceded_min, ib.deaths_conceded_max)), 0
            ).label("deaths_min"),
            func.coalesce(
                func.sum(func.coalesce(ib.deaths_conceded_max, ib.deaths_conceded_min)), 0
            ).label("deaths_max"),
        )
        .select_from(incident.join(incident_belligerent, ib.incident_id == c.id))
        .where(*conds)
        .group_by(c.month)
    )
    with store.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(q)]
    return {"rows": rows}


def count_incidents(store: Store, f: IncidentFilter) -> int:
    with store.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(incident).where(*conditions(f))
            ).scalar_one()
        )


def _list_query(f: IncidentFilter, sort: str = "date", descending: bool = False) -> Select[Any]:
    key = sort.lstrip("-")
    if key not in SORTABLE:
        raise InputError(
            f"parameter 'sort': {sort!r}; expected one of {', '.join(sorted(SORTABLE))} (prefix - to reverse)"
        )
    col = SORTABLE[key]
    order = desc(col) if (descending or sort.startswith("-")) else asc(col)
    return select(incident).where(*conditions(f)).order_by(order, incident.c.id)


def list_incidents(
    store: Store, f: IncidentFilter, *, sort: str = "date", limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    q = _list_query(f, sort).limit(limit).offset(offset)
    with store.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def iter_incidents(
    store: Store, f: IncidentFilter, sort: str = "date", chunk: int = 5000
) -> Iterator[dict[str, Any]]:
    """All matching incidents, streamed (exports of any size)."""
    with store.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk).execute(
            _list_query(f, sort)
        )
        for r in result:
            yield dict(r._mapping)


def children(store: Store, incident_ids: list[int]) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """Belligerents, sources, victims, statements and aliases of some incidents."""
    out: dict[str, dict[int, list[dict[str, Any]]]] = {}
    tables = {
        "belligerents": incident_belligerent,
        "sources": source,
        "victims": victim,
        "statements": statement,
        "aliases": incident_alias,
    }
    with store.connect() as conn:
        for name, table in tables.items():
            per: dict[int, list[dict[str, Any]]] = {i: [] for i in incident_ids}
            for start in range(0, len(incident_ids), 500):
                ids = incident_ids[start : start + 500]
                order = [table.c.incident_id] + (
                    [table.c.id] if "id" in table.c else [table.c.alias]
                )
                for r in conn.execute(
                    select(table).where(table.c.incident_id.in_(ids)).order_by(*order)
                ):
                    d = dict(r._mapping)
                    per[d["incident_id"]].append(d)
            out[name] = per
    return out


def get_incident(store: Store, code: str, *, include_unpublished: bool = False) -> dict[str, Any]:
    """One incident by code or alias, with its children and raw original."""
    with store.connect() as conn:
        row = conn.execute(select(incident).where(incident.c.code == code)).first()
        if row is None:
            row = conn.execute(
                select(incident)
                .join(incident_alias, incident_alias.c.incident_id == incident.c.id)
                .where(incident_alias.c.alias == code)
            ).first()
        if row is None or (not include_unpublished and not row.published):
            raise NotFoundError(f"no incident with code {code!r}")
        inc = dict(row._mapping)
        raw = conn.execute(
            select(raw_record.c.raw).where(raw_record.c.id == inc["raw_id"])
        ).scalar()
    kids = children(store, [inc["id"]])
    for name, per in kids.items():
        inc[name] = per[inc["id"]]
    inc["aliases"] = [a["alias"] for a in inc["aliases"]]
    inc["raw"] = raw
    return inc


def search_victims(
    store: Store, f: IncidentFilter, q: str | None = None, *, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """Victims of matching incidents whose name (any script) contains ``q``."""
    conds: list[ColumnElement[bool]] = [*conditions(f)]
    if q:
        like = f"%{q.lower()}%"
        conds.append(or_(func.lower(victim.c.name).like(like), victim.c.name_ar.like(f"%{q}%")))
    base = (
        select(victim, incident.c.code, incident.c.date_start, incident.c.location_en)
        .join(incident, incident.c.id == victim.c.incident_id)
        .where(*conds)
    )
    with store.connect() as conn:
        total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
        rows = conn.execute(
            base.order_by(incident.c.date_start, victim.c.id).limit(limit).offset(offset)
        )
        return int(total), [dict(r._mapping) for r in rows]


def snapshot_hash(store: Store, f: IncidentFilter) -> str:
    """SHA-256 over (code, content hash) of the matching incidents, in code order.

    Two databases with the same records under the same filter give the same hash, so a
    published figure can name exactly the data it came from.
    """
    h = hashlib.sha256()
    q = (
        select(incident.c.code, incident.c.content_hash, incident.c.version)
        .where(*conditions(f))
        .order_by(incident.c.code)
    )
    with store.connect() as conn:
        for code, ch, ver in conn.execution_options(stream_results=True, yield_per=10000).execute(
            q
        ):
            h.update(f"{code}\t{ch}\t{ver}\n".encode())
    return h.hexdigest()


__all__ = [
    "children",
    "conceded_sums",
    "conditions",
    "count_incidents",
    "get_incident",
    "grouped_sums",
    "iter_incidents",
    "list_incidents",
    "search_victims",
    "snapshot_hash",
]
