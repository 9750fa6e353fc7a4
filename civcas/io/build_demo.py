"""Build ``civcas/demo/raqqa_2017.json.gz`` from the Airwars archive, facts only.

    python -m civcas.io.build_demo [ARCHIVE_DIR] [-o OUT]

Every ``cases/NNNN/data.json`` of the archive (the 547 coalition incidents in Raqqa,
June–October 2017) goes through this project's Airwars importer; the resulting incidents
are written without narrative text (no summaries, no statement texts, no raw records).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any

from ..model.records import CountRange, Incident
from .airwars import read_airwars_archive
from .demo import FORMAT

DEFAULT_ARCHIVE = Path(__file__).resolve().parents[2].parent / "shared/data/syrian-archive-airwars"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "demo" / "raqqa_2017.json.gz"

ATTRIBUTION = {
    "source": "Airwars (https://airwars.org), Syria civilian-harm incident archive",
    "via": "the Arabic static-site copy github.com/carsspacee88-crypto/syrian-archive-airwars "
    "(commit e6a44ca8a7925acde7cd0d14b854f3613f4e9c6f; not affiliated with Airwars), "
    "workbook sha256 1e748659feb1fb597ccbebdc11e75ff7e63870f57c84bfc728b059677baa3ef6",
    "scope": "the 547 incidents involving the US-led Coalition in Raqqa governorate, "
    "2017-06-01 to 2017-10-31, with their named victims and the Coalition's assessments",
    "licence": "No licence is stated by the republishing repository or for Airwars' content. "
    "The records are Airwars' work: attribute Airwars, link each incident's airwars.org "
    "page, and check with Airwars before redistributing beyond demonstration use.",
    "content": "Facts only: codes, dates, places, counts, grades, assessments, conceded "
    "deaths, victims' names/sex/age, airwars.org links, statement dates and URLs. No "
    "narrative text (summaries and statement texts are left out).",
}


def _r(c: CountRange) -> list[int | None] | None:
    return None if not c.known else [c.min, c.max]


def incident_record(inc: Incident) -> dict[str, Any]:
    p = inc.place
    rec: dict[str, Any] = {
        "source_id": inc.source_id,
        "code": inc.code,
        "url": inc.url,
        "aliases": inc.aliases,
        "date_start": inc.date_start.isoformat() if inc.date_start else None,
        "date_end": inc.date_end.isoformat() if inc.date_end else None,
        "date_precision": inc.date_precision.value,
        "location_en": p.name_en,
        "location_ar": p.name_ar,
        "governorate_en": p.governorate_en,
        "governorate_ar": p.governorate_ar,
        "country": p.country,
        "latitude": p.latitude,
        "longitude": p.longitude,
        "location_precision": p.precision.value,
        "strike_type": inc.strike_type.value,
        "grade": inc.grade.value if inc.grade else None,
        "killed": _r(inc.killed),
        "injured": _r(inc.injured),
        "children_killed": _r(inc.children_killed),
        "women_killed": _r(inc.women_killed),
        "men_killed": _r(inc.men_killed),
        "belligerents": [
            {
                "name": b.belligerent,
                "role": b.role,
                "assessment": b.assessment.value,
                "deaths_conceded": _r(b.deaths_conceded),
                "injuries_conceded": _r(b.injuries_conceded),
                "reasons": b.reasons,
                "strike_report_url": b.strike_report_url,
            }
            for b in inc.belligerents
        ],
        "statements": [
            {
                "belligerent": s.belligerent,
                "date": s.date.isoformat() if s.date else None,
                "url": s.url,
            }
            for s in inc.statements
        ],
        "victims": [
            {
                "name": v.name,
                "name_ar": v.name_ar,
                "sex": v.sex.value,
                "age": v.age,
                "age_group": v.age_group.value,
                "status": v.status.value,
                "group": v.group_name,
                "order": v.order,
            }
            for v in inc.victims
        ],
    }
    return rec


def build(archive: Path, out: Path) -> dict[str, int]:
    """Write the demo file; returns counts (incidents, victims) for the log."""
    cases = {p.parent.name for p in (archive / "cases").glob("*/data.json")}
    incidents = []
    for parsed in read_airwars_archive(archive, {}):
        raw = parsed.raw
        number = str((raw.get("case") or raw).get("number") or "")
        if number not in cases:
            continue
        if parsed.incident is None:
            raise SystemExit(f"case {number}: {parsed.problems}")
        incidents.append(incident_record(parsed.incident))
    doc = {"format": FORMAT, "attribution": ATTRIBUTION, "incidents": incidents}
    out.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    with gzip.GzipFile(out, "wb", mtime=0) as fh:  # mtime=0: the same input, the same bytes
        fh.write(data.encode("utf-8"))
    return {"incidents": len(incidents), "victims": sum(len(i["victims"]) for i in incidents)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("archive", nargs="?", type=Path, default=DEFAULT_ARCHIVE)
    ap.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    a = ap.parse_args(argv)
    counts = build(a.archive, a.out)
    print(f"wrote {a.out} ({a.out.stat().st_size:,} bytes): {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
