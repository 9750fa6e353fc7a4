"""The one import path every reader goes through: validate while streaming, all-or-nothing.

A reader yields :class:`Parsed` rows (its normalised incident, or the problems that stop
it). Good rows are written in batches inside one transaction while the file streams; if
any row is bad the transaction is rolled back and every problem is reported, unless
``skip_invalid`` is set, in which case the bad rows go to a reject file instead.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import InputError, RowProblem
from ..model.records import Incident
from ..store.engine import Store
from ..store.history import append_import_revision, state_hashes
from ..store.workflow import incident_codes, lock_for_write
from ..store.writer import IncidentWriter, finish_import, start_import
from .csvsafe import safe_row
from .worker import parallel_possible, prepared_here, prepared_in_parallel


@dataclass
class Parsed:
    row: int
    raw: dict[str, Any]
    incident: Incident | None = None
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class ImportResult:
    source_kind: str
    path: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    # issue 16: fields kept from a person's edit whose source value changed (queued for
    # a reviewer), incidents the source no longer has (flagged, not dropped)
    conflicts: int = 0
    withdrawn: int = 0
    reject_file: str | None = None
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


class _Abort(Exception):
    pass


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    if path.is_dir():
        return ""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the length of an import.

    An import allocates millions of short-lived objects while holding a batch of them;
    the collector would otherwise keep re-walking every long-lived object of the
    process (a quarter of the CPU time of a big import). Reference counting still frees
    everything the import drops; the collector is restored as it was, even on error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_import(
    store: Store,
    source_kind: str,
    path: Path,
    rows: Iterator[Parsed],
    *,
    skip_invalid: bool = False,
    reject_path: Path | None = None,
    progress: Callable[[int], None] | None = None,
    unmapped: dict[str, dict[str, int]] | None = None,
    parallel: bool | None = None,
    withdraw_missing: bool = True,
    actor: str | None = None,
) -> ImportResult:
    """Write the rows of one file, or nothing at all.

    ``unmapped`` is filled by the reader with values its vocabularies could not map
    (field -> value -> count); it is reported, never fatal. ``parallel`` runs the reader
    in a second process (see :mod:`civcas.io.worker`); by default, for big files.

    The import is a merge (docs/history.md): it takes the workflow's write lock first,
    so that it merges against the current record and a web edit waits for it instead of
    being lost; what a person set is kept and disagreements go to the conflict queue.
    ``withdraw_missing``: the file is the whole source, so incidents of this source kind
    it no longer has are flagged as withdrawn (not when rows were rejected). The import
    is one revision of the audit chain (``actor``, default ``import:<source kind>``),
    holding the state hash of every incident it inserted, changed or flagged.
    """
    result = ImportResult(source_kind=source_kind, path=str(path))
    problems: list[RowProblem] = []
    rejects: list[Parsed] = []
    try:
        with _cyclic_gc_paused(), store.begin() as conn:
            lock_for_write(conn)
            import_id = start_import(conn, source_kind, str(path), file_sha256(path))
            writer = IncidentWriter(conn, source_kind, import_id, bulk=True, states=True)
            if parallel is None:
                parallel = parallel_possible(path)
            items = (
                prepared_in_parallel(rows, writer, unmapped)
                if parallel
                else prepared_here(rows, writer)
            )
            for row, parsed, prep, refused in items:
                result.rows_read += 1
                if progress:
                    progress(1)
                if prep is None and refused is None:
                    assert parsed is not None
                    problems.extend(
                        parsed.problems or [RowProblem(parsed.row, "*", None, "a readable record")]
                    )
                    rejects.append(parsed)
                    continue
                if problems and not skip_invalid:
                    continue  # keep validating, stop writing: the file will be rejected
                if prep is not None:
                    try:
                        writer.add_prepared(prep)
                        continue
                    except ValueError as exc:
                        refused = str(exc)
                # the worker sends good rows without their Parsed: rebuild it for the
                # reject file from the raw record it prepared
                bad = parsed or Parsed(row, json.loads(prep[2]) if prep else {})
                sid = bad.incident.source_id if bad.incident else prep[0] if prep else None
                problems.append(RowProblem(row, "source_id", sid, str(refused)))
                rejects.append(bad)
            if problems and not skip_invalid:
                raise _Abort
            writer.withdraw_missing = withdraw_missing and not rejects
            writer.finish()
            fresh = writer.fresh.hashes if writer.fresh is not None else {}
            _chain(conn, import_id, actor or f"import:{source_kind}", writer.touched, fresh)
            result.conflicts = writer.merged["conflicts"]
            result.withdrawn = writer.merged["withdrawn"]
            result.inserted = writer.counts["inserted"]
            result.updated = writer.counts["updated"]
            result.unchanged = writer.counts["unchanged"]
            result.rejected = len(rejects)
            finish_import(
                conn,
                import_id,
                {
                    "rows_read": result.rows_read,
                    "inserted": result.inserted,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "rejected": result.rejected,
                },
            )
    except _Abort:
        raise InputError(
            f"{len(rejects)} of {result.rows_read} rows are invalid; nothing was imported "
            "(fix them, or use --skip-invalid to import the rest and write the bad rows to a reject file)",
            source=str(path),
            problems=problems,
        ) from None
    if rejects:
        reject_path = reject_path or path.with_name(path.name + ".rejects.csv")
        write_rejects(reject_path, rejects)
        result.reject_file = str(reject_path)
    result.unmapped = unmapped or {}
    return result


def _chain(
    conn: Any, import_id: int, actor: str, touched: list[int], fresh: dict[str, str]
) -> None:
    """The import's one revision: the state hash of every incident it touched
    (``fresh``: those it inserted, hashed as they were written).

    Hashed by blocks: runs of consecutive ids (what an import inserts) as range scans
    of at most 50,000 ids, the rest as id lists; memory stays that of one block."""
    hashes: dict[int, str] = {}
    for block in _blocks(sorted(set(touched))):
        hashes.update(state_hashes(conn, block))
    codes = incident_codes(conn, list(hashes))
    changed = {**fresh, **{codes[i]: h for i, h in hashes.items()}}
    append_import_revision(conn, import_id, actor, changed)


def _blocks(ids: list[int], run: int = 1000, size: int = 50_000) -> Iterator[Any]:
    """``ids`` (sorted) as ranges of consecutive ids and lists of the scattered ones."""
    scattered: list[int] = []
    i = 0
    while i < len(ids):
        j = i
        while j + 1 < len(ids) and ids[j + 1] == ids[j] + 1:
            j += 1
        if j - i + 1 >= run:
            for a in range(ids[i], ids[j] + 1, size):
                yield range(a, min(a + size, ids[j] + 1))
        else:
            scattered.extend(ids[i : j + 1])
        i = j + 1
    for a in range(0, len(scattered), size):
        yield scattered[a : a + size]


def write_rejects(path: Path, rejects: list[Parsed]) -> None:
    """Bad rows, each with the reasons, as CSV (the raw row kept as JSON; formula-safe)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["row", "problems", "raw_json"])
        for p in rejects:
            w.writerow(
                safe_row(
                    [
                        p.row,
                        " | ".join(str(x) for x in p.problems),
                        json.dumps(p.raw, ensure_ascii=False, default=str),
                    ]
                )
            )
