"""Writing incidents: idempotent upserts keyed by (source_kind, source_id, content hash).

The writer runs inside the caller's transaction, so an import is all-or-nothing: the
importer validates while it streams, and a single bad row rolls everything back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from operator import itemgetter
from typing import Any, Literal

from sqlalchemy import Boolean, Connection, Date, DateTime, Table, delete, insert, select, update

from ..model.records import Incident
from ..model.vocab import VictimStatus
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


def canonical_json(raw: Any) -> str:
    """The raw record as sorted, compact JSON: hashed, and stored as the raw original."""
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def content_hash(raw: Any) -> str:
    """SHA-256 of the canonical JSON of a raw record (key order does not matter)."""
    return hashlib.sha256(canonical_json(raw).encode("utf-8")).hexdigest()


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


class IncidentWriter:
    """Buffers incidents and writes them in batches on one connection."""

    def __init__(
        self, conn: Connection, source_kind: str, import_id: int | None, batch: int = 5000
    ):
        self.conn = conn
        self.source_kind = source_kind
        self.import_id = import_id
        self.batch = batch
        self.counts = {"inserted": 0, "updated": 0, "unchanged": 0}
        self._existing: dict[str, tuple[int, str]] = {
            sid: (iid, h)
            for iid, sid, h in conn.execute(
                select(incident.c.id, incident.c.source_id, incident.c.content_hash).where(
                    incident.c.source_kind == source_kind
                )
            )
        }
        self._codes: set[str] = set(conn.execute(select(incident.c.code)).scalars())
        self._pending: list[tuple[Incident, str]] = []
        self._seen: set[str] = set()
        # SQLite: plain executemany with ids assigned here (RETURNING would cost one
        # statement per row); safe because this transaction already holds the write lock
        self._sqlite = conn.dialect.name == "sqlite"
        self._raw_text: dict[int, str] = {}  # serialised once: hashed in add, stored in flush
        if self._sqlite:
            conn.exec_driver_sql("PRAGMA cache_size=-65536")  # 64 MB: index upkeep of big loads
        self._now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def add(self, inc: Incident) -> Outcome:
        if inc.source_kind != self.source_kind:
            raise ValueError(f"writer for {self.source_kind!r} got {inc.source_kind!r}")
        text = canonical_json(inc.raw)
        h = hashlib.sha256(text.encode("utf-8")).hexdigest()
        prior = self._existing.get(inc.source_id)
        if inc.source_id in self._seen:
            raise ValueError(f"source id {inc.source_id!r} appears twice in one import")
        self._seen.add(inc.source_id)
        if prior is not None and prior[1] == h:
            self.counts["unchanged"] += 1
            return "unchanged"
        self._pending.append((inc, h))
        self._raw_text[id(inc)] = text
        outcome: Outcome = "updated" if prior else "inserted"
        self.counts[outcome] += 1
        if len(self._pending) >= self.batch:
            self.flush()
        return outcome

    def flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        self._now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        raw_ids = self._insert_raw(pending)
        new = [
            (inc, h, rid)
            for (inc, h), rid in zip(pending, raw_ids, strict=True)
            if inc.source_id not in self._existing
        ]
        changed = [
            (inc, h, rid)
            for (inc, h), rid in zip(pending, raw_ids, strict=True)
            if inc.source_id in self._existing
        ]
        ids: list[int] = []
        if new:
            rows = [self._row(inc, h, rid) for inc, h, rid in new]
            ids = self._insert_returning_ids(incident, rows)
            for (inc, h, _), iid in zip(new, ids, strict=True):
                self._existing[inc.source_id] = (iid, h)
        changed_ids: list[int] = []
        for inc, h, rid in changed:
            iid = self._existing[inc.source_id][0]
            row = self._row(inc, h, rid, keep_code=True)
            row["version"] = incident.c.version + 1
            self.conn.execute(update(incident).where(incident.c.id == iid).values(**row))
            self._existing[inc.source_id] = (iid, h)
            changed_ids.append(iid)
        if changed_ids:
            for table in (incident_alias, incident_belligerent, statement, source, victim):
                self.conn.execute(delete(table).where(table.c.incident_id.in_(changed_ids)))
        self._insert_children(
            [inc for inc, _, _ in new] + [inc for inc, _, _ in changed], ids + changed_ids
        )

    def _insert_raw(self, pending: list[tuple[Incident, str]]) -> list[int | None]:
        rows = [
            {
                "source_kind": inc.source_kind,
                "source_id": inc.source_id,
                "content_hash": h,
                "raw": self._raw_text.pop(id(inc), None) or canonical_json(inc.raw),
                "import_id": self.import_id,
            }
            for inc, h in pending
        ]
        return list(self._insert_returning_ids(raw_record, rows))

    def _insert_returning_ids(self, table: Table, rows: list[dict[str, Any]]) -> list[int]:
        if not self._sqlite:
            res = self.conn.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
            )
            return [r[0] for r in res]
        start = int(
            self.conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table.name}").scalar_one()
        )
        ids = list(range(start + 1, start + 1 + len(rows)))
        for row, i in zip(rows, ids, strict=True):
            row["id"] = i
        self._sqlite_insert(table, rows)
        return ids

    def _sqlite_insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """executemany on the driver, values adapted as SQLAlchemy's SQLite types store them."""
        cols = list(rows[0])
        memo: dict[Any, Any] = {}

        def stamp(v: Any) -> Any:
            if v not in memo:
                memo[v] = v.strftime("%Y-%m-%d %H:%M:%S.%f")
            return memo[v]

        def day(v: Any) -> Any:
            return v.isoformat()

        fix: list[tuple[int, Any]] = []
        for i, c in enumerate(cols):
            t = table.c[c].type
            if isinstance(t, DateTime):
                fix.append((i, stamp))
            elif isinstance(t, Date):
                fix.append((i, day))
            elif isinstance(t, Boolean):
                fix.append((i, int))
        sql = (
            f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
        )
        get = itemgetter(*cols)
        if len(cols) == 1:
            params: list[Any] = [(get(r),) for r in rows]
        elif not fix:
            params = [get(r) for r in rows]
        else:
            params = []
            for r in rows:
                vals = list(get(r))
                for i, fn in fix:
                    if vals[i] is not None:
                        vals[i] = fn(vals[i])
                params.append(tuple(vals))
        self.conn.exec_driver_sql(sql, params)

    def _row(
        self, inc: Incident, h: str, raw_id: int | None, keep_code: bool = False
    ) -> dict[str, Any]:
        code = inc.code
        if not keep_code:
            if code in self._codes:
                # two source records share one code (Airwars TS631/TS633): keep both
                inc.aliases.append(code)
                code = f"{code}/{inc.source_id}"
            self._codes.add(code)
        first = inc.belligerents[0] if inc.belligerents else None
        p = inc.place
        row: dict[str, Any] = {
            "source_kind": inc.source_kind,
            "source_id": inc.source_id,
            "content_hash": h,
            "raw_id": raw_id,
            "date_start": inc.date_start,
            "date_end": inc.date_end,
            "date_precision": inc.date_precision.value,
            "month": inc.date_start.strftime("%Y-%m") if inc.date_start else None,
            "location_en": p.name_en,
            "location_ar": p.name_ar,
            "governorate_en": p.governorate_en,
            "governorate_ar": p.governorate_ar,
            "country": p.country,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "location_precision": p.precision.value,
            "belligerents": "; ".join(b.belligerent for b in inc.belligerents) or None,
            "strike_type": inc.strike_type.value,
            "grade": inc.grade.value if inc.grade else None,
            "grade_reason": inc.grade_reason,
            "killed_min": inc.killed.min,
            "killed_max": inc.killed.max,
            "injured_min": inc.injured.min,
            "injured_max": inc.injured.max,
            "children_killed_min": inc.children_killed.min,
            "children_killed_max": inc.children_killed.max,
            "women_killed_min": inc.women_killed.min,
            "women_killed_max": inc.women_killed.max,
            "men_killed_min": inc.men_killed.min,
            "men_killed_max": inc.men_killed.max,
            "assessment": first.assessment.value if first else None,
            "conceded_min": first.deaths_conceded.min if first else None,
            "conceded_max": first.deaths_conceded.max if first else None,
            "named_victims": sum(
                1 for v in inc.victims if v.status == VictimStatus.KILLED and (v.name or v.name_ar)
            ),
            "summary": inc.summary,
            "url": inc.url,
            "published": inc.published,
            "import_id": self.import_id,
            "updated_at": self._now,
        }
        if not keep_code:
            row["code"] = code
            row["version"] = 1
        return row

    def _insert_children(self, incs: Iterable[Incident], ids: Iterable[int]) -> None:
        aliases: list[dict[str, Any]] = []
        bells: list[dict[str, Any]] = []
        stmts: list[dict[str, Any]] = []
        srcs: list[dict[str, Any]] = []
        vics: list[dict[str, Any]] = []
        for inc, iid in zip(incs, ids, strict=True):
            for a in dict.fromkeys(inc.aliases):
                aliases.append({"incident_id": iid, "alias": a})
            for b in inc.belligerents:
                bells.append(
                    {
                        "incident_id": iid,
                        "belligerent": b.belligerent,
                        "belligerent_key": b.belligerent.lower(),
                        "role": b.role,
                        "assessment": b.assessment.value,
                        "deaths_conceded_min": b.deaths_conceded.min,
                        "deaths_conceded_max": b.deaths_conceded.max,
                        "injuries_conceded_min": b.injuries_conceded.min,
                        "injuries_conceded_max": b.injuries_conceded.max,
                        "reasons": "; ".join(b.reasons) or None,
                        "strike_report_url": b.strike_report_url,
                    }
                )
            for s in inc.statements:
                stmts.append(
                    {
                        "incident_id": iid,
                        "belligerent": s.belligerent,
                        "date": s.date,
                        "url": s.url,
                        "text": s.text,
                    }
                )
            for src in inc.sources:
                srcs.append(
                    {
                        "incident_id": iid,
                        "url": src.url,
                        "publisher": src.publisher,
                        "language": src.language,
                        "date": src.date,
                        "type": src.type.value,
                        "title": src.title,
                        "sha256": src.sha256,
                    }
                )
            for v in inc.victims:
                vics.append(
                    {
                        "incident_id": iid,
                        "victim_order": v.order,
                        "name": v.name,
                        "name_ar": v.name_ar,
                        "sex": v.sex.value,
                        "age": v.age,
                        "age_group": v.age_group.value,
                        "status": v.status.value,
                        "group_name": v.group_name,
                    }
                )
        for table, rows in (
            (incident_alias, aliases),
            (incident_belligerent, bells),
            (statement, stmts),
            (source, srcs),
            (victim, vics),
        ):
            if rows and self._sqlite:
                self._sqlite_insert(table, rows)
            elif rows:
                self.conn.execute(insert(table), rows)
