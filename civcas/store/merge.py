"""A re-import as a merge (issue 16, docs/history.md): what a person did is kept.

:class:`~civcas.store.writer.IncidentWriter` hands the incidents whose source row
changed to :func:`merge_changed`, a batch at a time, inside the import's transaction
(which holds the workflow write lock, so the state merged against is the current one):

- incident fields with a ``field_provenance`` row keep the person's value; the source's
  new value, when it differs from the source's value the person overrode and from the
  person's value, goes to the conflict queue (``wf_conflict``, one open row per field);
- child rows (assessments, statements, sources, victims) are matched to the source's
  new rows by a key (:func:`child_key`): a matched row is updated in place (its id, and
  so evidence and interview links to it, stay), a new one inserted; source rows that
  vanished are flagged (``withdrawn_import_id``), never deleted; ``origin = 'team'``
  rows are never touched, and a source row whose key a person's row has, or that a
  person deleted (a ``deleted:KIND:KEY`` provenance row), is not brought back;
- aliases are only ever added.

Incidents with no provenance and no team rows take the source's values as before; the
work is per batch and set-based (one query per table), not per incident.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update

from .schema import (
    field_provenance,
    incident,
    incident_alias,
    incident_belligerent,
    source,
    statement,
    victim,
)

# the child tables in the writer's Children order (after the aliases), with their kind
CHILD_TABLES: tuple[tuple[str, Table], ...] = (
    ("assessment", incident_belligerent),
    ("statement", statement),
    ("source", source),
    ("victim", victim),
)
# fields kept from a person's edit without a conflict of their own (derived, or a
# companion of another field's conflict)
NO_CONFLICT = frozenset(("month", "grade_reason", "updated_at"))
DELETED = "deleted:"


def canonical(v: Any) -> str:
    """A value as compact JSON (dates as ISO text): provenance and conflicts store this."""
    if isinstance(v, dt.date | dt.datetime):
        v = v.isoformat()
    return json.dumps(v, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def _norm(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date | dt.datetime) else v


def child_key(kind: str, row: dict[str, Any]) -> str:
    """What identifies a child row of a source record across versions of it."""
    if kind == "victim":
        if row.get("victim_order") is not None:
            k: tuple[Any, ...] = ("o", row["victim_order"])
        else:
            k = ("n", row.get("name"), row.get("name_ar"))
    elif kind == "source":
        k = (
            ("u", row.get("url"))
            if row.get("url")
            else ("t", row.get("title"), row.get("publisher"))
        )
    elif kind == "assessment":
        k = (str(row.get("belligerent_key") or row.get("belligerent") or "").lower(),)
    else:
        k = (row.get("belligerent"), _norm(row.get("date")), row.get("url"))
    return canonical([_norm(x) for x in k])


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _chunks(ids: Sequence[int], n: int = 900) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), n):
        yield ids[i : i + n]


def provenance(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, str | None]]:
    """incident id -> field -> the source's value it overrode (JSON), for ``ids``."""
    out: dict[int, dict[str, str | None]] = {}
    fp = field_provenance
    for part in _chunks(ids):
        for iid, f, v in conn.execute(
            select(fp.c.incident_id, fp.c.field, fp.c.source_value).where(
                fp.c.incident_id.in_(part)
            )
        ):
            out.setdefault(iid, {})[f] = v
    return out


def team_incidents(conn: Connection, ids: Sequence[int]) -> set[int]:
    """Those of ``ids`` with a child row a person added or edited."""
    out: set[int] = set()
    for _, t in CHILD_TABLES:
        for part in _chunks(ids):
            out.update(
                conn.execute(
                    select(t.c.incident_id)
                    .where(t.c.incident_id.in_(part), t.c.origin == "team")
                    .distinct()
                ).scalars()
            )
    return out


def queue_conflict(
    conn: Connection,
    iid: int,
    field: str,
    source_value: str,
    team_value: str,
    revision_seq: int | None,
    import_id: int | None,
) -> None:
    """One open conflict per incident field: a newer source value replaces the queued one."""
    from .workflow import wf_conflict

    c = wf_conflict.c
    res = conn.execute(
        update(wf_conflict)
        .where(c.incident_id == iid, c.field == field, c.status == "open")
        .values(source_value=source_value, team_value=team_value, import_id=import_id)
    )
    if res.rowcount == 0:
        conn.execute(
            insert(wf_conflict).values(
                incident_id=iid,
                field=field,
                source_value=source_value,
                team_value=team_value,
                revision_seq=revision_seq,
                import_id=import_id,
                status="open",
                created_at=now(),
            )
        )


def split_team_fields(
    conn: Connection,
    iid: int,
    values: dict[str, Any],
    fields: dict[str, str | None],
    import_id: int | None,
) -> int:
    """Take the fields a person set out of ``values`` (an incident's new source values);
    queue the real disagreements. Returns the number of conflicts queued."""
    team = [f for f in fields if f in values and not f.startswith(DELETED)]
    if not team:
        return 0
    cur = (
        conn.execute(select(*(incident.c[f] for f in team)).where(incident.c.id == iid))
        .one()
        ._mapping
    )
    fp = field_provenance.c
    seqs = dict(
        conn.execute(
            select(fp.field, fp.revision_seq).where(fp.incident_id == iid, fp.field.in_(team))
        ).all()
    )
    n = 0
    for f in team:
        new = canonical(values.pop(f))
        if new == fields[f]:
            continue  # the source did not change this field: nothing to decide
        conn.execute(
            update(field_provenance)
            .where(fp.incident_id == iid, fp.field == f)
            .values(source_value=new, import_id=import_id)
        )
        mine = canonical(cur[f])
        if f not in NO_CONFLICT and new != mine:
            queue_conflict(conn, iid, f, new, mine, seqs.get(f), import_id)
            n += 1
    return n


def merge_children(
    conn: Connection,
    writer: Any,
    batch: list[tuple[int, Any]],
    fields: dict[int, dict[str, str | None]],
    import_id: int | None,
) -> set[int]:
    """Merge the new child rows of changed incidents (``batch``: incident id, the
    writer's Children) into the stored ones. Returns the incidents whose denormalised
    columns must be recomputed (they have team or withdrawn rows)."""
    from .writer import ALIAS_COLS, BELLIGERENT_COLS, SOURCE_COLS, STATEMENT_COLS, VICTIM_COLS

    cols_of = {
        "assessment": BELLIGERENT_COLS,
        "statement": STATEMENT_COLS,
        "source": SOURCE_COLS,
        "victim": VICTIM_COLS,
    }
    ids = [iid for iid, _ in batch]
    special: set[int] = set()
    flag = import_id if import_id is not None else 0
    # aliases: only ever added
    have: set[tuple[int, str]] = set()
    for part in _chunks(ids):
        have.update(
            (int(i), str(a))
            for i, a in conn.execute(
                select(incident_alias.c.incident_id, incident_alias.c.alias).where(
                    incident_alias.c.incident_id.in_(part)
                )
            )
        )
    aliases = [(iid, a[0]) for iid, kids in batch for a in kids[0] if (iid, a[0]) not in have]
    if aliases:
        writer._insert(incident_alias, ALIAS_COLS, aliases, want_ids=False)
    for n, (kind, table) in enumerate(CHILD_TABLES, start=1):
        cols = cols_of[kind]
        data_cols = cols[2:]
        stored: dict[int, list[dict[str, Any]]] = {}
        for part in _chunks(ids):
            for x in conn.execute(
                select(table).where(table.c.incident_id.in_(part)).order_by(table.c.id)
            ):
                stored.setdefault(x.incident_id, []).append(dict(x._mapping))
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[int, tuple[Any, ...]]] = []
        withdraw: list[int] = []
        revive: list[int] = []
        for iid, kids in batch:
            rows = stored.get(iid, [])
            gone = {
                f[len(DELETED) + len(kind) + 1 :]
                for f in fields.get(iid, {})
                if f.startswith(f"{DELETED}{kind}:")
            }
            team_keys = {child_key(kind, r) for r in rows if r["origin"] == "team"}
            if len(team_keys) or any(r["withdrawn_import_id"] is not None for r in rows):
                special.add(iid)
            src = [r for r in rows if r["origin"] != "team"]
            new = [dict(zip(data_cols, t, strict=True)) for t in kids[n]]
            # exact matches first (nothing to write), then by key (updated in place)
            unmatched: list[dict[str, Any]] = []
            for nr in new:
                vals = tuple(_norm(nr[c]) for c in data_cols)
                hit = next((r for r in src if tuple(_norm(r[c]) for c in data_cols) == vals), None)
                if hit is None:
                    unmatched.append(nr)
                    continue
                src.remove(hit)
                if hit["withdrawn_import_id"] is not None:
                    revive.append(hit["id"])
            for nr in unmatched:
                k = child_key(kind, nr)
                if k in team_keys or k in gone:
                    special.add(iid)
                    continue
                hit = next((r for r in src if child_key(kind, r) == k), None)
                if hit is None:
                    inserts.append((None, iid, *(nr[c] for c in data_cols)))
                else:
                    src.remove(hit)
                    updates.append((hit["id"], tuple(nr[c] for c in data_cols)))
            for left in src:
                if left["withdrawn_import_id"] is None:
                    withdraw.append(left["id"])
                special.add(iid)
        if updates:
            _update_rows(conn, table, data_cols, updates)
        if revive:
            _set_withdrawn(conn, table, revive, None)
        if withdraw:
            _set_withdrawn(conn, table, withdraw, flag)
        if inserts:
            writer._insert(table, cols, inserts, want_ids=False)
    return special


def _update_rows(
    conn: Connection, table: Table, cols: Sequence[str], rows: list[tuple[int, tuple[Any, ...]]]
) -> None:
    if conn.dialect.name == "sqlite":
        sets = ", ".join(f"{c} = ?" for c in cols)
        conn.exec_driver_sql(
            f"UPDATE {table.name} SET {sets}, withdrawn_import_id = NULL WHERE id = ?",
            [(*vals, rid) for rid, vals in rows],  # type: ignore[arg-type]
        )
        return
    stmt = (
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values(withdrawn_import_id=None, **{c: bindparam(f"_{c}") for c in cols})
    )
    conn.execute(
        stmt,
        [
            {"_id": rid, **{f"_{c}": v for c, v in zip(cols, vals, strict=True)}}
            for rid, vals in rows
        ],
    )


def _set_withdrawn(conn: Connection, table: Table, ids: list[int], flag: int | None) -> None:
    for part in _chunks(ids):
        conn.execute(update(table).where(table.c.id.in_(part)).values(withdrawn_import_id=flag))


def denormalise(conn: Connection, ids: Iterable[int]) -> None:
    """The incident columns tallies read without joins, from the current child rows (the
    first assessment by id, named victims, the parties' names joined with "; " as the
    downloads show them: a party a person added or removed counts, issue 24), withdrawn
    rows left out."""
    b, v = incident_belligerent.c, victim.c
    for iid in ids:
        bells = conn.execute(
            select(b.assessment, b.deaths_conceded_min, b.deaths_conceded_max, b.belligerent)
            .where(b.incident_id == iid, b.withdrawn_import_id.is_(None))
            .order_by(b.id)
        ).all()
        first = bells[0] if bells else None
        named = sum(
            1
            for st, n, na in conn.execute(
                select(v.status, v.name, v.name_ar).where(
                    v.incident_id == iid, v.withdrawn_import_id.is_(None)
                )
            )
            if st == "killed" and (n or na)
        )
        conn.execute(
            update(incident)
            .where(incident.c.id == iid)
            .values(
                belligerents="; ".join(r[3] for r in bells) or None,
                assessment=first[0] if first else None,
                conceded_min=first[1] if first else None,
                conceded_max=first[2] if first else None,
                named_victims=named,
            )
        )


def withdraw_incidents(conn: Connection, ids: list[int], import_id: int | None) -> None:
    flag = import_id if import_id is not None else 0
    for part in _chunks(ids):
        conn.execute(
            update(incident)
            .where(incident.c.id.in_(part), incident.c.withdrawn_import_id.is_(None))
            .values(withdrawn_import_id=flag)
        )


def revive_incidents(conn: Connection, ids: list[int]) -> None:
    for part in _chunks(ids):
        conn.execute(
            update(incident).where(incident.c.id.in_(part)).values(withdrawn_import_id=None)
        )


def clear_provenance(conn: Connection, iid: int, fields: Iterable[str]) -> None:
    fp = field_provenance.c
    conn.execute(delete(field_provenance).where(fp.incident_id == iid, fp.field.in_(list(fields))))


# ---- what a person does (called by workflow.editing, in the edit's transaction) -------


def mark_team(conn: Connection, iid: int, before: dict[str, Any], revision_seq: int) -> None:
    """The fields of ``before`` (field -> value before the person's change) now come
    from the person; the first time, the value they replace is the source's."""
    fp = field_provenance.c
    have = set(
        conn.execute(
            select(fp.field).where(fp.incident_id == iid, fp.field.in_(list(before)))
        ).scalars()
    )
    for f, v in before.items():
        if f in have:
            conn.execute(
                update(field_provenance)
                .where(fp.incident_id == iid, fp.field == f)
                .values(revision_seq=revision_seq, origin="team")
            )
        else:
            conn.execute(
                insert(field_provenance).values(
                    incident_id=iid,
                    field=f,
                    origin="team",
                    revision_seq=revision_seq,
                    source_value=canonical(v),
                )
            )


def mark_deleted(conn: Connection, iid: int, kind: str, row: dict[str, Any], seq: int) -> None:
    """A person deleted a source child row: a re-import does not bring it back."""
    mark_team(conn, iid, {f"{DELETED}{kind}:{child_key(kind, row)}": None}, seq)


def mark_merged(conn: Connection, dup: dict[str, Any], into_id: int, revision_seq: int) -> None:
    """``dup`` (an incident row) was merged into ``into_id``: its source record stays
    merged on re-import (and so do the ones merged into it before)."""
    from .schema import merged_source

    m = merged_source.c
    exists = conn.execute(
        select(m.code).where(m.source_kind == dup["source_kind"], m.source_id == dup["source_id"])
    ).first()
    if exists is None:
        conn.execute(
            insert(merged_source).values(
                source_kind=dup["source_kind"],
                source_id=dup["source_id"],
                code=dup["code"],
                into_id=into_id,
                revision_seq=revision_seq,
            )
        )


def repoint_merged(conn: Connection, from_id: int, into_id: int) -> None:
    """Records merged into ``from_id`` are merged into ``into_id`` now (before
    ``from_id`` is deleted)."""
    from .schema import merged_source

    conn.execute(
        update(merged_source).where(merged_source.c.into_id == from_id).values(into_id=into_id)
    )


def set_team_origin(conn: Connection, table: Table, ids: list[int]) -> None:
    for part in _chunks(ids):
        conn.execute(update(table).where(table.c.id.in_(part)).values(origin="team"))


# ---- the conflict queue's reads (workflow.conflicts) ---------------------------------


def conflict_rows(
    conn: Connection, status: str | None = None, code: str | None = None
) -> list[dict[str, Any]]:
    """Conflicts with their incident's code, who set the team's value (and why) and
    the import's file, oldest first."""
    from .schema import import_batch
    from .workflow import wf_conflict, wf_revision

    c, r, b = wf_conflict.c, wf_revision.c, import_batch.c
    q = (
        select(
            wf_conflict,
            incident.c.code,
            r.actor.label("set_by"),
            r.at.label("set_at"),
            r.reason.label("why"),
            b.file_name,
        )
        .join(incident, incident.c.id == c.incident_id)
        .outerjoin(wf_revision, r.seq == c.revision_seq)
        .outerjoin(import_batch, b.id == c.import_id)
        .order_by(c.id)
    )
    if status is not None:
        q = q.where(c.status == status)
    if code is not None:
        q = q.where(incident.c.code == code)
    return [dict(x._mapping) for x in conn.execute(q)]


def conflict_row(conn: Connection, conflict_id: int) -> dict[str, Any] | None:
    """One conflict with its incident's code."""
    from .workflow import wf_conflict

    c = wf_conflict.c
    row = conn.execute(
        select(wf_conflict, incident.c.code)
        .join(incident, incident.c.id == c.incident_id)
        .where(c.id == conflict_id)
    ).first()
    return dict(row._mapping) if row else None


def close_conflict(
    conn: Connection, conflict_id: int, status: str, by: str, reason: str | None, at: str
) -> None:
    from .workflow import wf_conflict

    conn.execute(
        update(wf_conflict)
        .where(wf_conflict.c.id == conflict_id)
        .values(status=status, resolved_by=by, reason=reason, resolved_at=at)
    )
