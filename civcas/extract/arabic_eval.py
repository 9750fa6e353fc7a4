"""Scoring on the project's own small Arabic evaluation set (tests/extract/fixtures)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from .extractor import extract_report

FIELDS = (
    "civilians_killed",
    "children_killed",
    "women_killed",
    "injured",
    "actor",
    "weapon",
    "place",
    "date",
)


def score_arabic(path: Path) -> dict[str, Any]:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    hits = {f: 0 for f in FIELDS}
    totals = {f: 0 for f in FIELDS}
    for r in rows:
        rep = extract_report(r["text"], date.fromisoformat(r["published"]), "ar")
        s = rep.summary
        main = rep.claims[0] if rep.claims else None
        got = {
            "civilians_killed": (s["civilians_killed"] or {}).get("min"),
            "children_killed": (s["children_killed"] or {}).get("min"),
            "women_killed": (s["women_killed"] or {}).get("min"),
            "injured": (s["injured"] or {}).get("min"),
            "actor": s["actor"],
            "weapon": s["weapon"],
            "place": main.place.value["name"] if main and main.place else None,
            "date": main.date.value["date"] if main and main.date else None,
        }
        for f in FIELDS:
            gold = r[f].strip()
            if not gold and f not in ("actor", "weapon", "place"):
                continue  # blank = not stated; not scored
            totals[f] += 1
            hits[f] += str(got[f] if got[f] is not None else "") == gold
    return {"n": len(rows), "accuracy": {f: hits[f] / totals[f] if totals[f] else None for f in FIELDS},
            "scored": totals}  # fmt: skip
