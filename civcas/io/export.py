"""Writers of exchange formats, streamed from the store (any size, constant memory).

What each format loses is stated in docs/io.md and, where the format allows, in the
file itself (a ``#`` comment line is avoided in CSV so that every CSV reader opens it;
CSV exports say it in the column set instead, and JSON/GeoJSON carry a ``civcas`` block).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import IO, Any

from ..model.filters import IncidentFilter
from ..store.engine import Store
from ..store.queries import children, iter_incidents
from .csvsafe import safe_dict, safe_row

FORMATS = ("csv", "json", "geojson", "ucdp-ged")

CSV_COLUMNS = (
    "code",
    "source_kind",
    "source_id",
    "date_start",
    "date_end",
    "date_precision",
    "location_en",
    "location_ar",
    "governorate_en",
    "governorate_ar",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "belligerents",
    "strike_type",
    "grade",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed_min",
    "children_killed_max",
    "women_killed_min",
    "women_killed_max",
    "men_killed_min",
    "men_killed_max",
    "assessment",
    "conceded_min",
    "conceded_max",
    "named_victims",
    "url",
    "content_hash",
)

# How civcas's tally reads a range (civcas.tally.compute.rules["totals"]); exports keep
# the range as recorded, so whoever sums an export must read it the same way to match
RANGE_READING = (
    "Ranges are written as recorded: a blank end stays blank. civcas's tally reads a "
    "range with one end known as that value at both ends (min = max) and one with neither "
    "end as 0 (counted in incidents_unknown_count); sum the export that way to match it."
)

LOSSES = {
    "csv": "One row per incident; victims, sources, statements, aliases and the raw original "
    "are left out (named_victims is a count); only the first belligerent's assessment and "
    "conceded deaths are kept; belligerents are joined with '; '. A text cell that starts "
    "with = + - @, a tab or a carriage return is written with a leading ' (formula-safe; "
    "civcas's importers remove it). " + RANGE_READING,
    "json": "Incidents with belligerents, victims, statements, sources and aliases; the raw "
    "original record is left out (it is in the database).",
    "geojson": "One Point feature per incident with coordinates (null geometry without); "
    "properties as the CSV export; victims, sources and statements are left out. " + RANGE_READING,
    "ucdp-ged": "GED columns only: best = low = the documented minimum (civcas has no best "
    "estimate), high = maximum, deaths_civilians = min and deaths_unknown = max - min; "
    "grades, assessments, concessions, injuries, victims and Arabic names are left out; "
    "type_of_violence is 3 (one-sided) for every row; side_b is 'Civilians'; a text cell "
    "that starts with = + - @, a tab or a carriage return gets a leading ' (formula-safe).",
}

GED_COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_prec",
    "where_coordinates",
    "adm_1",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "source_article",
)
GED_DATE_PREC = {"day": 1, "range": 2, "month": 4, "year": 5}
GED_WHERE_PREC = {
    "exact": 1,
    "neighbourhood": 1,
    "town": 2,
    "district": 3,
    "governorate": 4,
    "country": 6,
    "unknown": 7,
}


def _cell(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return "" if v is None else v


def _meta(fmt: str, f: IncidentFilter) -> dict[str, Any]:
    from .. import __version__

    return {
        "format": fmt,
        "software": f"civcas {__version__}",
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "filter": f.as_params(),
        "left_out": LOSSES[fmt],
        "ranges": RANGE_READING,
    }


def write_csv(store: Store, f: IncidentFilter, fh: IO[str]) -> int:
    """One row per incident; text cells formula-safe (civcas.io.csvsafe), numbers as they are."""
    w = csv.writer(fh)
    w.writerow(CSV_COLUMNS)
    n = 0
    for r in iter_incidents(store, f):
        # escaped on the stored values: a text that looks like a number is still text
        w.writerow(safe_row(_cell(r.get(c)) for c in CSV_COLUMNS))
        n += 1
    return n


def _with_children(store: Store, f: IncidentFilter, batch: int = 500) -> Iterator[dict[str, Any]]:
    buf: list[dict[str, Any]] = []

    def flush() -> Iterator[dict[str, Any]]:
        kids = children(store, [r["id"] for r in buf])
        for r in buf:
            for name, per in kids.items():
                r[name] = [
                    {
                        k: _cell(v) if isinstance(v, dt.date) else v
                        for k, v in d.items()
                        if k not in ("id", "incident_id")
                    }
                    for d in per[r["id"]]
                ]
            r["aliases"] = [a["alias"] for a in r["aliases"]]
            yield r
        buf.clear()

    for r in iter_incidents(store, f):
        buf.append(r)
        if len(buf) >= batch:
            yield from flush()
    if buf:
        yield from flush()


def write_json(store: Store, f: IncidentFilter, fh: IO[str]) -> int:
    """``{"civcas": meta, "incidents": [...]}``, written incident by incident."""
    fh.write(
        '{"civcas": ' + json.dumps(_meta("json", f), ensure_ascii=False) + ',\n"incidents": [\n'
    )
    n = 0
    for r in _with_children(store, f):
        r.pop("raw_id", None)
        r.pop("id", None)
        fh.write(("" if n == 0 else ",\n") + json.dumps(r, ensure_ascii=False, default=_cell))
        n += 1
    fh.write("\n]}\n")
    return n


def write_geojson(store: Store, f: IncidentFilter, fh: IO[str]) -> int:
    fh.write(
        '{"type": "FeatureCollection", "civcas": '
        + json.dumps(_meta("geojson", f), ensure_ascii=False)
        + ',\n"features": [\n'
    )
    n = 0
    for r in iter_incidents(store, f):
        lat, lon = r.get("latitude"), r.get("longitude")
        geom = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        props = {c: r.get(c) for c in CSV_COLUMNS}
        feat = {"type": "Feature", "id": r["code"], "geometry": geom, "properties": props}
        fh.write(("" if n == 0 else ",\n") + json.dumps(feat, ensure_ascii=False, default=_cell))
        n += 1
    fh.write("\n]}\n")
    return n


def ged_row(r: dict[str, Any]) -> dict[str, Any]:
    lo = r["killed_min"] if r["killed_min"] is not None else r["killed_max"]
    hi = r["killed_max"] if r["killed_max"] is not None else r["killed_min"]
    start, end = r.get("date_start"), r.get("date_end") or r.get("date_start")
    return {
        "id": r["code"],
        "relid": r["source_id"],
        "year": start.year if start else "",
        "active_year": "",
        "type_of_violence": 3,
        "side_a": r.get("belligerents") or "",
        "side_b": "Civilians",
        "where_prec": GED_WHERE_PREC.get(r.get("location_precision") or "unknown", 7),
        "where_coordinates": r.get("location_en") or "",
        "adm_1": r.get("governorate_en") or "",
        "latitude": _cell(r.get("latitude")),
        "longitude": _cell(r.get("longitude")),
        "country": r.get("country") or "",
        "date_prec": GED_DATE_PREC.get(r.get("date_precision") or "day", 1),
        "date_start": _cell(start),
        "date_end": _cell(end),
        "deaths_a": 0,
        "deaths_b": 0,
        "deaths_civilians": "" if lo is None else lo,
        "deaths_unknown": "" if lo is None else (hi or 0) - lo,
        "best": "" if lo is None else lo,
        "high": "" if hi is None else hi,
        "low": "" if lo is None else lo,
        "source_article": r.get("url") or "",
    }


def write_ucdp_ged(store: Store, f: IncidentFilter, fh: IO[str]) -> int:
    w = csv.DictWriter(fh, fieldnames=GED_COLUMNS)
    w.writeheader()
    n = 0
    for r in iter_incidents(store, f):
        w.writerow(safe_dict(ged_row(r)))
        n += 1
    return n


WRITERS = {
    "csv": write_csv,
    "json": write_json,
    "geojson": write_geojson,
    "ucdp-ged": write_ucdp_ged,
}


def export(store: Store, fmt: str, f: IncidentFilter, fh: IO[str]) -> int:
    """Write the filtered incidents in one format; returns the number written."""
    from ..model.errors import InputError

    if fmt not in WRITERS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return WRITERS[fmt](store, f, fh)
