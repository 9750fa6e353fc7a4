"""Reader of the Airwars archive layout (``data/cases-summary.json`` + ``cases/NNNN/data.json``).

Every incident has a summary row; where a full case record exists it supersedes the
summary (same source id, the Airwars sequence). Cases are converted one at a time: the
summary file (~10 MB) is the only file read whole, each case file is read when its turn
comes. The raw record kept for each incident is the original, Arabic-keyed one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model.errors import InputError, RowProblem
from .airwars_fields import SOURCE_KIND, FieldDictionary, summary_fields, to_incident
from .common import Unmapped, note_unmapped
from .pipeline import Parsed

__all__ = ["SOURCE_KIND", "count_cases", "read_airwars_archive", "read_case"]


def _layout(root: Path) -> tuple[Path, Path]:
    summary = root / "data" / "cases-summary.json"
    dictionary = root / "data" / "field-dictionary.json"
    missing = [str(p.relative_to(root)) for p in (summary, dictionary) if not p.is_file()]
    if missing:
        raise InputError(
            f"not an Airwars archive directory: missing {', '.join(missing)} "
            "(expected DIR/data/cases-summary.json, DIR/data/field-dictionary.json, DIR/cases/NNNN/data.json)",
            source=str(root),
        )
    return summary, dictionary


def count_cases(root: Path) -> int:
    summary, _ = _layout(root)
    data = json.loads(summary.read_text(encoding="utf-8"))
    return len(data.get("cases") or [])


def read_case(
    record: dict[str, Any], fields: FieldDictionary, row: int, unmapped: Unmapped | None
) -> Parsed:
    """One full case record (``cases/NNNN/data.json``) as a Parsed row."""
    e = fields.translate("incident", record.get("incident") or {}, unmapped)
    technical = record.get("technical") or []
    tech = fields.translate("technical", technical[0], unmapped) if technical else {}
    victims = [fields.translate("victims", v, unmapped) for v in record.get("victims") or []]
    sources = [fields.translate("sources", s, unmapped) for s in record.get("sources") or []]
    inc, cells = to_incident(e, row, unmapped, technical=tech, victims=victims, sources=sources)
    return Parsed(row=row, raw=record, incident=inc, problems=cells.problems)


def read_airwars_archive(root: Path, unmapped: Unmapped | None = None) -> Iterator[Parsed]:
    """Parsed incidents of an archive directory, in the summary's order."""
    root = Path(root)
    summary, dictionary = _layout(root)
    fields = FieldDictionary(dictionary)
    data = json.loads(summary.read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = data.get("cases") or []
    del data
    seen_aliases: set[str] = set()
    for row, case in enumerate(cases, start=1):
        if not isinstance(case, dict):
            yield Parsed(row, {"value": case}, None, [RowProblem(row, "*", case, "a case object")])
            continue
        full = root / str(case.get("path") or f"cases/{case.get('number')}/") / "data.json"
        if full.is_file():
            try:
                record = json.loads(full.read_text(encoding="utf-8"))
            except ValueError as exc:
                yield Parsed(row, case, None, [RowProblem(row, str(full), None, f"JSON ({exc})")])
                continue
            parsed = read_case(record, fields, row, unmapped)
        else:
            inc, cells = to_incident(summary_fields(case), row, unmapped)
            parsed = Parsed(row=row, raw=case, incident=inc, problems=cells.problems)
        if parsed.incident is not None:
            # previous codes are unique aliases: a code claimed twice is kept only once
            kept = []
            for a in parsed.incident.aliases:
                if a in seen_aliases:
                    note_unmapped(unmapped, "duplicate_alias", a)
                    continue
                seen_aliases.add(a)
                kept.append(a)
            parsed.incident.aliases = kept
        yield parsed
