"""Every number the dashboard and the report show, computed once from the library.

The headline and tables are exactly ``civcas.tally.tally(store, f).to_json()`` (the object
`civcas tally --json` prints); the only extra is the month × grade cross-tab the stacked
chart needs (the tally's own, on the same calendar axis as its monthly series), and the
latest estimate made from these very records and this scope, if any.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError

from ..model.filters import IncidentFilter
from ..model.vocab import Grade
from ..store.engine import Store
from ..tally import tally

UNGRADED = "Ungraded"
GRADE_ORDER = [g.value for g in Grade] + [UNGRADED]


@dataclass
class Figures:
    summary: dict[str, Any]  # tally(store, f).to_json(), unchanged
    month_grade: dict[str, dict[str, dict[str, int]]]  # month -> grade -> killed min/max
    estimate: dict[str, Any] | None
    # issue 20: "of N alleged incidents, M occurred where and when the belligerent
    # declared strikes", and the monthly series beside it (None: no strike reports)
    declared: dict[str, Any] | None = None
    strikes_monthly: list[dict[str, Any]] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "month_grade": self.month_grade,
            "estimate": self.estimate,
            "declared_strikes": self.declared,
            "strikes_monthly": self.strikes_monthly,
        }


def month_by_grade(store: Store, f: IncidentFilter) -> dict[str, dict[str, dict[str, int]]]:
    """Month -> grade -> incidents and killed min/max, every calendar month from the first
    to the last dated one (empty months map to no grades); off-calendar incidents left out."""
    return tally(store, f).month_grade


def latest_estimate(store: Store, f: IncidentFilter, snapshot: str) -> dict[str, Any] | None:
    """The latest saved estimate made from this record for exactly this scope (``f``)
    and these records (their ``snapshot`` hash), or None: an estimate from another
    record, another scope or an older state of the data is never shown as this one's.

    Imported lazily: a missing module or a database without the estimates table both
    mean "no estimate", never an error on a public page.
    """
    name = "civcas.store.estimates"
    try:
        mod = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise
    try:
        est = mod.estimate_for(store, f.as_params(), snapshot)
    except DBAPIError:
        return None
    return shown(est)


def shown(est: dict[str, Any] | None) -> dict[str, Any] | None:
    """What pages show of a saved estimate (None: nothing, or no finite total)."""
    if not est or est.get("N") is None:
        return None
    keys = ("id", "label", "method", "model", "N", "ci_lo", "ci_hi", "n_observed", "created_at")
    out = {k: est.get(k) for k in keys}
    prov = (est.get("result") or {}).get("provenance") or {}
    out["snapshot_sha256"] = prov.get("snapshot_sha256")
    return out


def declared_strikes(
    store: Store, f: IncidentFilter
) -> tuple[dict[str, Any] | None, list[dict[str, Any]] | None]:
    """The declared-strike line and monthly series (civcas.strikes), or (None, None)
    when the record holds no strike reports."""
    from ..strikes.other import declared_summary, monthly

    try:
        line = declared_summary(store, f)
    except DBAPIError:
        return None, None
    if line is None:
        return None, None
    return line, monthly(store, f)


def figures(store: Store, f: IncidentFilter, *, with_estimate: bool = True) -> Figures:
    declared, strikes_monthly = declared_strikes(store, f)
    t = tally(store, f)
    return Figures(
        summary=t.to_json(),
        month_grade=t.month_grade,
        estimate=latest_estimate(store, f, t.snapshot) if with_estimate else None,
        declared=declared,
        strikes_monthly=strikes_monthly,
    )
