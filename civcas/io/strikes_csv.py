"""CSV of the matcher's results and of declared strikes without an allegation, written
formula-safe (civcas.io.csvsafe: release text and place names come from outside)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .csvsafe import safe_row

MATCH_COLUMNS = ("code", "date", "place", "suggested_status", "release_date", "declared_place",
                 "strikes", "km", "day_offset", "reasons")  # fmt: skip
UNALLEGED_COLUMNS = ("release_date", "strike_date", "place", "country", "strikes", "line")


def write_matches(path: Path, incidents: Iterable[dict[str, Any]]) -> int:
    """One row per (incident, declared strike); an incident without one gets one row."""
    n = 0
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(MATCH_COLUMNS)
        for i in incidents:
            head = [i["code"], i["date"], i["place"], i["suggested_status"]]
            why = "; ".join(i.get("reasons") or [])
            for m in i["matches"] or [None]:
                tail = (
                    [m["release_date"], m["place"], m["strikes"], m["km"], m["day_offset"]]
                    if m
                    else [None] * 5
                )
                w.writerow(safe_row([*head, *tail, why]))
                n += 1
    return n


def write_unalleged(path: Path, reports: Iterable[dict[str, Any]]) -> int:
    n = 0
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(UNALLEGED_COLUMNS)
        for r in reports:
            w.writerow(safe_row([r[c] for c in UNALLEGED_COLUMNS]))
            n += 1
    return n
