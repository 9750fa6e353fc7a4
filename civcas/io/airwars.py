"""Reader of the Airwars archive layout (``data/cases-summary.json`` + ``cases/NNNN/data.json``).

Every incident has a summary row; where a full case record exists it supersedes the
summary (same source id, the Airwars sequence). Cases are converted one at a time: the
summary file (~10 MB) is the only file read whole, each case file is read when its turn
comes. The raw record kept for each incident is the original, Arabic-keyed one.

Victims: a full case record lists its own (the 547 Raqqa cases, 1,286 victims). The
other incidents' victims come from ``derived/airwars_syria_victims.csv`` when the
archive has it (a flat file made from the archive for the shared data: 20,045 rows,
joined to incidents by ``sequence``, since codes repeat: TS631, TS633). A full case
record wins over that file for its incident (it is the archive's own record, and the
file's rows for those cases are copies of it), so no victim is counted twice. The rows
used are kept in the incident's raw record under ``derived_victims``, with every
column as written (the age as the text it was, the victim's links); an incident
without such rows keeps the raw record it had.

Assessments and breakdowns: the summary has neither. The archive's flat incidents file
``derived/airwars_syria_incidents.csv`` (8,114 rows, joined by ``sequence``) has, for
every incident, the belligerents' blocks as the case files hold them
(``belligerent_details_json``: each party's assessment, conceded deaths and injuries,
reasons, strike-report link and statements) and the children, women and men killed.
For an incident without a full case file these are read from it through the same code
as a case file's (one vocabulary: ``normalise_assessment``, ``gazetteer.belligerent``),
links through the import's URL check (a bad one reported, not stored), and the row is
kept in the raw record under ``derived_incident``. For the 547 incidents with a case
file the case file wins; the flat file's reading is compared with it, and with the
summary for the others (counts, each party's assessment, concessions, strike-report
link), and every difference is reported under ``derived_incidents_disagree``, never
written over.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model.errors import InputError, RowProblem
from .airwars_fields import (
    SOURCE_KIND,
    FieldDictionary,
    disagreements,
    summary_fields,
    to_incident,
    with_derived,
)
from .common import Unmapped, csv_rows, note_unmapped
from .pipeline import Parsed

__all__ = [
    "SOURCE_KIND",
    "count_cases",
    "derived_incidents",
    "derived_victims",
    "read_airwars_archive",
    "read_case",
]


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


VICTIMS_FILE = Path("derived") / "airwars_syria_victims.csv"
INCIDENTS_FILE = Path("derived") / "airwars_syria_incidents.csv"
DISAGREE = "derived_incidents_disagree"


def derived_incidents(root: Path, unmapped: Unmapped | None) -> dict[str, dict[str, str]]:
    """The rows of ``derived/airwars_syria_incidents.csv`` by incident sequence (empty when
    the archive has no such file); a sequence given twice keeps its first row, reported."""
    path = root / INCIDENTS_FILE
    if not path.is_file():
        return {}
    out: dict[str, dict[str, str]] = {}
    for _, r in csv_rows(path, ("sequence", "belligerent_details_json"), unmapped=unmapped):
        seq = r["sequence"].strip()
        if seq in out:
            note_unmapped(unmapped, "derived_incident_repeated", seq)
            continue
        out[seq] = r
    return out


def _flat_reading(flat: dict[str, str], row: int) -> Any:
    """The flat row read on its own (its columns are the dictionary's keys), for the
    comparison only: its problems and unmapped values are the summary's to report."""
    inc, _ = to_incident(
        dict(flat),
        row,
        None,
        technical={"belligerent_details_json": flat.get("belligerent_details_json")},
    )
    return inc


def _compare(kept: Any, flat: dict[str, str], row: int, unmapped: Unmapped | None) -> None:
    derived = _flat_reading(flat, row)
    if kept is None or derived is None:
        return
    for d in disagreements(kept, derived):
        note_unmapped(unmapped, DISAGREE, f"{kept.code} (sequence {kept.source_id}) {d}")


def derived_victims(root: Path, unmapped: Unmapped | None) -> dict[str, list[dict[str, str]]]:
    """The rows of ``derived/airwars_syria_victims.csv`` by incident sequence (empty when
    the archive has no such file)."""
    path = root / VICTIMS_FILE
    if not path.is_file():
        return {}
    out: dict[str, list[dict[str, str]]] = {}
    for _, r in csv_rows(path, ("sequence",), unmapped=unmapped):
        out.setdefault(r["sequence"].strip(), []).append(r)
    return out


def _victim_fields(r: dict[str, str]) -> dict[str, Any]:
    """A derived victim row in the field dictionary's keys (the file's columns are those
    keys already); the order as a number, as in a case record."""
    out: dict[str, Any] = dict(r)
    order = (r.get("victim_order") or "").strip()
    out["victim_order"] = int(order) if order.isdigit() else None
    return out


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
    victims = derived_victims(root, unmapped)
    flats = derived_incidents(root, unmapped)
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
            flat = flats.get(str(case.get("sequence")).strip())
            if flat is not None:
                _compare(parsed.incident, flat, row, unmapped)
        else:
            seq = str(case.get("sequence")).strip()
            rows = victims.get(seq, [])
            flat = flats.get(seq)
            e, technical = (
                with_derived(summary_fields(case), flat) if flat else (summary_fields(case), None)
            )
            inc, cells = to_incident(
                e, row, unmapped, technical=technical, victims=[_victim_fields(v) for v in rows]
            )
            raw = dict(case)
            if rows:
                raw["derived_victims"] = rows
            if flat is not None:
                raw["derived_incident"] = flat
                _compare(inc, flat, row, unmapped)
            parsed = Parsed(row=row, raw=raw, incident=inc, problems=cells.problems)
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
