"""Tables of the research workflow (accounts, sessions, revisions, evidence, interviews,
submissions) and the SQL of all but the accounts' (``store.accounts``).

Everything here runs on a connection the caller got from ``Store.begin()`` so that a
change and its audit revision commit together or not at all. The revision table is
append-only and hash-chained: each row's ``hash`` covers its content and the previous
row's hash; ``prev_hash`` is unique, so two writers can never both extend one link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from .engine import Store
from .schema import incident, metadata

GENESIS = "0" * 64

wf_user = Table(
    "wf_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
)

wf_api_token = Table(
    "wf_api_token",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("wf_user.id"), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("label", Text),
    Column("created_at", String(32), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("last_used_at", String(32), nullable=True),
)

wf_session = Table(
    "wf_session",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("wf_user.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires_at", String(32), nullable=False),
)

# Login attempts per throttle key (the SHA-256 of "pair|name|client", "client|..." or
# "name|..."): one row per key, counted with one atomic upsert (migration 0007; it
# replaced 0005's wf_login_failure, which was read, then written: a race).
wf_login_attempt = Table(
    "wf_login_attempt",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("n", Integer, nullable=False),
    Column("window_start", String(32), nullable=False),
)
Index("ix_wf_login_attempt_window", wf_login_attempt.c.window_start)

# client addresses (SHA-256) a user has logged in from: exempt from the per-name ceiling
wf_login_known = Table(
    "wf_login_known",
    metadata,
    Column("user_id", Integer, ForeignKey("wf_user.id", ondelete="CASCADE"), primary_key=True),
    Column("client", String(64), primary_key=True),
    Column("last_ok", String(32), nullable=False),
)

wf_revision = Table(
    "wf_revision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_key", String(200), nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("reason", Text),
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
    # issue 16: the state hashes this revision made, {"incident": {code: hash}, ...}
    # (store.history); covered by the revision's hash when present (0009_integrity)
    Column("states", Text, nullable=True),
)
Index("ix_wf_revision_entity", wf_revision.c.entity, wf_revision.c.entity_key)
Index("ix_wf_revision_actor", wf_revision.c.actor, wf_revision.c.entity)  # "mine" (0012)

wf_evidence = Table(
    "wf_evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("source_id", Integer, ForeignKey("source.id", ondelete="SET NULL"), nullable=True),
    Column("kind", String(20), nullable=False, default="file"),
    Column("original_name", Text),
    Column("url", Text),
    Column("size", Integer, nullable=False),
    Column("added_at", String(32), nullable=False),
    Column("added_by", String(100), nullable=False),
)
Index("ix_wf_evidence_sha", wf_evidence.c.sha256)

wf_interview = Table(
    "wf_interview",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),  # interview | site_visit
    Column("date", String(10)),
    Column("place", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("interviewer", Text),
    Column("witness_name", Text),
    Column("witness_contact", Text),
    Column("witness_latitude", Float),
    Column("witness_longitude", Float),
    Column("consent", String(20), nullable=False, default="unknown"),
    Column("notes", Text),
    Column("created_by", String(100), nullable=False),
    Column("created_at", String(32), nullable=False),
)

wf_interview_link = Table(
    "wf_interview_link",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "interview_id", Integer, ForeignKey("wf_interview.id", ondelete="CASCADE"), nullable=False
    ),
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), nullable=True),
    Column("victim_id", Integer, ForeignKey("victim.id", ondelete="SET NULL"), nullable=True),
)

wf_submission = Table(
    "wf_submission",
    metadata,
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True),
    Column("submitted_by", Integer, ForeignKey("wf_user.id"), nullable=False),
    Column("review_state", String(20), nullable=False, default="draft"),
)

# Who works on an incident (issue 24, migration 0012): one researcher at most. Apart from
# ``incident`` so that handing work over changes neither its version nor its state hash.
wf_assignment = Table(
    "wf_assignment",
    metadata,
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("wf_user.id"), nullable=False),
    Column("assigned_by", String(100), nullable=False),
    Column("assigned_at", String(32), nullable=False),
)
Index("ix_wf_assignment_user", wf_assignment.c.user_id)

# The conflict queue (issue 16): a re-import whose value for a field differs from the
# one a person set keeps the person's value and queues the source's here for a reviewer.
# Values are canonical JSON text. status: open | kept_team | took_source.
wf_conflict = Table(
    "wf_conflict",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), nullable=False),
    Column("field", String(300), nullable=False),
    Column("source_value", Text),
    Column("team_value", Text),
    Column("revision_seq", Integer),
    Column("import_id", Integer),
    Column("status", String(20), nullable=False, default="open"),
    Column("created_at", String(32), nullable=False),
    Column("resolved_by", String(100)),
    Column("reason", Text),
    Column("resolved_at", String(32)),
)
Index("ix_wf_conflict_status", wf_conflict.c.status, wf_conflict.c.incident_id)

WORKFLOW_TABLES = (
    wf_user,
    wf_api_token,
    wf_session,
    wf_login_attempt,
    wf_login_known,
    wf_revision,
    wf_evidence,
    wf_interview,
    wf_interview_link,
    wf_submission,
    wf_conflict,
    wf_assignment,
)


def canonical(obj: Any) -> str | None:
    """JSON text used both for storage and hashing (so verification re-hashes the text)."""
    if obj is None:
        return None
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def revision_hash(prev_hash: str, row: dict[str, Any]) -> str:
    parts = [
        prev_hash,
        str(row["seq"]),
        row["at"],
        row["actor"],
        row["action"],
        row["entity"],
        row["entity_key"],
        row.get("before") or "",
        row.get("after") or "",
        row.get("reason") or "",
    ]
    if row.get("states") is not None:  # revisions since 0009_integrity
        parts.append(row["states"])
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def append_revision(
    conn: Connection,
    *,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    before: Any,
    after: Any,
    reason: str | None,
    states: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Add one link to the chain, inside the caller's transaction. ``states``: the state
    hashes the change made (``store.history``); the chain's head is kept in
    ``history_head`` (a deleted tail shows against it)."""
    lock_for_write(conn)
    last = conn.execute(
        select(wf_revision.c.seq, wf_revision.c.hash).order_by(wf_revision.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    row: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_key": str(entity_key),
        "before": canonical(before),
        "after": canonical(after),
        "reason": reason,
        "prev_hash": prev,
        "states": canonical(states) if states else None,
    }
    row["hash"] = revision_hash(prev, row)
    conn.execute(insert(wf_revision).values(**row))
    _set_head(conn, seq, row["hash"])
    return row


def _set_head(conn: Connection, seq: int, h: str) -> None:
    from .history import history_head

    if conn.execute(update(history_head).values(seq=seq, hash=h)).rowcount == 0:
        conn.execute(insert(history_head).values(id=1, seq=seq, hash=h))


def iter_revisions(conn: Connection) -> Iterator[dict[str, Any]]:
    # a statement option: Connection.execution_options would switch the whole
    # connection (its later writes too) to server-side cursors on PostgreSQL
    for r in conn.execute(
        select(wf_revision).order_by(wf_revision.c.seq).execution_options(yield_per=2000)
    ):
        yield dict(r._mapping)


def list_revisions(
    conn: Connection,
    *,
    since: str | None = None,
    actor: str | None = None,
    entity: str | None = None,
    entity_key: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    q = select(wf_revision).order_by(wf_revision.c.seq)
    if since:
        q = q.where(wf_revision.c.at >= since)
    if actor:
        q = q.where(wf_revision.c.actor == actor)
    if entity:
        q = q.where(wf_revision.c.entity == entity)
    if entity_key is not None:
        q = q.where(wf_revision.c.entity_key == str(entity_key))
    if limit:
        q = q.limit(limit)
    return [dict(r._mapping) for r in conn.execute(q)]


# ---- incidents -----------------------------------------------------------------------


def incident_row(conn: Connection, code: str) -> dict[str, Any] | None:
    r = conn.execute(select(incident).where(incident.c.code == code)).first()
    return dict(r._mapping) if r else None


def submission(conn: Connection, incident_id: int) -> dict[str, Any] | None:
    r = conn.execute(
        select(wf_submission).where(wf_submission.c.incident_id == incident_id)
    ).first()
    return dict(r._mapping) if r else None


def submitted_codes(conn: Connection, user_id: int) -> list[str]:
    return list(
        conn.execute(
            select(incident.c.code)
            .join(wf_submission, wf_submission.c.incident_id == incident.c.id)
            .where(wf_submission.c.submitted_by == user_id)
            .order_by(incident.c.id)
        ).scalars()
    )


def insert_row(conn: Connection, table: Table, values: dict[str, Any]) -> int:
    pk = list(table.primary_key.columns)[0]
    res = conn.execute(insert(table).values(**values).returning(pk))
    return int(res.scalar_one())


def update_row(conn: Connection, table: Table, row_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(table).where(table.c.id == row_id).values(**values))


def delete_row(conn: Connection, table: Table, row_id: int) -> None:
    conn.execute(delete(table).where(table.c.id == row_id))


def child_row(conn: Connection, table: Table, row_id: int) -> dict[str, Any] | None:
    r = conn.execute(select(table).where(table.c.id == row_id)).first()
    return dict(r._mapping) if r else None


def child_rows(conn: Connection, table: Table, incident_id: int) -> list[dict[str, Any]]:
    col = table.c.id if "id" in table.c else table.c.alias
    return [
        dict(r._mapping)
        for r in conn.execute(select(table).where(table.c.incident_id == incident_id).order_by(col))
    ]


def bump_incident(
    conn: Connection, incident_id: int, expected_version: int | None, values: dict[str, Any]
) -> bool:
    """Update an incident and raise its version; False when the version moved on."""
    q = update(incident).where(incident.c.id == incident_id)
    if expected_version is not None:
        q = q.where(incident.c.version == expected_version)
    res = conn.execute(q.values(version=incident.c.version + 1, **values))
    return bool(res.rowcount == 1)


def move_children(conn: Connection, table: Table, from_id: int, to_id: int) -> None:
    conn.execute(update(table).where(table.c.incident_id == from_id).values(incident_id=to_id))


def delete_incident(conn: Connection, incident_id: int) -> None:
    from .schema import (
        field_provenance,
        incident_alias,
        incident_belligerent,
        source,
        statement,
        victim,
    )

    for t in (
        incident_alias,
        incident_belligerent,
        statement,
        source,
        victim,
        wf_submission,
        field_provenance,
        wf_conflict,
        wf_assignment,
    ):
        conn.execute(delete(t).where(t.c.incident_id == incident_id))
    conn.execute(delete(incident).where(incident.c.id == incident_id))


# ---- evidence and interviews -----------------------------------------------------------


def evidence_rows(conn: Connection, source_id: int | None = None) -> list[dict[str, Any]]:
    q = select(wf_evidence).order_by(wf_evidence.c.id)
    if source_id is not None:
        q = q.where(wf_evidence.c.source_id == source_id)
    return [dict(r._mapping) for r in conn.execute(q)]


def interview_codes(conn: Connection) -> set[str]:
    return set(conn.execute(select(wf_interview.c.code)).scalars())


def interview_rows(conn: Connection, code: str | None = None) -> list[dict[str, Any]]:
    q = select(wf_interview).order_by(wf_interview.c.id)
    if code is not None:
        q = q.where(wf_interview.c.code == code)
    out = []
    for r in conn.execute(q):
        d = dict(r._mapping)
        d["incidents"] = list(
            conn.execute(
                select(incident.c.code)
                .join(wf_interview_link, wf_interview_link.c.incident_id == incident.c.id)
                .where(wf_interview_link.c.interview_id == d["id"])
            ).scalars()
        )
        out.append(d)
    return out


def published_codes(conn: Connection) -> set[str]:
    return set(
        conn.execute(select(incident.c.code).where(incident.c.published.is_(True))).scalars()
    )


def incident_ids(conn: Connection, codes: list[str]) -> dict[str, int]:
    from .schema import incident_alias

    out = {
        c: int(i)
        for c, i in conn.execute(
            select(incident.c.code, incident.c.id).where(incident.c.code.in_(codes))
        )
    }
    for a, i in conn.execute(
        select(incident_alias.c.alias, incident_alias.c.incident_id).where(
            incident_alias.c.alias.in_(codes)
        )
    ):
        out.setdefault(a, int(i))
    return out


def incident_codes(conn: Connection, ids: list[int]) -> dict[int, str]:
    """{incident id: code} of ``ids`` (the whole table read once when they are many)."""
    q = select(incident.c.id, incident.c.code)
    if len(ids) > 5000:
        want = set(ids)
        return {int(i): str(c) for i, c in conn.execute(q) if i in want}
    out: dict[int, str] = {}
    for n in range(0, len(ids), 900):
        part = ids[n : n + 900]
        out.update((int(i), str(c)) for i, c in conn.execute(q.where(incident.c.id.in_(part))))
    return out


# ---- backup and restore (whole-database copies, any table of any area) -----------------


def sqlite_snapshot(store: Store, dest: str) -> None:
    """A consistent copy of a live SQLite database through SQLite's online backup API."""
    import sqlite3

    with store.engine.connect() as conn:
        raw = conn.connection.driver_connection
        target = sqlite3.connect(dest)
        try:
            raw.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()


def _jsonable(v: Any) -> Any:
    import datetime as dt

    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.hex()
    return v


def dump_tables(store: Store, write: Any) -> dict[str, int]:
    """Every table's rows, read in one REPEATABLE READ transaction (a consistent view).

    ``write(table_name, row_dict)`` receives JSON-safe rows; returns row counts.
    """
    md = MetaData()
    md.reflect(store.engine)
    counts: dict[str, int] = {}
    opts: dict[str, Any] = {"stream_results": True, "yield_per": 5000}
    if store.dialect == "postgresql":
        opts["isolation_level"] = "REPEATABLE READ"
    with store.engine.connect().execution_options(**opts) as conn:
        with conn.begin():
            for t in md.sorted_tables:
                if t.name == "alembic_version":
                    continue
                counts[t.name] = 0
                for r in conn.execute(select(t)):
                    write(t.name, {k: _jsonable(v) for k, v in r._mapping.items()})
                    counts[t.name] += 1
    return counts


def snapshot_row_count(path: str, table: str) -> int:
    """Rows of ``table`` in a SQLite snapshot file (0 when it has no such table).

    Raises InputError when the file is not a SQLite database."""
    import sqlite3

    from ..model.errors import InputError

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = con.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()[0]
            if not found:
                return 0
            return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"database.sqlite: not a readable SQLite database ({exc})") from exc


def incident_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(incident)).scalar_one())


def read_snapshot_tables(path: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Rows of every table in a SQLite snapshot file, parents before children."""
    from sqlalchemy import create_engine

    eng = create_engine(f"sqlite:///{path}")
    try:
        md = MetaData()
        md.reflect(eng)
        with eng.connect() as conn:
            for t in md.sorted_tables:
                if t.name != "alembic_version":
                    yield t.name, [dict(r._mapping) for r in conn.execute(select(t))]
    finally:
        eng.dispose()


def _coerce(col: Any, v: Any) -> Any:
    import datetime as dt

    from sqlalchemy import Date, DateTime

    if v is None:
        return None
    if isinstance(col.type, DateTime) and isinstance(v, str):
        return dt.datetime.fromisoformat(v)
    if isinstance(col.type, Date) and isinstance(v, str):
        return dt.date.fromisoformat(v)
    if isinstance(col.type, Boolean) and not isinstance(v, bool):
        return bool(v)
    return v


def replace_all_rows(store: Store, tables: Iterator[tuple[str, list[dict[str, Any]]]]) -> None:
    """Empty every table of ``store`` and fill them from ``tables``, in one transaction.

    Rows the database refuses (a constraint, a bad value) roll everything back and raise
    InputError: the target is left as it was."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..model.errors import InputError

    try:
        _replace_all_rows(store, tables)
    except (SQLAlchemyError, ValueError, TypeError) as exc:
        msg = str(getattr(exc, "orig", None) or exc).splitlines()[0][:300]
        raise InputError(
            f"the backup's rows cannot be loaded ({msg}); nothing was restored"
        ) from exc


def _replace_all_rows(store: Store, tables: Iterator[tuple[str, list[dict[str, Any]]]]) -> None:
    from sqlalchemy import text

    md = MetaData()
    md.reflect(store.engine)
    by_name = {t.name: t for t in md.sorted_tables if t.name != "alembic_version"}
    with store.begin() as conn:
        for t in reversed(md.sorted_tables):
            if t.name in by_name:
                conn.execute(delete(t))
        for name, rows in tables:
            t = by_name.get(name)
            if t is None or not rows:
                continue
            cols = {c.name: c for c in t.columns}
            fixed = [{k: _coerce(cols[k], v) for k, v in r.items() if k in cols} for r in rows]
            for i in range(0, len(fixed), 1000):
                conn.execute(insert(t), fixed[i : i + 1000])
        if store.dialect == "postgresql":
            for t in by_name.values():
                for c in t.primary_key.columns:
                    if isinstance(c.type, Integer) and c.autoincrement in (True, "auto"):
                        seq = conn.execute(
                            text("SELECT pg_get_serial_sequence(:t, :c)"),
                            {"t": t.name, "c": c.name},
                        ).scalar()
                        if seq:
                            conn.execute(
                                text(
                                    f'SELECT setval(:s, COALESCE((SELECT MAX("{c.name}") '
                                    f'FROM "{t.name}"), 0) + 1, false)'
                                ),
                                {"s": seq},
                            )


def lock_for_write(conn: Connection) -> None:
    """Serialise workflow writers for the rest of this transaction.

    Reads that a change is based on (its "before", the chain's last hash) must see the
    latest committed state: SQLite takes its write lock at the first write statement,
    PostgreSQL takes a transaction-scoped advisory lock.
    """
    from sqlalchemy import text

    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7235001)"))
    elif conn.dialect.name == "sqlite":
        conn.execute(update(wf_revision).where(wf_revision.c.id < 0).values(reason=None))
