"""Generic CSV/XLSX import through a column-mapping file (JSON or YAML).

A mapping names the civcas field each of your columns fills (format in docs/io.md)::

    source_kind: my-ngo            # required: stored with every row, keys re-imports
    id: Incident ID                # required: the column holding each row's unique id
    code_prefix: NGO-              # optional: code = prefix + id (default: "<kind>-")
    date_format: "%d/%m/%Y"        # optional: strptime format (default ISO YYYY-MM-DD)
    columns:                       # civcas field -> your column
      date_start: Date
      killed_min: Killed (min)
    values:                        # optional: fixed values for fields with no column
      country: Syria
    optional: [killed_max]         # optional: fields of `columns` whose column may be absent

A column named in ``columns`` must be in the file (a missing one is an InputError naming
it), unless its field is listed under ``optional``: then a file without that column reads
it as blank, and the import reports the column as absent. This lets a mapping grow with
its format (civcas' own CSV export gained ``fatalities_all`` and the men's counts) while
older files still import.

The mapping is validated as a whole: every problem is reported at once (ConfigError).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import ConfigError, InputError
from ..model.records import BelligerentAssessment, Incident, Place
from ..model.vocab import DatePrecision, normalise_assessment
from . import gazetteer as gz
from .common import Cells, Unmapped, csv_rows, note_unmapped, xlsx_rows
from .pipeline import Parsed

COUNT_FIELDS = tuple(
    f"{what}_{end}"
    for what in ("killed", "injured", "children_killed", "women_killed", "men_killed", "conceded")
    for end in ("min", "max")
)
FIELDS = (
    "date_start",
    "date_end",
    "date_precision",
    "location_en",
    "location_ar",
    "governorate",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "belligerents",
    "assessment",
    "strike_type",
    "grade",
    "summary",
    "url",
    "fatalities_all",
    *COUNT_FIELDS,
)
TOP_KEYS = {
    "source_kind",
    "id",
    "code_prefix",
    "date_format",
    "columns",
    "values",
    "sheet",
    "optional",
}
ABSENT = "optional column absent (read as blank)"


@dataclass
class Mapping:
    source_kind: str
    id: str
    columns: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    code_prefix: str | None = None
    date_format: str | None = None
    sheet: str | None = None
    optional: tuple[str, ...] = ()  # fields of ``columns`` whose column may be absent

    def required_columns(self) -> tuple[str, ...]:
        """The id column and every mapped column but the optional ones, once each."""
        skip = {self.columns[f] for f in self.optional} - {self.id}
        return tuple(dict.fromkeys(c for c in (self.id, *self.columns.values()) if c not in skip))


def load_mapping(path: Path) -> Mapping:
    """Read and validate a mapping file, listing every problem in one ConfigError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the mapping: {exc}") from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # noqa: BLE001 - any parse error is a bad mapping
        raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}") from None
    return validate_mapping(data, str(path))


def validate_mapping(data: Any, where: str = "mapping") -> Mapping:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ConfigError(
            f"{where}: expected a mapping object with keys {', '.join(sorted(TOP_KEYS))}"
        )
    for k in data:
        if k not in TOP_KEYS:
            problems.append(f"unknown key {k!r} (allowed: {', '.join(sorted(TOP_KEYS))})")
    kind = data.get("source_kind")
    if not isinstance(kind, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,39}", kind or ""):
        problems.append("source_kind: required, lower-case letters/digits/-_. (at most 40)")
    if not isinstance(data.get("id"), str) or not data.get("id"):
        problems.append("id: required, the name of the column holding each row's unique id")
    cols = data.get("columns", {})
    if not isinstance(cols, dict):
        problems.append("columns: expected an object of civcas field -> column name")
        cols = {}
    values = data.get("values", {})
    if not isinstance(values, dict):
        problems.append("values: expected an object of civcas field -> fixed value")
        values = {}
    for name, src in (("columns", cols), ("values", values)):
        for f, v in src.items():
            if f not in FIELDS:
                problems.append(f"{name}.{f}: not a civcas field (one of {', '.join(FIELDS)})")
            if name == "columns" and not isinstance(v, str):
                problems.append(f"columns.{f}: expected a column name (text), got {v!r}")
    for k in ("code_prefix", "date_format", "sheet"):
        if k in data and not isinstance(data[k], str):
            problems.append(f"{k}: expected text, got {data[k]!r}")
    optional = data.get("optional", [])
    if not isinstance(optional, list) or not all(isinstance(o, str) for o in optional):
        problems.append("optional: expected a list of civcas fields named under columns")
        optional = []
    for o in optional:
        if o not in cols:
            problems.append(f"optional.{o}: not a field of columns (one of {', '.join(cols)})")
    if isinstance(data.get("date_format"), str) and "%" not in data["date_format"]:
        problems.append("date_format: expected a strptime format such as %d/%m/%Y")
    if problems:
        raise ConfigError(f"{where}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return Mapping(
        source_kind=str(kind),
        id=data["id"],
        columns=dict(cols),
        values=dict(values),
        code_prefix=data.get("code_prefix"),
        date_format=data.get("date_format"),
        sheet=data.get("sheet"),
        optional=tuple(dict.fromkeys(optional)),
    )


def read_mapped(path: Path, spec: Mapping, unmapped: Unmapped | None = None) -> Iterator[Parsed]:
    path = Path(path)
    needed = spec.required_columns()
    optional = [spec.columns[f] for f in spec.optional if spec.columns[f] not in needed]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = xlsx_rows(path, spec.sheet)
        first = True
    else:
        rows = csv_rows(path, needed, unmapped=unmapped)
        first = False
    checked = False
    prefix = spec.code_prefix if spec.code_prefix is not None else f"{spec.source_kind}-"
    formats = (spec.date_format,) if spec.date_format else ()
    for row, r in rows:
        if first:
            missing = [c for c in needed if c not in r]
            if missing:
                raise InputError(f"missing column(s) {', '.join(missing)}", source=str(path))
            first = False
        if not checked:
            for col in optional:
                if col not in r:
                    note_unmapped(unmapped, ABSENT, col)
            checked = True
        v = {**spec.values, **{f: r.get(col, "") for f, col in spec.columns.items()}}
        c = Cells(row)
        rid = c.text(r.get(spec.id))
        if not rid:
            c.problem(spec.id, r.get(spec.id), "a unique id")
        start = c.date(spec.columns.get("date_start", "date_start"), v.get("date_start"), formats)
        end = c.date(spec.columns.get("date_end", "date_end"), v.get("date_end"), formats)
        if start and end and end < start:
            c.problem(
                spec.columns.get("date_end", "date_end"), v.get("date_end"), f"a date ≥ {start}"
            )
        counts = {}
        for what in (
            "killed",
            "injured",
            "children_killed",
            "women_killed",
            "men_killed",
            "conceded",
        ):
            col = spec.columns.get(f"{what}_min", what)
            counts[what] = c.range(
                col.removesuffix("_min"), v.get(f"{what}_min"), v.get(f"{what}_max")
            )
        fatalities = c.count(
            spec.columns.get("fatalities_all", "fatalities_all"), v.get("fatalities_all")
        )
        lat, lon = c.coordinates(v.get("latitude"), v.get("longitude"))
        if c.problems:
            yield Parsed(row, r, None, c.problems)
            continue
        gov_en, gov_ar = gz.normalise_governorate(v.get("governorate"), unmapped)
        assessment = normalise_assessment(v.get("assessment"))
        if assessment is None:
            note_unmapped(unmapped, "assessment", v.get("assessment"))
        bells = [
            BelligerentAssessment(belligerent=gz.belligerent(b, unmapped))
            for b in re.split(r"[;|]", str(v.get("belligerents") or ""))
            if b.strip()
        ]
        if bells and assessment:
            bells[0].assessment = assessment
            bells[0].deaths_conceded = counts["conceded"]
        dprec = str(v.get("date_precision") or "").strip().lower()
        try:
            precision = (
                DatePrecision(dprec)
                if dprec
                else (DatePrecision.RANGE if start and end and end != start else DatePrecision.DAY)
            )
        except ValueError:
            note_unmapped(unmapped, "date_precision", dprec)
            precision = DatePrecision.DAY
        yield Parsed(
            row,
            r,
            Incident(
                source_kind=spec.source_kind,
                source_id=rid or "",
                code=f"{prefix}{rid}",
                date_start=start,
                date_end=end,
                date_precision=precision,
                place=Place(
                    name_en=c.text(v.get("location_en")),
                    name_ar=c.text(v.get("location_ar")),
                    governorate_en=gov_en,
                    governorate_ar=gov_ar,
                    country=c.text(v.get("country")),
                    latitude=lat,
                    longitude=lon,
                    precision=gz.normalise_precision(c.text(v.get("location_precision")), unmapped),
                ),
                belligerents=bells,
                strike_type=gz.normalise_strike(c.text(v.get("strike_type")), unmapped),
                grade=gz.grade(c.text(v.get("grade")), unmapped),
                killed=counts["killed"],
                injured=counts["injured"],
                children_killed=counts["children_killed"],
                women_killed=counts["women_killed"],
                men_killed=counts["men_killed"],
                summary=c.text(v.get("summary")),
                url=c.text(v.get("url")),
                fatalities_all=fatalities,
            ),
        )
