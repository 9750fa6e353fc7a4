"""What pages and API answers are computed from, cached per (filter, data version).

A tally over 100,000 incidents costs one aggregate query plus the snapshot hash (a scan
of every matching code). Public pages ask the same few filters over and over, so results
are kept per filter and dropped as soon as the data change: the data version (row count,
max id, Σ version, last update) is re-read at most every ``ttl`` seconds.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from ..model.filters import IncidentFilter
from ..report.figures import Figures, figures, latest_estimate
from ..store.engine import Store
from ..store.queries import count_incidents
from ..store.web import data_version, map_points

T = TypeVar("T")


class Service:
    def __init__(self, store: Store, *, ttl: float | None = None, size: int = 512) -> None:
        self.store = store
        self.ttl = float(os.environ.get("CIVCAS_CACHE_TTL", "1.0")) if ttl is None else ttl
        self.size = size
        self.tile_url = os.environ.get("CIVCAS_TILE_URL") or None
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._version: tuple[Any, ...] | None = None
        self._checked = 0.0

    def version(self) -> tuple[Any, ...]:
        now = time.monotonic()
        if self._version is None or now - self._checked >= self.ttl:
            v = data_version(self.store)
            with self._lock:
                if v != self._version:
                    self._cache.clear()
                self._version, self._checked = v, now
        assert self._version is not None
        return self._version

    def _cached(self, kind: str, f: IncidentFilter, compute: Callable[[], T]) -> T:
        key = (kind, tuple(sorted(f.as_params().items())), self.version())
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return value

    def figures(self, f: IncidentFilter) -> Figures:
        cached = self._cached("figures", f, lambda: figures(self.store, f))
        # the estimate lives in another table: read it fresh (one small query)
        return Figures(cached.summary, cached.month_grade, latest_estimate(self.store))

    def summary(self, f: IncidentFilter) -> dict[str, Any]:
        return self.figures(f).summary

    def count(self, f: IncidentFilter) -> int:
        return self._cached("count", f, lambda: count_incidents(self.store, f))

    def points(self, f: IncidentFilter) -> list[list[Any]]:
        return self._cached("points", f, lambda: map_points(self.store, f))
