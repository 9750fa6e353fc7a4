"""Capture tables: who was seen by which lists, as counts per capture pattern.

A table over J lists is a vector of 2^J counts indexed by the pattern's bitmask
(bit j set = on list j). Cell 0, the people on no list, is always 0: estimating it is the
point. Every method in this package works on these counts, never on individuals, which is
what makes it fast.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..model.errors import InputError, RowProblem

MAX_LISTS = 8


@dataclass(frozen=True)
class CaptureTable:
    """Counts per capture pattern for one population (or one stratum)."""

    lists: tuple[str, ...]
    counts: np.ndarray  # shape (2**J,), int64, counts[0] == 0

    @property
    def J(self) -> int:
        return len(self.lists)

    @property
    def n_observed(self) -> int:
        return int(self.counts.sum())

    def patterns(self) -> np.ndarray:
        """0/1 matrix (2^J, J): row w is the pattern of cell w."""
        w = np.arange(2**self.J)
        return ((w[:, None] >> np.arange(self.J)[None, :]) & 1).astype(np.int64)

    def list_totals(self) -> np.ndarray:
        return self.patterns().T @ self.counts

    def overlap(self, mask: int) -> int:
        """People seen on every list in ``mask`` (whatever else they are on)."""
        w = np.arange(2**self.J)
        return int(self.counts[(w & mask) == mask].sum())

    def rows(self) -> list[dict[str, int]]:
        pats = self.patterns()
        out = []
        for w in range(1, 2**self.J):
            row = {name: int(pats[w, j]) for j, name in enumerate(self.lists)}
            row["count"] = int(self.counts[w])
            out.append(row)
        return out


def make_table(lists: Sequence[str], counts: Mapping[int, int] | np.ndarray) -> CaptureTable:
    J = len(lists)
    arr = np.zeros(2**J, dtype=np.int64)
    if isinstance(counts, np.ndarray):
        arr[:] = counts
    else:
        for w, c in counts.items():
            arr[w] += c
    arr[0] = 0
    return CaptureTable(tuple(lists), arr)


def read_overlap_csv(
    path: str | Path, stratify: str | None = None
) -> dict[str | None, CaptureTable]:
    """Read one 0/1 column per list + ``count`` (+ optional stratum columns).

    Returns {stratum value: table}; without ``stratify`` the only key is None (rows of all
    strata are summed). Every problem in the file is reported at once.
    """
    path = Path(path)
    src = str(path)
    try:
        header, cells = _read(path)
        header = [h.strip() for h in header]
        rows = [{k: v.strip() for k, v in zip(header, r, strict=False)} for r in cells]
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", source=src) from None
    if "count" not in header:
        raise InputError(
            f"no 'count' column (columns: {', '.join(header)}); expected one 0/1 column per "
            "list and a 'count' column",
            source=src,
        )
    if stratify is not None and stratify not in header:
        raise InputError(f"stratum column {stratify!r} not in the header", source=src)
    others = [h for h in header if h != "count"]
    lists = [h for h in others if h != stratify and _looks_binary(rows, h)]
    non_binary = [h for h in others if h != stratify and h not in lists]
    problems: list[RowProblem] = []
    if non_binary and stratify is None:
        # A column that is not 0/1 and was not named as a stratum: report its bad values.
        for i, r in enumerate(rows, start=2):
            for h in non_binary:
                if r.get(h, "") not in ("0", "1"):
                    problems.append(RowProblem(i, h, r.get(h), "0 or 1 (list membership)"))
        raise InputError(
            f"columns {', '.join(non_binary)} are not 0/1 list columns (use --stratify COL "
            "for a stratum column)",
            source=src,
            problems=problems,
        )
    if len(lists) < 2:
        raise InputError(f"need at least 2 list columns, found {len(lists)}", source=src)
    if len(lists) > MAX_LISTS:
        raise InputError(f"at most {MAX_LISTS} lists are supported, found {len(lists)}", source=src)
    by_stratum: dict[str | None, np.ndarray] = {}
    for i, r in enumerate(rows, start=2):
        w = 0
        for j, h in enumerate(lists):
            if r.get(h) == "1":
                w |= 1 << j
        raw = r.get("count", "")
        try:
            c = int(float(raw))
            if c != float(raw):
                raise ValueError
        except ValueError:
            problems.append(RowProblem(i, "count", raw, "a whole number >= 0"))
            continue
        if c < 0:
            problems.append(RowProblem(i, "count", raw, "a whole number >= 0"))
            continue
        if w == 0:
            if c != 0:
                problems.append(
                    RowProblem(
                        i, "count", raw, "0 for the all-zero pattern (nobody is seen on no list)"
                    )
                )
            continue
        key = r.get(stratify) if stratify else None
        by_stratum.setdefault(key, np.zeros(2 ** len(lists), dtype=np.int64))[w] += c
    if problems:
        raise InputError("bad rows in the overlap table", source=src, problems=problems)
    if not by_stratum:
        raise InputError("no data rows", source=src)
    return {k: CaptureTable(tuple(lists), v) for k, v in by_stratum.items()}


DRAW_PREFIX = "person_id_draw_"  # civcas link --for-estimation: one column per linkage draw


def read_linked_csv(
    path: str | Path, lists: Sequence[str] | None = None, stratify: str | None = None
) -> tuple[dict[str | None, CaptureTable], list[CaptureTable]]:
    """A CSV of linked records (civcas link -o): the tables of its ``person_id`` and one
    table per linkage draw (columns ``person_id_draw_1``...; none unless it was linked
    --for-estimation)."""
    src = str(path)
    try:
        header, cells = _read(Path(path), unescape=True)  # civcas link -o writes formula-safe
        rows = [dict(zip(header, r, strict=False)) for r in cells]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the linked records: {exc}", source=src) from None
    missing = [c for c in ("person_id", "list") if c not in header]
    if missing:
        raise InputError(
            f"no {' or '.join(missing)} column (columns: {', '.join(header)}): expected the "
            "output of civcas link",
            source=src,
        )
    try:
        point = capture_table_from_records(rows, lists, stratify)
        draws = [
            capture_table_from_records(
                [{"person_id": r[c], "list": r["list"]} for r in rows], lists
            )[None]
            for c in header
            if c.startswith(DRAW_PREFIX)
        ]
    except InputError as exc:
        raise InputError(exc.message, source=src, problems=exc.problems) from None
    return point, draws


def _read(path: Path, unescape: bool = False) -> tuple[list[str], list[list[str]]]:
    """(header, records) of a CSV; a stray or unterminated quote is an InputError.

    A file without a quote (or, with ``unescape``, an apostrophe) cannot hold a broken
    quote or an escaped cell, so the csv module reads it directly, as
    :func:`civcas.io.csvread.records` would: importing ``civcas.io`` costs 0.25 s of
    start-up (its package loads the whole import pipeline and the store).
    """
    with path.open(newline="", encoding="utf-8-sig") as fh:
        text = fh.read()
    if '"' in text or (unescape and "'" in text):
        from ..io.csvread import records

        fh2 = io.StringIO(text, newline="")
        recs = [cells for _, cells in records(fh2, str(path), unescape=unescape)]
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            recs = [cells for cells in reader if cells]
        except csv.Error as exc:
            msg = f"line {reader.line_num}: not readable as CSV: {exc}"
            raise InputError(msg, str(path)) from None
    header = recs[0] if recs else []
    return header, [r + [""] * (len(header) - len(r)) for r in recs[1:]]


def _looks_binary(rows: list[dict[str, str]], col: str) -> bool:
    return all(r.get(col, "") in ("0", "1") for r in rows)


def capture_table_from_records(
    records: Iterable[Mapping[str, Any]] | Any,
    lists: Sequence[str] | None = None,
    stratify: str | None = None,
) -> dict[str | None, CaptureTable]:
    """Capture tables from linked records: one row per (person_id, list[, stratum]).

    ``records`` is an iterable of mappings or a pandas DataFrame with columns person_id,
    list and, when ``stratify`` is given, that column (e.g. month, governorate). A person's
    stratum is the first non-empty value seen for them; people with no value go to the
    stratum "unknown". Lists not named in ``lists`` are ignored (None: all lists, sorted).
    """
    if hasattr(records, "to_dict"):
        records = records.to_dict("records")
    per_person: dict[str, int] = {}
    stratum_of: dict[str, str] = {}
    rows = list(records)
    names = list(lists) if lists else sorted({str(r["list"]) for r in rows})
    if len(names) < 2:
        raise InputError(f"need at least 2 lists, got {names}")
    index = {n: j for j, n in enumerate(names)}
    problems: list[RowProblem] = []
    for i, r in enumerate(rows, start=1):
        pid = r.get("person_id")
        if pid is None or pid == "":
            problems.append(RowProblem(i, "person_id", pid, "a person id"))
            continue
        lst = str(r.get("list"))
        if lst not in index:
            continue
        pid = str(pid)
        per_person[pid] = per_person.get(pid, 0) | (1 << index[lst])
        if stratify:
            val = r.get(stratify)
            if val not in (None, "") and pid not in stratum_of:
                stratum_of[pid] = str(val)
    if problems:
        raise InputError("bad linked records", problems=problems)
    out: dict[str | None, np.ndarray] = {}
    for pid, w in per_person.items():
        key = stratum_of.get(pid, "unknown") if stratify else None
        out.setdefault(key, np.zeros(2 ** len(names), dtype=np.int64))[w] += 1
    if not out:
        raise InputError(f"no linked person is on any of the lists {', '.join(names)}")
    return {
        k: CaptureTable(tuple(names), v) for k, v in sorted(out.items(), key=lambda kv: str(kv[0]))
    }
