"""Documented totals and the comparison with what the belligerent conceded.

Counting rules (stated in every result's ``rules``):
- Totals are Σmin–Σmax over incidents. Where only one end of a range is known, it stands
  for both ends; an incident with neither end known adds 0 and is counted in
  ``incidents_unknown_count``.
- "Likely" = incidents graded in ``likely_grades`` (default Confirmed + Fair).
- "Conceded" = deaths the belligerent accepted in assessments marked credible.
- The ratio is likely/conceded at each end (min/min, max/max); null when nothing is conceded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..model.filters import IncidentFilter
from ..model.vocab import LIKELY_GRADES, Grade
from ..store.engine import Store
from ..store.queries import conceded_sums, grouped_sums, snapshot_from_sums

SUMMED = (
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed_min",
    "children_killed_max",
    "women_killed_min",
    "women_killed_max",
    "named_victims",
)
UNGRADED = "Ungraded"
NO_ASSESSMENT = "none"


def _zero() -> dict[str, int]:
    return {"incidents": 0, "incidents_unknown_count": 0, **{k: 0 for k in SUMMED}}


def _add(acc: dict[str, int], row: dict[str, Any]) -> None:
    acc["incidents"] += int(row["incidents"])
    acc["incidents_unknown_count"] += int(row["unknown"] or 0)
    for k in SUMMED:
        acc[k] += int(row[k] or 0)


@dataclass
class Tally:
    """One filter's figures; ``to_json`` is the object `civcas tally --json` prints."""

    filter: IncidentFilter
    likely_grades: tuple[Grade, ...]
    belligerent: str | None
    totals: dict[str, int]
    by_grade: dict[str, dict[str, int]]
    by_month: dict[str, dict[str, int]]
    by_assessment: dict[str, dict[str, int]]
    likely: dict[str, int]
    conceded: dict[str, int]
    conceded_by_month: dict[str, dict[str, int]]
    snapshot: str
    rules: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> dict[str, float | None]:
        def r(a: int, b: int) -> float | None:
            return round(a / b, 2) if b else None

        return {
            "min": r(self.likely["killed_min"], self.conceded["deaths_min"]),
            "max": r(self.likely["killed_max"], self.conceded["deaths_max"]),
        }

    def to_json(self) -> dict[str, Any]:
        def slim(d: dict[str, int]) -> dict[str, int]:
            return {
                k: d[k]
                for k in (
                    "incidents",
                    "incidents_unknown_count",
                    "killed_min",
                    "killed_max",
                    "injured_min",
                    "injured_max",
                    "children_killed_min",
                    "children_killed_max",
                    "women_killed_min",
                    "women_killed_max",
                    "named_victims",
                )
            }

        return {
            "filter": self.filter.as_params(),
            **slim(self.totals),
            "by_grade": {g: slim(v) for g, v in self.by_grade.items()},
            "by_month": {m: slim(v) for m, v in self.by_month.items()},
            "by_assessment": {a: slim(v) for a, v in self.by_assessment.items()},
            "likely": {"grades": [g.value for g in self.likely_grades], **slim(self.likely)},
            "conceded": {"belligerent": self.belligerent, **self.conceded},
            "conceded_by_month": self.conceded_by_month,
            "ratio_likely_to_conceded": self.ratio,
            "snapshot_sha256": self.snapshot,
            "rules": self.rules,
        }


def tally(
    store: Store,
    f: IncidentFilter | None = None,
    *,
    likely_grades: tuple[Grade, ...] = LIKELY_GRADES,
    belligerent: str | None = None,
) -> Tally:
    """Compute every figure for one filter from one grouped scan plus one join.

    The grouped scan also gives the snapshot hash (its sums are order-independent).

    ``belligerent`` names whose concessions to compare against; it defaults to the
    filter's belligerent.
    """
    f = f or IncidentFilter()
    belligerent = belligerent or f.belligerent
    totals = _zero()
    by_grade: dict[str, dict[str, int]] = defaultdict(_zero)
    by_month: dict[str, dict[str, int]] = defaultdict(_zero)
    by_assessment: dict[str, dict[str, int]] = defaultdict(_zero)
    likely = _zero()
    likely_set = {g.value for g in likely_grades}
    groups = grouped_sums(store, f)
    for row in groups:
        _add(totals, row)
        _add(by_grade[row["grade"] or UNGRADED], row)
        _add(by_month[row["month"] or "unknown"], row)
        _add(by_assessment[row["assessment"] or NO_ASSESSMENT], row)
        if row["grade"] in likely_set:
            _add(likely, row)
    conceded = {"incidents_credible": 0, "deaths_min": 0, "deaths_max": 0}
    conceded_by_month: dict[str, dict[str, int]] = {}
    for row in conceded_sums(store, f, belligerent)["rows"]:
        m = row["month"] or "unknown"
        conceded_by_month[m] = {
            k: int(row[k]) for k in ("incidents_credible", "deaths_min", "deaths_max")
        }
        for k in conceded:
            conceded[k] += int(row[k])
    grade_order = [g.value for g in Grade] + [UNGRADED]
    return Tally(
        filter=f,
        likely_grades=likely_grades,
        belligerent=belligerent,
        totals=totals,
        by_grade={g: by_grade[g] for g in grade_order if g in by_grade},
        by_month=dict(sorted(by_month.items())),
        by_assessment=dict(sorted(by_assessment.items())),
        likely=likely,
        conceded=conceded,
        conceded_by_month=dict(sorted(conceded_by_month.items())),
        snapshot=snapshot_from_sums(store, f, groups),
        rules=rules(likely_grades, belligerent),
    )


def rules(likely_grades: tuple[Grade, ...], belligerent: str | None) -> dict[str, str]:
    names = " + ".join(g.value for g in likely_grades)
    who = belligerent or "each suspected belligerent"
    return {
        "totals": "Sum of minimum to sum of maximum over the matching published incidents. "
        "Where only one end of a range is known it is used for both; incidents with no "
        "known count add 0 and are counted in incidents_unknown_count.",
        "likely": f"Incidents graded {names}.",
        "conceded": f"Civilian deaths conceded by {who} in assessments marked credible.",
        "ratio": "Likely deaths divided by conceded deaths, min by min and max by max; "
        "null when nothing is conceded.",
        "named_victims": "Victims listed with a name (any script) and status killed.",
        "filters": "Dates inclusive; belligerent matches any suspected party; governorate "
        "matches the English or Arabic name; case-insensitive.",
    }
