"""The UCDP GED codebook's code tables, read once from ``mappings/ucdp_ged_codebook.json``.

The importer (civcas.io.ucdp) and the exporter (civcas.io.export) both take GED's
columns, types and codes from this one data file, so the two directions cannot drift.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

CODEBOOK_PATH = Path(__file__).parent / "mappings" / "ucdp_ged_codebook.json"
#: the columns civcas adds after GED's own in its GED export (docs/io.md)
CIVCAS_COLUMNS = (
    "civcas_code",
    "civcas_source_kind",
    "civcas_source_id",
    "civcas_belligerents",
    "civcas_left_out",
)


@lru_cache(maxsize=1)
def codebook() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CODEBOOK_PATH.read_text(encoding="utf-8"))
    return data


def columns() -> tuple[str, ...]:
    """GED's columns in the codebook's order."""
    return tuple(name for name, _ in codebook()["columns"])


def column_types() -> dict[str, str]:
    return {name: kind for name, kind in codebook()["columns"]}


def civcas_precision(table: str, code: str) -> str | None:
    """civcas's precision for a GED ``where_prec``/``date_prec`` code (None: no such code)."""
    entry = codebook()[table].get(code.strip())
    return None if entry is None else str(entry["civcas"])


def where_prec_code(precision: str) -> int | None:
    """GED's ``where_prec`` for a civcas location precision (None: GED has no code)."""
    value = codebook()["where_prec_from_civcas"].get(precision)
    return None if value is None else int(value)


def date_prec_code(precision: str, days: int | None) -> int | None:
    """GED's ``date_prec`` for a civcas date precision; a range by its length in days."""
    book = codebook()
    value = book["date_prec_from_civcas"].get(precision)
    if value is None:
        return None
    if value != "by length":
        return int(value)
    if days is None:
        return None
    for limit, code in book["date_prec_by_range_days"]:
        if days <= limit:
            return int(code)
    return int(book["date_prec_beyond"])


def typed(column: str, value: Any) -> Any:
    """A GED cell as its codebook type when that is lossless (``"-1"`` -> -1, so that
    the formula-safe CSV writer sees a number), else the text as it was."""
    if not isinstance(value, str) or value == "":
        return value
    kind = column_types().get(column)
    try:
        if kind == "int" and str(int(value)) == value:
            return int(value)
        if kind == "float" and repr(float(value)) == value:
            return float(value)
    except ValueError:
        return value
    return value
