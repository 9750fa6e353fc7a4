"""Documented totals and the comparison with what each belligerent conceded.

Counting rules (stated in every result's ``rules``):
- Totals are Σmin–Σmax over incidents. Where only one end of a range is known, it stands
  for both ends; an incident with neither end known adds 0 and is counted in
  ``incidents_unknown_count``.
- "Likely" = incidents graded in ``likely_grades`` (default Confirmed + Fair).
- A comparison is between like things: one party's likely deaths (its incidents only)
  against the deaths that party conceded in assessments marked credible. With a
  belligerent named, the top-level ``conceded`` and ratio are that party's; without,
  they are null and ``by_belligerent`` holds one comparison per party with any
  assessment, each with the share of its incidents whose assessment is known.
- The monthly series is a calendar from the first to the last dated month (empty months
  are zeros); undated incidents and dates before the earliest plausible date are
  counted apart (``off_calendar``) and listed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from ..model.filters import IncidentFilter
from ..model.vocab import LIKELY_GRADES, Grade
from ..store.engine import Store
from ..store.queries import conceded_sums, grouped_sums, snapshot_from_sums
from ..store.tally_parts import (
    men_sums,
    off_calendar_list,
    off_calendar_sums,
    party_coverage,
    party_rows,
)
from .calendar import min_date as default_min_date
from .calendar import months_between

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
OFF_CALENDAR_LISTED = 100  # codes listed; the counts cover them all
KILLED = ("incidents", "killed_min", "killed_max")
BREAKDOWNS = ("injured", "children_killed", "women_killed")  # from the grouped scan


def _zero() -> dict[str, int]:
    return {"incidents": 0, "incidents_unknown_count": 0, **{k: 0 for k in SUMMED}}


def _add(acc: dict[str, int], row: dict[str, Any], sign: int = 1) -> None:
    acc["incidents"] += sign * int(row["incidents"])
    acc["incidents_unknown_count"] += sign * int(row["unknown"] or 0)
    for k in SUMMED:
        acc[k] += sign * int(row[k] or 0)


def ratio(likely: dict[str, int], conceded: dict[str, int]) -> dict[str, float | None]:
    """Likely over conceded, min by min and max by max; None where nothing is conceded."""

    def r(a: int, b: int) -> float | None:
        return round(a / b, 2) if b else None

    return {
        "min": r(likely["killed_min"], conceded["deaths_min"]),
        "max": r(likely["killed_max"], conceded["deaths_max"]),
    }


def coverage(in_scope: int, known: int) -> float | None:
    """The share of a party's incidents whose assessment by that party is recorded."""
    return round(known / in_scope, 4) if in_scope else None


@dataclass
class Tally:
    """One filter's figures; ``to_json`` is the object `civcas tally --json` prints."""

    filter: IncidentFilter
    likely_grades: tuple[Grade, ...]
    belligerent: str | None
    totals: dict[str, int]
    breakdowns: dict[str, dict[str, int]]
    by_grade: dict[str, dict[str, int]]
    by_month: dict[str, dict[str, int]]
    month_grade: dict[str, dict[str, dict[str, int]]]  # calendar month -> grade -> killed
    off_calendar: dict[str, Any]
    by_assessment: dict[str, dict[str, int]]
    likely: dict[str, int]
    conceded: dict[str, Any] | None
    conceded_by_month: dict[str, dict[str, int]] | None
    by_belligerent: list[dict[str, Any]]
    snapshot: str
    rules: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> dict[str, float | None] | None:
        """The named party's ratio; None when no party is named (see by_belligerent)."""
        return ratio(self.likely, self.conceded) if self.conceded is not None else None

    def to_json(self) -> dict[str, Any]:
        def slim(d: dict[str, int]) -> dict[str, int]:
            return {k: d[k] for k in ("incidents", "incidents_unknown_count", *SUMMED)}

        return {
            "filter": self.filter.as_params(),
            **slim(self.totals),
            "breakdowns": self.breakdowns,
            "by_grade": {g: slim(v) for g, v in self.by_grade.items()},
            "by_month": {m: slim(v) for m, v in self.by_month.items()},
            "off_calendar": self.off_calendar,
            "by_assessment": {a: slim(v) for a, v in self.by_assessment.items()},
            "likely": {"grades": [g.value for g in self.likely_grades], **slim(self.likely)},
            "conceded": self.conceded,
            "conceded_by_month": self.conceded_by_month,
            "ratio_likely_to_conceded": self.ratio,
            "by_belligerent": self.by_belligerent,
            "snapshot_sha256": self.snapshot,
            "rules": self.rules,
        }


def _calendar(
    groups: list[dict[str, Any]], apart: list[dict[str, Any]]
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, dict[str, int]]]]:
    """The monthly series and its month × grade cross-tab on a calendar axis: the grouped
    sums less the off-calendar incidents, every month from the first to the last that
    keeps any incident, empty months as zeros."""
    by_month: dict[str, dict[str, int]] = defaultdict(_zero)
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(_zero)
    for rows, sign in ((groups, 1), (apart, -1)):
        for row in rows:
            if row["month"] is None:
                continue
            _add(by_month[row["month"]], row, sign)
            _add(cells[(row["month"], row["grade"] or UNGRADED)], row, sign)
    dated = sorted(m for m, v in by_month.items() if v["incidents"])
    if not dated:
        return {}, {}
    months = months_between(dated[0], dated[-1])
    grade_order = [g.value for g in Grade] + [UNGRADED]
    month_grade = {
        m: {
            g: {k: cells[(m, g)][k] for k in KILLED}
            for g in grade_order
            if (m, g) in cells and cells[(m, g)]["incidents"]
        }
        for m in months
    }
    return {m: by_month[m] if m in by_month else _zero() for m in months}, month_grade


def _off_calendar(
    store: Store, f: IncidentFilter, apart: list[dict[str, Any]], earliest: dt.date
) -> dict[str, Any]:
    acc = _zero()
    undated = 0
    for row in apart:
        _add(acc, row)
        if row["month"] is None:
            undated += int(row["incidents"])
    listed = off_calendar_list(store, f, earliest, OFF_CALENDAR_LISTED) if acc["incidents"] else []
    return {
        "min_date": earliest.isoformat(),
        "incidents": acc["incidents"],
        "undated": undated,
        "before_min_date": acc["incidents"] - undated,
        "killed_min": acc["killed_min"],
        "killed_max": acc["killed_max"],
        "listed": listed,
    }


def _party(row: dict[str, Any]) -> dict[str, Any]:
    likely = {
        "incidents": int(row["likely_incidents"] or 0),
        "killed_min": int(row["likely_min"] or 0),
        "killed_max": int(row["likely_max"] or 0),
    }
    in_scope, known = int(row["incidents_in_scope"]), int(row["incidents_with_assessment"] or 0)
    conceded = {
        "incidents_credible": int(row["incidents_credible"] or 0),
        "deaths_min": int(row["deaths_min"] or 0),
        "deaths_max": int(row["deaths_max"] or 0),
        "incidents_in_scope": in_scope,
        "incidents_with_assessment": known,
    }
    return {
        "belligerent": row["belligerent"],
        "likely": likely,
        "conceded": conceded,
        "ratio_likely_to_conceded": ratio(likely, conceded),
        "coverage": coverage(in_scope, known),
    }


def tally(
    store: Store,
    f: IncidentFilter | None = None,
    *,
    likely_grades: tuple[Grade, ...] = LIKELY_GRADES,
    belligerent: str | None = None,
    min_date: dt.date | None = None,
) -> Tally:
    """Compute every figure for one filter from one grouped scan plus a few small queries.

    The grouped scan also gives the snapshot hash (its sums are order-independent).

    ``belligerent`` names the one party to compare; it defaults to the filter's, and a
    party named here narrows the filter to its incidents (a comparison is only between
    that party's incidents and that party's concessions). ``min_date`` is the earliest
    date placed on the monthly calendar (default: :func:`calendar.min_date`).
    """
    f = f or IncidentFilter()
    if belligerent and belligerent != f.belligerent:
        f = replace(f, belligerent=belligerent)
    belligerent = f.belligerent
    earliest = min_date or default_min_date()
    totals = _zero()
    by_grade: dict[str, dict[str, int]] = defaultdict(_zero)
    by_assessment: dict[str, dict[str, int]] = defaultdict(_zero)
    likely = _zero()
    likely_set = {g.value for g in likely_grades}
    groups = grouped_sums(store, f)
    carrying = dict.fromkeys(BREAKDOWNS, 0)
    for row in groups:
        _add(totals, row)
        for name in BREAKDOWNS:
            carrying[name] += int(row[f"{name}_incidents"] or 0)
        _add(by_grade[row["grade"] or UNGRADED], row)
        _add(by_assessment[row["assessment"] or NO_ASSESSMENT], row)
        if row["grade"] in likely_set:
            _add(likely, row)
    apart = off_calendar_sums(store, f, earliest) if totals["incidents"] else []
    by_month, month_grade = _calendar(groups, apart)
    conceded: dict[str, Any] | None = None
    conceded_by_month: dict[str, dict[str, int]] | None = None
    if belligerent:
        conceded = {
            "belligerent": belligerent,
            "incidents_credible": 0,
            "deaths_min": 0,
            "deaths_max": 0,
        }
        conceded_by_month = {}
        for row in conceded_sums(store, f, belligerent)["rows"]:
            m = row["month"] or "unknown"
            keys = ("incidents_credible", "deaths_min", "deaths_max")
            conceded_by_month[m] = {k: int(row[k]) for k in keys}
            for k in keys:
                conceded[k] += int(row[k])
        cov = party_coverage(store, f, belligerent)
        conceded.update(cov)
        conceded["coverage"] = coverage(cov["incidents_in_scope"], cov["incidents_with_assessment"])
        conceded_by_month = dict(sorted(conceded_by_month.items()))
    grade_order = [g.value for g in Grade] + [UNGRADED]
    return Tally(
        filter=f,
        likely_grades=likely_grades,
        belligerent=belligerent,
        totals=totals,
        breakdowns={
            **{
                name: {
                    "min": totals[f"{name}_min"],
                    "max": totals[f"{name}_max"],
                    "incidents_with_figure": carrying[name],
                }
                for name in BREAKDOWNS
            },
            "men_killed": men_sums(store, f)
            if totals["incidents"]
            else {"min": 0, "max": 0, "incidents_with_figure": 0},
        },
        by_grade={g: by_grade[g] for g in grade_order if g in by_grade},
        by_month=by_month,
        month_grade=month_grade,
        off_calendar=_off_calendar(store, f, apart, earliest),
        by_assessment=dict(sorted(by_assessment.items())),
        likely=likely,
        conceded=conceded,
        conceded_by_month=conceded_by_month,
        by_belligerent=[_party(r) for r in party_rows(store, f, tuple(likely_set))],
        snapshot=snapshot_from_sums(store, f, groups),
        rules=rules(likely_grades, belligerent, earliest),
    )


def rules(
    likely_grades: tuple[Grade, ...], belligerent: str | None, earliest: dt.date | None = None
) -> dict[str, str]:
    names = " + ".join(g.value for g in likely_grades)
    earliest = earliest or default_min_date()
    if belligerent:
        conceded = (
            f"Civilian deaths conceded by {belligerent} in its assessments marked credible, "
            f"over the incidents where {belligerent} is a suspected party; coverage is the "
            "share of those incidents whose assessment by it is recorded (credible, "
            "non-credible, duplicate, not yet assessed or open)."
        )
    else:
        conceded = (
            "No single party is named, so there is no overall comparison: deaths caused by "
            "several parties are never set against one party's concessions. by_belligerent "
            "compares each party that answered for any of the incidents (credible, "
            "non-credible, duplicate or open; 'not yet assessed' alone does not list a "
            "party): its likely deaths over the incidents where it is a suspected party, "
            "against the deaths it conceded as credible; coverage is the share of those "
            "incidents whose assessment by it is recorded (any status but none)."
        )
    return {
        "totals": "Sum of minimum to sum of maximum over the matching published incidents. "
        "Where only one end of a range is known it is used for both; incidents with no "
        "known count add 0 and are counted in incidents_unknown_count.",
        "breakdowns": "Injured, children, women and men killed: the same sums, each with "
        "the number of incidents that give any figure for it (the others add 0, which is "
        "not a known 0).",
        "likely": f"Incidents graded {names}.",
        "conceded": conceded,
        "ratio": "Likely deaths divided by conceded deaths, min by min and max by max, for "
        "one party; null when nothing is conceded or no single party is named.",
        "by_month": "A calendar from the first to the last dated month; months without "
        "incidents are 0. Undated incidents and those dated before "
        f"{earliest.isoformat()} (the earliest plausible date: CIVCAS_MIN_DATE or "
        "--min-date) are counted apart in off_calendar and listed.",
        "named_victims": "Victims listed with a name (any script) and status killed.",
        "filters": "Dates inclusive; belligerent matches any suspected party; governorate "
        "matches the English or Arabic name; case-insensitive.",
    }
