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
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool

from ..model.filters import IncidentFilter
from ..report.figures import Figures, figures, shown
from ..store.choices import filter_choices
from ..store.engine import Store
from ..store.estimates import matches, record_estimates
from ..store.queries import count_incidents
from ..store.web import VersionProbe, map_points

T = TypeVar("T")
_MISSING = object()


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
        self._refreshing = False
        self._probe = VersionProbe(store)
        self._estimates: list[dict[str, Any]] = []  # made from this record, newest first

    def version(self) -> tuple[Any, ...]:
        """The data version: read inline the first time (and always when ttl is 0);
        afterwards refreshed in the background once it is older than ``ttl``, so no
        request waits for the scan."""
        now = time.monotonic()
        if self._version is None or self.ttl <= 0:
            self._refresh()
        elif now - self._checked >= self.ttl and not self._refreshing:
            self._refreshing = True
            threading.Thread(target=self._refresh, daemon=True, name="civcas-version").start()
        assert self._version is not None
        return self._version

    def _refresh(self) -> None:
        try:
            v = self._probe()
            try:
                est = record_estimates(self.store)
            except DBAPIError:  # a database without the estimates table: none to show
                est = []
            with self._lock:
                if v != self._version or est != self._estimates:
                    self._cache.clear()
                self._version, self._estimates, self._checked = v, est, time.monotonic()
        finally:
            self._refreshing = False

    def _lookup(self, kind: str, f: IncidentFilter) -> tuple[tuple[Any, ...], Any]:
        key = (kind, tuple(sorted(f.as_params().items())), self.version())
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return key, self._cache[key]
        return key, _MISSING

    def _store(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)

    def _cached(self, kind: str, f: IncidentFilter, compute: Callable[[], T]) -> T:
        key, value = self._lookup(kind, f)
        if value is _MISSING:
            value = compute()
            self._store(key, value)
        return value  # type: ignore[no-any-return]

    async def amemo(self, kind: str, f: IncidentFilter, compute: Callable[[], T]) -> T:
        """``memo`` for async handlers: a hit answers on the event loop, a miss computes in
        the thread pool (the database work must not block the loop)."""
        key, value = self._lookup(kind, f)
        if value is _MISSING:
            value = await run_in_threadpool(compute)
            self._store(key, value)
        return value  # type: ignore[no-any-return]

    async def afigures(self, f: IncidentFilter) -> Figures:
        cached = await self.amemo("figures", f, lambda: figures(self.store, f, with_estimate=False))
        return self._with_estimate(cached, f)

    def figures(self, f: IncidentFilter) -> Figures:
        cached = self._cached("figures", f, lambda: figures(self.store, f, with_estimate=False))
        return self._with_estimate(cached, f)

    def _with_estimate(self, fig: Figures, f: IncidentFilter) -> Figures:
        """The estimates live in another table (re-read with the data version); one is
        shown only when it was made from this record, for this scope, from these very
        records (its snapshot hash)."""
        scope, snap = f.as_params(), fig.summary["snapshot_sha256"]
        est = next((e for e in self._estimates if matches(e, scope, snap)), None)
        return replace(fig, estimate=shown(est))  # (and issue 20's declared strikes)

    def choices(self) -> dict[str, list[dict[str, Any]]]:
        """The parties and governorates in the published record (the filters' lists)."""
        return self._cached("choices", IncidentFilter(), lambda: filter_choices(self.store))

    def memo(self, kind: str, f: IncidentFilter, compute: Callable[[], T]) -> T:
        """Cache anything derived from the filtered data (rendered charts, encoded JSON)."""
        return self._cached(kind, f, compute)

    def summary(self, f: IncidentFilter) -> dict[str, Any]:
        return self.figures(f).summary

    def count(self, f: IncidentFilter) -> int:
        return self._cached("count", f, lambda: count_incidents(self.store, f))

    def points(self, f: IncidentFilter) -> list[list[Any]]:
        return self._cached("points", f, lambda: map_points(self.store, f))
