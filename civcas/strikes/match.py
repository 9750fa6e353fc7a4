"""Declared strikes near each alleged incident, in space and time (issue 20).

The defaults were fixed before any evaluation (docs/strikes.md) and are not tuned on it:

- **Day rule.** A release reports the strikes of the day before its date (the import's
  ``--lag-days 1``: each report carries its ``strike_date``). A report matches an
  incident dated within ``days`` (1) of its strike day: ``day_offset`` is the strike
  day minus the incident's day (0 inside a date range).
- **Distance rule.** A release's "near PLACE" is a town-level place: it matches within
  ``km`` (60) of the incident plus the incident's own location precision radius
  (:data:`PRECISION_KM`). A point of unstated precision is taken as town-level.
- **Cannot tell.** An incident placed only to its governorate or country, not placed at
  all, dated only to a month or year (or a range over :data:`MAX_RANGE_DAYS`), or on
  whose own day(s) no release of the party reported anything, gets ``cannot_tell``
  unless a declared strike matched anyway; otherwise ``none_declared``.

The matcher reads an incident's date, place and suspected belligerents, never the
release URL a monitor attached to an assessment: that is what it is checked against.
Incidents without coordinates (Iraq Body Count's) are placed by their place text
through the gazetteer (``civcas.extract.locate`` and ``Gazetteer.find``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..model.strikes import Suggested

#: radius of an incident's place by its location precision (km); None: too imprecise
PRECISION_KM: dict[str, float | None] = {
    "exact": 0.0,
    "neighbourhood": 2.0,
    "town": 5.0,
    "district": 25.0,
    "governorate": None,
    "country": None,
}
UNSTATED_KM = 5.0  # a point whose precision is unknown: taken as town-level
MAX_RANGE_DAYS = 7  # a date range longer than this is too imprecise to match
DEFAULT_PARTY = "US-led Coalition"
EARTH_KM = 6371.0088


@dataclass(frozen=True)
class MatchSettings:
    """``party`` None: any party (``--any-party``)."""

    party: str | None = DEFAULT_PARTY
    days: int = 1
    km: float = 60.0

    @property
    def key(self) -> str:
        return f"{self.party or '*'}|{self.days}|{self.km:g}"


@dataclass
class Alleged:
    """What the matcher knows of an incident (nothing else is read)."""

    code: str
    date_start: dt.date | None
    date_end: dt.date | None = None
    date_precision: str = "day"
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision: str = "unknown"
    belligerents: list[str] = field(default_factory=list)
    located_by: str | None = None  # "gazetteer: NAME" when placed by its text
    incident_id: int | None = None


@dataclass
class Declared:
    """What the matcher knows of a strike report."""

    release_date: dt.date | None
    strike_date: dt.date | None
    place: str
    strikes: int | None
    latitude: float | None
    longitude: float | None
    party: str = DEFAULT_PARTY
    country: str | None = None
    report_id: int | None = None


@dataclass
class Match:
    release_date: str | None
    place: str
    strikes: int | None
    km: float
    day_offset: int
    report_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "release_date": self.release_date,
            "place": self.place,
            "strikes": self.strikes,
            "km": self.km,
            "day_offset": self.day_offset,
        }


@dataclass
class Result:
    incident: Alleged
    suggested: Suggested
    matches: list[Match]
    reasons: list[str]

    def to_json(self) -> dict[str, Any]:
        a = self.incident
        return {
            "code": a.code,
            "date": a.date_start.isoformat() if a.date_start else None,
            "place": a.place,
            "suggested_status": self.suggested.value,
            "matches": [m.to_json() for m in self.matches],
            "reasons": self.reasons,
        }


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def radius(a: Alleged) -> float | None:
    """The incident's place radius in km; None when too imprecise to match."""
    if a.latitude is None or a.longitude is None:
        return None
    if a.precision in PRECISION_KM:
        return PRECISION_KM[a.precision]
    return UNSTATED_KM


def _days(a: Alleged) -> tuple[dt.date, dt.date] | None:
    if a.date_start is None or a.date_precision in ("month", "year"):
        return None
    end = a.date_end or a.date_start
    if end < a.date_start or (end - a.date_start).days > MAX_RANGE_DAYS:
        return None
    return a.date_start, end


def _offset(strike: dt.date, first: dt.date, last: dt.date) -> int:
    if strike < first:
        return (strike - first).days
    if strike > last:
        return (strike - last).days
    return 0


class Index:
    """Reports by strike day, for a party (or any party)."""

    def __init__(self, reports: Iterable[Declared], party: str | None) -> None:
        self.by_day: dict[dt.date, list[Declared]] = {}
        self.unlocated: Counter[str] = Counter()
        for r in reports:
            if party is not None and r.party != party:
                continue
            if r.strike_date is None:
                continue  # a release with no date reports no day
            self.by_day.setdefault(r.strike_date, []).append(r)
            if r.latitude is None:
                self.unlocated[r.place] += 1


def match_one(a: Alleged, index: Index, s: MatchSettings) -> Result:
    reasons: list[str] = []
    days = _days(a)
    rad = radius(a)
    if days is None:
        reasons.append(
            "no date" if a.date_start is None else f"date too imprecise ({a.date_precision})"
        )
    if rad is None:
        reasons.append(
            "place not located"
            if a.latitude is None
            else f"place too imprecise ({a.precision}: no radius under the distance rule)"
        )
    if a.located_by:
        reasons.append(f"placed by its text: {a.located_by}")
    matches: list[Match] = []
    covered = False
    if days is not None:
        first, last = days
        span = (last - first).days
        for i in range(-s.days, span + s.days + 1):
            day = first + dt.timedelta(days=i)
            reps = index.by_day.get(day, [])
            if reps and 0 <= i <= span:
                covered = True
            if rad is None:
                continue
            assert a.latitude is not None and a.longitude is not None
            for r in reps:
                if r.latitude is None or r.longitude is None:
                    continue
                km = km_between(a.latitude, a.longitude, r.latitude, r.longitude)
                if km <= s.km + rad:
                    rd = r.release_date.isoformat() if r.release_date else None
                    off = _offset(day, first, last)
                    matches.append(Match(rd, r.place, r.strikes, round(km, 1), off, r.report_id))
    matches.sort(key=lambda m: (abs(m.day_offset), m.km, -(m.strikes or 0)))
    if matches:
        best = matches[0]
        reasons.insert(
            0,
            f"{len(matches)} declared strike report(s) within {s.days} day(s) and "
            f"{s.km:g}+{rad:g} km; nearest: {best.place} {best.km} km, day offset "
            f"{best.day_offset}",
        )
        return Result(a, Suggested.DECLARED, matches, reasons)
    if days is not None and not covered:
        reasons.append("no release reported strikes on the incident's day(s)")
    if days is None or rad is None or not covered:
        return Result(a, Suggested.CANNOT_TELL, [], reasons)
    reasons.insert(
        0,
        f"releases cover the day, none within {s.days} day(s) and {s.km:g}+{rad:g} km",
    )
    return Result(a, Suggested.NONE_DECLARED, [], reasons)


def match(
    incidents: Iterable[Alleged], reports: Iterable[Declared], settings: MatchSettings
) -> tuple[list[Result], dict[str, Any]]:
    """Results for the incidents the party is suspected in (any, with party None)."""
    index = Index(reports, settings.party)
    results: list[Result] = []
    party = (settings.party or "").lower()
    for a in incidents:
        if settings.party is not None and not any(party in b.lower() for b in a.belligerents):
            continue
        results.append(match_one(a, index, settings))
    counts = Counter(r.suggested.value for r in results)
    summary = {
        "settings": asdict(settings),
        "incidents": len(results),
        **{k.value: counts.get(k.value, 0) for k in Suggested},
        "report_days": len(index.by_day),
        "reports_unlocated": dict(index.unlocated.most_common()),
    }
    return results, summary
