"""The field's vocabularies (DESIGN.md) and how source spellings map onto them.

Mappings are data: each maps a lower-cased source spelling to the canonical value, so
adding a spelling never needs code. Values that map to nothing are kept verbatim in the
raw record and reported by the importers.
"""

from __future__ import annotations

from enum import StrEnum


class Grade(StrEnum):
    """Airwars' public grading scale."""

    CONFIRMED = "Confirmed"
    FAIR = "Fair"
    WEAK = "Weak"
    CONTESTED = "Contested"
    DISCOUNTED = "Discounted"


LIKELY_GRADES: tuple[Grade, ...] = (Grade.CONFIRMED, Grade.FAIR)

GRADE_DEFINITIONS: dict[Grade, str] = {
    Grade.CONFIRMED: "The belligerent accepted responsibility for civilian harm.",
    Grade.FAIR: "Reported by two or more credible sources, with likely or confirmed "
    "belligerent action in the vicinity.",
    Grade.WEAK: "Single-source claim, though the source is credible.",
    Grade.CONTESTED: "Competing claims of responsibility.",
    Grade.DISCOUNTED: "Judged not to have involved the belligerent, or not civilian harm.",
}


class Assessment(StrEnum):
    """What the accused belligerent said about an allegation."""

    CREDIBLE = "credible"
    NON_CREDIBLE = "non_credible"
    DUPLICATE = "duplicate"
    NOT_YET_ASSESSED = "not_yet_assessed"
    OPEN = "open_incident"
    NONE = "none"  # the belligerent has not (publicly) assessed it at all


class DatePrecision(StrEnum):
    DAY = "day"
    RANGE = "range"
    MONTH = "month"
    YEAR = "year"


class LocationPrecision(StrEnum):
    EXACT = "exact"
    NEIGHBOURHOOD = "neighbourhood"
    TOWN = "town"
    DISTRICT = "district"
    GOVERNORATE = "governorate"
    COUNTRY = "country"
    UNKNOWN = "unknown"


class StrikeType(StrEnum):
    AIR = "air"
    ARTILLERY = "artillery"
    AIR_OR_ARTILLERY = "air_or_artillery"
    DRONE = "drone"
    GROUND = "ground"
    OTHER = "other"
    UNKNOWN = "unknown"


class SourceType(StrEnum):
    LOCAL_MEDIA = "local_media"
    SOCIAL_MEDIA = "social_media"
    NGO = "ngo"
    FIELD_INTERVIEW = "field_interview"
    BELLIGERENT_STATEMENT = "belligerent_statement"
    INTERNATIONAL_MEDIA = "international_media"
    OTHER = "other"


class VictimStatus(StrEnum):
    KILLED = "killed"
    INJURED = "injured"
    UNKNOWN = "unknown"  # listed without a status: not counted as killed


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class AgeGroup(StrEnum):
    CHILD = "child"
    ADULT = "adult"
    UNKNOWN = "unknown"


GRADE_SPELLINGS: dict[str, Grade] = {
    "confirmed": Grade.CONFIRMED,
    "fair": Grade.FAIR,
    "weak": Grade.WEAK,
    "contested": Grade.CONTESTED,
    "discounted": Grade.DISCOUNTED,
    # Airwars' Arabic labels (cases-summary.json `evidence_ar`)
    "مؤكد": Grade.CONFIRMED,
    "أدلة مقبولة": Grade.FAIR,
    "مقبول": Grade.FAIR,
    "ضعيف": Grade.WEAK,
    "أدلة ضعيفة": Grade.WEAK,
    "متنازع عليه": Grade.CONTESTED,
    "مستبعد": Grade.DISCOUNTED,
}

ASSESSMENT_SPELLINGS: dict[str, Assessment] = {
    "credible": Assessment.CREDIBLE,
    "non_credible": Assessment.NON_CREDIBLE,
    "non-credible": Assessment.NON_CREDIBLE,
    "not credible": Assessment.NON_CREDIBLE,
    "duplicate": Assessment.DUPLICATE,
    "not_yet_assessed": Assessment.NOT_YET_ASSESSED,
    "open_incident": Assessment.OPEN,
    "open": Assessment.OPEN,
    "": Assessment.NONE,
}

BELLIGERENT_SPELLINGS: dict[str, str] = {
    "coalition": "US-led Coalition",
    "u.s.-led coalition": "US-led Coalition",
    "us-led coalition": "US-led Coalition",
    "us led coalition": "US-led Coalition",
    "international coalition": "US-led Coalition",
    "international coalition forces": "US-led Coalition",
    "التحالف بقيادة الولايات المتحدة": "US-led Coalition",
    "russia": "Russian Military",
    "russian military": "Russian Military",
    "russian forces": "Russian Military",
    "syrian regime": "Syrian Government",
    "syrian government": "Syrian Government",
    "assad regime": "Syrian Government",
    "turkish military": "Turkish Military",
    "turkey": "Turkish Military",
    "israeli military": "Israeli Military",
    "israel": "Israeli Military",
    "iranian military": "Iranian Military",
    "isis": "ISIS",
    "islamic state": "ISIS",
    "sdf": "SDF",
    "unknown": "Unknown",
}


def normalise_grade(value: str | None) -> Grade | None:
    """Map a source's grade label to the scale; None when blank or unknown.

    A combined label such as "Contested, Discounted" takes its first recognised part.
    """
    if not value:
        return None
    key = value.strip().lower()
    if key in GRADE_SPELLINGS:
        return GRADE_SPELLINGS[key]
    for part in key.replace(";", ",").split(","):
        if part.strip() in GRADE_SPELLINGS:
            return GRADE_SPELLINGS[part.strip()]
    return None


def normalise_assessment(value: str | None) -> Assessment | None:
    key = (value or "").strip().lower()
    return ASSESSMENT_SPELLINGS.get(key)


def normalise_belligerent(value: str) -> str:
    """Canonical belligerent name; unknown spellings are kept as given (trimmed)."""
    key = value.strip()
    return BELLIGERENT_SPELLINGS.get(key.lower(), key)
