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

import gc
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    cast,
    func,
    select,
)

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


def _plain(table: Table, names: list[str]) -> list[Any]:
    """The columns as plain SQL values, the same on every engine and with no conversion
    in Python: dates as their ISO text, booleans as 0/1."""
    out: list[Any] = []
    for n in names:
        c = table.c[n]
        if isinstance(c.type, Date | DateTime):
            out.append(cast(c, String).label(n))
        elif isinstance(c.type, Boolean):
            out.append(cast(c, Integer).label(n))
        else:
            out.append(c)
    return out


def _named(names: list[str], values: Iterable[Any]) -> dict[str, Any]:
    return {k: v for k, v in zip(names, values, strict=True) if v is not None and v != []}


def dumps(doc: Any) -> str:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _raw(conn: Connection, q: Any) -> list[tuple[Any, ...]]:
    """Rows of ``q`` as plain tuples, straight from the driver's cursor, inside the
    connection's transaction (the per-row cost of result objects is most of a verify
    otherwise). Only integer ids are ever inlined (literal binds)."""
    sql = str(q.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(sql)
        return list(cur.fetchall())
    finally:
        cur.close()


def _select_in(conn: Connection, q: Any, col: Any, ids: list[int] | range | None) -> Iterator[Any]:
    if isinstance(ids, range):  # a block of ids: one range scan of the index
        yield from _raw(conn, q.where(col.between(ids.start, ids.stop - 1)))
        return
    if ids is None:
        yield from _raw(conn, q)
        return
    # a few ids (one edit, one import batch): the statement with bound parameters, built
    # once and compiled once (literal binds would compile it again each time)
    qi = _IN.get(id(q))
    if qi is None:
        qi = _IN[id(q)] = q.where(col.in_(bindparam("ids", expanding=True)))
    for part in _chunks(ids):
        yield from (tuple(r) for r in conn.execute(qi, {"ids": part}).all())


#: statements built once (an edit hashes one incident: building ten selects of forty
#: columns each time cost more than running them)
_STMTS: dict[str, Any] = {}
_IN: dict[int, Any] = {}


def _child_select(name: str) -> Any:
    """incident_id, id (when the table has one), then the state's columns."""
    t = CHILDREN[name]
    key_cols = [t.c.incident_id, t.c.id] if "id" in t.c else [t.c.incident_id]
    return select(*key_cols, *_plain(t, CHILD_COLUMNS[name]))


def _memo(key: str, build: Callable[[], Any]) -> Any:
    q = _STMTS.get(key)
    if q is None:
        q = _STMTS[key] = build()
    return q


INTERVIEW_COLUMNS = _cols(sw.wf_interview, frozenset(("id",)))
#: incident columns added after the first version of the state (issue 20): in a state
#: only when set, as a last element {column: value}, so that a record leaving them empty
#: keeps the hash it had before they existed
LATE_INCIDENT_COLUMNS = ("strike_status", "fatalities_all")
INCIDENT_COLUMNS = _cols(incident, _SKIP_INCIDENT | frozenset(LATE_INCIDENT_COLUMNS))
CHILD_COLUMNS = {name: _cols(t, _SKIP_CHILD) for name, t in CHILDREN.items()}
#: what a child row carries after its columns: a source its evidence files' SHA-256, a
#: victim the codes of the interviews linked to it
CHILD_EXTRA = {"source": "evidence", "victim": "interviews"}


def expand(state: list[Any]) -> dict[str, Any]:
    """A state (the positional lists that are hashed) as a document with field names:
    what verify diffs, and what ``stored_state`` returns. Empty values are left out."""
    if state[1] == "interview":
        return {"v": state[0], "interview": _named(INTERVIEW_COLUMNS, state[2])}
    row, late = state[2][: len(INCIDENT_COLUMNS)], state[2][len(INCIDENT_COLUMNS) :]
    doc: dict[str, Any] = {"v": state[0], "incident": _named(INCIDENT_COLUMNS, row)}
    if late:
        doc["incident"].update(late[0])
    for i, name in enumerate(CHILDREN):
        names = CHILD_COLUMNS[name] + ([CHILD_EXTRA[name]] if name in CHILD_EXTRA else [])
        if state[3 + i]:
            doc[name] = [_named(names, r) for r in state[3 + i]]
    if state[3 + len(CHILDREN)]:
        doc["interviews"] = [list(x) for x in state[3 + len(CHILDREN)]]
    return doc


def state_text(state: list[Any]) -> str:
    """The canonical text of a state: JSON of positional lists (no keys, no sorting of
    keys: the cheapest canonical form; ``expand`` gives the named view)."""
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


# ---- interviews ---------------------------------------------------------------------


def interview_docs(
    conn: Connection, interview_ids: Iterable[int] | None = None
) -> dict[int, tuple[str, list[Any]]]:
    """{interview id: (code, state)}: the interview's row (every column but its id)."""
    t = sw.wf_interview
    ids = None if interview_ids is None else sorted(set(interview_ids))
    q = _memo("interview", lambda: select(t.c.id, t.c.code, *_plain(t, INTERVIEW_COLUMNS)))
    return {
        int(r[0]): (str(r[1]), [VERSION, "interview", r[2:]])
        for r in _select_in(conn, q, t.c.id, ids)
    }


def interview_hashes(
    conn: Connection, interview_ids: Iterable[int] | None = None
) -> dict[str, str]:
    """{interview code: state hash}."""
    return {
        code: digest(state_text(st)) for code, st in interview_docs(conn, interview_ids).values()
    }


# ---- incidents ----------------------------------------------------------------------


@contextmanager
def no_gc() -> Iterator[None]:
    """Hashing the record makes hundreds of thousands of small lists, none cyclic: the
    cyclic collector would walk them again and again (a third of the time) for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def state_docs(
    conn: Connection, incident_ids: Iterable[int] | None = None
) -> dict[int, tuple[str, list[Any]]]:
    with no_gc():
        return _state_docs(conn, incident_ids)


def _state_docs(
    conn: Connection, incident_ids: Iterable[int] | range | None = None
) -> dict[int, tuple[str, list[Any]]]:
    """{incident id: (code, state)}, set-based: one query per table (per chunk of 500
    ids when ``incident_ids`` is given). A state is
    ``[version, "incident", incident row, victims, sources, assessments, statements,
    aliases, interviews]``: rows as value lists in the column order of the table
    definitions (``INCIDENT_COLUMNS``, ``CHILD_COLUMNS``), each list sorted by its
    canonical text; interviews as [code, interview hash]."""
    ids: list[int] | range | None
    if incident_ids is None or isinstance(incident_ids, range):
        ids = incident_ids
    else:
        ids = sorted({int(i) for i in incident_ids})
    if ids is not None and not ids:
        return {}
    states: dict[int, list[Any]] = {}
    codes: dict[int, str] = {}
    n_children = len(CHILDREN)
    assert n_children == 5  # the literal below
    n_cols = 2 + len(INCIDENT_COLUMNS)
    q = _memo(
        "incident",
        lambda: select(
            incident.c.id,
            incident.c.code,
            *_plain(incident, INCIDENT_COLUMNS),
            *_plain(incident, list(LATE_INCIDENT_COLUMNS)),
        ),
    )
    for r in _select_in(conn, q, incident.c.id, ids):
        iid = r[0]
        late = {
            k: v for k, v in zip(LATE_INCIDENT_COLUMNS, r[n_cols:], strict=True) if v is not None
        }
        inc_row = (*r[2:n_cols], late) if late else r[2:n_cols]
        states[iid] = [VERSION, "incident", inc_row, [], [], [], [], [], []]
        codes[iid] = r[1]
    if not states:
        return {}
    # evidence attached to sources: {source id: [sha256, ...]}
    evidence: dict[int, list[str]] = defaultdict(list)
    ev = sw.wf_evidence
    eq = _memo(
        "evidence" if ids is None else "evidence_of",
        lambda: (
            select(ev.c.source_id, ev.c.sha256).where(ev.c.source_id.is_not(None))
            if ids is None
            else select(ev.c.source_id, ev.c.sha256).join(source, source.c.id == ev.c.source_id)
        ),
    )
    for sid, sha in _select_in(conn, eq, source.c.incident_id, ids):
        evidence[int(sid)].append(str(sha))
    # interviews linked to incidents and to victims
    link = sw.wf_interview_link
    by_incident: dict[int, list[int]] = defaultdict(list)
    by_victim: dict[int, list[int]] = defaultdict(list)
    lq = _memo("link", lambda: select(link.c.interview_id, link.c.incident_id, link.c.victim_id))
    if ids is None:
        link_rows: list[Any] = _raw(conn, lq)
    else:
        link_rows = list(_select_in(conn, lq, link.c.incident_id, ids))
        by_vic = _memo("link_victim", lambda: lq.join(victim, victim.c.id == link.c.victim_id))
        link_rows += list(_select_in(conn, by_vic, victim.c.incident_id, ids))
    for interview_id, inc_id, vic_id in link_rows:
        if inc_id is not None:
            by_incident[int(inc_id)].append(int(interview_id))
        if vic_id is not None:
            by_victim[int(vic_id)].append(int(interview_id))
    wanted = {i for v in by_incident.values() for i in v} | {
        i for v in by_victim.values() for i in v
    }
    iv = interview_docs(conn, wanted) if wanted else {}
    iv_hash = {k: (code, digest(state_text(st))) for k, (code, st) in iv.items()}
    for pos, (name, table) in enumerate(CHILDREN.items(), start=3):
        has_id = "id" in table.c
        q = _memo(name, partial(_child_select, name))
        extra = CHILD_EXTRA.get(name)
        for r in _select_in(conn, q, table.c.incident_id, ids):
            st = states.get(r[0])
            if st is None:
                continue
            if extra == "evidence":
                shas = evidence.get(r[1])
                row: Any = [*r[2:], sorted(shas) if shas else []]
            elif extra == "interviews":
                ivs = by_victim.get(r[1])
                row = [*r[2:], sorted(iv_hash[i][0] for i in ivs if i in iv_hash) if ivs else []]
            else:
                row = r[2:] if has_id else r[1:]
            st[pos].append(row)
    for st in states.values():
        for pos in range(3, 3 + n_children):
            if len(st[pos]) > 1:  # sorted by their canonical text (most have one)
                st[pos].sort(key=state_text)
    for iid, ivs in by_incident.items():
        if iid in states:
            states[iid][3 + n_children] = sorted([*iv_hash[i]] for i in ivs if i in iv_hash)
    return {iid: (codes[iid], st) for iid, st in states.items()}


#: incidents hashed per block when the whole record is (verify, baseline)
BLOCK = 20_000


def iter_state_hashes(conn: Connection) -> Iterator[tuple[int, str, str]]:
    """(incident id, code, state hash) of every incident, computed a block of ids at a
    time: memory stays flat and the states are dropped as soon as they are hashed."""
    lo, hi = conn.execute(select(func.min(incident.c.id), func.max(incident.c.id))).one()
    if lo is None:
        return
    for start in range(int(lo), int(hi) + 1, BLOCK):
        with no_gc():
            block = _state_docs(conn, range(start, min(start + BLOCK, int(hi) + 1)))
            out = [(iid, code, digest(state_text(st))) for iid, (code, st) in block.items()]
            del block
        yield from out


def state_hashes(conn: Connection, incident_ids: Iterable[int] | None = None) -> dict[int, str]:
    """{incident id: state hash}, many at once (set-based, for imports and verify)."""
    return {iid: digest(state_text(st)) for iid, (_, st) in state_docs(conn, incident_ids).items()}


def state_hash(conn: Connection, incident_id: int) -> str:
    """The state hash of one incident (KeyError when there is no such incident)."""
    return state_hashes(conn, [incident_id])[int(incident_id)]


def save_states(conn: Connection, kind: str, states: Iterable[list[Any]]) -> dict[str, str]:
    """Keep states by hash (already kept ones are skipped); {hash: text}."""
    texts = {}
    for st in states:
        text = state_text(st)
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
        m.update({code: digest(state_text(st)) for code, st in inc.values()})
        out["incident"] = m
    iv = interview_docs(conn, list(interview_ids)) if interview_ids else {}
    if iv:
        save_states(conn, "interview", (doc for _, doc in iv.values()))
        out["interview"] = {code: digest(state_text(st)) for code, st in iv.values()}
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
    if 0 < len(changed) <= KEEP_IMPORT_STATES:
        keep_states(conn, list(changed))


#: an import of at most this many incidents keeps their states (verify can then name the
#: field a later SQL change touched); a bigger one keeps none (the 1,000,000-incident
#: import's time budget): its records' changes are named by table only
KEEP_IMPORT_STATES = 100_000


def keep_states(conn: Connection, codes: list[str]) -> int:
    """Keep the current state of the incidents ``codes`` in ``history_state``, a block
    at a time; returns how many were read."""
    n = 0
    for k in range(0, len(codes), BLOCK):
        part = codes[k : k + BLOCK]
        ids: list[int] = []
        for c in _chunks(list(range(len(part)))):
            names = [part[i] for i in c]
            ids += [
                int(i)
                for i in conn.execute(
                    select(incident.c.id).where(incident.c.code.in_(names))
                ).scalars()
            ]
        with no_gc():
            docs = state_docs(conn, ids)
            save_states(conn, "incident", (st for _, st in docs.values()))
        n += len(docs)
    return n


# ---- what the chain says ------------------------------------------------------------


def stored_state(conn: Connection, h: str) -> dict[str, Any] | None:
    """The state kept under hash ``h`` (named: ``expand``), if it is there and hashes to
    ``h``."""
    text = conn.execute(
        select(history_state.c.state).where(history_state.c.hash == h)
    ).scalar_one_or_none()
    if text is None or digest(text) != h:
        return None
    try:
        return expand(json.loads(text))
    except (ValueError, IndexError, TypeError):
        return None


def last_revision(conn: Connection) -> tuple[int, str] | None:
    """(seq, hash) of the chain's last revision as the table holds it."""
    r = conn.execute(
        select(sw.wf_revision.c.seq, sw.wf_revision.c.hash)
        .order_by(sw.wf_revision.c.seq.desc())
        .limit(1)
    ).first()
    return (int(r[0]), str(r[1])) if r else None


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


def current_states(conn: Connection) -> dict[str, dict[str, tuple[str, int]]]:
    """{"incident": {code: (hash, id)}, "interview": {code: (hash, id)}} of the whole
    record as it is now (states are hashed a block at a time and dropped)."""
    out: dict[str, dict[str, tuple[str, int]]] = {"incident": {}, "interview": {}}
    for iid, code, h in iter_state_hashes(conn):
        out["incident"][code] = (h, iid)
    with no_gc():
        for ivid, (code, st) in interview_docs(conn).items():
            out["interview"][code] = (digest(state_text(st)), ivid)
    return out


def state_of(conn: Connection, kind: str, row_id: int) -> list[Any] | None:
    """The current state of one incident or interview (by id)."""
    docs = state_docs(conn, [row_id]) if kind == "incident" else interview_docs(conn, [row_id])
    got = docs.get(row_id)
    return got[1] if got else None


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
        todo = {c: hi for c, hi in recs.items() if known.get(c, (None, 0))[0] != hi[0]}
        if todo:
            ids = sorted(i for _, i in todo.values())
            for k in range(0, len(ids), BLOCK):
                part = ids[k : k + BLOCK]
                with no_gc():
                    docs = (
                        state_docs(conn, part) if kind == "incident" else interview_docs(conn, part)
                    )
                    save_states(conn, kind, (st for _, st in docs.values()))
            states[kind] = {c: hi[0] for c, hi in todo.items()}
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
