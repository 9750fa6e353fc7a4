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


def _strike(weapons: str) -> StrikeType:
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
        code = c.text(r.get("ibc_code"))
        if not code:
            c.problem("ibc_code", r.get("ibc_code"), "the IBC incident code (e.g. a6371)")
        start = c.date("date_start", r.get("date_start")) if r.get("date_start") else None
        if start is None and not r.get("date_start"):
            start = c.date("start_date", r.get("start_date"), IBC_DATES)
        end = c.date("date_end", r.get("date_end")) if r.get("date_end") else None
        if end is None and not r.get("date_end"):
            end = c.date("end_date", r.get("end_date"), IBC_DATES)
        if start and end and end < start:
            c.problem("date_end", r.get("date_end") or r.get("end_date"), f"a date ≥ {start}")
        lo = c.count("reported_minimum", r.get("reported_minimum"))
        hi = c.count("reported_maximum", r.get("reported_maximum"))
        if lo is not None and hi is not None and hi < lo:
            # 20 rows of IBC's own file: the two reported figures, in the wrong order
            note_unmapped(
                unmapped, "repaired", f"{code}: reported_maximum {hi} < minimum {lo}, swapped"
            )
            lo, hi = hi, lo
        killed = CountRange(lo, hi)
        if c.problems:
            yield Parsed(row, r, None, c.problems)
            continue
        sid = code or ""
        seen[sid] = seen.get(sid, 0) + 1
        if seen[sid] > 1:
            note_unmapped(unmapped, "duplicate_id", sid)
            sid = f"{sid}#{seen[sid]}"
        sources = [
            Source(publisher=s.strip()) for s in (r.get("sources") or "").split(",") if s.strip()
        ]
        yield Parsed(
            row,
            r,
            Incident(
                source_kind=SOURCE_KIND,
                source_id=sid,
                code=f"IBC-{sid}",
                date_start=start,
                date_end=end,
                date_precision=DatePrecision.RANGE
                if end and start and end != start
                else DatePrecision.DAY,
                place=Place(
                    name_en=c.text(r.get("location")),
                    country="Iraq",
                    precision=LocationPrecision.UNKNOWN,
                ),
                strike_type=_strike(r.get("weapons") or ""),
                killed=killed,
                injured=UNKNOWN,
                children_killed=UNKNOWN,
                women_killed=UNKNOWN,
                men_killed=UNKNOWN,
                summary=c.text(
                    "; ".join(x for x in (r.get("target"), r.get("weapons")) if x and x.strip())
                ),
                url=f"https://www.iraqbodycount.org/database/incidents/{code}",
                sources=sources,
            ),
        )
