"""Reader of Iraq Body Count incident CSVs (``ibc-incidents.csv``: reported min/max).

A row whose reported maximum is below its minimum (20 rows of the published file) keeps
both figures, smaller as min, and is reported under ``repaired``; every other bad cell
rejects the row.

IBC records no grade, no coordinates and no victims; the free-text ``sources`` column is
split on commas into source records (publisher and date text as given).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..model.records import CountRange, Incident, Place, Source
from ..model.vocab import DatePrecision, LocationPrecision, StrikeType
from .common import Cells, Unmapped, csv_rows, note_unmapped
from .pipeline import Parsed

SOURCE_KIND = "ibc"
UNKNOWN = CountRange()  # immutable, so one instance serves every row
REQUIRED = ("ibc_code", "reported_minimum", "reported_maximum")
IBC_DATES = ("%d %b %Y", "%d %B %Y")


_DRONE = re.compile(r"drone")
_AIR = re.compile(r"air")
_ARTILLERY = re.compile(r"artillery|mortar|shell|rocket")
_GROUND = re.compile(r"gunfire|gunmen|executed|clash")
_STRIKES: dict[str, StrikeType] = {}  # weapons text -> type (IBC repeats a few thousand)
_DAY, _RANGE = DatePrecision.DAY, DatePrecision.RANGE
_NO_PLACE = LocationPrecision.UNKNOWN


def _strike(weapons: str) -> StrikeType:
    kind = _STRIKES.get(weapons)
    if kind is None:
        kind = _classify(weapons)
        if len(_STRIKES) < 100_000:
            _STRIKES[weapons] = kind
    return kind


def _classify(weapons: str) -> StrikeType:
    w = weapons.lower()
    if not w.strip():
        return StrikeType.UNKNOWN
    for pattern, kind in (
        (_DRONE, StrikeType.DRONE),
        (_AIR, StrikeType.AIR),
        (_ARTILLERY, StrikeType.ARTILLERY),
        (_GROUND, StrikeType.GROUND),
    ):
        if pattern.search(w):
            return kind
    return StrikeType.OTHER


def read_ibc(path: Path, unmapped: Unmapped | None = None) -> Iterator[Parsed]:
    """IBC incidents; a code used twice (4 in the published file) gets ``#2`` appended."""
    seen: dict[str, int] = {}
    for row, r in csv_rows(Path(path), REQUIRED, unmapped=unmapped):
        c = Cells(row)
        get = r.get
        code_cell = get("ibc_code")
        code = c.text(code_cell)
        if not code:
            c.problem("ibc_code", code_cell, "the IBC incident code (e.g. a6371)")
        iso_start, iso_end = get("date_start"), get("date_end")
        if iso_start:
            start = c.date("date_start", iso_start)
        else:
            start = c.date("start_date", get("start_date"), IBC_DATES)
        if iso_end:
            end = c.date("date_end", iso_end)
        else:
            end = c.date("end_date", get("end_date"), IBC_DATES)
        if start and end and end < start:
            c.problem("date_end", iso_end or get("end_date"), f"a date ≥ {start}")
        lo = c.count("reported_minimum", get("reported_minimum"))
        hi = c.count("reported_maximum", get("reported_maximum"))
        if lo is not None and hi is not None and hi < lo:
            # 20 rows of IBC's own file: the two reported figures, in the wrong order
            note_unmapped(
                unmapped, "repaired", f"{code}: reported_maximum {hi} < minimum {lo}, swapped"
            )
            lo, hi = hi, lo
        if c.problems:
            yield Parsed(row, r, None, c.problems)
            continue
        killed = CountRange(lo, hi) if lo is not None or hi is not None else UNKNOWN
        sid = code or ""
        n = seen[sid] = seen.get(sid, 0) + 1
        if n > 1:
            note_unmapped(unmapped, "duplicate_id", sid)
            sid = f"{sid}#{n}"
        cited = get("sources")
        sources = (
            [Source(publisher=p) for s in cited.split(",") if (p := s.strip())] if cited else []
        )
        target, weapons = get("target"), get("weapons") or ""
        summary = "; ".join(x for x in (target, weapons) if x and x.strip()) or None
        yield Parsed(
            row,
            r,
            Incident(
                source_kind=SOURCE_KIND,
                source_id=sid,
                code=f"IBC-{sid}",
                date_start=start,
                date_end=end,
                date_precision=_RANGE if end and start and end != start else _DAY,
                place=Place(name_en=c.text(get("location")), country="Iraq", precision=_NO_PLACE),
                strike_type=_strike(weapons),
                killed=killed,
                injured=UNKNOWN,
                children_killed=UNKNOWN,
                women_killed=UNKNOWN,
                men_killed=UNKNOWN,
                summary=summary.strip() if summary else None,
                url=f"https://www.iraqbodycount.org/database/incidents/{code}",
                sources=sources,
            ),
        )
