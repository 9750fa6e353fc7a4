"""State hashes of the record and the chain's knowledge of them (issue 16, integrity).

The **state** of an incident is a canonical JSON document: its row's record fields, with
its victims, sources (and the SHA-256 of the evidence attached to each), belligerent
assessments, statements, aliases and linked interviews (code and interview hash), each
list sorted by its own canonical text. The **state hash** is the SHA-256 of that text.
An interview has a state of its own (its row), so a witness field changed by SQL changes
the interview's hash and with it the hash of every incident it is linked to.

Bookkeeping is left out: ids, ``version``, ``updated_at``, ``content_hash``, ``raw_id``,
``import_id``, ``row_digest`` (they change without the record changing, or are derived).
Every other column is in, so a column a later migration adds is covered as soon as it
exists. Values that are NULL are left out of the document, so adding a nullable column
does not change the hash of the records that leave it empty.

The chain (``wf_revision``) holds, in the ``states`` column of each revision that changed
the record, ``{"incident": {code: hash or null}, "interview": {code: hash or null}}``
(null: deleted). ``history_state`` keeps each state document by its hash: verify diffs a
record's current state against the document the chain's hash names, to say which table
and field changed. That table is as editable as any other, so it only *names* the
change; the hash in the chain is what proves it (a document that does not hash to its key
is not used).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Column, Connection, Integer, String, Table, Text, select

from . import workflow as sw
from .schema import (
    import_batch,
    incident,
    incident_alias,
    incident_belligerent,
    metadata,
    source,
    statement,
    victim,
)

VERSION = 1

#: snapshots of states, by hash: names the changed field when a record no longer matches
history_state = Table(
    "history_state",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("kind", String(20), nullable=False),  # incident | interview
    Column("state", Text, nullable=False),
)

#: the chain's head as civcas last wrote it (one row): a deleted tail shows against it
history_head = Table(
    "history_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

#: signed checkpoints this installation made (the latest goes into reports and downloads)
history_checkpoint = Table(
    "history_checkpoint",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("created_at", String(32), nullable=False),
    Column("doc", Text, nullable=False),
)

HISTORY_TABLES = (history_state, history_head, history_checkpoint)

_SKIP_INCIDENT = frozenset(
    ("id", "version", "updated_at", "content_hash", "raw_id", "import_id", "row_digest")
)
_SKIP_CHILD = frozenset(("id", "incident_id"))

#: the child tables of an incident, by the name they have in the state document
CHILDREN: dict[str, Table] = {
    "victim": victim,
    "source": source,
    "incident_belligerent": incident_belligerent,
    "statement": statement,
    "incident_alias": incident_alias,
}

_CHUNK = 500


def _cols(table: Table, skip: frozenset[str]) -> list[str]:
    return [c.name for c in table.columns if c.name not in skip]


def _row(names: list[str], values: Iterable[Any]) -> dict[str, Any]:
    return {k: v for k, v in zip(names, values, strict=True) if v is not None}


def dumps(doc: Any) -> str:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _select_in(conn: Connection, q: Any, col: Any, ids: list[int] | None) -> Iterator[Any]:
    if ids is None:
        yield from conn.execute(q)
        return
    for part in _chunks(ids):
        yield from conn.execute(q.where(col.in_(part)))


# ---- interviews ---------------------------------------------------------------------


def interview_docs(
    conn: Connection, interview_ids: Iterable[int] | None = None
) -> dict[int, tuple[str, dict[str, Any]]]:
    """{interview id: (code, state document)}."""
    t = sw.wf_interview
    names = _cols(t, frozenset(("id",)))
    ids = None if interview_ids is None else sorted(set(interview_ids))
    q = select(t.c.id, *(t.c[n] for n in names))
    out: dict[int, tuple[str, dict[str, Any]]] = {}
    for r in _select_in(conn, q, t.c.id, ids):
        row = _row(names, r[1:])
        out[int(r[0])] = (str(row["code"]), {"v": VERSION, "interview": row})
    return out


def interview_hashes(
    conn: Connection, interview_ids: Iterable[int] | None = None
) -> dict[str, str]:
    """{interview code: state hash}."""
    return {code: digest(dumps(doc)) for code, doc in interview_docs(conn, interview_ids).values()}


# ---- incidents ----------------------------------------------------------------------


def state_docs(
    conn: Connection, incident_ids: Iterable[int] | None = None
) -> dict[int, tuple[str, dict[str, Any]]]:
    """{incident id: (code, state document)}, set-based: one query per table (per chunk
    of 500 ids when ``incident_ids`` is given)."""
    ids = None if incident_ids is None else sorted({int(i) for i in incident_ids})
    if ids is not None and not ids:
        return {}
    names = _cols(incident, _SKIP_INCIDENT)
    docs: dict[int, dict[str, Any]] = {}
    codes: dict[int, str] = {}
    q = select(incident.c.id, *(incident.c[n] for n in names))
    for r in _select_in(conn, q, incident.c.id, ids):
        iid = int(r[0])
        row = _row(names, r[1:])
        docs[iid] = {"v": VERSION, "incident": row}
        codes[iid] = str(row["code"])
    if not docs:
        return {}
    # evidence attached to sources: {source id: [sha256, ...]}
    evidence: dict[int, list[str]] = defaultdict(list)
    ev = sw.wf_evidence
    eq = select(ev.c.source_id, ev.c.sha256).where(ev.c.source_id.is_not(None))
    if ids is None:
        for sid, sha in conn.execute(eq):
            evidence[int(sid)].append(str(sha))
    else:
        eq = eq.join(source, source.c.id == ev.c.source_id)
        for sid, sha in _select_in(conn, eq, source.c.incident_id, ids):
            evidence[int(sid)].append(str(sha))
    # interviews linked to incidents and to victims
    link = sw.wf_interview_link
    by_incident: dict[int, list[int]] = defaultdict(list)
    by_victim: dict[int, list[int]] = defaultdict(list)
    lq = select(link.c.interview_id, link.c.incident_id, link.c.victim_id)
    if ids is None:
        link_rows: Iterable[Any] = conn.execute(lq)
    else:
        vids = select(victim.c.id).where(victim.c.incident_id.in_(ids))
        link_rows = list(_select_in(conn, lq, link.c.incident_id, ids))
        link_rows += list(conn.execute(lq.where(link.c.victim_id.in_(vids))))
    for interview_id, inc_id, vic_id in link_rows:
        if inc_id is not None:
            by_incident[int(inc_id)].append(int(interview_id))
        if vic_id is not None:
            by_victim[int(vic_id)].append(int(interview_id))
    wanted = {i for v in by_incident.values() for i in v} | {
        i for v in by_victim.values() for i in v
    }
    iv = interview_docs(conn, wanted) if wanted else {}
    iv_hash = {k: (code, digest(dumps(doc))) for k, (code, doc) in iv.items()}
    for name, table in CHILDREN.items():
        cnames = _cols(table, _SKIP_CHILD)
        has_id = "id" in table.c
        key_cols = [table.c.incident_id, table.c.id] if has_id else [table.c.incident_id]
        q = select(*key_cols, *(table.c[n] for n in cnames))
        rows: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for r in _select_in(conn, q, table.c.incident_id, ids):
            iid = int(r[0])
            if iid not in docs:
                continue
            d = _row(cnames, r[2:] if has_id else r[1:])
            if has_id:
                cid = int(r[1])
                if name == "source" and cid in evidence:
                    d["evidence"] = sorted(evidence[cid])
                if name == "victim" and cid in by_victim:
                    d["interviews"] = sorted(iv_hash[i][0] for i in by_victim[cid] if i in iv_hash)
            rows[iid].append((dumps(d), d))
        for iid, pairs in rows.items():
            pairs.sort(key=lambda p: p[0])
            docs[iid][name] = [d for _, d in pairs]
    for iid, ivs in by_incident.items():
        if iid in docs:
            docs[iid]["interviews"] = sorted([*iv_hash[i]] for i in ivs if i in iv_hash)
    return {iid: (codes[iid], doc) for iid, doc in docs.items()}


def state_hashes(conn: Connection, incident_ids: Iterable[int] | None = None) -> dict[int, str]:
    """{incident id: state hash}, many at once (set-based, for imports and verify)."""
    return {iid: digest(dumps(doc)) for iid, (_, doc) in state_docs(conn, incident_ids).items()}


def state_hash(conn: Connection, incident_id: int) -> str:
    """The state hash of one incident (KeyError when there is no such incident)."""
    return state_hashes(conn, [incident_id])[int(incident_id)]


def save_states(conn: Connection, kind: str, docs: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Keep state documents by hash (already kept ones are skipped); {hash: text}."""
    texts = {}
    for doc in docs:
        text = dumps(doc)
        texts[digest(text)] = text
    if not texts:
        return texts
    have: set[str] = set()
    keys = sorted(texts)
    for i in range(0, len(keys), _CHUNK):
        part = keys[i : i + _CHUNK]
        have |= set(
            conn.execute(select(history_state.c.hash).where(history_state.c.hash.in_(part)))
            .scalars()
            .all()
        )
    new = [{"hash": h, "kind": kind, "state": texts[h]} for h in keys if h not in have]
    if new:
        conn.execute(history_state.insert(), new)
    return texts


def record_states(
    conn: Connection,
    incident_ids: Iterable[int] = (),
    interview_ids: Iterable[int] = (),
    *,
    deleted_incidents: Iterable[str] = (),
) -> dict[str, dict[str, str | None]]:
    """Hash the given incidents and interviews as they are now, keep their documents in
    ``history_state``, and return the ``states`` a revision carries:
    ``{"incident": {code: hash}, "interview": {code: hash}}`` (null for deleted)."""
    out: dict[str, dict[str, str | None]] = {}
    inc = state_docs(conn, list(incident_ids))
    if inc or deleted_incidents:
        save_states(conn, "incident", (doc for _, doc in inc.values()))
        m: dict[str, str | None] = {c: None for c in deleted_incidents}
        m.update({code: digest(dumps(doc)) for code, doc in inc.values()})
        out["incident"] = m
    iv = interview_docs(conn, list(interview_ids)) if interview_ids else {}
    if iv:
        save_states(conn, "interview", (doc for _, doc in iv.values()))
        out["interview"] = {code: digest(dumps(doc)) for code, doc in iv.values()}
    return out


def append_import_revision(
    conn: Connection, import_id: int, actor: str, changed: dict[str, str]
) -> None:
    """One revision for a whole import batch, inside the import's transaction: action
    'import', entity 'import_batch', key import_id; ``after`` names the file (name and
    SHA-256) and the number of incidents; the revision's ``states`` column holds
    ``{"incident": changed}`` (code -> state hash of each incident the batch inserted or
    changed). Before and after values stay in the batch's stored rows (``raw_record``)."""
    import datetime as dt

    b = conn.execute(
        select(
            import_batch.c.file_name, import_batch.c.file_sha256, import_batch.c.source_kind
        ).where(import_batch.c.id == import_id)
    ).first()
    sw.append_revision(
        conn,
        at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor=actor,
        action="import",
        entity="import_batch",
        entity_key=str(import_id),
        before=None,
        after={
            "file_name": b[0] if b else None,
            "file_sha256": b[1] if b else None,
            "source_kind": b[2] if b else None,
            "changed": len(changed),
        },
        reason=None,
        states={"incident": dict(changed)} if changed else None,
    )


# ---- what the chain says ------------------------------------------------------------


def stored_state(conn: Connection, h: str) -> dict[str, Any] | None:
    """The state document kept under hash ``h``, if it is there and hashes to ``h``."""
    text = conn.execute(
        select(history_state.c.state).where(history_state.c.hash == h)
    ).scalar_one_or_none()
    if text is None or digest(text) != h:
        return None
    doc: dict[str, Any] = json.loads(text)
    return doc


def head(conn: Connection) -> tuple[int, str] | None:
    r = conn.execute(select(history_head.c.seq, history_head.c.hash)).first()
    return (int(r[0]), str(r[1])) if r else None


# ---- walking the chain --------------------------------------------------------------


class ChainWalk:
    """What the chain says: its problems (links, hashes, gaps, a missing tail) and the
    last state hash it holds for each incident and interview, with the revision's seq."""

    def __init__(self) -> None:
        self.revisions = 0
        self.last_seq = 0
        self.last_hash = sw.GENESIS
        self.problems: list[dict[str, Any]] = []
        self.states: dict[str, dict[str, tuple[str | None, int]]] = {
            "incident": {},
            "interview": {},
        }
        self.any_states = False

    def problem(self, seq: int | None, rid: Any, field: str, text: str) -> None:
        self.problems.append(
            {
                "code": None if seq is None else str(seq),
                "table": "wf_revision",
                "field": field,
                "problem": text,
                "seq": seq,
                "id": rid,
            }
        )


def walk_chain(conn: Connection) -> ChainWalk:
    w = ChainWalk()
    prev = sw.GENESIS
    expected = 1
    for row in sw.iter_revisions(conn):
        w.revisions += 1
        seq = int(row["seq"])
        if seq != expected:
            w.problem(expected, None, "seq", f"revisions {expected}..{seq - 1} are missing")
        if row["prev_hash"] != prev:
            w.problem(seq, row["id"], "prev_hash", "prev_hash does not match the chain")
        if sw.revision_hash(row["prev_hash"], row) != row["hash"]:
            w.problem(seq, row["id"], "hash", "content does not match its hash")
        if row.get("states"):
            w.any_states = True
            try:
                states = json.loads(row["states"])
                for kind, m in states.items():
                    for code, h in m.items():
                        w.states.setdefault(kind, {})[str(code)] = (h, seq)
            except (ValueError, AttributeError, TypeError):
                w.problem(seq, row["id"], "states", "its states are not readable")
        prev = row["hash"]
        expected = seq + 1
        w.last_seq, w.last_hash = seq, str(row["hash"])
    h = head(conn)
    if h is not None and h[0] > w.last_seq:
        w.problem(
            h[0],
            None,
            "seq",
            f"missing tail: the chain ends at revision {w.last_seq}, civcas last wrote"
            f" revision {h[0]}",
        )
    elif h is not None and h[0] == w.last_seq and h[1] != w.last_hash:
        w.problem(h[0], None, "hash", "the chain's last revision is not the one civcas wrote")
    elif h is None and w.any_states:
        w.problem(None, None, "seq", "the chain's head (history_head) is missing")
    return w


def current_states(conn: Connection) -> dict[str, dict[str, tuple[str, dict[str, Any]]]]:
    """{"incident": {code: (hash, doc)}, "interview": {code: (hash, doc)}} of the whole
    record as it is now."""
    out: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {"incident": {}, "interview": {}}
    for code, doc in state_docs(conn).values():
        out["incident"][code] = (digest(dumps(doc)), doc)
    for code, doc in interview_docs(conn).values():
        out["interview"][code] = (digest(dumps(doc)), doc)
    return out


def baseline(conn: Connection, actor: str, reason: str) -> int:
    """One revision holding the state of every incident and interview the chain does not
    know as it is (records from before the chain held states); their documents are kept.
    Returns how many records it took in (0: nothing to do, no revision)."""
    import datetime as dt

    sw.lock_for_write(conn)
    w = walk_chain(conn)
    now = current_states(conn)
    states: dict[str, dict[str, str | None]] = {}
    for kind, recs in now.items():
        known = w.states.get(kind, {})
        todo = {c: hd for c, hd in recs.items() if known.get(c, (None, 0))[0] != hd[0]}
        if todo:
            save_states(conn, kind, (doc for _, doc in todo.values()))
            states[kind] = {c: hd[0] for c, hd in todo.items()}
    n = sum(len(m) for m in states.values())
    if n:
        sw.append_revision(
            conn,
            at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            actor=actor,
            action="baseline",
            entity="record",
            entity_key="*",
            before=None,
            after={k: len(v) for k, v in states.items()},
            reason=reason,
            states=states,
        )
    return n
