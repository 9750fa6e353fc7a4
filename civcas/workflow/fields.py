"""What each editable record may contain, as data, and how a form value is checked.

Forms and JSON both arrive as loose values; ``clean`` turns them into typed column
values or one InputError listing every problem (field, value, what was expected).

Each parser also says how a form should offer the field (``input``: text, date,
number, url; ``choices`` for an enumeration), so the work area's forms are built from
the same data that checks them: a dropdown offers exactly what the server accepts.

The incident's belligerents are a structure, not a text column: a list of assessments
(:data:`ASSESSMENT`), each checked by :func:`clean_assessments`. The ``belligerents``
column of ``incident`` is derived from them (the names joined with "; ") and is never
edited as text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from ..model.errors import InputError, RowProblem
from ..model.strikes import StrikeStatus
from ..model.urls import EXPECTED as URL_EXPECTED
from ..model.urls import check_url, safe_url
from ..model.vocab import (
    BELLIGERENT_SPELLINGS,
    AgeGroup,
    Assessment,
    DatePrecision,
    LocationPrecision,
    Sex,
    SourceType,
    StrikeType,
    VictimStatus,
    normalise_belligerent,
)

Parser = Callable[[Any], Any]


MAX_COUNT = 10_000_000
MAX_TEXT = 100_000


def _offer(p: Parser, input: str, step: str | None = None) -> None:
    """How a form offers the field this parser reads (an attribute the templates read)."""
    p.input = input  # type: ignore[attr-defined]
    p.step = step  # type: ignore[attr-defined]


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


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}([T ][0-9:.]*(Z|[+-]\d{2}:?\d{2})?)?")


def date(v: Any) -> dt.date | None:
    """A day written YYYY-MM-DD (a time after it is allowed and dropped); 20/08/2017 or
    2017-08-20junk is refused, never guessed at."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = str(v).strip()
    if not _ISO_DAY.fullmatch(s):
        raise ValueError
    return dt.date.fromisoformat(s[:10])


for _p, _kind, _step in ((text, "text", None), (url, "url", None), (count, "number", "1"),
                         (number, "number", "any"), (date, "date", None)):  # fmt: skip
    _offer(_p, _kind, _step)


def enum(e: type[Enum], default: str | None = None) -> Parser:
    """One of ``e``'s values; blank is ``default`` (None: blank stays empty, and a form
    offers an empty choice)."""

    def parse(v: Any) -> Any:
        s = text(v)
        if s is None:
            if default is None:
                return None
            return default
        return e(s.lower()).value

    parse.__doc__ = "one of " + ", ".join(str(m.value) for m in e)  # type: ignore[attr-defined]
    _offer(parse, "select")
    parse.choices = [str(m.value) for m in e]  # type: ignore[attr-defined]
    parse.blank = default is None  # type: ignore[attr-defined]
    return parse


def choice(values: tuple[str, ...], default: str | None = None) -> Parser:
    """One of ``values`` (as :func:`enum`, for a vocabulary that is a tuple)."""

    def parse(v: Any) -> Any:
        s = text(v)
        if s is None:
            return default
        if s.lower() not in values:
            raise ValueError
        return s.lower()

    parse.__doc__ = "one of " + ", ".join(values)
    _offer(parse, "select")
    parse.choices = list(values)  # type: ignore[attr-defined]
    parse.blank = default is None  # type: ignore[attr-defined]
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
        "role": choice(("suspected", "known"), "suspected"),
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


# ---- the belligerents of an incident, as a structure -----------------------------------

#: what one assessment of an incident may hold, as edited in the incident's form; the
#: role says whether the party is suspected of the strike or known (it said so itself)
ASSESSMENT: dict[str, Parser] = CHILDREN["assessment"]
ROLES: tuple[str, ...] = ASSESSMENT["role"].choices  # type: ignore[attr-defined]
MAX_NAME = 100  # incident_belligerent.belligerent is String(100)


def belligerent_choices(known: Iterable[str] = ()) -> list[str]:
    """The belligerents a form offers: the canonical names of the vocabulary and those
    the database already holds (an import may have brought others), sorted."""
    return sorted({*BELLIGERENT_SPELLINGS.values(), *(k for k in known if k)}, key=str.lower)


def role_choices(known: Iterable[str] = ()) -> list[str]:
    """suspected, known, and any other role an import stored (kept as it is)."""
    return [*ROLES, *sorted({k for k in known if k and k not in ROLES})]


def clean_assessments(
    items: Any,
    known: Iterable[str] = (),
    *,
    roles: Iterable[str] = (),
    field: str = "belligerents",
) -> list[dict[str, Any]]:
    """The belligerents of an incident as a list of checked assessments.

    ``items``: a list of mappings with the :data:`ASSESSMENT` fields and, for a stored
    row, its ``id``. The belligerent is normalised (``coalition`` -> US-led Coalition)
    and must be one of :func:`belligerent_choices`; the link goes through
    :func:`civcas.model.urls.check_url`; a party may appear once. Every problem is named
    ``belligerents[i].field`` (``i`` counts from 0 in the list given), all in one
    InputError. An item's fields that are absent stay absent (the caller keeps the
    stored value of a row it updates).
    """
    if not isinstance(items, list):
        raise InputError(
            f"invalid {field}",
            problems=[RowProblem(1, field, items, "a list of assessments (objects)")],
        )
    allowed = belligerent_choices(known)
    role_ok = role_choices(roles)
    by_key = {a.lower(): a for a in allowed}
    problems: list[RowProblem] = []
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        name = f"{field}[{i}]"
        if not isinstance(item, dict):
            problems.append(RowProblem(1, name, item, "an assessment (an object)"))
            continue
        row: dict[str, Any] = {}
        rid = item.get("id")
        if rid not in (None, ""):
            try:
                row["id"] = int(rid)
            except (TypeError, ValueError):
                problems.append(RowProblem(1, f"{name}.id", rid, "the id of a stored row"))
        for k, v in item.items():
            if k == "id":
                continue
            if k not in ASSESSMENT:
                problems.append(
                    RowProblem(1, f"{name}.{k}", v, f"one of the fields {', '.join(ASSESSMENT)}")
                )
                continue
            if k == "role":
                r = text(v) if isinstance(v, str | None) else v
                if r is None:
                    row[k] = ROLES[0]
                elif isinstance(r, str) and r in role_ok:
                    row[k] = r
                else:
                    problems.append(RowProblem(1, f"{name}.{k}", v, "one of " + ", ".join(role_ok)))
                continue
            if k == "strike_report_url":
                try:
                    row[k] = check_url(v, f"{name}.{k}")
                except InputError as exc:
                    problems += exc.problems
                continue
            try:
                row[k] = ASSESSMENT[k](v)
            except (ValueError, TypeError):
                problems.append(RowProblem(1, f"{name}.{k}", v, expected(ASSESSMENT[k])))
        if "belligerent" in row or "id" not in row:
            raw = row.get("belligerent")
            canon = normalise_belligerent(raw) if raw else None
            pick = by_key.get(canon.lower()) if canon else None
            if pick is None or len(pick) > MAX_NAME:
                problems.append(
                    RowProblem(
                        1,
                        f"{name}.belligerent",
                        item.get("belligerent"),
                        "one of " + ", ".join(allowed),
                    )
                )
            else:
                row["belligerent"] = pick
                if pick.lower() in seen:
                    problems.append(
                        RowProblem(
                            1,
                            f"{name}.belligerent",
                            pick,
                            f"a party not listed already (it is item {seen[pick.lower()]})",
                        )
                    )
                seen[pick.lower()] = i
        for r in ("deaths_conceded", "injuries_conceded"):
            lo, hi = row.get(f"{r}_min"), row.get(f"{r}_max")
            if lo is not None and hi is not None and hi < lo:
                problems.append(RowProblem(1, f"{name}.{r}_max", hi, f"a number >= {r}_min ({lo})"))
        out.append(row)
    if problems:
        raise InputError(f"invalid {field}", problems=problems)
    return out


def check_dates(row: dict[str, Any], what: str = "incident") -> None:
    """An end date is not before the start date."""
    start, end = row.get("date_start"), row.get("date_end")
    if start is not None and end is not None and end < start:
        raise InputError(
            f"invalid {what}",
            problems=[
                RowProblem(
                    1, "date_end", end.isoformat(), f"a date on or after date_start ({start})"
                )
            ],
        )
