"""Formula-safe CSV cells: what civcas writes can be opened in a spreadsheet safely.

A spreadsheet evaluates a CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` (and
some treat a leading tab or carriage return the same way) as a formula, so a hostile
place name such as ``=HYPERLINK("http://evil","x")`` would run when a researcher opens
an export. Every *text* cell civcas writes that starts with one of those characters is
prefixed with an apostrophe, which spreadsheets show as text. Numbers are never
touched (a longitude of -3.5 stays a number): the decision is made on the Python value
or the column's type, never on whether a piece of user text looks like a number.

The rule is lossless, and civcas's own readers undo it:

- escape: a text that, after any leading apostrophes, starts with a trigger character
  gets one more apostrophe (``=1`` -> ``'=1``, ``'=1`` -> ``''=1``);
- unescape: a text that starts with an apostrophe and, after its leading apostrophes,
  a trigger character loses exactly one apostrophe.

Escaped texts always start with ``'+`` then a trigger; texts left alone never match
``'*`` then a trigger; so the two sets never overlap and unescape(escape(s)) == s for
every s. A text that starts with an apostrophe followed by anything else (``'tis``) is
written and read as it is. The cost: a third-party CSV whose cell really is ``'=x``
is read as ``=x``, the convention spreadsheets themselves follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

TRIGGERS = "=+-@\t\r"
_NEEDS = re.compile(r"'*[=+\-@\t\r]")
# a whole number or decimal, as a numeric column holds it (for frames read as text)
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def escape(text: str) -> str:
    """``text`` as a spreadsheet-safe cell (one apostrophe more when it could be a formula)."""
    if text and _NEEDS.match(text):
        return "'" + text
    return text


def unescape(text: str) -> str:
    """Undo :func:`escape` (a text civcas did not escape comes back unchanged)."""
    if text[:1] == "'" and _NEEDS.match(text, 1):
        return text[1:]
    return text


def safe_cell(value: Any) -> Any:
    """Escape a text value; numbers, dates and everything else are written as they are."""
    return escape(value) if isinstance(value, str) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [escape(v) if isinstance(v, str) else v for v in values]


def safe_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: escape(v) if isinstance(v, str) else v for k, v in row.items()}


def unescape_cells(cells: list[str]) -> list[str]:
    """The cells of a row read from a CSV, apostrophe prefixes removed (in place, and returned)."""
    for i, c in enumerate(cells):
        if c[:1] == "'" and _NEEDS.match(c, 1):
            cells[i] = c[1:]
    return cells


def unescape_dict(row: dict[str, Any]) -> dict[str, Any]:
    for k, v in row.items():
        if isinstance(v, str) and v[:1] == "'" and _NEEDS.match(v, 1):
            row[k] = v[1:]
    return row


def _numeric_text(values: Iterable[Any]) -> bool:
    """True when every non-empty value of a text column is a plain decimal number."""
    seen = False
    for v in values:
        if v is None or v == "" or v != v:  # blank, or NaN (a column missing from a part)
            continue
        if not isinstance(v, str) or not _NUMBER.fullmatch(v):
            return False
        seen = True
    return seen


def safe_frame(df: Any) -> Any:
    """A copy of a pandas DataFrame whose text cells are escaped, for ``to_csv``.

    Numeric columns (int, float, bool dtypes) are left alone. A column of Python objects
    is text, unless it was read as text from a file (``dtype=str``) and every non-empty
    cell in it is a plain decimal number: then it is a numeric column and is left alone
    too (the column's type decides, never one cell's looks).
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype != object and str(s.dtype) not in ("string", "str"):
            continue
        values = s.tolist()
        if not any(isinstance(v, str) and v and _NEEDS.match(v) for v in values):
            continue
        if _numeric_text(values):
            continue
        out[col] = [escape(v) if isinstance(v, str) else v for v in values]
    return out


def unescape_frame(df: Any) -> Any:
    """A pandas DataFrame read as text (``dtype=str``) with :func:`escape` undone, so a
    file civcas wrote reads back as the values it held."""
    for col in df.columns:
        s = df[col]
        if s.dtype != object and str(s.dtype) not in ("string", "str"):
            continue
        values = s.tolist()
        if any(isinstance(v, str) and v[:1] == "'" for v in values):
            df[col] = [unescape(v) if isinstance(v, str) else v for v in values]
    return df
