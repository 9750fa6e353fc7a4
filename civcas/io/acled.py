"""Reader of ACLED event CSVs (columns as in the ACLED codebook).

killed = ``fatalities`` (ACLED gives one figure, so min = max; it counts all deaths,
not only civilians: filter on ``civilian_targeting`` or ``event_type`` upstream if that
matters). ``time_precision`` 1/2/3 = day/range/month; ``geo_precision`` 1/2/3 =
town/district/governorate. ``actor1`` (and ``actor2`` unless civilians) are the suspected
belligerents; ``sub_event_type`` gives the strike type.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model.records import BelligerentAssessment, CountRange, Incident, Place, Source
from ..model.vocab import DatePrecision, LocationPrecision
from . import gazetteer as gz
from .common import Cells, Unmapped, csv_rows, note_unmapped
from .pipeline import Parsed

SOURCE_KIND = "acled"
REQUIRED = ("event_id_cnty", "event_date", "fatalities")
ACLED_DATES = ("%d %B %Y", "%d-%B-%Y", "%d/%m/%Y")
TIME_PREC = {"1": DatePrecision.DAY, "2": DatePrecision.RANGE, "3": DatePrecision.MONTH}
GEO_PREC = {
    "1": LocationPrecision.TOWN,
    "2": LocationPrecision.DISTRICT,
    "3": LocationPrecision.GOVERNORATE,
}


def read_acled(path: Path, unmapped: Unmapped | None = None) -> Iterator[Parsed]:
    for row, r in csv_rows(Path(path), REQUIRED, unmapped=unmapped):
        c = Cells(row)
        eid = c.text(r.get("event_id_cnty"))
        if not eid:
            c.problem("event_id_cnty", r.get("event_id_cnty"), "the ACLED event id")
        date = c.date("event_date", r.get("event_date"), ACLED_DATES)
        if date is None and not any(p.field == "event_date" for p in c.problems):
            c.problem("event_date", r.get("event_date"), "a date (YYYY-MM-DD or 15 June 2017)")
        deaths = c.count("fatalities", r.get("fatalities"))
        lat, lon = c.coordinates(r.get("latitude"), r.get("longitude"))
        if c.problems:
            yield Parsed(row, r, None, c.problems)
            continue
        tprec = TIME_PREC.get((r.get("time_precision") or "1").strip())
        if tprec is None:
            note_unmapped(unmapped, "time_precision", r.get("time_precision"))
        actors = [r.get("actor1") or ""]
        if "civilian" not in (r.get("actor2") or "").lower():
            actors.append(r.get("actor2") or "")
        gov_en, gov_ar = gz.normalise_governorate(r.get("admin1"), unmapped)
        yield Parsed(
            row,
            r,
            Incident(
                source_kind=SOURCE_KIND,
                source_id=eid or "",
                code=f"ACLED-{eid}",
                date_start=date,
                date_end=date,
                date_precision=tprec or DatePrecision.DAY,
                place=Place(
                    name_en=c.text(r.get("location")),
                    governorate_en=gov_en,
                    governorate_ar=gov_ar,
                    country=c.text(r.get("country")),
                    latitude=lat,
                    longitude=lon,
                    precision=GEO_PREC.get(
                        (r.get("geo_precision") or "").strip(), LocationPrecision.UNKNOWN
                    ),
                ),
                belligerents=[
                    BelligerentAssessment(belligerent=gz.belligerent(a, unmapped))
                    for a in actors
                    if a.strip()
                ],
                strike_type=gz.normalise_strike(r.get("sub_event_type"), unmapped),
                killed=CountRange(deaths, deaths),
                summary=c.text(r.get("notes")),
                sources=[
                    Source(publisher=s.strip())
                    for s in (r.get("source") or "").split(";")
                    if s.strip()
                ],
            ),
        )
