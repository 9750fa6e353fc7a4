"""One pass over the published incidents: what the browser tallies, what search finds,
and each incident's content stamp (for incremental rebuilds).

The per-incident numbers are written already coalesced the way the tally's SQL sums them
(``civcas.store.queries.grouped_sums``: where one end of a range is known it stands for
both, none known adds 0 and counts as unknown), so the browser's tally is plain sums.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model.filters import IncidentFilter
from ..store.engine import Store
from ..store.queries import children, iter_incidents

TALLY_FIELDS = [
    "code", "date", "month", "grade", "assessment", "governorate_en", "governorate_ar",
    "latitude", "longitude", "unknown",
    "killed_min", "killed_max", "injured_min", "injured_max",
    "children_killed_min", "children_killed_max", "women_killed_min", "women_killed_max",
    "men_killed_min", "men_killed_max", "given", "named_victims", "belligerents",
]  # fmt: skip
ENDS = ("killed", "injured", "children_killed", "women_killed", "men_killed")
# the breakdowns (civcas.store.tally_parts.BREAKDOWNS); bit i of "given" says the
# incident gives any figure for breakdown i
BREAKDOWNS = ("injured", "children_killed", "women_killed", "men_killed")


@dataclass
class Scan:
    """Everything the site needs from one pass, besides the pages themselves."""

    stamps: dict[str, str] = field(default_factory=dict)
    tally_rows: list[list[Any]] = field(default_factory=list)
    victims: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[dict[str, Any]] = field(default_factory=list)


def _day(v: Any) -> str | None:
    if v is None:
        return None
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def _ends(row: dict[str, Any], name: str) -> tuple[int, int]:
    lo, hi = row.get(f"{name}_min"), row.get(f"{name}_max")
    a = lo if lo is not None else hi
    b = hi if hi is not None else lo
    return int(a or 0), int(b or 0)


def stamp(row: dict[str, Any], kids: dict[str, list[dict[str, Any]]]) -> str:
    """What an incident's page depends on: its content hash and version, its last
    update, and its children (victims, sources, assessments, statements, aliases)."""
    h = hashlib.sha256()
    for part in (row["code"], row["content_hash"], row["version"], row.get("updated_at")):
        h.update(f"{part}\x1f".encode())
    for name in sorted(kids):
        for child in kids[name]:
            h.update(repr(sorted((k, str(v)) for k, v in child.items())).encode())
        h.update(b"\x1e")
    return h.hexdigest()[:24]


def _chunks(store: Store, f: IncidentFilter, size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in iter_incidents(store, f, sort="date"):
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def scan(store: Store, f: IncidentFilter, chunk: int = 2000) -> Scan:
    out = Scan()
    for batch in _chunks(store, f, chunk):
        kids = children(store, [r["id"] for r in batch])
        for row in batch:
            mine = {name: per.get(row["id"], []) for name, per in kids.items()}
            out.stamps[row["code"]] = stamp(row, mine)
            bel = []
            for b in mine.get("belligerents", []):
                lo, hi = b.get("deaths_conceded_min"), b.get("deaths_conceded_max")
                a = lo if lo is not None else hi
                z = hi if hi is not None else lo
                bel.append(
                    [
                        b.get("belligerent_key") or "",
                        b.get("belligerent") or "",
                        b.get("assessment") or "none",
                        int(a or 0),
                        int(z or 0),
                    ]
                )
            unknown = int(row.get("killed_min") is None and row.get("killed_max") is None)
            sums = [v for name in ENDS for v in _ends(row, name)]
            given = sum(
                1 << i
                for i, name in enumerate(BREAKDOWNS)
                if row.get(f"{name}_min") is not None or row.get(f"{name}_max") is not None
            )
            out.tally_rows.append(
                [
                    row["code"],
                    _day(row.get("date_start")),
                    row.get("month"),
                    row.get("grade"),
                    row.get("assessment"),
                    row.get("governorate_en"),
                    row.get("governorate_ar"),
                    row.get("latitude"),
                    row.get("longitude"),
                    unknown,
                    *sums,
                    given,
                    int(row.get("named_victims") or 0),
                    bel,
                ]
            )
            out.incidents.append(
                {
                    "code": row["code"],
                    "date": _day(row.get("date_start")),
                    "place": row.get("location_en"),
                    "place_ar": row.get("location_ar"),
                    "governorate": row.get("governorate_en"),
                    "aliases": [a.get("alias") for a in mine.get("aliases", [])],
                }
            )
            for v in mine.get("victims", []):
                out.victims.append(
                    {
                        "name": v.get("name"),
                        "name_ar": v.get("name_ar"),
                        "code": row["code"],
                        "date": _day(row.get("date_start")),
                        "id": v.get("id"),
                    }
                )
    return out
