"""Reader of UCDP Georeferenced Event Dataset (GED) CSVs, columns as in the GED codebook.

GED counts all deaths (``best``/``low``/``high``); civcas records civilian harm, so
killed = ``deaths_civilians`` (min) to ``deaths_civilians + deaths_unknown`` (max): the
deaths of unknown status may have been civilians. ``date_prec`` 1–5 and ``where_prec``
1–7 map to civcas' precisions; ``side_a`` (and ``side_b`` unless it is "Civilians") are
the suspected belligerents.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model.records import BelligerentAssessment, CountRange, Incident, Place
from ..model.vocab import DatePrecision, LocationPrecision, StrikeType
from . import gazetteer as gz
from .common import Cells, Unmapped, csv_rows, note_unmapped
from .pipeline import Parsed

SOURCE_KIND = "ucdp-ged"
REQUIRED = ("id", "date_start", "deaths_civilians", "best")

DATE_PREC = {
    "1": DatePrecision.DAY,
    "2": DatePrecision.RANGE,
    "3": DatePrecision.RANGE,
    "4": DatePrecision.MONTH,
    "5": DatePrecision.YEAR,
}
WHERE_PREC = {
    "1": LocationPrecision.EXACT,
    "2": LocationPrecision.TOWN,
    "3": LocationPrecision.DISTRICT,
    "4": LocationPrecision.GOVERNORATE,
    "5": LocationPrecision.DISTRICT,
    "6": LocationPrecision.COUNTRY,
    "7": LocationPrecision.UNKNOWN,
}


def read_ucdp_ged(path: Path, unmapped: Unmapped | None = None) -> Iterator[Parsed]:
    for row, r in csv_rows(Path(path), REQUIRED, unmapped=unmapped):
        c = Cells(row)
        gid = c.text(r.get("id"))
        if not gid:
            c.problem("id", r.get("id"), "the GED event id")
        start = c.date("date_start", r.get("date_start"))
        if start is None and not c.problems:
            c.problem("date_start", r.get("date_start"), "a date (YYYY-MM-DD)")
        end = c.date("date_end", r.get("date_end"))
        if start and end and end < start:
            c.problem("date_end", r.get("date_end"), f"a date ≥ {start}")
        civ = c.count("deaths_civilians", r.get("deaths_civilians"))
        unknown = c.count("deaths_unknown", r.get("deaths_unknown")) or 0
        for col in ("best", "low", "high", "deaths_a", "deaths_b"):
            c.count(col, r.get(col))
        lat, lon = c.coordinates(r.get("latitude"), r.get("longitude"))
        if c.problems:
            yield Parsed(row, r, None, c.problems)
            continue
        dprec = DATE_PREC.get((r.get("date_prec") or "1").strip())
        if dprec is None:
            note_unmapped(unmapped, "date_prec", r.get("date_prec"))
        wprec = WHERE_PREC.get((r.get("where_prec") or "").strip(), LocationPrecision.UNKNOWN)
        sides = [r.get("side_a") or ""]
        if (r.get("side_b") or "").strip().lower() not in ("", "civilians"):
            sides.append(r.get("side_b") or "")
        bells = [
            BelligerentAssessment(belligerent=gz.belligerent(s, unmapped))
            for s in sides
            if s.strip()
        ]
        gov_en, gov_ar = gz.normalise_governorate(r.get("adm_1"), unmapped)
        yield Parsed(
            row,
            r,
            Incident(
                source_kind=SOURCE_KIND,
                source_id=gid or "",
                code=f"GED-{gid}",
                date_start=start,
                date_end=end,
                date_precision=dprec or DatePrecision.DAY,
                place=Place(
                    name_en=c.text(r.get("where_coordinates"))
                    or c.text(r.get("where_description")),
                    governorate_en=gov_en,
                    governorate_ar=gov_ar,
                    country=c.text(r.get("country")),
                    latitude=lat,
                    longitude=lon,
                    precision=wprec,
                ),
                belligerents=bells,
                strike_type=StrikeType.UNKNOWN,
                killed=CountRange(civ, None if civ is None else civ + unknown),
                summary=c.text(r.get("source_headline")),
            ),
        )
