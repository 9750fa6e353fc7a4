"""Domain records: what an incident, source, victim and belligerent assessment are.

Plain dataclasses with no I/O, so importers, the store, the web app and tests share one
meaning of each field. Counts are ranges (min/max); ``None`` means unknown, never zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .strikes import StrikeStatus
from .vocab import (
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


@dataclass(frozen=True)
class CountRange:
    """A casualty count as reported: at least ``min``, at most ``max``; None = unknown."""

    min: int | None = None
    max: int | None = None

    def __post_init__(self) -> None:
        for v in (self.min, self.max):
            if v is not None and v < 0:
                raise ValueError(f"count cannot be negative: {v}")
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")

    @property
    def known(self) -> bool:
        return self.min is not None or self.max is not None


@dataclass
class Place:
    name_en: str | None = None
    name_ar: str | None = None
    governorate_en: str | None = None
    governorate_ar: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision: LocationPrecision = LocationPrecision.UNKNOWN


@dataclass
class BelligerentAssessment:
    """One suspected party and what it said (the comparison the headline rests on)."""

    belligerent: str
    role: str = "suspected"
    assessment: Assessment = Assessment.NONE
    deaths_conceded: CountRange = field(default_factory=CountRange)
    injuries_conceded: CountRange = field(default_factory=CountRange)
    reasons: list[str] = field(default_factory=list)
    strike_report_url: str | None = None


@dataclass
class Statement:
    belligerent: str
    date: dt.date | None = None
    url: str | None = None
    text: str | None = None


@dataclass
class Source:
    url: str | None = None
    publisher: str | None = None
    language: str | None = None
    date: dt.date | None = None
    type: SourceType = SourceType.OTHER
    title: str | None = None
    sha256: str | None = None


@dataclass
class Victim:
    """A named or listed person; ``name`` keeps the original script as given."""

    name: str | None = None
    name_ar: str | None = None
    sex: Sex = Sex.UNKNOWN
    age: int | None = None
    age_group: AgeGroup = AgeGroup.UNKNOWN
    status: VictimStatus = VictimStatus.KILLED
    group_name: str | None = None
    order: int | None = None


@dataclass
class Incident:
    """One event of alleged civilian harm, as one source (or the project) records it.

    ``source_kind`` + ``source_id`` identify it for idempotent re-imports; ``code`` is
    the human-facing identifier (e.g. Airwars' CS1640), unique in a database.
    """

    source_kind: str
    source_id: str
    code: str
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    place: Place = field(default_factory=Place)
    belligerents: list[BelligerentAssessment] = field(default_factory=list)
    strike_type: StrikeType = StrikeType.UNKNOWN
    grade: Grade | None = None
    grade_reason: str | None = None
    killed: CountRange = field(default_factory=CountRange)
    injured: CountRange = field(default_factory=CountRange)
    children_killed: CountRange = field(default_factory=CountRange)
    women_killed: CountRange = field(default_factory=CountRange)
    men_killed: CountRange = field(default_factory=CountRange)
    summary: str | None = None
    url: str | None = None
    aliases: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    victims: list[Victim] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    published: bool = True
    # deaths of every kind the source reports for the event (ACLED ``fatalities``, GED
    # ``best``): combatants included, so never a count of civilians killed
    fatalities_all: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    strike_status: StrikeStatus | None = None  # issue 20: see civcas.model.strikes
