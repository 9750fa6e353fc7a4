"""Writing incidents: idempotent upserts keyed by (source_kind, source_id, content hash).

The writer runs inside the caller's transaction, so an import is all-or-nothing: the
importer validates while it streams, and a single bad row rolls everything back.

Speed (a million incidents a minute on SQLite) comes from doing per row only what must
be done per row: the canonical JSON and its hash, one tuple per table row. Rows go to
the driver's ``executemany`` in batches, with the NULL columns left out of the INSERT
(binding ``None`` costs the sqlite3 module an adapter lookup per value), ids assigned
here (this transaction holds SQLite's write lock) so that no RETURNING is needed.
Other engines go through SQLAlchemy Core with RETURNING.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring
from operator import is_, itemgetter
from typing import Any, Literal

from sqlalchemy import Connection, Table, insert, select, update

from ..model.records import Incident
from ..model.vocab import VictimStatus
from . import merge
from .import_states import FreshStates
from .schema import (
    import_batch,
    incident,
    incident_alias,
    incident_belligerent,
    raw_record,
    source,
    statement,
    victim,
)

Outcome = Literal["inserted", "updated", "unchanged"]
# a bulk writer sets the incident table's secondary indexes aside once it has inserted
# this many incidents (and as many as the table held before it started)
BULK_MIN_ROWS = 100_000
Row = tuple[Any, ...]


def _dumps(raw: Any) -> str:
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


# key tuple (in the dict's own order) -> (getter putting values in sorted-key order,
# "%s" template with the encoded keys); CSV readers give every row the same keys
_TEMPLATES: dict[tuple[Any, ...], tuple[Callable[[Sequence[Any]], Any], str]] = {}


def canonical_json(raw: Any) -> str:
    """The raw record as sorted, compact JSON: hashed, and stored as the raw original.

    Exactly ``json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    default=str)``; a flat dict of strings (every CSV row) takes a template path that
    gives the same text several times faster. Changing this text would change every
    content hash, so tests compare the two paths on hostile input.
    """
    if type(raw) is not dict or not raw:
        return _dumps(raw)
    keys = tuple(raw)
    t = _TEMPLATES.get(keys)
    if t is None:
        if not all(type(k) is str for k in keys) or len(_TEMPLATES) > 256:
            return _dumps(raw)
        order = sorted(range(len(keys)), key=keys.__getitem__)
        fmt = ",".join(encode_basestring(keys[i]).replace("%", "%%") + ":%s" for i in order)
        # (itemgetter of one index would give the item, not a 1-tuple)
        get: Callable[[Sequence[Any]], Any] = (
            itemgetter(*order) if len(order) > 1 else itemgetter(slice(0, 1))
        )
        t = _TEMPLATES[keys] = (get, "{" + fmt + "}")
    get, fmt = t
    try:
        # encode_basestring raises TypeError on anything but a str
        return fmt % tuple(map(encode_basestring, get(tuple(raw.values()))))
    except TypeError:
        return _dumps(raw)


def content_hash(raw: Any) -> str:
    """SHA-256 of the canonical JSON of a raw record (key order does not matter)."""
    return hashlib.sha256(canonical_json(raw).encode("utf-8")).hexdigest()


def row_digest(code: str, content_hash: str) -> int:
    """A record's term of the snapshot hash: 62 bits of SHA-256(code TAB content hash).

    Stored in ``incident.row_digest`` (see queries.snapshot_hash for how the terms of
    the matching records are combined).
    """
    d = hashlib.sha256(f"{code}\t{content_hash}".encode()).digest()
    return int.from_bytes(d[:8], "big") >> 2


def start_import(conn: Connection, source_kind: str, file_name: str, file_sha256: str) -> int:
    res = conn.execute(
        insert(import_batch)
        .values(
            source_kind=source_kind,
            file_name=file_name,
            file_sha256=file_sha256,
            started_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            rows_read=0,
            inserted=0,
            updated=0,
            unchanged=0,
            rejected=0,
        )
        .returning(import_batch.c.id)
    )
    return int(res.scalar_one())


def finish_import(conn: Connection, import_id: int, counts: dict[str, int]) -> None:
    conn.execute(update(import_batch).where(import_batch.c.id == import_id).values(**counts))


RAW_COLS = ("id", "source_kind", "source_id", "content_hash", "raw", "import_id")
# every incident column, in the order _incident_row builds them ("id" first)
INCIDENT_COLS = (
    "id",
    "code",
    "source_kind",
    "source_id",
    "content_hash",
    "raw_id",
    "date_start",
    "date_end",
    "date_precision",
    "month",
    "location_en",
    "location_ar",
    "governorate_en",
    "governorate_ar",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "belligerents",
    "strike_type",
    "grade",
    "grade_reason",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed_min",
    "children_killed_max",
    "women_killed_min",
    "women_killed_max",
    "men_killed_min",
    "men_killed_max",
    "assessment",
    "conceded_min",
    "conceded_max",
    "named_victims",
    "summary",
    "url",
    "published",
    "version",
    "import_id",
    "updated_at",
    "row_digest",
    "strike_status",
    "fatalities_all",
)
ALIAS_COLS = ("incident_id", "alias")
BELLIGERENT_COLS = (
    "id",
    "incident_id",
    "belligerent",
    "belligerent_key",
    "role",
    "assessment",
    "deaths_conceded_min",
    "deaths_conceded_max",
    "injuries_conceded_min",
    "injuries_conceded_max",
    "reasons",
    "strike_report_url",
)
STATEMENT_COLS = ("id", "incident_id", "belligerent", "date", "url", "text")
SOURCE_COLS = (
    "id",
    "incident_id",
    "url",
    "publisher",
    "language",
    "date",
    "type",
    "title",
    "sha256",
)
VICTIM_COLS = (
    "id",
    "incident_id",
    "victim_order",
    "name",
    "name_ar",
    "sex",
    "age",
    "age_group",
    "status",
    "group_name",
)
_KILLED = VictimStatus.KILLED


def _same(v: Any) -> Any:
    return v


def _iso(v: dt.date | None) -> str | None:
    # SQLAlchemy's SQLite Date storage format (YYYY-MM-DD)
    return None if v is None else v.isoformat()


# What :meth:`IncidentWriter.prepare` makes of one incident: everything that needs no
# database, so that a big import can do it in a second process. (source id, content
# hash, canonical JSON, code, incident row or None when unchanged, children rows: alias,
# belligerent, statement, source, victim tuples without their id and incident id, and
# the shape of the incident row)
#
# The incident row is compact: the values of HEAD_COLS, then those of the other columns
# that are not NULL, whose positions in INCIDENT_COLS are the "shape" (one shared tuple
# per pattern); id, raw_id, import_id and updated_at are added by flush. SQLite's
# INSERT names only these columns (binding a NULL costs the sqlite3 module an adapter
# lookup), and flush appends its four values to the tuple as it is.
Children = tuple[list[Row], list[Row], list[Row], list[Row], list[Row]]
# (and last, the state hash of a new incident, see import_states: computed here, so in
# the reader process of a big import)
Prepared = tuple[
    str, str, str, str, Row | None, Children | None, tuple[int, ...] | None, str | None
]
_NO_CHILDREN: Children = ([], [], [], [], [])
_NONES = (None,) * len(INCIDENT_COLS)
HEAD_COLS = ("code", "source_kind", "source_id", "content_hash", "row_digest")
_HEAD = tuple(INCIDENT_COLS.index(c) for c in HEAD_COLS)
# set by flush (id, raw_id, import_id, updated_at), or in the head
_NOT_IN_SHAPE = frozenset(
    (*_HEAD, *(INCIDENT_COLS.index(c) for c in ("id", "raw_id", "import_id", "updated_at")))
)
_CODE, _DIGEST = HEAD_COLS.index("code"), HEAD_COLS.index("row_digest")


def full_row(compact: Row, shape: tuple[int, ...]) -> Row:
    """The INCIDENT_COLS tuple of a compact incident row (id, raw_id, import_id and
    updated_at None)."""
    r: list[Any] = [None] * len(INCIDENT_COLS)
    for i, v in zip(_HEAD, compact, strict=False):
        r[i] = v
    for i, v in zip(shape, compact[len(_HEAD) :], strict=True):
        r[i] = v
    return tuple(r)


# "published" is a reviewer's decision, not the source's: a re-import updates the figures
# of an incident a reviewer unpublished and leaves it unpublished (issue 15)
_UPDATE_SKIP = frozenset(("id", "code", "version", "published"))


class IncidentWriter:
    """Buffers incidents and writes them in batches on one connection."""

    def __init__(
        self,
        conn: Connection,
        source_kind: str,
        import_id: int | None,
        batch: int = 5000,
        *,
        bulk: bool = False,
        withdraw_missing: bool = False,
        states: bool = False,
    ):
        """``bulk``: the caller calls :meth:`finish` before committing, which lets a big
        load on SQLite set the incident table's secondary indexes aside (see
        :meth:`_set_indexes_aside`). ``withdraw_missing``: the input is the whole
        source, so :meth:`finish` flags (``withdrawn_import_id``) the incidents of this
        source kind it did not have.

        A changed source record is merged (see :mod:`civcas.store.merge`): what a person
        set is kept. ``touched`` collects the ids of the incidents inserted, changed,
        withdrawn or brought back (for the import's revision in the chain); with
        ``states``, the inserted ones are hashed as they are written instead
        (``fresh``: code -> state hash, see :mod:`civcas.store.import_states`)."""
        self.conn = conn
        self.source_kind = source_kind
        self.import_id = import_id
        self.batch = batch
        self.counts = {"inserted": 0, "updated": 0, "unchanged": 0}
        self.merged = {"conflicts": 0, "withdrawn": 0, "kept_merged": 0}
        self.touched: list[int] = []
        self.fresh: FreshStates | None = None
        self._hash_turn = False
        if states:
            fresh = FreshStates(
                INCIDENT_COLS,
                {
                    "victim": VICTIM_COLS[2:],
                    "source": SOURCE_COLS[2:],
                    "incident_belligerent": BELLIGERENT_COLS[2:],
                    "statement": STATEMENT_COLS[2:],
                    "incident_alias": ALIAS_COLS[1:],
                },
            )
            self.fresh = fresh if fresh.ok else None
        self.withdraw_missing = withdraw_missing
        self._sqlite = conn.dialect.name == "sqlite"
        self._day: Callable[[Any], Any] = _iso if self._sqlite else _same
        self._bulk = bulk and self._sqlite
        self._set_aside: list[str] | None = None  # CREATE INDEX statements to run again
        self._rows_before = 0
        if self._sqlite:
            # 256 MB of page cache for this connection: a big load updates seven indexes
            # at scattered places; pages evicted mid-transaction are written twice
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
            if self._bulk:
                self._rows_before = int(
                    conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM incident").scalar_one()
                )
        self._existing = self._load_existing()
        # source ids a person merged into another incident; those withdrawn now
        self._merged_away, self._withdrawn = self._load_flags()
        self._codes: set[str] | None = None  # every code in the database, loaded lazily
        self._pending: list[tuple[Prepared, int | None]] = []
        self._patterns: dict[tuple[bool, ...], tuple[tuple[int, ...], Any]] = {}
        self._seen: set[str] = set()

    def _load_existing(self) -> dict[str, tuple[int, str]]:
        """source id -> (incident id, content hash) of this source kind, in one query."""
        q = "SELECT source_id, id, content_hash FROM incident WHERE source_kind = ?"
        if self._sqlite:
            cur = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cur.execute(q, (self.source_kind,))
                return {sid: (iid, h) for sid, iid, h in cur.fetchall()}
            finally:
                cur.close()
        return {
            sid: (iid, h)
            for sid, iid, h in self.conn.execute(
                select(incident.c.source_id, incident.c.id, incident.c.content_hash).where(
                    incident.c.source_kind == self.source_kind
                )
            )
        }

    def _load_flags(self) -> tuple[set[str], dict[str, int]]:
        from .schema import merged_source

        kind = self.source_kind
        away = set(
            self.conn.execute(
                select(merged_source.c.source_id).where(merged_source.c.source_kind == kind)
            ).scalars()
        )
        withdrawn = {
            str(sid): int(iid)
            for sid, iid in self.conn.execute(
                select(incident.c.source_id, incident.c.id).where(
                    incident.c.source_kind == kind, incident.c.withdrawn_import_id.is_not(None)
                )
            )
        }
        return away, withdrawn

    def add(self, inc: Incident) -> Outcome:
        return self.add_prepared(self.prepare(inc))

    def prepare(self, inc: Incident) -> Prepared:
        """The rows of one incident, built without touching the database.

        Safe to call in a forked reader process (it reads only what the writer loaded
        at start); rows of an unchanged record are not built.
        """
        if inc.source_kind != self.source_kind:
            raise ValueError(f"writer for {self.source_kind!r} got {inc.source_kind!r}")
        text = canonical_json(inc.raw)
        h = hashlib.sha256(text.encode("utf-8")).hexdigest()
        prior = self._existing.get(inc.source_id)
        if (prior is not None and prior[1] == h) or inc.source_id in self._merged_away:
            return (inc.source_id, h, text, inc.code, None, None, None, None)
        row = self._incident_row(inc, h)
        shape, get = self._shape(row)
        kids = self._children(inc)
        fresh, state = self.fresh, None
        if fresh is not None and prior is None:
            # every other new record is hashed here (in the reader process of a big
            # import), the rest at flush: the two processes share the work
            self._hash_turn = not self._hash_turn
            if self._hash_turn:
                state = fresh.state_hash(row, kids)
        return (inc.source_id, h, text, inc.code, get(row), kids, shape, state)

    def _shape(self, row: Row) -> tuple[tuple[int, ...], Callable[[Row], Row]]:
        """Positions of the non-NULL incident columns outside the head and the four
        that flush sets (one shared tuple per pattern, so that a batch of them
        pickles and groups cheaply), and a getter of the compact row."""
        nulls = tuple(map(is_, row, _NONES))
        known = self._patterns.get(nulls)
        if known is None:
            shape = tuple(i for i, null in enumerate(nulls) if not null and i not in _NOT_IN_SHAPE)
            # (at least the five head columns: itemgetter gives a tuple)
            known = (shape, itemgetter(*_HEAD, *shape))
            if len(self._patterns) < 4096:
                self._patterns[nulls] = known
        return known

    def add_prepared(self, prep: Prepared) -> Outcome:
        sid, h = prep[0], prep[1]
        if sid in self._seen:
            raise ValueError(f"source id {sid!r} appears twice in one import")
        self._seen.add(sid)
        if sid in self._merged_away:
            # a person marked it a duplicate of another incident: it stays merged
            self.merged["kept_merged"] += 1
            self.counts["unchanged"] += 1
            return "unchanged"
        prior = self._existing.get(sid)
        if prior is not None and prior[1] == h:
            self.counts["unchanged"] += 1
            return "unchanged"
        assert prep[4] is not None, "rows were not prepared for a changed record"
        self._pending.append((prep, prior[0] if prior is not None else None))
        outcome: Outcome = "updated" if prior is not None else "inserted"
        self.counts[outcome] += 1
        if len(self._pending) >= self.batch:
            self.flush()
        return outcome

    def flush(self) -> None:
        if not self._pending:
            return
        if (
            self._bulk
            and self._set_aside is None
            and self.counts["inserted"] >= max(BULK_MIN_ROWS, self._rows_before)
        ):
            self._set_indexes_aside()
        pending, self._pending = self._pending, []
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        stamp: Any = now.strftime("%Y-%m-%d %H:%M:%S.%f") if self._sqlite else now
        kind, import_id = self.source_kind, self.import_id
        raw_ids: Sequence[int]
        # a source record back to content it had before (a revision undone) finds its
        # raw row already stored (raw_record is one row per distinct content)
        known = self._known_raws(pending) if self._existing else {}
        to_store = [(p, prior) for p, prior in pending if (p[0], p[1]) not in known]
        if self._sqlite:
            # every raw row has the same set of columns: no grouping by NULL columns
            first = self._first_id("raw_record")
            stored: Sequence[int] = range(first, first + len(to_store))
            cols: tuple[str, ...] = RAW_COLS if import_id is not None else RAW_COLS[:-1]
            raws: list[Row] = [
                (i, kind, p[0], p[1], p[2], import_id)[: len(cols)]
                for i, (p, _) in zip(stored, to_store, strict=True)
            ]
            if raws:
                self._executemany("raw_record", cols, raws)
        else:
            stored = (
                self._insert(
                    raw_record,
                    RAW_COLS,
                    [(None, kind, p[0], p[1], p[2], import_id) for p, _ in to_store],
                )
                if to_store
                else []
            )
        if known:
            fresh_ids = iter(stored)
            raw_ids = [known.get((p[0], p[1])) or next(fresh_ids) for p, _ in pending]
        else:
            raw_ids = stored
        new = [(p, rid) for (p, prior), rid in zip(pending, raw_ids, strict=True) if prior is None]
        changed = [
            (p, prior, rid)
            for (p, prior), rid in zip(pending, raw_ids, strict=True)
            if prior is not None
        ]
        ids: Sequence[int] = []
        kids: list[Children] = []
        if new and self._sqlite:
            start = self._first_id("incident")
            ids = range(start, start + len(new))
            tail = (import_id, stamp) if import_id is not None else (stamp,)
            groups: dict[tuple[int, ...] | None, list[Row]] = {}
            fresh = self.fresh
            for n, (p, rid) in enumerate(new):
                r, children = self._claim_code(p)
                kids.append(children)
                if fresh is not None:
                    if r is p[4] and p[7] is not None:  # (the code it was hashed with)
                        fresh.hashes[r[_CODE]] = p[7]
                    else:
                        assert p[6] is not None
                        fresh.add(r[_CODE], full_row(r, p[6]), children)
                g = groups.get(p[6])
                if g is None:
                    g = groups[p[6]] = []
                g.append((*r, start + n, rid, *tail))
            named: tuple[str, ...] = ("id", "raw_id", "import_id", "updated_at")
            if import_id is None:
                named = ("id", "raw_id", "updated_at")
            for shape, group in groups.items():
                assert shape is not None
                cols = (*HEAD_COLS, *(INCIDENT_COLS[i] for i in shape), *named)
                self._executemany("incident", cols, group)
        elif new:
            rows = []
            for p, rid in new:
                r, children = self._claim_code(p)
                assert p[6] is not None
                f = full_row(r, p[6])
                if self.fresh is not None:
                    if r is p[4] and p[7] is not None:
                        self.fresh.hashes[r[_CODE]] = p[7]
                    else:
                        self.fresh.add(r[_CODE], f, children)
                rows.append((None, *f[1:5], rid, *f[6:40], import_id, stamp, *f[42:]))
                kids.append(children)
            ids = self._insert(incident, INCIDENT_COLS, rows)
        self._insert_children(kids, ids)
        if self.fresh is None:
            self.touched.extend(ids)
        if changed:
            self._merge_changed(changed, stamp)

    def _merge_changed(self, changed: list[tuple[Prepared, int, int]], stamp: Any) -> None:
        """Changed source records: the source's values where they still come from the
        source, the person's elsewhere (see :mod:`civcas.store.merge`)."""
        ids = [iid for _, iid, _ in changed]
        fields = merge.provenance(self.conn, ids)
        for p, iid, rid in changed:
            own = fields.get(iid)
            self._update(p, iid, rid, stamp, own)
        batch = [(iid, p[5]) for p, iid, _ in changed]
        special = merge.merge_children(self.conn, self, batch, fields, self.import_id)
        if special:
            merge.denormalise(self.conn, sorted(special))
        self.touched.extend(ids)

    def _known_raws(self, pending: list[tuple[Prepared, int | None]]) -> dict[tuple[str, str], int]:
        """(source id, content hash) -> raw_record id of the pending records already
        stored."""
        out: dict[tuple[str, str], int] = {}
        sids = [p[0] for p, _ in pending]
        want = {(p[0], p[1]) for p, _ in pending}
        rr = raw_record.c
        for n in range(0, len(sids), 900):
            for rid, sid, h in self.conn.execute(
                select(rr.id, rr.source_id, rr.content_hash).where(
                    rr.source_kind == self.source_kind, rr.source_id.in_(sids[n : n + 900])
                )
            ):
                if (sid, h) in want:
                    out[(sid, h)] = int(rid)
        return out

    def finish(self) -> None:
        """Write what is pending, flag the vanished incidents (``withdraw_missing``),
        and rebuild any index set aside (before the commit)."""
        self.flush()
        back = [iid for sid, iid in self._withdrawn.items() if sid in self._seen]
        if back:
            merge.revive_incidents(self.conn, back)
            self.touched.extend(back)
        if self.withdraw_missing:
            gone = [
                iid
                for sid, (iid, _) in self._existing.items()
                if sid not in self._seen and sid not in self._withdrawn
            ]
            if gone:
                merge.withdraw_incidents(self.conn, gone, self.import_id)
                self.touched.extend(gone)
                self.merged["withdrawn"] = len(gone)
        statements, self._set_aside = self._set_aside, None
        if not statements:
            return
        # let SQLite's sorter use a second thread while it builds them
        threads = self.conn.exec_driver_sql("PRAGMA threads").scalar()
        self.conn.exec_driver_sql("PRAGMA threads = 2")
        try:
            for sql in statements:
                self.conn.exec_driver_sql(sql)
        finally:
            self.conn.exec_driver_sql(f"PRAGMA threads = {int(threads or 0)}")

    def _set_indexes_aside(self) -> None:
        """Drop the incident table's non-unique indexes until :meth:`finish`.

        Keeping a million-row table's date, governorate and tally indexes up to date row
        by row costs more than building them once at the end (a sort): about 20 s
        against 7 s for a million incidents. Done only by a bulk writer (its caller
        calls ``finish``) once this import has inserted at least ``BULK_MIN_ROWS`` and as
        many incidents as the table held before, so that the rebuild costs at most
        about what the import saves. SQLite's DDL is transactional: the indexes are
        dropped and rebuilt inside the import's one transaction, so a failed import
        rolls back to the indexes it found, and other connections never see the table
        without them. Unique indexes (constraints) are never touched; the writer's own
        lookups (ids, codes, source ids) do not use the ones set aside.
        """
        rows = self.conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incident'"
            " AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%' ORDER BY name"
        ).all()
        for name, _ in rows:
            self.conn.exec_driver_sql(f'DROP INDEX "{name}"')
        self._set_aside = [sql for _, sql in rows]

    def _claim_code(self, p: Prepared) -> tuple[Row, Children]:
        """A new incident's row with a code no other incident has, and its children.

        A code already taken gets ``/source_id`` appended: two source records sharing
        one code (Airwars TS631/TS633) are both kept, the shared code becoming an alias
        of the second.
        """
        if self._codes is None:
            self._codes = set(self.conn.execute(select(incident.c.code)).scalars())
        r, children = p[4], p[5]
        assert r is not None and children is not None
        code = r[_CODE]
        if code in self._codes:
            taken, code = code, f"{code}/{p[0]}"
            r = (code, *r[1:_DIGEST], row_digest(code, p[1]), *r[_DIGEST + 1 :])
            aliases = [*children[0], (taken,)]
            children = (list({a: None for a in aliases}), *children[1:])  # type: ignore[assignment]
        self._codes.add(code)
        return r, children

    def _update(
        self,
        p: Prepared,
        iid: int,
        raw_id: int,
        stamp: Any,
        own: dict[str, str | None] | None = None,
    ) -> None:
        """A changed record: same incident (id, code), new content, version + 1.

        ``own``: the fields a person set (field -> the source value they overrode):
        those keep the person's value, real disagreements are queued as conflicts."""
        assert p[4] is not None
        code = self.conn.execute(select(incident.c.code).where(incident.c.id == iid)).scalar_one()
        assert p[6] is not None
        values = dict(zip(INCIDENT_COLS, full_row(p[4], p[6]), strict=True))
        values.update(
            raw_id=raw_id,
            import_id=self.import_id,
            updated_at=stamp,
            row_digest=row_digest(code, p[1]),  # the digest follows the new content hash
        )
        for k in _UPDATE_SKIP:
            del values[k]
        values["withdrawn_import_id"] = None
        if own:
            self.merged["conflicts"] += merge.split_team_fields(
                self.conn, iid, values, own, self.import_id
            )
        if self._sqlite:
            names = list(values)
            self.conn.exec_driver_sql(
                f"UPDATE incident SET {', '.join(f'{n} = ?' for n in names)}, "
                "version = version + 1 WHERE id = ?",
                (*values.values(), iid),
            )
        else:
            self.conn.execute(
                update(incident)
                .where(incident.c.id == iid)
                .values(version=incident.c.version + 1, **values)
            )

    def _incident_row(self, inc: Incident, h: str) -> Row:
        """Every INCIDENT_COLS value; id, raw_id, import_id, updated_at are set at flush."""
        first = inc.belligerents[0] if inc.belligerents else None
        p = inc.place
        day = self._day
        k, i, c, w, m = (
            inc.killed,
            inc.injured,
            inc.children_killed,
            inc.women_killed,
            inc.men_killed,
        )
        start = inc.date_start
        named = 0  # (enum ``_value_``: the plain string, without Enum's slow property)
        for v in inc.victims:
            if v.status == _KILLED and (v.name or v.name_ar):
                named += 1
        return (
            None,
            inc.code,
            inc.source_kind,
            inc.source_id,
            h,
            None,
            day(start),
            day(inc.date_end),
            inc.date_precision._value_,
            None if start is None else f"{start.year:04d}-{start.month:02d}",
            p.name_en,
            p.name_ar,
            p.governorate_en,
            p.governorate_ar,
            p.country,
            p.latitude,
            p.longitude,
            p.precision._value_,
            "; ".join([b.belligerent for b in inc.belligerents]) or None,
            inc.strike_type._value_,
            inc.grade._value_ if inc.grade else None,
            inc.grade_reason,
            k.min,
            k.max,
            i.min,
            i.max,
            c.min,
            c.max,
            w.min,
            w.max,
            m.min,
            m.max,
            first.assessment._value_ if first else None,
            first.deaths_conceded.min if first else None,
            first.deaths_conceded.max if first else None,
            named,
            inc.summary,
            inc.url,
            (1 if inc.published else 0) if self._sqlite else bool(inc.published),
            1,
            None,
            None,
            row_digest(inc.code, h),
            inc.strike_status._value_ if inc.strike_status else None,
            inc.fatalities_all,
        )

    def _children(self, inc: Incident) -> Children:
        """Rows of the child tables, without their id and incident id (set at flush)."""
        if not (inc.aliases or inc.belligerents or inc.statements or inc.sources or inc.victims):
            return _NO_CHILDREN
        day = self._day
        return (
            [(a,) for a in dict.fromkeys(inc.aliases)],
            [
                (
                    b.belligerent,
                    b.belligerent.lower(),
                    b.role,
                    b.assessment._value_,
                    b.deaths_conceded.min,
                    b.deaths_conceded.max,
                    b.injuries_conceded.min,
                    b.injuries_conceded.max,
                    "; ".join(b.reasons) or None,
                    b.strike_report_url,
                )
                for b in inc.belligerents
            ],
            [(s.belligerent, day(s.date), s.url, s.text) for s in inc.statements],
            [
                (
                    src.url,
                    src.publisher,
                    src.language,
                    day(src.date),
                    src.type._value_,
                    src.title,
                    src.sha256,
                )
                for src in inc.sources
            ],
            [
                (
                    v.order,
                    v.name,
                    v.name_ar,
                    v.sex._value_,
                    v.age,
                    v.age_group._value_,
                    v.status._value_,
                    v.group_name,
                )
                for v in inc.victims
            ],
        )

    def _insert_children(self, kids: list[Children], ids: Sequence[int]) -> None:
        per_table: list[list[Row]] = [[], [], [], [], []]
        for children, iid in zip(kids, ids, strict=True):
            if children is _NO_CHILDREN:
                continue
            for rows, out in zip(children, per_table, strict=True):
                for r in rows:
                    out.append((None, iid, *r))
        aliases = [r[1:] for r in per_table[0]]  # incident_alias has no id column
        for table, cols, rows in (
            (incident_alias, ALIAS_COLS, aliases),
            (incident_belligerent, BELLIGERENT_COLS, per_table[1]),
            (statement, STATEMENT_COLS, per_table[2]),
            (source, SOURCE_COLS, per_table[3]),
            (victim, VICTIM_COLS, per_table[4]),
        ):
            if rows:
                self._insert(table, cols, rows, want_ids=False)

    def _insert(
        self, table: Table, cols: tuple[str, ...], rows: list[Row], want_ids: bool = True
    ) -> list[int]:
        """Insert rows (tuples in ``cols`` order; an "id" first is assigned here).

        Returns the new ids, in the order of ``rows``.
        """
        has_id = cols[0] == "id"
        if not self._sqlite:
            if has_id:
                dicts = [dict(zip(cols[1:], r[1:], strict=True)) for r in rows]
            else:
                dicts = [dict(zip(cols, r, strict=True)) for r in rows]
            if not (has_id and want_ids):
                self.conn.execute(insert(table), dicts)
                return []
            res = self.conn.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), dicts
            )
            return [r[0] for r in res]
        ids: list[int] = []
        if has_id:
            # ids in input order, so that grouping rows by their NULL columns below
            # keeps children (victims of one incident) in the order they were given
            first = self._first_id(table.name)
            ids = list(range(first, first + len(rows)))
            rows = [(i, *r[1:]) for i, r in zip(ids, rows, strict=True)]
        self._sqlite_insert(table.name, cols, rows)
        return ids

    def _first_id(self, table: str) -> int:
        """The next free id of a table (SQLite: this transaction holds the write lock)."""
        return int(
            self.conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").scalar_one()
        )

    def _executemany(self, name: str, cols: Sequence[str], rows: list[Row]) -> None:
        sql = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        self.conn.exec_driver_sql(sql, rows)  # type: ignore[arg-type]

    def _sqlite_insert(self, name: str, cols: tuple[str, ...], rows: list[Row]) -> None:
        """One executemany per pattern of NULL columns, the NULL columns left out."""
        nones = (None,) * len(cols)
        groups: dict[tuple[bool, ...], list[Row]] = {}
        for r in rows:
            key = tuple(map(is_, r, nones))
            g = groups.get(key)
            if g is None:
                groups[key] = [r]
            else:
                g.append(r)
        for key, group in groups.items():
            keep = [i for i, null in enumerate(key) if not null]
            if len(keep) == len(cols):
                params: list[Row] = group
            elif len(keep) == 1:
                params = [(r[keep[0]],) for r in group]
            else:
                params = list(map(itemgetter(*keep), group))
            self._executemany(name, [cols[i] for i in keep], params)
