"""Strike reports (what a belligerent declared) and strike status (of an allegation).

A *strike report* is one line of a belligerent's release: "Near PLACE, N strikes engaged
... and destroyed ...", on a release date, covering the strikes of a stated day. The
*strike status* of an alleged incident is Airwars' answer to "did the belligerent itself
report a strike there that day?": declared, likely, contested, single source, unknown.
Pure types: no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class StrikeStatus(StrEnum):
    """Airwars' strike status of an allegation."""

    DECLARED = "declared"  # the belligerent reported a strike near there that day
    LIKELY = "likely"  # no declaration, but the belligerent was likely striking there
    CONTESTED = "contested"  # several parties could have struck
    SINGLE_SOURCE = "single_source"  # one source alone claims it
    UNKNOWN = "unknown"


#: source spellings (lower-cased) of the strike status, English and Arabic (Airwars)
STRIKE_STATUS_SPELLINGS: dict[str, StrikeStatus] = {
    "declared strike": StrikeStatus.DECLARED,
    "declared": StrikeStatus.DECLARED,
    "likely strike": StrikeStatus.LIKELY,
    "likely": StrikeStatus.LIKELY,
    "contested strike": StrikeStatus.CONTESTED,
    "contested": StrikeStatus.CONTESTED,
    "single source claim": StrikeStatus.SINGLE_SOURCE,
    "single source": StrikeStatus.SINGLE_SOURCE,
    "single_source": StrikeStatus.SINGLE_SOURCE,
    "unknown": StrikeStatus.UNKNOWN,
    "ضربة معلنة": StrikeStatus.DECLARED,
    "ضربة مرجحة": StrikeStatus.LIKELY,
    "ضربة متنازع على نسبتها": StrikeStatus.CONTESTED,
    "ادعاء من مصدر واحد": StrikeStatus.SINGLE_SOURCE,
}


def normalise_strike_status(value: str | None) -> StrikeStatus | None:
    """The status of a source spelling; None for blank or unknown spellings."""
    if value is None or not str(value).strip():
        return None
    return STRIKE_STATUS_SPELLINGS.get(" ".join(str(value).split()).lower())


class Suggested(StrEnum):
    """What the matcher suggests for one allegation (a person decides)."""

    DECLARED = "declared"  # a declared strike within the day window and the distance
    NONE_DECLARED = "none_declared"  # releases cover the day(s), none near enough
    CANNOT_TELL = "cannot_tell"  # place or date too imprecise, or no release that day


@dataclass(frozen=True)
class Target:
    """One object of a strike line: ``action`` (engaged, destroyed, damaged,
    suppressed, ...), ``count`` (None when the text gives none) and ``kind``."""

    action: str
    count: int | None
    kind: str

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "count": self.count, "kind": self.kind}


@dataclass
class StrikeReport:
    """One declared-strike line of a belligerent's release."""

    party: str
    release_date: dt.date | None
    strike_date: dt.date | None
    country: str | None
    place_name: str
    position: int  # the line's position among the release's lines of its country (1-based)
    strikes: int | None = None
    targets: list[Target] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    place_precision: str = "unknown"  # town, governorate, ... (a LocationPrecision value)
    located_as: str | None = None  # the gazetteer's name of the place
    line: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, int]:
        """Identity across re-imports: release date, country, position of the line."""
        day = self.release_date.isoformat() if self.release_date else ""
        return (day, self.country or "", self.position)

    def targets_of(self, action: str) -> list[Target]:
        return [t for t in self.targets if t.action == action]
