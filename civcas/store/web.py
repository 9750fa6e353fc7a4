"""Read-only queries the web app needs beyond queries.py: a cheap data version and map points.

``data_version`` lets the app cache tallies per (filter, data) without hashing every
record on each request: any insert, update (the writer bumps ``version`` and
``updated_at``) or delete changes it.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select

from ..model.filters import IncidentFilter
from .engine import Store
from .queries import conditions
from .schema import incident


def data_version(store: Store) -> tuple[Any, ...]:
    """(rows, max id, Σ version, last update) over every incident, published or not."""
    c = incident.c
    q = select(
        func.count(), func.max(c.id), func.coalesce(func.sum(c.version), 0), func.max(c.updated_at)
    )
    with store.connect() as conn:
        row = conn.execute(q).one()
    return tuple(str(v) for v in row)


class VersionProbe:
    """A cheaper ``data_version`` for SQLite: ``PRAGMA data_version`` on one connection kept
    for the purpose changes whenever any other connection commits, at no scan at all.
    Other engines use :func:`data_version`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._conn: Any = None
        self._lock = threading.Lock()

    def __call__(self) -> tuple[Any, ...]:
        if self.store.dialect != "sqlite" or ":memory:" in self.store.url:
            return data_version(self.store)
        with self._lock:
            if self._conn is None:
                self._conn = self.store.engine.raw_connection()
            cur = self._conn.cursor()
            try:
                cur.execute("PRAGMA data_version")
                return ("sqlite", int(cur.fetchone()[0]))
            finally:
                cur.close()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def map_points(store: Store, f: IncidentFilter) -> list[list[Any]]:
    """[code, lat, lon, precision, grade, killed_min, killed_max, date, place] per located incident."""
    c = incident.c
    q = (
        select(
            c.code,
            c.latitude,
            c.longitude,
            c.location_precision,
            c.grade,
            c.killed_min,
            c.killed_max,
            c.date_start,
            c.location_en,
        )
        .where(*conditions(f), c.latitude.isnot(None), c.longitude.isnot(None))
        .order_by(c.date_start, c.id)
    )
    with store.connect() as conn:
        return [
            [
                r[0],
                round(r[1], 5),
                round(r[2], 5),
                r[3],
                r[4],
                r[5],
                r[6],
                r[7].isoformat() if r[7] else None,
                r[8],
            ]
            for r in conn.execute(q)
        ]


__all__ = ["VersionProbe", "data_version", "map_points"]
