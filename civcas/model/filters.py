"""The one filter every view of the record shares (CLI, API, dashboard, report, export)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import InputError
from .vocab import Grade, normalise_grade


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    km: float


@dataclass(frozen=True)
class IncidentFilter:
    """Inclusive filters; ``None`` means "no restriction".

    ``belligerent`` selects incidents where that party is among the suspected
    belligerents; ``governorate`` matches the English or Arabic name; both ignore case.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    belligerent: str | None = None
    governorate: str | None = None
    grades: tuple[Grade, ...] | None = None
    near: Near | None = None
    source_kind: str | None = None
    include_unpublished: bool = False

    @classmethod
    def parse(
        cls,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        belligerent: str | None = None,
        governorate: str | None = None,
        grades: str | None = None,
        near: str | None = None,
    ) -> IncidentFilter:
        """Build a filter from user text, naming the parameter that is wrong."""
        return cls(
            date_from=parse_date(date_from, "from"),
            date_to=parse_date(date_to, "to"),
            belligerent=(belligerent or "").strip() or None,
            governorate=(governorate or "").strip() or None,
            grades=parse_grades(grades),
            near=parse_near(near),
        )

    def as_params(self) -> dict[str, str]:
        """The filter as query/CLI parameters (for links, stamps and reproducibility)."""
        out: dict[str, str] = {}
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        if self.belligerent:
            out["belligerent"] = self.belligerent
        if self.governorate:
            out["governorate"] = self.governorate
        if self.grades:
            out["grades"] = ",".join(g.value for g in self.grades)
        if self.near:
            out["near"] = f"{self.near.latitude},{self.near.longitude},{self.near.km}"
        return out


def parse_date(value: str | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"parameter {name!r}: {value!r} is not a date; expected YYYY-MM-DD"
        ) from None


def parse_grades(value: str | None) -> tuple[Grade, ...] | None:
    if value is None or value.strip() == "":
        return None
    out: list[Grade] = []
    for part in value.split(","):
        grade = normalise_grade(part)
        if grade is None:
            allowed = ", ".join(g.value for g in Grade)
            raise InputError(
                f"parameter 'grades': {part.strip()!r} is not a grade; expected one of {allowed}"
            )
        out.append(grade)
    return tuple(out)


def parse_near(value: str | None) -> Near | None:
    if not value:
        return None
    try:
        lat, lon, km = (float(x) for x in value.split(","))
    except ValueError:
        raise InputError(
            f"parameter 'near': {value!r}; expected LAT,LON,KM (e.g. 35.95,39.01,5)"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km >= 0):
        raise InputError(f"parameter 'near': {value!r} is out of range")
    return Near(lat, lon, km)
