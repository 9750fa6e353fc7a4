"""Summaries and the other direction (issue 20).

- :func:`declared_summary`: "of N alleged incidents, M occurred where and when the
  belligerent declared strikes": N counts the party's incidents (the filter's) dated
  inside the period the releases cover; M those the matcher (default settings) suggests
  ``declared``. None when the record holds no strike reports.
- :func:`unalleged`: declared strikes with no alleged incident (any party, any status)
  within the day window and distance: a list for researchers to check.
- :func:`monthly`: per month, declared strike reports and strikes beside alleged
  incidents and likely deaths (Confirmed + Fair, killed min-max).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Any

from ..model.filters import IncidentFilter
from ..model.vocab import LIKELY_GRADES
from ..store import queries
from ..store import strikes as ss
from ..store.engine import Store
from .match import DEFAULT_PARTY, MatchSettings, km_between, radius
from .service import alleged, match_store


def _period(store: Store, party: str | None) -> tuple[dt.date, dt.date] | None:
    with store.connect() as conn:
        found = ss.strike_period(conn, party)
    if found is None:
        return None
    first, last = found
    if isinstance(first, str):  # SQLite without declared types in a raw query
        return dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return first, last


def declared_summary(
    store: Store, f: IncidentFilter | None = None, settings: MatchSettings | None = None
) -> dict[str, Any] | None:
    settings = settings or MatchSettings()
    period = _period(store, settings.party)
    if period is None:
        return None
    f = f or IncidentFilter()
    first = max(period[0], f.date_from) if f.date_from else period[0]
    last = min(period[1], f.date_to) if f.date_to else period[1]
    results, summary = match_store(store, settings, replace(f, date_from=first, date_to=last))
    return {
        "party": settings.party,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "alleged": summary["incidents"],
        "declared": summary["declared"],
        "none_declared": summary["none_declared"],
        "cannot_tell": summary["cannot_tell"],
        "settings": summary["settings"],
    }


def unalleged(
    store: Store,
    *,
    party: str | None = None,
    days: int = 1,
    km: float = 60.0,
    f: IncidentFilter | None = None,
) -> list[dict[str, Any]]:
    """Located declared strikes with no alleged incident within ``days`` and ``km``
    (plus the incident's precision radius), by strike day."""
    party = party or DEFAULT_PARTY
    period = _period(store, party)
    if period is None:
        return []
    pad = dt.timedelta(days=days + 1)
    base = f or IncidentFilter()
    g = replace(base, date_from=period[0] - pad, date_to=period[1] + pad)
    by_day: dict[dt.date, list[tuple[float, float, float]]] = defaultdict(list)
    for row in queries.iter_incidents(store, g):
        a = alleged(row)
        rad = radius(a)
        if a.date_start is None or rad is None or a.latitude is None or a.longitude is None:
            continue
        end = a.date_end or a.date_start
        for i in range(-days, (end - a.date_start).days + days + 1):
            by_day[a.date_start + dt.timedelta(days=i)].append((a.latitude, a.longitude, rad))
    out = []
    with store.connect() as conn:
        reps = ss.reports(conn, party=party)
    for r in reps:
        if r["strike_date"] is None or r["latitude"] is None:
            continue
        near = by_day.get(r["strike_date"], [])
        if any(
            km_between(r["latitude"], r["longitude"], la, lo) <= km + rad for la, lo, rad in near
        ):
            continue
        out.append(
            {
                "id": r["id"],
                "release_date": r["release_date"].isoformat() if r["release_date"] else None,
                "strike_date": r["strike_date"].isoformat(),
                "place": r["place_name"],
                "country": r["country"],
                "strikes": r["strikes"],
                "line": r["line"],
            }
        )
    return out


def monthly(
    store: Store, f: IncidentFilter | None = None, party: str | None = None
) -> list[dict[str, Any]]:
    """Month -> declared reports and strikes, alleged incidents, likely deaths (min-max),
    over the months the releases cover."""
    party = party or DEFAULT_PARTY
    period = _period(store, party)
    if period is None:
        return []
    rows: dict[str, dict[str, Any]] = {}

    def cell(month: str) -> dict[str, Any]:
        return rows.setdefault(
            month,
            {"month": month, "reports": 0, "strikes": 0, "alleged": 0,
             "likely_killed_min": 0, "likely_killed_max": 0},
        )  # fmt: skip

    with store.connect() as conn:
        for r in ss.report_points(conn, party=party):
            if r["strike_date"]:
                c = cell(r["strike_date"].strftime("%Y-%m"))
                c["reports"] += 1
                c["strikes"] += r["strikes"] or 0
    likely = {g.value for g in LIKELY_GRADES}
    base = f or IncidentFilter()
    g = replace(base, date_from=period[0], date_to=period[1], belligerent=base.belligerent or party)
    for row in queries.iter_incidents(store, g):
        if row["date_start"] is None:
            continue
        c = cell(row["date_start"].strftime("%Y-%m"))
        c["alleged"] += 1
        if row["grade"] in likely:
            c["likely_killed_min"] += row["killed_min"] or 0
            c["likely_killed_max"] += row["killed_max"] or row["killed_min"] or 0
    return [rows[m] for m in sorted(rows)]
