"""The embedded demo: Airwars' 547 Raqqa coalition incidents (June–October 2017), facts only.

``civcas/demo/raqqa_2017.json.gz`` is built by :mod:`civcas.io.build_demo` from the
archive through this project's own Airwars importer, keeping facts only (codes, dates,
places, counts, grades, assessments, conceded deaths, victims, links, statement dates
and URLs) and no narrative text. It is read back here as any other import is, through
``run_import``, so loading it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from ..model.records import (
    BelligerentAssessment,
    CountRange,
    Incident,
    Place,
    Statement,
    Victim,
)
from ..model.vocab import (
    AgeGroup,
    Assessment,
    DatePrecision,
    Grade,
    LocationPrecision,
    Sex,
    StrikeType,
    VictimStatus,
)
from ..store.engine import Store
from .common import Cells, Unmapped
from .links import scrub_rows
from .pipeline import ImportResult, Parsed, run_import

SOURCE_KIND = "airwars"  # the same records as the archive importer's, so they update in place
FORMAT = "civcas-demo/1"


def demo_path() -> Path:
    return Path(str(resources.files("civcas.demo").joinpath("raqqa_2017.json.gz")))


def _range(v: list[int | None] | None) -> CountRange:
    lo, hi = (v or [None, None])[:2]
    return CountRange(lo, hi)


def _date(v: str | None) -> dt.date | None:
    return dt.date.fromisoformat(v) if v else None


def record_to_incident(r: dict[str, Any]) -> Incident:
    """A demo record (see build_demo.incident_record) back to an Incident."""
    return Incident(
        source_kind=SOURCE_KIND,
        source_id=str(r["source_id"]),
        code=r["code"],
        date_start=_date(r.get("date_start")),
        date_end=_date(r.get("date_end")),
        date_precision=DatePrecision(r.get("date_precision", "day")),
        place=Place(
            name_en=r.get("location_en"),
            name_ar=r.get("location_ar"),
            governorate_en=r.get("governorate_en"),
            governorate_ar=r.get("governorate_ar"),
            country=r.get("country"),
            latitude=r.get("latitude"),
            longitude=r.get("longitude"),
            precision=LocationPrecision(r.get("location_precision", "unknown")),
        ),
        belligerents=[
            BelligerentAssessment(
                belligerent=b["name"],
                role=b.get("role", "suspected"),
                assessment=Assessment(b.get("assessment", "none")),
                deaths_conceded=_range(b.get("deaths_conceded")),
                injuries_conceded=_range(b.get("injuries_conceded")),
                reasons=list(b.get("reasons") or []),
                strike_report_url=b.get("strike_report_url"),
            )
            for b in r.get("belligerents") or []
        ],
        strike_type=StrikeType(r.get("strike_type", "unknown")),
        grade=Grade(r["grade"]) if r.get("grade") else None,
        killed=_range(r.get("killed")),
        injured=_range(r.get("injured")),
        children_killed=_range(r.get("children_killed")),
        women_killed=_range(r.get("women_killed")),
        men_killed=_range(r.get("men_killed")),
        url=r.get("url"),
        aliases=list(r.get("aliases") or []),
        victims=[
            Victim(
                name=v.get("name"),
                name_ar=v.get("name_ar"),
                sex=Sex(v.get("sex", "unknown")),
                age=v.get("age"),
                age_group=AgeGroup(v.get("age_group", "unknown")),
                status=VictimStatus(v.get("status", "unknown")),
                group_name=v.get("group"),
                order=v.get("order"),
            )
            for v in r.get("victims") or []
        ],
        statements=[
            Statement(belligerent=s["belligerent"], date=_date(s.get("date")), url=s.get("url"))
            for s in r.get("statements") or []
        ],
        raw=r,
    )


def read_demo(path: Path | None = None, unmapped: Unmapped | None = None) -> Iterator[Parsed]:
    """Parsed incidents of a demo file (the embedded one by default)."""
    path = path or demo_path()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)  # a few hundred kB: small by construction
    for row, r in enumerate(data["incidents"], start=1):
        try:
            yield Parsed(row, r, record_to_incident(r))
        except (KeyError, ValueError) as exc:
            c = Cells(row)
            c.problem("*", r.get("code"), f"a demo record ({exc})")
            yield Parsed(row, r, None, c.problems)


def attribution(path: Path | None = None) -> dict[str, Any]:
    with gzip.open(path or demo_path(), "rt", encoding="utf-8") as fh:
        return dict(json.load(fh)["attribution"])


def load_demo(store: Store, **kw: Any) -> ImportResult:
    """Load the embedded Raqqa demo into ``store`` (idempotent: a second load is a no-op)."""
    path = demo_path()
    unmapped: dict[str, dict[str, int]] = kw.pop("unmapped", None) or {}
    rows = scrub_rows(read_demo(path), unmapped)
    return run_import(store, SOURCE_KIND, path, rows, unmapped=unmapped, **kw)


# the filter under which the demo's headline is computed (the demo's own scope)
DEMO_SCOPE = {
    "date_from": "2017-06-01",
    "date_to": "2017-10-31",
    "governorate": "Raqqa",
    "belligerent": "US-led Coalition",
}
