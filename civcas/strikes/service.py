"""The matcher over a store: incidents and strike reports in, results and suggestions out."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..extract.locate import locate_name
from ..model.filters import IncidentFilter
from ..model.strikes import StrikeStatus, Suggested
from ..store import queries
from ..store import strikes as ss
from ..store.engine import Store
from .match import MAX_RANGE_DAYS, Alleged, Declared, MatchSettings, Result, match

#: the strike status accepting a suggestion sets (none_declared: the belligerent did
#: not declare a strike there; whether it is likely, contested or single source is a
#: person's call, so nothing is proposed; cannot_tell proposes nothing)
STATUS_OF: dict[str, StrikeStatus | None] = {
    Suggested.DECLARED.value: StrikeStatus.DECLARED,
    Suggested.NONE_DECLARED.value: None,
    Suggested.CANNOT_TELL.value: None,
}


def place_from_text(text: str | None, country: str | None) -> tuple[Any, str] | None:
    """(gazetteer place, how) for an incident that has a place name but no point."""
    if not text or not text.strip():
        return None
    place = locate_name(text, country)
    if place is not None:
        return place, f"{place.name} ({place.precision})"
    from ..extract.gazetteer import load_gazetteer

    found = [m for m in load_gazetteer().find(text) if m.chosen is not None]
    if country:
        code = {"iraq": "IQ", "syria": "SY"}.get(country.strip().lower())
        found = [m for m in found if m.chosen and (code is None or m.chosen.country == code)]
    if not found:
        return None
    best = found[0].chosen
    assert best is not None
    return best, f"{best.name} ({best.precision}, found in {text!r})"


def _names(value: Any) -> list[str]:
    """Belligerent names from the row's "; "-joined column or its child rows."""
    if isinstance(value, list):
        return [str(b.get("belligerent")) for b in value if b.get("belligerent")]
    return [b.strip() for b in (value or "").split(";") if b.strip()]


def alleged(row: dict[str, Any]) -> Alleged:
    """An incident row as the matcher sees it (date, place, belligerents; no URLs)."""
    a = Alleged(
        code=row["code"],
        date_start=row["date_start"],
        date_end=row["date_end"],
        date_precision=row["date_precision"] or "day",
        place=row["location_en"] or row["location_ar"] or row["governorate_en"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        precision=row["location_precision"] or "unknown",
        belligerents=_names(row["belligerents"]),
        incident_id=row["id"],
    )
    if a.latitude is None and row["location_en"]:
        found = place_from_text(row["location_en"], row["country"])
        if found is not None:
            p, how = found
            prec = p.precision if p.precision in ("town", "neighbourhood") else "governorate"
            a = replace(a, latitude=p.lat, longitude=p.lon, precision=prec, located_by=how)
    return a


def declared(row: dict[str, Any]) -> Declared:
    return Declared(
        release_date=row["release_date"],
        strike_date=row["strike_date"],
        place=row["place_name"],
        strikes=row["strikes"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        party=row["party"],
        country=row["country"],
        report_id=row["id"],
    )


def _incidents(
    store: Store, f: IncidentFilter, strike_types: frozenset[str] | None
) -> Iterator[Alleged]:
    for row in queries.iter_incidents(store, f):
        if strike_types is None or row["strike_type"] in strike_types:
            yield alleged(row)


def match_store(
    store: Store,
    settings: MatchSettings,
    f: IncidentFilter | None = None,
    *,
    strike_types: frozenset[str] | None = None,
) -> tuple[list[Result], dict[str, Any]]:
    """Match the filtered incidents (the party's, unless any party; of these strike
    types, when given: e.g. air for Iraq Body Count's air strikes) against the reports."""
    f = f or IncidentFilter()
    if settings.party is not None and f.belligerent is None:
        f = replace(f, belligerent=settings.party)
    with store.connect() as conn:
        reps = [declared(r) for r in ss.report_points(conn)]
    return match(_incidents(store, f, strike_types), reps, settings)


def as_json(results: list[Result], summary: dict[str, Any]) -> dict[str, Any]:
    return {"incidents": [r.to_json() for r in results], "summary": summary}


def save_suggestions(store: Store, results: list[Result], settings: MatchSettings) -> int:
    """Store each result as a suggestion waiting for a person (decided ones are kept)."""
    rows = []
    for r in results:
        if r.incident.incident_id is None:
            continue
        status = STATUS_OF[r.suggested.value]
        rows.append(
            {
                "incident_id": r.incident.incident_id,
                "suggested": r.suggested.value,
                "status": status.value if status else None,
                "detail": json.dumps(r.to_json(), ensure_ascii=False),
            }
        )
    with store.begin() as conn:
        return ss.save_suggestions(conn, settings.key, rows)


def declared_nearby(
    store: Store,
    code: str,
    settings: MatchSettings | None = None,
    *,
    incident: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The declared strikes near one incident (for its page), any party. ``incident``: the
    incident as get_incident gave it, when the caller has it already (a page reads it once)."""
    settings = settings or MatchSettings(party=None)
    inc = incident or queries.get_incident(store, code, include_unpublished=True)
    a = alleged(inc)
    if a.date_start is None:
        return []
    pad = dt.timedelta(days=settings.days + 1 + MAX_RANGE_DAYS)
    with store.connect() as conn:
        rows = ss.report_points(
            conn, start=a.date_start - pad, end=(a.date_end or a.date_start) + pad
        )
        reps = [declared(r) for r in rows]
    results, _ = match([a], reps, settings)
    return [m.to_json() for m in results[0].matches] if results else []
