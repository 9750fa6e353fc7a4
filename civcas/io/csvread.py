"""CSV records with a clear error for an unterminated or stray quote.

Python's csv module, like spreadsheets, reads a quote at the start of a field as the
opening of a quoted field that may span lines. A stray or unterminated quote therefore
joins every following line into one field, up to the next quote in the file or the end
of the file, and the rows it swallows silently disappear from the import.

Real exports do hold quoted fields over several lines (UCDP GED source texts, ACLED and
Airwars notes), so a record over several lines is accepted, but only when it reads as
one: :func:`records` refuses, naming the file, the line where the quote opened, the
column and what was expected, a record that

- reaches the end of the file inside its quotes (the quote never closes);
- closes its quotes with a character other than a delimiter or the end of the line
  right after them (the closing quote was really the opening quote of a later field);
- spans lines but has another number of fields than the header;
- holds, inside a quoted field, a whole line that reads as a full row of the file
  (files of at least :data:`ROWLIKE_MIN_WIDTH` columns; a note with a few commas in a
  narrow file would look like a row).

Records on one line are not checked beyond what the csv module does: a quote inside an
unquoted field (``5" shell``) is ordinary text, as before.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from ..model.errors import InputError, RowProblem
from .csvsafe import unescape_cells

ROWLIKE_MIN_WIDTH = 4


class _Lines:
    """The file's lines, fed to csv.reader, kept while one record is being read."""

    def __init__(self, fh: Iterable[str]) -> None:
        self.buf: list[str] = []
        self.exhausted = False
        self.feed = self._feed(fh)

    def _feed(self, fh: Iterable[str]) -> Iterator[str]:
        buf = self.buf
        for line in fh:
            buf.append(line)
            yield line
        self.exhausted = True


def _short(text: str, n: int = 60) -> str:
    text = text.replace("\r", "").split("\n", 1)[0]
    return text if len(text) <= n else text[: n - 3] + "..."


def records(
    fh: Iterable[str],
    source: str,
    width: int | None = None,
    *,
    unescape: bool = False,
    rowlike: bool = True,
) -> Iterator[tuple[int, list[str]]]:
    """(physical line where the record starts, cells) for every record, header included.

    ``width``: the number of fields a record should have (default: the first record's).
    ``unescape``: remove the apostrophe civcas's exports put before a formula-like text
    (civcas.io.csvsafe; the header is left as it is). ``rowlike``: the last check above
    (off for files whose cells are whole articles, where a line of prose may hold as
    many commas as a row). Blank lines are skipped. Raises
    :class:`InputError` for a broken quote (see above) or a line the csv module cannot
    read (a NUL byte, a field over the size limit).
    """
    lines = _Lines(fh)
    buf = lines.buf
    reader = csv.reader(lines.feed)
    prev = 0
    header: list[str] | None = None
    row = 0  # data rows so far (the header is row 0)
    try:
        for cells in reader:
            start = prev + 1
            prev = end = reader.line_num
            if not cells:
                buf.clear()
                continue
            if header is None:
                header = cells
            else:
                row += 1
                # only a record with an apostrophe somewhere can hold an escaped cell
                if unescape and (len(buf) > 1 or "'" in buf[0]):
                    unescape_cells(cells)
            if width is None:
                width = len(cells)
            if end > start or lines.exhausted:
                _check(cells, start, end, width, lines, source, header, row, rowlike)
            buf.clear()
            yield start, cells
    except csv.Error as exc:
        raise InputError(f"line {reader.line_num}: not readable as CSV: {exc}", source) from None


def _check(
    cells: list[str],
    start: int,
    end: int,
    width: int,
    lines: _Lines,
    source: str,
    header: list[str],
    row: int,
    rowlike: bool,
) -> None:
    """Refuse a record over several lines (or cut by the end of the file) that is not one."""
    # the field where the quote opened: the first one that runs over a line end, or at
    # the end of the file the last one (a quote may open on the file's very last line)
    at = next((i for i, c in enumerate(cells) if "\n" in c or "\r" in c), len(cells) - 1)
    opened = start + sum(c.count("\n") for c in cells[:at])
    name = header[at].strip() if at < len(header) and header[at].strip() else f"#{at + 1}"
    where = f"line {opened}, column {name!r}"
    problem: str | None = None
    expected = ""
    if lines.exhausted:
        problem = (
            f"the quote that opens on line {opened} never closes: the end of the file was "
            "reached inside it"
        )
        expected = "a closing quote before the end of the file"
    else:
        raw = "".join(lines.buf)
        try:
            for _ in csv.reader(io.StringIO(raw, newline=""), strict=True):
                pass
        except csv.Error as exc:
            problem = (
                f"the quote that opens on line {opened} closes on a later line but is "
                f"followed by text ({exc}): it was probably a stray or unterminated quote "
                f"that swallowed lines {opened + 1}-{end}"
            )
            expected = "a closing quote followed by a comma or the end of the line"
        if problem is None and len(cells) != width:
            problem = (
                f"the quoted field that opens on line {opened} runs to line {end} and leaves "
                f"the record with {len(cells)} fields instead of {width}: an unterminated "
                f"or stray quote swallowed lines {opened + 1}-{end}"
            )
            expected = f"{width} fields on a record"
        if problem is None and rowlike and width >= ROWLIKE_MIN_WIDTH:
            for k, part in enumerate(cells[at].split("\n")[1:-1], start=opened + 1):
                if len(next(csv.reader([part]), [])) >= width:
                    problem = (
                        f"the quoted field that opens on line {opened} runs to line {end} and "
                        f"line {k} inside it reads as a whole row: an unterminated or stray "
                        "quote swallowed it"
                    )
                    expected = "a closing quote on the line where the field starts"
                    break
    if problem is None:
        return
    raise InputError(
        f'{where}: {problem}; nothing was imported (close the quote, or double it as "" '
        "if it is part of the text)",
        source,
        [RowProblem(row, name, _short(cells[at]), expected)],
    )
