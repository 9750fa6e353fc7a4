"""What each editable record may contain, as data, and how a form value is checked.

Forms and JSON both arrive as loose values; ``clean`` turns them into typed column
values or one InputError listing every problem (field, value, what was expected).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from typing import Any

from ..model.errors import InputError, RowProblem
from ..model.strikes import StrikeStatus
from ..model.urls import EXPECTED as URL_EXPECTED
from ..model.urls import safe_url
from ..model.vocab import (
    AgeGroup,
    Assessment,
    DatePrecision,
    LocationPrecision,
    Sex,
    SourceType,
    StrikeType,
    VictimStatus,
)

Parser = Callable[[Any], Any]


MAX_COUNT = 10_000_000
MAX_TEXT = 100_000


def text(v: Any) -> str | None:
    s = str(v).strip() if v is not None else ""
    if "\x00" in s or len(s) > MAX_TEXT:
        raise ValueError
    return s or None


def url(v: Any) -> str | None:
    """A link: blank, or what :func:`civcas.model.urls.safe_url` allows (never ``javascript:``)."""
    s = text(v)
    if s is None:
        return None
    if safe_url(s) is None:
        raise ValueError
    return s


def count(v: Any) -> int | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError
    n = int(str(v).strip()) if not isinstance(v, int) else v
    if n < 0 or n > MAX_COUNT:
        raise ValueError
    return n


def number(v: Any) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    x = float(v)
    if x != x or abs(x) > 1e9:
        raise ValueError
    return x


def date(v: Any) -> dt.date | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v).strip()[:10])


def enum(e: type[Enum], default: str | None = None) -> Parser:
    def parse(v: Any) -> Any:
        s = text(v)
        if s is None:
            if default is None:
                return None
            return default
        return e(s.lower()).value

    parse.__doc__ = "one of " + ", ".join(str(m.value) for m in e)  # type: ignore[attr-defined]
    return parse


def expected(p: Parser) -> str:
    known: dict[Parser, str] = {
        text: f"text (at most {MAX_TEXT} characters, no NUL)",
        url: URL_EXPECTED,
        count: f"a whole number from 0 to {MAX_COUNT}",
        number: "a number",
        date: "a date YYYY-MM-DD",
    }
    return known.get(p, p.__doc__ or "a valid value")


RANGES = ("killed", "injured", "children_killed", "women_killed", "men_killed")

INCIDENT: dict[str, Parser] = {
    "date_start": date,
    "date_end": date,
    "date_precision": enum(DatePrecision, "day"),
    "location_en": text,
    "location_ar": text,
    "governorate_en": text,
    "governorate_ar": text,
    "country": text,
    "latitude": number,
    "longitude": number,
    "location_precision": enum(LocationPrecision, "unknown"),
    "belligerents": text,
    "strike_type": enum(StrikeType, "unknown"),
    **{f"{r}_{end}": count for r in RANGES for end in ("min", "max")},
    "summary": text,
    "url": url,
    "strike_status": enum(StrikeStatus),  # issue 20 (civcas.strikes)
}

CHILDREN: dict[str, dict[str, Parser]] = {
    "source": {
        "url": url,
        "publisher": text,
        "language": text,
        "date": date,
        "type": enum(SourceType, "other"),
        "title": text,
        "sha256": text,
    },
    "victim": {
        "name": text,
        "name_ar": text,
        "sex": enum(Sex, "unknown"),
        "age": count,
        "age_group": enum(AgeGroup, "unknown"),
        "status": enum(VictimStatus, "killed"),
        "group_name": text,
    },
    "assessment": {
        "belligerent": text,
        "role": text,
        "assessment": enum(Assessment, "none"),
        "deaths_conceded_min": count,
        "deaths_conceded_max": count,
        "injuries_conceded_min": count,
        "injuries_conceded_max": count,
        "reasons": text,
        "strike_report_url": url,
    },
    "statement": {"belligerent": text, "date": date, "url": url, "text": text},
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "assessment": ("belligerent",),
    "statement": ("belligerent",),
}


def clean(
    spec: dict[str, Parser], values: dict[str, Any], what: str, *, partial: bool
) -> dict[str, Any]:
    """Typed values for the known fields given; unknown fields are an error."""
    problems: list[RowProblem] = []
    out: dict[str, Any] = {}
    for k, v in values.items():
        if k not in spec:
            problems.append(RowProblem(1, k, v, f"one of the fields {', '.join(spec)}"))
            continue
        try:
            out[k] = spec[k](v)
        except (ValueError, TypeError):
            problems.append(RowProblem(1, k, v, expected(spec[k])))
    if not partial:
        for k, p in spec.items():
            if k not in out:
                out[k] = p(None)
    if problems:
        raise InputError(f"invalid {what}", problems=problems)
    return out


def check_ranges(row: dict[str, Any], what: str, prefixes: tuple[str, ...]) -> None:
    problems = []
    for r in prefixes:
        lo, hi = row.get(f"{r}_min"), row.get(f"{r}_max")
        if lo is not None and hi is not None and hi < lo:
            problems.append(RowProblem(1, f"{r}_max", hi, f"a number >= {r}_min ({lo})"))
    if problems:
        raise InputError(f"invalid {what}", problems=problems)
