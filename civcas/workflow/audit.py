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

from ..store import Store, history
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
    *,
    states: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Append a revision. It carries the new state hash of the record(s) it changed
    (``states``; when not given: the incident ``key`` for entity "incident", the
    interview and its incidents for "interview", the source's incident for "evidence"),
    computed here, after the change, in its transaction."""
    if states is None:
        states = _states_of(conn, entity, str(key), after)
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
        states=states or None,
    )


def _states_of(conn: Connection, entity: str, key: str, after: Any) -> dict[str, Any]:
    from sqlalchemy import select

    from ..store.schema import incident, source, victim

    if entity == "incident":
        iid = conn.execute(select(incident.c.id).where(incident.c.code == key)).scalar()
        if iid is None:
            return history.record_states(conn, deleted_incidents=[key])
        return history.record_states(conn, [int(iid)])
    if entity == "interview":
        ivt, link = sw.wf_interview, sw.wf_interview_link
        ivid = conn.execute(select(ivt.c.id).where(ivt.c.code == key)).scalar()
        if ivid is None:
            return {"interview": {key: None}}
        incs = set(
            conn.execute(
                select(link.c.incident_id).where(
                    link.c.interview_id == ivid, link.c.incident_id.is_not(None)
                )
            ).scalars()
        )
        incs |= set(
            conn.execute(
                select(victim.c.incident_id)
                .join(link, link.c.victim_id == victim.c.id)
                .where(link.c.interview_id == ivid)
            ).scalars()
        )
        return history.record_states(conn, sorted(incs), [int(ivid)])
    if entity == "evidence" and isinstance(after, dict) and after.get("source_id") is not None:
        iid = conn.execute(
            select(source.c.incident_id).where(source.c.id == after["source_id"])
        ).scalar()
        return history.record_states(conn, [int(iid)]) if iid is not None else {}
    return {}


@dataclass
class ChainReport:
    revisions: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    records: int = 0
    head: dict[str, Any] | None = None
    checkpoint: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": self.ok,
            "revisions": self.revisions,
            "records": self.records,
            "head": self.head,
            "problems": self.problems,
        }
        if self.checkpoint is not None:
            out["checkpoint"] = self.checkpoint
        return out


def _show(v: Any) -> str:
    return "empty" if v is None else repr(v)


def _row_key(d: dict[str, Any]) -> str:
    return history.dumps(d)


def _pair_score(a: dict[str, Any], b: dict[str, Any]) -> int:
    return sum(1 for k in set(a) | set(b) if a.get(k) == b.get(k))


def diff_states(
    old: dict[str, Any], new: dict[str, Any], *, values: bool = True
) -> list[tuple[str, str, str]]:
    """(table, field, what) for each difference between two state documents."""
    out: list[tuple[str, str, str]] = []
    for top in ("incident", "interview"):
        if top in old or top in new:
            o, n = old.get(top) or {}, new.get(top) or {}
            table = "incident" if top == "incident" else "wf_interview"
            for f in sorted(set(o) | set(n)):
                if o.get(f) != n.get(f):
                    what = (
                        f"{_show(o.get(f))} in the chain, {_show(n.get(f))} now"
                        if values and top == "incident"
                        else "differs from the chain"
                    )
                    out.append((table, f, what))
    for name in history.CHILDREN:
        o_rows = list(old.get(name) or [])
        n_rows = list(new.get(name) or [])
        n_keys = [_row_key(r) for r in n_rows]
        gone: list[dict[str, Any]] = []
        for r in o_rows:
            k = _row_key(r)
            if k in n_keys:
                i = n_keys.index(k)
                n_keys.pop(i)
                n_rows.pop(i)
            else:
                gone.append(r)
        for r in gone:
            if n_rows:  # pair with the most similar new row: a changed row
                best = max(range(len(n_rows)), key=lambda i: _pair_score(r, n_rows[i]))
                m = n_rows.pop(best)
                for f in sorted(set(r) | set(m)):
                    if r.get(f) != m.get(f):
                        out.append((name, f, "differs from the chain"))
            else:
                out.append((name, "*", "a row is missing (deleted outside civcas)"))
        for _ in n_rows:
            out.append((name, "*", "a row the chain does not hold (added outside civcas)"))
    o_iv = {c: h for c, h in old.get("interviews") or []}
    n_iv = {c: h for c, h in new.get("interviews") or []}
    for c in sorted(set(o_iv) | set(n_iv)):
        if c not in n_iv:
            out.append(("wf_interview_link", "interview_id", f"the link to interview {c} is gone"))
        elif c not in o_iv:
            out.append(("wf_interview_link", "interview_id", f"a link to interview {c} appeared"))
        elif o_iv[c] != n_iv[c]:
            out.append(("wf_interview", "*", f"the linked interview {c} differs from the chain"))
    return out


def verify(store: Store, *, checkpoint: dict[str, Any] | None = None) -> ChainReport:
    """Walk the chain (links, hashes, gaps, a missing tail), then recompute the state of
    every incident and interview and compare it with the last hash the chain holds for
    it; a mismatch is diffed against the kept state document to name table and field.
    With ``checkpoint``: also prove that the chain extends it.

    The first pass reads without blocking anyone; a change committed while it read could
    make a record look newer than the chain, so when it finds problems the check is run
    again holding the writers' lock (a consistent view), and that result is reported."""
    with store.connect() as conn:
        rep = _verify_pass(conn, store, checkpoint)
    if rep.ok:
        return rep
    from sqlalchemy.exc import OperationalError

    try:
        with writing(store) as conn:
            return _verify_pass(conn, store, checkpoint)
    except OperationalError:  # a database we may not write to (a read-only copy)
        return rep


def _verify_pass(conn: Connection, store: Store, checkpoint: dict[str, Any] | None) -> ChainReport:
    rep = ChainReport()
    w = history.walk_chain(conn)
    rep.revisions = w.revisions
    rep.problems += w.problems
    rep.head = {"seq": w.last_seq, "hash": w.last_hash}
    now_states = history.current_states(conn)
    for kind, recs in now_states.items():
        table = "incident" if kind == "incident" else "wf_interview"
        known = w.states.get(kind, {})
        rep.records += len(recs)
        for code in sorted(recs):
            h, row_id = recs[code]
            if code not in known:
                rep.problems.append(
                    _rec(
                        code,
                        table,
                        "*",
                        "not in the chain (added outside civcas, or"
                        " before the chain held states: see civcas audit baseline)",
                        None,
                    )
                )
                continue
            want, seq = known[code]
            if want is None:
                rep.problems.append(
                    _rec(
                        code,
                        table,
                        "*",
                        f"deleted in the chain (revision {seq}) but present",
                        seq,
                    )
                )
            elif want != h:
                old = history.stored_state(conn, want)
                now_state = history.state_of(conn, kind, row_id)
                if old is None or now_state is None:
                    rep.problems.append(
                        _rec(
                            code,
                            table,
                            "*",
                            f"differs from the chain (revision {seq});"
                            " no kept state to name the field",
                            seq,
                        )
                    )
                    continue
                now_doc = history.expand(json.loads(history.state_text(now_state)))
                diffs = diff_states(old, now_doc) or [(table, "*", "differs from the chain")]
                for t, f, what in diffs:
                    rep.problems.append(_rec(code, t, f, f"{what} (revision {seq})", seq))
        for code in sorted(set(known) - set(recs)):
            want, seq = known[code]
            if want is not None:
                rep.problems.append(
                    _rec(
                        code,
                        table,
                        "*",
                        "missing: deleted outside civcas (the chain's"
                        f" revision {seq} holds its state)",
                        seq,
                    )
                )
    if checkpoint is not None:
        rep.checkpoint = check_checkpoint(conn, store, checkpoint, rep)
    return rep


def _rec(code: str, table: str, fld: str, text: str, seq: int | None) -> dict[str, Any]:
    return {"code": code, "table": table, "field": fld, "problem": text, "seq": seq}


def baseline(store: Store, actor: Actor, reason: str) -> int:
    """Take the record as it is now into the chain (records the chain holds no state
    for, or a different one): one revision. Admins only; the reason is required."""
    from ..model.errors import InputError
    from .roles import require

    require(actor, "manage_users")
    if not (reason or "").strip():
        raise InputError("a reason is required for a baseline")
    with writing(store) as conn:
        return history.baseline(conn, actor.name or "anonymous", reason)


# ---- signed checkpoints -------------------------------------------------------------

CHECKPOINT_FORMAT = "civcas-checkpoint/1"


def make_checkpoint(store: Store) -> dict[str, Any]:
    """Sign {seq, head, snapshot, time} with the installation key; keep it in the
    database (the latest goes into reports and downloads) and return it."""
    from ..model.filters import IncidentFilter
    from ..store.queries import snapshot_hash
    from . import keys

    key = keys.installation_key(store)
    with store.connect() as conn:
        w = history.walk_chain(conn)
    doc: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "seq": w.last_seq,
        "head": w.last_hash,
        "snapshot": snapshot_hash(store, IncidentFilter()),
        "time": now(),
        "public_key": keys.public_b64(key),
    }
    doc["signature"] = keys.sign(key, keys.canonical(doc))
    with store.begin() as conn:
        conn.execute(
            history.history_checkpoint.delete().where(
                history.history_checkpoint.c.seq == w.last_seq
            )
        )
        conn.execute(
            history.history_checkpoint.insert().values(
                seq=w.last_seq, created_at=doc["time"], doc=json.dumps(doc)
            )
        )
    return doc


def latest_checkpoint(store: Store) -> dict[str, Any] | None:
    """The latest checkpoint this installation made (None when it made none)."""
    from sqlalchemy import select

    t = history.history_checkpoint
    try:
        with store.connect() as conn:
            text = conn.execute(select(t.c.doc).order_by(t.c.seq.desc()).limit(1)).scalar()
    except Exception:  # noqa: BLE001 - a database from before 0009 has no such table
        return None
    return json.loads(text) if text else None


def checkpoint_signed(doc: dict[str, Any]) -> bool:
    from . import keys

    body = {k: v for k, v in doc.items() if k != "signature"}
    return isinstance(doc.get("signature"), str) and keys.verify_signature(
        str(doc.get("public_key") or ""), keys.canonical(body), doc["signature"]
    )


def check_checkpoint(
    conn: Connection, store: Store, doc: dict[str, Any], rep: ChainReport
) -> dict[str, Any]:
    """Does the chain extend the checkpoint? Its signature must hold and the chain's
    revision ``seq`` must have the hash ``head`` (a rewritten history has another, a
    truncated one has none)."""
    from sqlalchemy import select

    from . import keys

    out: dict[str, Any] = {"seq": doc.get("seq"), "head": doc.get("head")}

    def bad(text: str) -> None:
        rep.problems.append(
            {
                "code": str(doc.get("seq")),
                "table": "wf_revision",
                "field": "checkpoint",
                "problem": text,
                "seq": doc.get("seq"),
            }
        )

    if doc.get("format") != CHECKPOINT_FORMAT:
        bad(f"not a civcas checkpoint (format {doc.get('format')!r})")
        return out
    if not checkpoint_signed(doc):
        bad("the checkpoint's signature does not hold (it was altered or not signed)")
        return out
    pub = str(doc["public_key"])
    try:
        mine = keys.public_b64(keys.load_private(keys.key_path(store), create=False))
    except Exception:  # noqa: BLE001 - no key here: the checkpoint names its own key
        mine = None
    out["key"] = keys.fingerprint(pub)
    out["this_installation"] = pub == mine
    seq = doc.get("seq")
    if not isinstance(seq, int) or seq < 0:
        bad("the checkpoint's seq is not a number")
        return out
    if seq == 0:
        out["extends"] = True
        return out
    got = conn.execute(select(sw.wf_revision.c.hash).where(sw.wf_revision.c.seq == seq)).scalar()
    if got is None:
        bad(f"the chain has no revision {seq}: history after the checkpoint's was cut")
        out["extends"] = False
    elif got != doc.get("head"):
        bad(f"revision {seq} is not the one the checkpoint signed: the history was rewritten")
        out["extends"] = False
    else:
        out["extends"] = True
    return out


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
