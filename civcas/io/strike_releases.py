"""Reader of belligerents' strike releases: one row per "Near PLACE, N strikes ..." line.

The default columns are those of the coalition's daily releases as scraped
(``strike-releases.csv``: ``date`` M/D/YYYY, ``country``, ``location``, ``number``,
``line``); any other CSV is read through a column mapping (JSON or YAML: ``date``,
``country``, ``location``, ``number``, ``line``, ``date_formats``; see docs/strikes.md).

Each row gives one :class:`~civcas.model.strikes.StrikeReport`: the place, the number
of strikes and the targets are read from the release's own text (the ``number`` and
``location`` columns are checked against it, never trusted over it); the strikes are
those of the day ``lag_days`` before the release date (1 by default: a release reports
the previous day's strikes); the place is located through the gazetteer and the
coalition's spellings (``civcas.extract.locate``). A cell holding two release lines is
cut and the line naming the row's ``location`` kept. Exact duplicate rows are skipped
(counted). The position of a line in its release (its country's lines, in file order)
is part of its key, so a re-import finds every line where it was.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..extract.build_gazetteer import fold
from ..extract.locate import locate_name
from ..model.errors import ConfigError, RowProblem
from ..model.strikes import StrikeReport
from .common import Cells, csv_rows

DEFAULT_PARTY = "US-led Coalition"
DEFAULT_LAG_DAYS = 1
DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%d %B %Y", "%B %d, %Y")
COUNTRIES = {"syria": "Syria", "iraq": "Iraq"}


@dataclass
class Columns:
    """Which column holds what (the coalition release format by default)."""

    date: str = "date"
    country: str = "country"
    location: str | None = "location"
    number: str | None = "number"
    line: str = "line"
    date_formats: tuple[str, ...] = DATE_FORMATS


def load_columns(path: Path) -> Columns:
    """A column mapping from JSON or YAML; every problem reported at once."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            spec = yaml.safe_load(text)
        else:
            spec = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{path}: not a readable mapping ({exc})") from None
    if not isinstance(spec, dict):
        raise ConfigError(f"{path}: a mapping of field -> column name is expected")
    known = {"date", "country", "location", "number", "line", "date_formats"}
    problems = [f"unknown key {k!r}" for k in spec if k not in known]
    problems += [f"{k!r} is required" for k in ("date", "line") if not spec.get(k)]
    for k, v in spec.items():
        if k == "date_formats":
            if not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
                problems.append("'date_formats' must be a list of strptime formats")
        elif k in known and v is not None and not isinstance(v, str):
            problems.append(f"{k!r} must be a column name")
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    return Columns(
        date=spec["date"],
        country=spec.get("country") or "country",
        location=spec.get("location"),
        number=spec.get("number"),
        line=spec["line"],
        date_formats=tuple(spec.get("date_formats") or DATE_FORMATS),
    )


@dataclass
class ReadReport:
    """What the reader noticed that is not an error (printed after the import)."""

    duplicates: int = 0
    split_cells: int = 0
    number_disagrees: list[dict[str, Any]] = field(default_factory=list)
    location_disagrees: int = 0
    unlocated: dict[str, int] = field(default_factory=dict)


@dataclass
class Row:
    row: int
    raw: dict[str, Any]
    report: StrikeReport | None
    problems: list[RowProblem]


def _country(value: str | None) -> str:
    v = (value or "").strip()
    for k, name in COUNTRIES.items():
        if k in v.lower():
            return name
    return v


def _pick(line: str, location: str | None) -> tuple[str, bool]:
    """The release line of a cell (the one naming ``location`` when a cell has two)."""
    from ..strikes.parse import parse_line, split_lines  # (civcas.strikes imports this module)

    parts = split_lines(line)
    if len(parts) == 1:
        return line, False
    want = fold(location or "")
    for p in parts:
        if want and fold(parse_line(p).place or "") == want:
            return p, True
    return parts[0], True


def read_strike_releases(
    path: Path,
    *,
    columns: Columns | None = None,
    party: str = DEFAULT_PARTY,
    lag_days: int = DEFAULT_LAG_DAYS,
    notes: ReadReport | None = None,
) -> Iterator[Row]:
    """Rows of a release file, each a strike report or the problems that stop it."""
    from ..strikes.parse import parse_line

    cols = columns or Columns()
    notes = notes if notes is not None else ReadReport()
    seen: set[tuple[str, str, str]] = set()
    positions: dict[tuple[str, str], int] = {}
    for row, r in csv_rows(Path(path), (cols.date, cols.line)):
        c = Cells(row)
        day = c.date(cols.date, r.get(cols.date), cols.date_formats)
        if day is None and not c.problems:
            c.problem(cols.date, r.get(cols.date), "the release date (e.g. 10/17/2016)")
        country = _country(r.get(cols.country))
        location = (r.get(cols.location) or "").strip() if cols.location else None
        line_cell = (r.get(cols.line) or "").strip()
        line, was_split = _pick(line_cell, location)
        parsed = parse_line(line)
        if parsed.problem:
            c.problem(cols.line, line_cell, parsed.problem)
        if c.problems:
            yield Row(row, r, None, c.problems)
            continue
        assert day is not None
        key = (day.isoformat(), country, " ".join(line.split()))
        if key in seen:
            notes.duplicates += 1
            continue
        seen.add(key)
        notes.split_cells += was_split
        group = (day.isoformat(), country)
        positions[group] = pos = positions.get(group, 0) + 1
        place_name = parsed.place or location or ""
        stated = (r.get(cols.number) or "").strip() if cols.number else ""
        if stated and stated != str(parsed.strikes):
            notes.number_disagrees.append(
                {"row": row, "number": stated, "read": parsed.strikes, "line": line}
            )
        if location and fold(location) != fold(place_name):
            notes.location_disagrees += 1
        place = locate_name(place_name, country) or (
            locate_name(location, country) if location else None
        )
        if place is None:
            notes.unlocated[place_name] = notes.unlocated.get(place_name, 0) + 1
        yield Row(
            row,
            r,
            StrikeReport(
                party=party,
                release_date=day,
                strike_date=day - dt.timedelta(days=lag_days),
                country=country,
                place_name=place_name,
                position=pos,
                strikes=parsed.strikes,
                targets=parsed.targets,
                latitude=place.lat if place else None,
                longitude=place.lon if place else None,
                place_precision=place.precision if place else "unknown",
                located_as=(f"{place.name} ({place.source})" if place else None),
                line=line,
                raw=dict(r),
            ),
            [],
        )
