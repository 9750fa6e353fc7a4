"""Who the report's data comes from: a credit per source the included incidents came from.

A newsroom prints the credit on the first page. The records say which importer wrote
them (``source_kind``); each importer's data has a publisher to credit. The Airwars
credit is the attribution the archive's own data carries (the demo file's
``attribution``, the same records as the archive importer's).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Credit:
    kind: str
    publisher: str
    source: str
    incidents: int
    licence: str | None = None


def _airwars() -> tuple[str, str, str | None]:
    from ..io.demo import attribution

    try:
        a = attribution()
    except OSError:
        return (
            "Airwars",
            "Airwars (https://airwars.org), Syria civilian-harm incident archive",
            None,
        )
    return "Airwars", str(a["source"]), a.get("licence")


# publisher, data source in words, licence note (None: see the publisher's terms)
KNOWN: dict[str, tuple[str, str, str | None]] = {
    "ibc": ("Iraq Body Count", "Iraq Body Count (https://www.iraqbodycount.org)", None),
    "ucdp-ged": (
        "the Uppsala Conflict Data Program",
        "UCDP Georeferenced Event Dataset (https://ucdp.uu.se)",
        None,
    ),
    "acled": (
        "ACLED",
        "Armed Conflict Location & Event Data Project (https://acleddata.com)",
        None,
    ),
}


def credits(source_kinds: Iterable[str | None]) -> list[Credit]:
    """One credit per source kind among the included incidents, the largest first."""
    counts = Counter(k or "unknown" for k in source_kinds)
    out = []
    for kind, n in counts.most_common():
        if kind == "airwars":
            publisher, source, licence = _airwars()
        elif kind in KNOWN:
            publisher, source, licence = KNOWN[kind]
        else:
            publisher, source, licence = kind, kind, None
        out.append(Credit(kind, publisher, source, n, licence))
    return out


__all__ = ["Credit", "credits"]
