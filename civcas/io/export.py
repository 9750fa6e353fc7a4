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
from ..store.raw import raw_originals
from . import ged_codebook, ucdp
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
    "fatalities_all",
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
    "ucdp-ged": "GED's columns (codebook 23.1), then civcas_code, civcas_source_kind, "
    "civcas_source_id, civcas_belligerents and civcas_left_out. Incidents that came from "
    "GED give GED's own values back (their raw row). Others: id and relid blank (they have "
    "no GED id), type_of_violence, deaths_a and deaths_b blank (not known), "
    "deaths_civilians = killed min, deaths_unknown = max - min, best = their sum, low = "
    "min, high = max (blank when unknown); side_a and side_b the first two belligerents; "
    "where_prec blank when the precision is unknown (GED's 7 means international waters "
    "or airspace); date columns blank for an undated incident. civcas_left_out lists, per "
    "row, what GED cannot hold (grade, assessment, concessions, injuries, breakdowns, "
    "named victims, further belligerents, Arabic names). A text cell that starts with "
    "= + - @, a tab or a carriage return gets a leading ' (formula-safe).",
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


GED_COLUMNS = (*ged_codebook.columns(), *ged_codebook.CIVCAS_COLUMNS)


def _span(lo: Any, hi: Any) -> str:
    if lo is None and hi is None:
        return ""
    if lo == hi:
        return str(lo)
    return f"{'?' if lo is None else lo}–{'?' if hi is None else hi}"


def _left_out(r: dict[str, Any], bells: list[str]) -> str:
    """What this incident holds that GED's columns cannot (``civcas_left_out``)."""
    out = []
    for key in ("grade", "assessment", "strike_type"):
        if r.get(key) not in (None, "", "unknown", "none"):
            out.append(f"{key}={r[key]}")
    for what in ("conceded", "injured", "children_killed", "women_killed", "men_killed"):
        span = _span(r.get(f"{what}_min"), r.get(f"{what}_max"))
        if span:
            out.append(f"{what}={span}")
    if r.get("named_victims"):
        out.append(f"named_victims={r['named_victims']}")
    if len(bells) > 2:
        out.append("belligerents beyond side_a and side_b: " + "; ".join(bells[2:]))
    for key in ("location_ar", "governorate_ar", "summary"):
        if r.get(key):
            out.append(key)
    if r.get("date_start") is None:
        out.append("no date")
    return "; ".join(out)


def _ged_from_record(r: dict[str, Any], raw: dict[str, Any], bells: list[str]) -> dict[str, Any]:
    """An incident that came from GED: GED's own values, from the row it was read from."""
    row = {c: ged_codebook.typed(c, raw.get(c, "")) for c in ged_codebook.columns()}
    notes = []
    civ, unknown = str(raw.get("deaths_civilians", "")), str(raw.get("deaths_unknown") or 0)
    lo: int | None = None
    hi: int | None = None
    if civ.isdigit() and unknown.isdigit():  # what the importer made of GED's columns
        lo, hi = int(civ), int(civ) + int(unknown)
    if (r.get("killed_min"), r.get("killed_max")) != (lo, hi):
        notes.append(
            f"killed={_span(r.get('killed_min'), r.get('killed_max'))} in civcas"
            " (the deaths columns are GED's own)"
        )
    left = _left_out({**r, "summary": None}, bells)
    row["civcas_left_out"] = "; ".join(x for x in (*notes, left) if x)
    return row


def _ged_from_civcas(r: dict[str, Any], bells: list[str]) -> dict[str, Any]:
    """An incident that did not come from GED, in GED's columns (docs/io.md says how).

    ``id``/``relid`` are GED's identifiers, which it has none of: blank (``civcas_code``
    names it). killed min-max become ``deaths_civilians`` = min and ``deaths_unknown`` =
    max - min, ``best`` their sum (GED's rule: best is the sum of the deaths columns),
    ``low`` = min and ``high`` = max, each blank when unknown; ``deaths_a``/``deaths_b``
    and ``type_of_violence`` are blank (civcas does not know them)."""
    lo, hi = r.get("killed_min"), r.get("killed_max")
    start, end = r.get("date_start"), r.get("date_end") or r.get("date_start")
    lat, lon = r.get("latitude"), r.get("longitude")
    days = (end - start).days if start and end else None
    where = ged_codebook.where_prec_code(r.get("location_precision") or "unknown")
    when = ged_codebook.date_prec_code(r.get("date_precision") or "day", days) if start else None
    row: dict[str, Any] = {c: "" for c in ged_codebook.columns()}
    row.update(
        year=start.year if start else "",
        side_a=bells[0] if bells else "",
        side_b=bells[1] if len(bells) > 1 else "",
        source_article=r.get("url") or "",
        where_prec="" if where is None else where,
        where_coordinates=r.get("location_en") or "",
        adm_1=r.get("governorate_en") or "",
        latitude=_cell(lat),
        longitude=_cell(lon),
        geom_wkt=f"POINT ({lon} {lat})" if lat is not None and lon is not None else "",
        country=r.get("country") or "",
        date_prec="" if when is None else when,
        date_start=_cell(start),
        date_end=_cell(end),
        deaths_civilians="" if lo is None else lo,
        deaths_unknown="" if lo is None or hi is None else hi - lo,
        best="" if lo is None else (hi if hi is not None else lo),
        low="" if lo is None else lo,
        high="" if hi is None else hi,
    )
    row["civcas_left_out"] = _left_out(r, bells)
    return row


def ged_row(r: dict[str, Any], raw: Any = None) -> dict[str, Any]:
    """One incident as a GED row, with civcas's identity columns after GED's."""
    bells = [b for b in (r.get("belligerents") or "").split("; ") if b]
    kind, sid = r["source_kind"], r["source_id"]
    from_ged = kind == ucdp.SOURCE_KIND and isinstance(raw, dict)
    if from_ged and raw.get("id"):
        row = _ged_from_record(r, raw, bells)
    else:
        row = _ged_from_civcas(r, bells)
        if from_ged and raw.get("civcas_source_kind"):
            # read from an earlier GED export of ours: the identity it had there, so
            # that export and import can go round any number of times
            kind, sid = raw["civcas_source_kind"], raw.get("civcas_source_id", "")
    row.update(
        civcas_code=r["code"],
        civcas_source_kind=kind,
        civcas_source_id=sid,
        civcas_belligerents="; ".join(bells),
    )
    return row


def _batches(store: Store, f: IncidentFilter, size: int = 500) -> Iterator[list[dict[str, Any]]]:
    buf: list[dict[str, Any]] = []
    for r in iter_incidents(store, f):
        buf.append(r)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def write_ucdp_ged(store: Store, f: IncidentFilter, fh: IO[str]) -> int:
    """GED's columns (the codebook's order), then civcas's; GED's own values for the
    incidents that came from GED (their raw record)."""
    w = csv.DictWriter(fh, fieldnames=GED_COLUMNS)
    w.writeheader()
    n = 0
    for batch in _batches(store, f):
        raws = raw_originals(
            store,
            [r["raw_id"] for r in batch if r["source_kind"] == ucdp.SOURCE_KIND and r["raw_id"]],
        )
        for r in batch:
            w.writerow(safe_dict(ged_row(r, raws.get(r["raw_id"]))))
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
