"""Reader of ACLED event exports (CSV or XLSX; columns as in the ACLED codebook).

ACLED's ``fatalities`` counts every death of an event, combatants included. civcas
counts as civilian deaths only the fatalities of events ACLED flags as civilian
targeting: ``civilian_targeting`` = "Civilian targeting" in exports that have the
column; in older exports (without it), events of type "Violence against civilians",
and "Explosions/Remote violence" ("Remote violence" before 2019) or "Riots" events
whose second actor is civilians (``inter2`` 7, or a name starting "Civilians"), the
events that column flags. Every event keeps its fatalities as ``fatalities_all`` (all
deaths, shown as such); the civilian count of an event not flagged is unknown, not 0.

``time_precision`` 1/2/3 = day/range/month; ``geo_precision`` 1/2/3 =
town/district/governorate. ``actor1`` (and ``actor2`` unless civilians) are the
suspected belligerents, named through the actor rules per country and date
(civcas.io.actors: US forces are the US-led Coalition in Syria and Iraq, not in
Somalia). Column names are found in any case (``EVENT_DATE``); dates are day-first in
every form ACLED files are saved in (``DATE_FORMS``), and a plain day number in an XLSX
file is an Excel date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model.errors import InputError
from ..model.records import BelligerentAssessment, CountRange, Incident, Place, Source
from ..model.vocab import DatePrecision, LocationPrecision
from . import gazetteer as gz
from .actors import ActorMap
from .common import Cells, Unmapped, column_names, csv_rows, note_unmapped, xlsx_rows
from .pipeline import Parsed

SOURCE_KIND = "acled"
REQUIRED = ("event_id_cnty", "event_date", "fatalities")
TIME_PREC = {"1": DatePrecision.DAY, "2": DatePrecision.RANGE, "3": DatePrecision.MONTH}
GEO_PREC = {
    "1": LocationPrecision.TOWN,
    "2": LocationPrecision.DISTRICT,
    "3": LocationPrecision.GOVERNORATE,
}
#: every date form accepted, as the error message lists them (day first, always)
DATE_FORMS = (
    "YYYY-MM-DD, 15 June 2017, 15 Jun 2017, 15-June-2017, 9-May-20, 31-12-2019, "
    "31-12-19, 31/12/2019 or 31/12/19 (day first)"
)
EXCEL_FORM = ", or an Excel day number (XLSX)"
CIVILIAN_TARGETING = "civilian targeting"
#: event types whose events, with civilians as the second actor, are civilian targeting
#: (in exports older than the civilian_targeting column)
TARGETING_TYPES = ("explosions/remote violence", "remote violence", "riots")
VIOLENCE_AGAINST_CIVILIANS = "violence against civilians"

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NAMED = re.compile(r"(\d{1,2})[ \-/.]([A-Za-z]+)\.?[ \-/.,]+(\d{2}|\d{4})")
_NUMERIC = re.compile(r"(\d{1,2})[\-/.](\d{1,2})[\-/.](\d{2}|\d{4})")
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)


def _year(text: str) -> int:
    """A 2-digit year as strptime's %y reads it (69-99: 1900s; 00-68: 2000s)."""
    y = int(text)
    if len(text) == 2:
        return y + (1900 if y >= 69 else 2000)
    return y


def parse_acled_date(text: str, excel: bool = False) -> dt.date | None:
    """A date in any of the forms ACLED files are saved in (:data:`DATE_FORMS`); None
    when it is none of them or not a real day."""
    s = text.strip()
    try:
        m = _ISO.fullmatch(s)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = _NAMED.fullmatch(s)
        if m:
            month = _MONTHS.get(m[2].lower())
            return None if month is None else dt.date(_year(m[3]), month, int(m[1]))
        m = _NUMERIC.fullmatch(s)
        if m:
            return dt.date(_year(m[3]), int(m[2]), int(m[1]))
        m = _SERIAL.fullmatch(s) if excel else None
        if m:
            return _EXCEL_EPOCH + dt.timedelta(days=int(m[1]))
    except ValueError:
        return None
    return None


def is_civilian_targeting(get: Any, has_flag: bool) -> bool:
    """Does ACLED flag this event as civilian targeting (see the module docstring)?"""
    if has_flag:
        return (get("civilian_targeting") or "").strip().lower() == CIVILIAN_TARGETING
    kind = (get("event_type") or "").strip().lower()
    if kind == VIOLENCE_AGAINST_CIVILIANS:
        return True
    if kind not in TARGETING_TYPES:
        return False
    actor2 = (get("actor2") or "").strip().lower()
    return (get("inter2") or "").strip() == "7" or actor2.startswith("civilians")


def _rows(path: Path, unmapped: Unmapped | None) -> Iterator[tuple[int, dict[str, str]]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        first = True
        for row, r in xlsx_rows(path):
            if first:
                names = column_names(r)
                missing = [c for c in REQUIRED if c not in names]
                if missing:
                    raise InputError(
                        f"missing column(s) {', '.join(missing)}; found: {', '.join(r)}",
                        source=str(path),
                    )
                first = False
            yield row, r
        return
    yield from csv_rows(path, REQUIRED, unmapped=unmapped, fold_case=True)


def read_acled(
    path: Path, unmapped: Unmapped | None = None, actors: ActorMap | None = None
) -> Iterator[Parsed]:
    path = Path(path)
    actors = actors or ActorMap()
    excel = path.suffix.lower() in (".xlsx", ".xlsm")
    expected = "a date: " + DATE_FORMS + (EXCEL_FORM if excel else "")
    names: dict[str, str] | None = None
    for row, r in _rows(path, unmapped):
        if names is None:
            names = column_names(r)
        cols = names

        def get(name: str, r: dict[str, str] = r, cols: dict[str, str] = cols) -> str | None:
            return r.get(cols.get(name, name))

        c = Cells(row)
        eid = c.text(get("event_id_cnty"))
        if not eid:
            c.problem(cols.get("event_id_cnty", "event_id_cnty"), eid, "the ACLED event id")
        date_text = c.text(get("event_date"))
        date = parse_acled_date(date_text, excel) if date_text else None
        if date is None:
            c.problem(cols.get("event_date", "event_date"), get("event_date"), expected)
        deaths = c.count(cols.get("fatalities", "fatalities"), get("fatalities"))
        lat, lon = c.coordinates(get("latitude"), get("longitude"))
        if c.problems:
            yield Parsed(row, r, None, c.problems)
            continue
        tprec = TIME_PREC.get((get("time_precision") or "1").strip())
        if tprec is None:
            note_unmapped(unmapped, "time_precision", get("time_precision"))
        country = c.text(get("country"))
        actor_names = [get("actor1") or ""]
        if "civilian" not in (get("actor2") or "").lower():
            actor_names.append(get("actor2") or "")
        civilian = is_civilian_targeting(get, "civilian_targeting" in cols)
        gov_en, gov_ar = gz.normalise_governorate(get("admin1"), unmapped)
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
                    name_en=c.text(get("location")),
                    governorate_en=gov_en,
                    governorate_ar=gov_ar,
                    country=country,
                    latitude=lat,
                    longitude=lon,
                    precision=GEO_PREC.get(
                        (get("geo_precision") or "").strip(), LocationPrecision.UNKNOWN
                    ),
                ),
                belligerents=[
                    BelligerentAssessment(
                        belligerent=actors.belligerent(a, country, date, unmapped)
                    )
                    for a in actor_names
                    if a.strip() and not a.strip().lower().startswith("civilians")
                ],
                strike_type=gz.normalise_strike(get("sub_event_type"), unmapped),
                killed=CountRange(deaths, deaths) if civilian else CountRange(),
                fatalities_all=deaths,
                summary=c.text(get("notes")),
                sources=[
                    Source(publisher=s.strip())
                    for s in (get("source") or "").split(";")
                    if s.strip()
                ],
            ),
        )
