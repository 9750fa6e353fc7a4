"""What every reader shares: opening text files, parsing cells, collecting problems.

Readers stream: they open a file once, yield one :class:`~civcas.io.pipeline.Parsed` per
row and never hold the whole file. Cell parsers never raise; they append a
:class:`RowProblem` and return ``None`` so one pass reports every bad cell of a row.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..model.errors import InputError, RowProblem
from ..model.records import CountRange
from .csvread import records

Unmapped = dict[str, dict[str, int]]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def note_unmapped(unmapped: Unmapped | None, field: str, value: object) -> None:
    """Count a value that no vocabulary knew (reported after the import, never fatal)."""
    if unmapped is None or value in (None, ""):
        return
    per = unmapped.setdefault(field, {})
    key = str(value)
    per[key] = per.get(key, 0) + 1


def detect_encoding(path: Path, sample: int = 1 << 20) -> str:
    """``utf-8-sig`` when the file decodes as UTF-8, else ``cp1252`` (else ``latin-1``).

    The whole file is checked in chunks (streaming), so a stray byte late in a big file
    is not missed; an incomplete multi-byte sequence at a chunk edge is carried over.
    """
    dec = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(sample):
                dec.decode(chunk)
            dec.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(sample):
                chunk.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def open_text(path: Path, encoding: str | None = None) -> tuple[IO[str], str]:
    """Open a text file with a detected (or given) encoding; returns (handle, encoding)."""
    if not path.exists():
        raise InputError(f"file not found: {path}", source=str(path))
    enc = encoding or detect_encoding(path)
    return path.open("r", encoding=enc, newline=""), enc


def csv_rows(
    path: Path,
    required: tuple[str, ...] = (),
    encoding: str | None = None,
    unmapped: Unmapped | None = None,
    *,
    fold_case: bool = False,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) pairs of a CSV file, row 1 being the first data row.

    The header is checked for the ``required`` columns before any row is read. A file
    that is not UTF-8 is read as cp1252/latin-1 and this is reported under ``encoding``.
    An unterminated or stray quote that would swallow the following rows is an
    :class:`InputError` naming the line (civcas.io.csvread); the apostrophe civcas's own
    exports put before a formula-like text is removed (civcas.io.csvsafe). With
    ``fold_case`` the required columns are found in any case (``EVENT_DATE``); rows keep
    the file's own names (see :func:`column_names`).
    """
    fh, enc = open_text(path, encoding)
    if enc != "utf-8-sig":
        note_unmapped(unmapped, "encoding", f"{path.name}: not UTF-8, read as {enc}")
    with fh:
        # csv.DictReader's rules, without its per-row overhead: blank lines are skipped,
        # a short row gets "" for its missing cells, cells beyond the header are dropped
        reader = records(fh, str(path), unescape=True)
        header = [h.strip() for h in next(reader, (0, []))[1]]
        have = {h.lower() for h in header} if fold_case else set(header)
        missing = [c for c in required if (c.lower() if fold_case else c) not in have]
        if missing:
            raise InputError(
                f"missing column(s) {', '.join(missing)}; found: {', '.join(header) or 'no header'}",
                source=str(path),
            )
        n = len(header)
        i = 0
        for _, cells in reader:
            i += 1
            if len(cells) < n:
                cells = cells + [""] * (n - len(cells))
            yield i, dict(zip(header, cells, strict=False))


def column_names(header: Iterable[str]) -> dict[str, str]:
    """lower-case name -> the file's own spelling of it (the first, if two differ only
    in case): how a reader finds ``event_date`` in a file that says ``EVENT_DATE``."""
    out: dict[str, str] = {}
    for h in header:
        out.setdefault(h.lower(), h)
    return out


def xlsx_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) pairs of a worksheet (the first unless ``sheet`` names one),
    as text: a date cell as its ISO date, a number as Python writes it (an Excel date
    stored as a plain number stays that number: the reader decides what it is)."""
    from openpyxl import load_workbook

    from .xlsx_guard import check_xlsx

    check_xlsx(path)  # size and compression limits, before anything is inflated
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(it, ())]
        for i, values in enumerate(it, start=1):
            if all(v is None for v in values):
                continue
            yield (
                i,
                {
                    h: (
                        ""
                        if v is None
                        else v.isoformat()[:10]
                        if hasattr(v, "isoformat")
                        else str(v)
                    )
                    for h, v in zip(header, values, strict=False)
                },
            )
    finally:
        wb.close()


class Cells:
    """Parses the cells of one row, collecting every problem instead of stopping."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.problems: list[RowProblem] = []

    def problem(self, field: str, value: object, expected: str) -> None:
        self.problems.append(RowProblem(self.row, field, value, expected))

    def text(self, value: Any) -> str | None:
        if value is None:
            return None
        s = str(value).strip()
        return s or None

    def count(self, field: str, value: Any) -> int | None:
        """A casualty count: blank is unknown (None); negative or non-numeric is a problem."""
        if type(value) is str and value.isdigit() and value.isascii():
            return int(value)  # the common case, first
        if value is None or (isinstance(value, str) and value.strip() == ""):
            return None
        if isinstance(value, bool):
            self.problem(field, value, "a whole number ≥ 0")
            return None
        if isinstance(value, int):
            n = value
        else:
            s = str(value).strip().replace(",", "")
            try:
                f = float(s)
            except ValueError:
                self.problem(field, value, "a whole number ≥ 0")
                return None
            if f != f or f != int(f):
                self.problem(field, value, "a whole number ≥ 0")
                return None
            n = int(f)
        if n < 0:
            self.problem(field, value, "a whole number ≥ 0")
            return None
        return n

    def range(self, field: str, lo: Any, hi: Any) -> CountRange:
        a = self.count(f"{field}_min", lo)
        b = self.count(f"{field}_max", hi)
        if a is not None and b is not None and b < a:
            self.problem(f"{field}_max", hi, f"a maximum ≥ the minimum {a}")
            return CountRange(a, None)
        return CountRange(a, b)

    def date(self, field: str, value: Any, formats: tuple[str, ...] = ()) -> dt.date | None:
        """ISO dates (YYYY-MM-DD, or YYYYMMDD); other ``formats`` (strptime) if given."""
        if not formats and type(value) is str and len(value) == 10:
            try:
                return dt.date.fromisoformat(value)  # the common case, first
            except ValueError:
                pass
        s = self.text(value)
        if s is None:
            return None
        for fmt in formats:
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
        try:
            if re.fullmatch(r"\d{8}", s):
                return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
            return dt.date.fromisoformat(s[:10])
        except ValueError:
            shown = " or ".join(formats) if formats else "YYYY-MM-DD"
            self.problem(field, value, f"a date ({shown})")
            return None

    def number(self, field: str, value: Any, lo: float, hi: float) -> float | None:
        s = self.text(value)
        if s is None:
            return None
        try:
            f = float(s)
        except ValueError:
            self.problem(field, value, f"a number between {lo:g} and {hi:g}")
            return None
        if not (lo <= f <= hi):
            self.problem(field, value, f"a number between {lo:g} and {hi:g}")
            return None
        return f

    def coordinates(
        self, lat: Any, lon: Any, lat_field: str = "latitude", lon_field: str = "longitude"
    ) -> tuple[float | None, float | None]:
        a = self.number(lat_field, lat, -90, 90)
        b = self.number(lon_field, lon, -180, 180)
        if (a is None) != (b is None):
            return None, None  # half a point is no point
        return a, b
