"""State hashes of the incidents an import inserts, from the rows it writes.

The import's revision in the chain holds the state hash (``civcas.store.history``) of
every incident it inserted. Reading a million fresh incidents back to hash them costs
more than a quarter of the import; the writer has every value in hand, so it builds the
same state here, with history's own column lists, canonical text and digest. Columns the
writer does not set are filled as the database fills them (``origin`` 'source', NULL).
If history's state ever has a column this cannot fill, :attr:`FreshStates.ok` is False
and the pipeline reads the rows back instead. tests/history/test_merge_states.py checks
that both give the same hashes (SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Table

from . import history as h
from .schema import incident, incident_alias, incident_belligerent, source, statement, victim

_MISSING = object()


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date | dt.datetime) else v


def _float(v: Any) -> Any:
    return None if v is None else float(v)


def _int(v: Any) -> Any:
    return None if v is None else int(v)


def _conv(table: Table, name: str) -> Callable[[Any], Any] | None:
    t = table.c[name].type
    if isinstance(t, Date | DateTime):
        return _iso
    if isinstance(t, Boolean):
        return _int
    if isinstance(t, Float):
        return _float
    return None


def _plan(
    table: Table, names: Sequence[str], have: Sequence[str]
) -> list[tuple[int, Any, Callable[[Any], Any] | None]] | None:
    """For each of ``names``: (position in ``have`` or -1, constant, converter); None
    when a column is neither written nor filled by the database with a known value."""
    out: list[tuple[int, Any, Callable[[Any], Any] | None]] = []
    for n in names:
        if n in have:
            out.append((have.index(n), None, _conv(table, n)))
            continue
        col = table.c[n]
        sd = col.server_default
        arg = getattr(sd, "arg", None)
        if isinstance(arg, str):
            out.append((-1, arg, None))
        elif col.nullable and col.default is None and sd is None:
            out.append((-1, None, None))
        else:
            return None
    return out


def _apply(
    plan: list[tuple[int, Any, Callable[[Any], Any] | None]], row: Sequence[Any]
) -> list[Any]:
    out = []
    for i, const, conv in plan:
        if i < 0:
            out.append(const)
        else:
            v = row[i]
            out.append(conv(v) if conv is not None and v is not None else v)
    return out


class FreshStates:
    """Hashes of freshly inserted incidents: ``add(full incident row, children)``."""

    def __init__(self, incident_cols: Sequence[str], child_cols: dict[str, Sequence[str]]):
        self.hashes: dict[str, str] = {}
        plans: dict[str, Any] = {
            "incident": _plan(incident, h.INCIDENT_COLUMNS, incident_cols),
            "late": _plan(incident, list(h.LATE_INCIDENT_COLUMNS), incident_cols),
        }
        # history's child order, and where each is in the writer's Children tuple
        tables = {
            "victim": (victim, 4),
            "source": (source, 3),
            "incident_belligerent": (incident_belligerent, 1),
            "statement": (statement, 2),
            "incident_alias": (incident_alias, 0),
        }
        self._children: list[tuple[int, Any, bool]] = []
        for name in h.CHILDREN:
            if name not in tables:
                plans[name] = None
                continue
            table, pos = tables[name]
            plans[name] = _plan(table, h.CHILD_COLUMNS[name], child_cols[name])
            self._children.append((pos, plans[name], name in h.CHILD_EXTRA))
        self.ok = (
            all(p is not None for p in plans.values())
            and list(h.CHILDREN) == list(tables)
            and h.VERSION == 1
        )
        self._inc = plans["incident"]
        self._late = plans["late"]
        self._late_names = list(h.LATE_INCIDENT_COLUMNS)

    def add(self, code: str, row: Sequence[Any], children: Sequence[Sequence[Any]]) -> None:
        inc: Any = _apply(self._inc, row)
        if self._late_names:
            late = {
                k: v
                for k, v in zip(self._late_names, _apply(self._late, row), strict=True)
                if v is not None
            }
            if late:
                inc = [*inc, late]
        state: list[Any] = [h.VERSION, "incident", inc]
        text = h.state_text
        for pos, plan, extra in self._children:
            rows = [_apply(plan, r) + [[]] if extra else _apply(plan, r) for r in children[pos]]
            if len(rows) > 1:
                rows.sort(key=text)
            state.append(rows)
        state.append([])  # linked interviews: none yet
        self.hashes[code] = h.digest(text(state))
