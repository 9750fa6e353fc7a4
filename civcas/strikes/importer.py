"""`civcas import strike-releases FILE`: all-or-nothing, idempotent, bad rows named.

Like the incident importers (civcas.io.pipeline): the file is read whole first; any bad
row (no readable date, a line that is not "Near PLACE, N strikes ...") stops the import
and every problem is reported with its row and field, unless ``skip_invalid``. The good
rows are written in one transaction under the workflow's write lock, as one import batch
and one revision of the audit chain. A line already stored under the same key (party,
release date, country, position in the release) with the same content is unchanged; one
whose content changed is updated in place; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..io.pipeline import file_sha256
from ..io.strike_releases import (
    DEFAULT_LAG_DAYS,
    DEFAULT_PARTY,
    Columns,
    ReadReport,
    Row,
    read_strike_releases,
)
from ..model.errors import InputError, RowProblem
from ..model.strikes import StrikeReport
from ..store import strikes as ss
from ..store.engine import Store
from ..store.history import append_import_revision
from ..store.workflow import lock_for_write
from ..store.writer import content_hash, finish_import, start_import

SOURCE_KIND = "strike-releases"


@dataclass
class StrikeImportResult:
    path: str
    party: str
    lag_days: int
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    split_cells: int = 0
    located: int = 0
    unlocated: dict[str, int] = field(default_factory=dict)
    number_disagrees: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def report_row(rep: StrikeReport) -> dict[str, Any]:
    """The table row of a report (without id and import)."""
    row = {
        "party": rep.party,
        "release_date": rep.release_date,
        "strike_date": rep.strike_date,
        "country": rep.country or "",
        "position": rep.position,
        "place_name": rep.place_name,
        "latitude": rep.latitude,
        "longitude": rep.longitude,
        "place_precision": rep.place_precision,
        "located_as": rep.located_as,
        "strikes": rep.strikes,
        "targets": json.dumps([t.to_json() for t in rep.targets], ensure_ascii=False),
        "line": rep.line,
        "raw": json.dumps(rep.raw, ensure_ascii=False, sort_keys=True),
    }
    row["content_hash"] = content_hash(
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
    )
    return row


def import_strike_releases(
    store: Store,
    path: Path,
    *,
    columns: Columns | None = None,
    party: str = DEFAULT_PARTY,
    lag_days: int = DEFAULT_LAG_DAYS,
    skip_invalid: bool = False,
) -> StrikeImportResult:
    """Import one release file; nothing is written if a row is bad (unless skip_invalid)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such file: {path}", source=str(path))
    if not 0 <= lag_days <= 30:
        raise InputError(f"--lag-days {lag_days}: expected a number of days from 0 to 30")
    notes = ReadReport()
    rows: list[Row] = list(
        read_strike_releases(path, columns=columns, party=party, lag_days=lag_days, notes=notes)
    )
    result = StrikeImportResult(str(path), party, lag_days, rows_read=len(rows) + notes.duplicates)
    problems: list[RowProblem] = [p for r in rows for p in r.problems]
    good = [r.report for r in rows if r.report is not None]
    result.rejected = sum(1 for r in rows if r.report is None)
    if problems and not skip_invalid:
        raise InputError(
            f"{result.rejected} of {result.rows_read} rows are invalid; nothing was imported "
            "(fix them, or use --skip-invalid to import the rest)",
            source=str(path),
            problems=problems,
        )
    result.problems = [str(p) for p in problems]
    result.duplicates = notes.duplicates
    result.split_cells = notes.split_cells
    result.unlocated = dict(sorted(notes.unlocated.items(), key=lambda kv: (-kv[1], kv[0])))
    result.number_disagrees = notes.number_disagrees
    result.located = sum(1 for g in good if g.latitude is not None)
    with store.begin() as conn:
        lock_for_write(conn)
        import_id = start_import(conn, SOURCE_KIND, str(path), file_sha256(path))
        have = ss.existing_reports(conn, party)
        fresh: list[dict[str, Any]] = []
        for rep in good:
            row = report_row(rep)
            old = have.get(rep.key)
            if old is None:
                fresh.append({**row, "import_id": import_id})
            elif old[1] == row["content_hash"]:
                result.unchanged += 1
            else:
                ss.update_report(conn, old[0], {**row, "import_id": import_id})
                result.updated += 1
        ss.insert_reports(conn, fresh)
        result.inserted = len(fresh)
        counts = {k: getattr(result, k) for k in ("rows_read", "inserted", "updated", "unchanged")}
        finish_import(conn, import_id, {**counts, "rejected": result.rejected})
        append_import_revision(conn, import_id, f"import:{SOURCE_KIND}", {})
    return result
