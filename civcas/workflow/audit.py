"""The audit trail: every change is a revision (who, when, before, after, why).

Revisions are appended in the same transaction as the change they describe and are
hash-chained, so ``verify`` detects an edited, deleted or inserted revision and names it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from ..store import Store
from ..store import workflow as sw
from .roles import Actor


@contextmanager
def writing(store: Store) -> Iterator[Connection]:
    """A transaction for a change that will be recorded: writers are serialised, so the
    "before" a revision records and the chain's last link are always current."""
    with store.begin() as conn:
        sw.lock_for_write(conn)
        yield conn


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    entity: str,
    key: str | int,
    before: Any,
    after: Any,
    reason: str | None = None,
) -> dict[str, Any]:
    return sw.append_revision(
        conn,
        at=now(),
        actor=actor.name or "anonymous",
        action=action,
        entity=entity,
        entity_key=str(key),
        before=before,
        after=after,
        reason=reason,
    )


@dataclass
class ChainReport:
    revisions: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "revisions": self.revisions, "problems": self.problems}


def verify(store: Store) -> ChainReport:
    """Walk the chain in order; report each revision whose link or content is wrong."""
    rep = ChainReport()
    prev = sw.GENESIS
    expected_seq = 1
    with store.connect() as conn:
        for row in sw.iter_revisions(conn):
            rep.revisions += 1
            seq = int(row["seq"])
            if seq != expected_seq:
                rep.problems.append(
                    {"seq": expected_seq, "id": None, "problem": f"missing (next is {seq})"}
                )
            if row["prev_hash"] != prev:
                rep.problems.append(
                    {"seq": seq, "id": row["id"], "problem": "prev_hash does not match the chain"}
                )
            if sw.revision_hash(row["prev_hash"], row) != row["hash"]:
                rep.problems.append(
                    {"seq": seq, "id": row["id"], "problem": "content does not match its hash"}
                )
            prev = row["hash"]
            expected_seq = seq + 1
    return rep


def decode(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for k in ("before", "after"):
        out[k] = json.loads(row[k]) if row.get(k) else None
    return out


def log(
    store: Store,
    *,
    since: str | None = None,
    user: str | None = None,
    entity: str | None = None,
    key: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    with store.connect() as conn:
        rows = sw.list_revisions(
            conn, since=since, actor=user, entity=entity, entity_key=key, limit=limit
        )
    return [decode(r) for r in rows]
