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
    Integer,
    Select,
    and_,
    asc,
    case,
    desc,
    exists,
    func,
    literal_column,
    or_,
    select,
)

from ..model.errors import InputError, NotFoundError
from ..model.filters import IncidentFilter
from .engine import Store
from .name_keys import NameQuery, name_condition
from .schema import (
    incident,
    incident_alias,
    incident_belligerent,
    raw_record,
    source,
    statement,
    victim,
    victim_name_key,
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


SUMMED_ENDS = ("killed", "injured", "children_killed", "women_killed")
MASK31 = 0x7FFFFFFF


def _snapshot_terms() -> list[Any]:
    """The three per-record terms of the snapshot hash, as SQL (see snapshot_hash)."""
    c = incident.c
    # inline integer constants: PostgreSQL has no bigint >> bigint
    k31, mask, one = (literal_column(str(v), Integer) for v in (31, MASK31, 1))
    lo = c.row_digest.bitwise_and(mask)
    return [
        c.row_digest.bitwise_rshift(k31),
        lo,
        (lo.bitwise_or(one) * c.version).bitwise_and(mask),
    ]


SNAPSHOT_SUMS = ("digest_hi", "digest_lo", "digest_version")


def _terms(code: str, content_hash: str, version: int) -> tuple[int, int, int]:
    """_snapshot_terms in Python, for records stored without a digest."""
    from .writer import row_digest

    d = row_digest(code, content_hash)
    lo = d & MASK31
    return d >> 31, lo, ((lo | 1) * version) & MASK31


def grouped_sums(store: Store, f: IncidentFilter) -> list[dict[str, Any]]:
    """One scan: sums per (grade, month, assessment) group, and the snapshot sums.

    Everything a tally reports is a sum over these groups, so a tally of a million
    incidents costs one aggregate query, answered from the covering index
    ``ix_incident_tally`` in its own order (no sort, no table rows read). ``unknown``
    counts the incidents with neither end of the killed range known; ``NAME_incidents``
    those with either end of an injured, children or women range known. Sums over no
    known value are None.
    """
    c = incident.c
    cols: list[Any] = [
        c.grade,
        c.month,
        c.assessment,
        func.count().label("incidents"),
        func.sum(case((and_(c.killed_min.is_(None), c.killed_max.is_(None)), 1), else_=0)).label(
            "unknown"
        ),
    ]
    for name in SUMMED_ENDS:
        lo, hi = c[f"{name}_min"], c[f"{name}_max"]
        cols.append(func.sum(func.coalesce(lo, hi)).label(f"{name}_min"))
        cols.append(func.sum(func.coalesce(hi, lo)).label(f"{name}_max"))
        if name != "killed":  # how many incidents give the breakdown at all (issue 18)
            known = or_(lo.is_not(None), hi.is_not(None))
            cols.append(func.sum(case((known, 1), else_=0)).label(f"{name}_incidents"))
    cols.append(func.sum(c.named_victims).label("named_victims"))
    cols += [func.sum(t).label(n) for t, n in zip(_snapshot_terms(), SNAPSHOT_SUMS, strict=True)]
    q = (
        select(*cols)
        .where(*conditions(f))
        .group_by(c.grade, c.month, c.assessment)
        .order_by(c.grade, c.month, c.assessment)
    )
    with store.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def snapshot_from_sums(store: Store, f: IncidentFilter, rows: list[dict[str, Any]]) -> str:
    """The snapshot hash of a filter from its :func:`grouped_sums` rows (no second scan).

    Records written without a stored digest (by tools other than the writer; found
    through the partial index ix_incident_no_digest, so looking costs nothing) have
    their terms computed here, from the same definition.
    """
    n = sum(int(r["incidents"]) for r in rows)
    sums = [sum(int(r[k] or 0) for r in rows) for k in SNAPSHOT_SUMS]
    c = incident.c
    with store.connect() as conn:
        # ORDER BY id: the partial index gives that order, so SQLite's planner takes
        # it (without, it scans the covering tally index instead: 0.1 s at 1M rows)
        probe = select(c.id).where(c.row_digest.is_(None)).order_by(c.id).limit(1)
        if conn.execute(probe).first():
            q = select(c.code, c.content_hash, c.version).where(
                *conditions(f), c.row_digest.is_(None)
            )
            for code, ch, ver in conn.execute(q):
                for i, t in enumerate(_terms(code, ch, ver)):
                    sums[i] += t
    text = "civcas-snapshot/2\n" + "".join(f"{v}\n" for v in (n, *sums))
    return hashlib.sha256(text.encode()).hexdigest()


def snapshot_hash(store: Store, f: IncidentFilter) -> str:
    """A SHA-256 that names exactly the matching records (code, content hash, version).

    Each record's ``row_digest`` d (62 bits of SHA-256(code TAB content_hash)) gives
    three terms: hi = d >> 31, lo = d mod 2^31 and ((lo | 1) * version) mod 2^31. The
    hash is the SHA-256 of "civcas-snapshot/2", the number of records and the three
    sums, one per line. Sums do not depend on order, so any engine computes them in the
    tally's own pass over its covering index. Same records under the same filter give
    the same hash on any database; a changed, added or removed record changes the two
    digest sums (a miss has a chance of about 2^-62), and an edit (which raises the
    version) changes the third (a single edit always does). A fingerprint against accident and confusion,
    not a signature against deliberate forgery.
    """
    return snapshot_from_sums(store, f, grouped_sums(store, f))


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
    store: Store,
    f: IncidentFilter,
    q: str | NameQuery | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Victims of matching incidents whose name matches ``q``.

    A string is matched as written (either name contains it); a :class:`NameQuery` (any
    spelling, either script: ``civcas.link.name_search`` makes it and keeps the keys it
    reads up to date) is matched on the victims' name keys.
    """
    conds: list[ColumnElement[bool]] = [*conditions(f)]
    base = select(victim, incident.c.code, incident.c.date_start, incident.c.location_en).join(
        incident, incident.c.id == victim.c.incident_id
    )
    if isinstance(q, NameQuery):
        base = base.join(victim_name_key, victim_name_key.c.victim_id == victim.c.id)
        conds.append(name_condition(q))
    elif q:
        like = f"%{q.lower()}%"
        conds.append(or_(func.lower(victim.c.name).like(like), victim.c.name_ar.like(f"%{q}%")))
    base = base.where(*conds)
    with store.connect() as conn:
        total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
        rows = conn.execute(
            base.order_by(incident.c.date_start, victim.c.id).limit(limit).offset(offset)
        )
        return int(total), [dict(r._mapping) for r in rows]


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
    "snapshot_from_sums",
    "snapshot_hash",
]
