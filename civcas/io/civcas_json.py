"""Reader of civcas's own JSON export (``civcas export --format json``).

The JSON export holds each incident with its belligerents (assessments, reasons,
concessions), victims, statements, sources and aliases; this reads it back, so that a
record moves between databases without losing them (the CSV export keeps one row per
incident). The incidents keep their codes; they are stored under the source kind
``civcas-json`` with the source id ``<source kind>:<source id>`` they had, since one
import writes one source kind. The raw record kept for each is the incident as the
file holds it. The file is read whole (an export of the whole Syria archive is about
20 MB).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model.errors import InputError
from ..model.records import (
    BelligerentAssessment,
    CountRange,
    Incident,
    Place,
    Source,
    Statement,
    Victim,
)
from ..model.strikes import normalise_strike_status
from ..model.vocab import (
    AgeGroup,
    Assessment,
    DatePrecision,
    Grade,
    LocationPrecision,
    Sex,
    SourceType,
    StrikeType,
    VictimStatus,
)
from .common import Cells, Unmapped
from .pipeline import Parsed

SOURCE_KIND = "civcas-json"
COUNTS = ("killed", "injured", "children_killed", "women_killed", "men_killed")


def _date(c: Cells, field: str, value: Any) -> dt.date | None:
    return c.date(field, value) if value else None


def _range(c: Cells, r: dict[str, Any], lo: str, hi: str) -> CountRange:
    return c.range(lo.removesuffix("_min"), r.get(lo), r.get(hi))


def _enum(c: Cells, kind: Any, field: str, value: Any, default: Any) -> Any:
    if value in (None, ""):
        return default
    try:
        return kind(value)
    except ValueError:
        c.problem(field, value, f"one of {', '.join(m.value for m in kind)}")
        return default


def to_incident(r: dict[str, Any], row: int) -> tuple[Incident | None, Cells]:
    """One incident of the JSON export (every problem of the record collected)."""
    c = Cells(row)
    code, kind, sid = c.text(r.get("code")), c.text(r.get("source_kind")), r.get("source_id")
    if not code or not kind or sid in (None, ""):
        c.problem("code", code, "the incident's code, source_kind and source_id")
    start, end = (
        _date(c, "date_start", r.get("date_start")),
        _date(c, "date_end", r.get("date_end")),
    )
    counts = {w: _range(c, r, f"{w}_min", f"{w}_max") for w in COUNTS}
    lat, lon = c.coordinates(r.get("latitude"), r.get("longitude"))
    bells = [
        BelligerentAssessment(
            belligerent=str(b.get("belligerent") or ""),
            role=str(b.get("role") or "suspected"),
            assessment=_enum(c, Assessment, "assessment", b.get("assessment"), Assessment.NONE),
            deaths_conceded=_range(c, b, "deaths_conceded_min", "deaths_conceded_max"),
            injuries_conceded=_range(c, b, "injuries_conceded_min", "injuries_conceded_max"),
            reasons=[x for x in str(b.get("reasons") or "").split("; ") if x],
            strike_report_url=b.get("strike_report_url"),
        )
        for b in r.get("belligerents") or []
    ]
    victims = [
        Victim(
            name=v.get("name"),
            name_ar=v.get("name_ar"),
            sex=_enum(c, Sex, "sex", v.get("sex"), Sex.UNKNOWN),
            age=c.count("age", v.get("age")),
            age_group=_enum(c, AgeGroup, "age_group", v.get("age_group"), AgeGroup.UNKNOWN),
            status=_enum(c, VictimStatus, "status", v.get("status"), VictimStatus.UNKNOWN),
            group_name=v.get("group_name"),
            order=v.get("victim_order"),
        )
        for v in r.get("victims") or []
    ]
    sources = [
        Source(
            url=s.get("url"),
            publisher=s.get("publisher"),
            language=s.get("language"),
            date=_date(c, "source_date", s.get("date")),
            type=_enum(c, SourceType, "source_type", s.get("type"), SourceType.OTHER),
            title=s.get("title"),
            sha256=s.get("sha256"),
        )
        for s in r.get("sources") or []
    ]
    statements = [
        Statement(
            belligerent=str(s.get("belligerent") or ""),
            date=_date(c, "statement_date", s.get("date")),
            url=s.get("url"),
            text=s.get("text"),
        )
        for s in r.get("statements") or []
    ]
    precision = _enum(
        c, DatePrecision, "date_precision", r.get("date_precision"), DatePrecision.DAY
    )
    place_precision = _enum(
        c, LocationPrecision, "location_precision", r.get("location_precision"),
        LocationPrecision.UNKNOWN,
    )  # fmt: skip
    strike = _enum(c, StrikeType, "strike_type", r.get("strike_type"), StrikeType.UNKNOWN)
    grade = _enum(c, Grade, "grade", r.get("grade"), None)
    fatalities = c.count("fatalities_all", r.get("fatalities_all"))
    if c.problems:
        return None, c
    return (
        Incident(
            source_kind=SOURCE_KIND,
            source_id=f"{kind}:{sid}",
            code=code or "",
            date_start=start,
            date_end=end,
            date_precision=precision,
            place=Place(
                name_en=r.get("location_en"),
                name_ar=r.get("location_ar"),
                governorate_en=r.get("governorate_en"),
                governorate_ar=r.get("governorate_ar"),
                country=r.get("country"),
                latitude=lat,
                longitude=lon,
                precision=place_precision,
            ),
            belligerents=bells,
            strike_type=strike,
            grade=grade,
            grade_reason=r.get("grade_reason"),
            killed=counts["killed"],
            injured=counts["injured"],
            children_killed=counts["children_killed"],
            women_killed=counts["women_killed"],
            men_killed=counts["men_killed"],
            summary=r.get("summary"),
            url=r.get("url"),
            aliases=[str(a) for a in r.get("aliases") or []],
            sources=sources,
            victims=victims,
            statements=statements,
            published=bool(r.get("published", True)),
            fatalities_all=fatalities,
            strike_status=normalise_strike_status(r.get("strike_status")),
        ),
        c,
    )


def read_civcas_json(path: Path, unmapped: Unmapped | None = None) -> Iterator[Parsed]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"not a civcas JSON export ({exc})", source=str(path)) from None
    incidents = data.get("incidents") if isinstance(data, dict) else None
    if not isinstance(incidents, list) or not isinstance(data.get("civcas"), dict):
        raise InputError(
            'not a civcas JSON export: expected {"civcas": {...}, "incidents": [...]}',
            source=str(path),
        )
    for row, r in enumerate(incidents, start=1):
        if not isinstance(r, dict):
            c = Cells(row)
            c.problem("*", r, "an incident object")
            yield Parsed(row, {"value": r}, None, c.problems)
            continue
        inc, cells = to_incident(r, row)
        yield Parsed(row, r, inc, cells.problems)
