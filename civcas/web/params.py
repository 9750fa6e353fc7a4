"""Query parameters to library arguments; anything wrong is a 400 that names the parameter."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request

from ..model.errors import InputError
from ..model.filters import IncidentFilter, parse_date, parse_grades, parse_near
from ..store.queries import SORTABLE

FILTER_PARAMS = ("from", "to", "belligerent", "governorate", "grades", "near")


class BadParameter(InputError):
    """A query parameter that cannot be used; ``parameter`` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def _one(request: Request, name: str) -> str | None:
    values = [v for v in request.query_params.getlist(name) if v.strip() != ""]
    if not values:
        return None
    if name == "grades":  # checkboxes send one value each
        return ",".join(values)
    if len(values) > 1:
        raise BadParameter(name, f"parameter {name!r} is given {len(values)} times; give it once")
    return values[0].strip()


def read_filter(request: Request) -> IncidentFilter:
    """The shared filter (same names as `civcas tally`): from, to, belligerent, governorate, grades, near."""
    try:
        date_from = parse_date(_one(request, "from"), "from")
    except InputError as exc:
        raise BadParameter("from", str(exc)) from None
    try:
        date_to = parse_date(_one(request, "to"), "to")
    except InputError as exc:
        raise BadParameter("to", str(exc)) from None
    try:
        grades = parse_grades(_one(request, "grades"))
    except InputError as exc:
        raise BadParameter("grades", str(exc)) from None
    try:
        near = parse_near(_one(request, "near"))
    except InputError as exc:
        raise BadParameter("near", str(exc)) from None
    if date_from and date_to and date_to < date_from:
        raise BadParameter("to", f"parameter 'to': {date_to} is before 'from' {date_from}")
    for name in ("belligerent", "governorate"):
        v = _one(request, name)
        if v is not None and len(v) > 200:
            raise BadParameter(name, f"parameter {name!r} is longer than 200 characters")
    return IncidentFilter(
        date_from=date_from,
        date_to=date_to,
        belligerent=_one(request, "belligerent"),
        governorate=_one(request, "governorate"),
        grades=grades,
        near=near,
    )


def read_int(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = _one(request, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"parameter {name!r}: {raw!r} is not a whole number") from None
    if not lo <= value <= hi:
        raise BadParameter(name, f"parameter {name!r}: {value} is out of range {lo}..{hi}")
    return value


def read_sort(request: Request, default: str = "date") -> str:
    raw = _one(request, "sort") or default
    if raw.lstrip("-") not in SORTABLE:
        allowed = ", ".join(sorted(SORTABLE))
        raise BadParameter(
            "sort", f"parameter 'sort': {raw!r}; expected one of {allowed} (prefix - to reverse)"
        )
    return raw


def read_text(request: Request, name: str, max_len: int = 200) -> str | None:
    raw = _one(request, name)
    if raw is not None and len(raw) > max_len:
        raise BadParameter(name, f"parameter {name!r} is longer than {max_len} characters")
    return raw


def reject_unknown(request: Request, allowed: Iterable[str]) -> None:
    """The API refuses parameters it does not know, so a typo is not silently ignored."""
    known = set(allowed)
    for name in request.query_params:
        if name not in known:
            raise BadParameter(
                name, f"unknown parameter {name!r}; expected one of {', '.join(sorted(known))}"
            )
