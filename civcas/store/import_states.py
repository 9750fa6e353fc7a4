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
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Table

from . import history as h
from .schema import incident, incident_alias, incident_belligerent, source, statement, victim


def _iso(v: Any) -> Any:
    return v if type(v) is str else v.isoformat() if isinstance(v, dt.date) else v


def _float(v: Any) -> Any:
    return float(v) if type(v) is int else v


def _int(v: Any) -> Any:
    return int(v) if type(v) is bool else v


def _conv(table: Table, name: str) -> Callable[[Any], Any] | None:
    t = table.c[name].type
    if isinstance(t, Date | DateTime):
        return _iso
    if isinstance(t, Boolean):
        return _int
    if isinstance(t, Float):
        return _float
    return None


class _Plan:
    """How to make history's value list of one table's row from the writer's tuple:
    one C-level itemgetter over the tuple and the constants, then the few conversions
    (a date object's ISO text, a boolean's 0/1, an integer in a float column)."""

    def __init__(
        self,
        get: Callable[[Sequence[Any]], Any],
        consts: tuple[Any, ...],
        fix: list[tuple[int, Callable[[Any], Any]]],
        single: bool,
    ):
        self.get, self.consts, self.fix, self.single = get, consts, fix, single

    def __call__(self, row: Sequence[Any]) -> list[Any]:
        vals = self.get((*row, *self.consts)) if self.consts else self.get(row)
        out = [vals] if self.single else list(vals)
        for i, conv in self.fix:
            v = out[i]
            if v is not None:
                out[i] = conv(v)
        return out


def _plan(table: Table, names: Sequence[str], have: Sequence[str]) -> _Plan | None:
    """None when a column is neither written nor filled by the database with a value
    known here (its server default text, or NULL)."""
    positions: list[int] = []
    consts: list[Any] = []
    fix: list[tuple[int, Callable[[Any], Any]]] = []
    for k, n in enumerate(names):
        if n in have:
            positions.append(have.index(n))
            conv = _conv(table, n)
            if conv is not None:
                fix.append((k, conv))
            continue
        col = table.c[n]
        arg = getattr(col.server_default, "arg", None)
        if isinstance(arg, str):
            consts.append(arg)
        elif col.nullable and col.default is None and col.server_default is None:
            consts.append(None)
        else:
            return None
        positions.append(len(have) + len(consts) - 1)
    if not positions:
        return _Plan(lambda r: (), (), [], False)
    return _Plan(itemgetter(*positions), tuple(consts), fix, len(positions) == 1)


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
        self._children: list[tuple[int, _Plan, bool]] = []
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

    def state_hash(self, row: Sequence[Any], children: Sequence[Sequence[Any]]) -> str:
        """The state hash of a new incident from its INCIDENT_COLS row and children."""
        inc: Any = self._inc(row)
        if self._late_names:
            late = {
                k: v
                for k, v in zip(self._late_names, self._late(row), strict=True)
                if v is not None
            }
            if late:
                inc = [*inc, late]
        state: list[Any] = [h.VERSION, "incident", inc]
        text = h.state_text
        for pos, plan, extra in self._children:
            kids = children[pos]
            if not kids:
                state.append([])
                continue
            rows = [[*plan(r), []] for r in kids] if extra else [plan(r) for r in kids]
            if len(rows) > 1:
                rows.sort(key=text)
            state.append(rows)
        state.append([])  # linked interviews: none yet
        return h.digest(text(state))

    def add(self, code: str, row: Sequence[Any], children: Sequence[Sequence[Any]]) -> None:
        self.hashes[code] = self.state_hash(row, children)
