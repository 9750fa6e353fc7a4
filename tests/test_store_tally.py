"""Store + tally on hand-built incidents, on SQLite and the real PostgreSQL server."""

from __future__ import annotations

import datetime as dt

import pytest

from civcas.model import (
    Assessment,
    BelligerentAssessment,
    CountRange,
    Grade,
    Incident,
    IncidentFilter,
    InputError,
    Near,
    Place,
    Victim,
)
from civcas.store import IncidentWriter, Store
from civcas.tally import tally


def _inc(
    i: int,
    grade: Grade | None,
    killed: tuple[int | None, int | None],
    month: int = 6,
    conceded: int | None = None,
    gov: str = "Raqqa",
    lat: float = 35.95,
    lon: float = 39.01,
) -> Incident:
    bell = BelligerentAssessment(
        "US-led Coalition",
        assessment=Assessment.CREDIBLE if conceded is not None else Assessment.NON_CREDIBLE,
        deaths_conceded=CountRange(conceded, conceded),
    )
    return Incident(
        source_kind="test",
        source_id=str(i),
        code=f"T{i}",
        date_start=dt.date(2017, month, 10 + i % 10),
        place=Place(
            name_en=f"place {i}",
            governorate_en=gov,
            governorate_ar="الرقة" if gov == "Raqqa" else None,
            latitude=lat,
            longitude=lon,
        ),
        belligerents=[bell],
        grade=grade,
        killed=CountRange(*killed),
        victims=[Victim(name=f"victim {i}")] if i % 2 else [],
        raw={"id": i, "grade": str(grade)},
    )


INCIDENTS = [
    _inc(1, Grade.CONFIRMED, (3, 5), conceded=2),
    _inc(2, Grade.FAIR, (10, 12), month=7),
    _inc(3, Grade.WEAK, (1, 1), month=7),
    _inc(4, Grade.FAIR, (None, None), month=8),
    _inc(5, Grade.CONTESTED, (4, None), month=8, gov="Aleppo", lat=36.2, lon=37.15),
    _inc(6, Grade.CONFIRMED, (None, 7), month=9, conceded=1),
]


def load(store: Store, incidents: list[Incident]) -> dict[str, int]:
    with store.begin() as conn:
        w = IncidentWriter(conn, "test", None)
        for inc in incidents:
            w.add(inc)
        w.flush()
        return w.counts


def test_tally_and_idempotent_reimport(db_url: str) -> None:
    store = Store(db_url)
    assert load(store, INCIDENTS)["inserted"] == 6
    t = tally(store)
    assert (t.totals["incidents"], t.totals["killed_min"], t.totals["killed_max"]) == (6, 25, 29)
    assert t.totals["incidents_unknown_count"] == 1
    assert t.likely == {**t.likely, "incidents": 4, "killed_min": 20, "killed_max": 24}
    # no party named: no overall comparison; the one party's row compares its own incidents
    assert t.conceded is None and t.ratio is None
    (row,) = t.by_belligerent
    assert row["belligerent"] == "US-led Coalition"
    assert row["conceded"] == {
        "incidents_credible": 2,
        "deaths_min": 3,
        "deaths_max": 3,
        "incidents_in_scope": 6,
        "incidents_with_assessment": 6,
    }
    assert row["ratio_likely_to_conceded"] == {"min": round(20 / 3, 2), "max": 8.0}
    assert row["coverage"] == 1.0
    named = tally(store, IncidentFilter.parse(belligerent="US-led Coalition"))
    assert named.conceded is not None
    assert {k: named.conceded[k] for k in ("incidents_credible", "deaths_min", "deaths_max")} == {
        "incidents_credible": 2,
        "deaths_min": 3,
        "deaths_max": 3,
    }
    assert named.ratio == {"min": round(20 / 3, 2), "max": 8.0}
    assert t.totals["named_victims"] == 3
    assert list(t.by_month) == ["2017-06", "2017-07", "2017-08", "2017-09"]
    before = t.snapshot
    # the same data again: nothing changes
    assert load(store, INCIDENTS) == {"inserted": 0, "updated": 0, "unchanged": 6}
    assert tally(store).snapshot == before
    # one record changed at the source: updated in place, the old raw record kept
    changed = INCIDENTS[:2] + [_inc(3, Grade.FAIR, (2, 2), month=7)] + INCIDENTS[3:]
    changed[2].raw["grade"] = "Fair"
    assert load(store, changed) == {"inserted": 0, "updated": 1, "unchanged": 5}
    assert tally(store).likely["incidents"] == 5
    assert tally(store).snapshot != before


def test_filters(db_url: str) -> None:
    store = Store(db_url)
    load(store, INCIDENTS)
    f = IncidentFilter.parse(date_from="2017-07-01", date_to="2017-08-31")
    assert tally(store, f).totals["incidents"] == 4
    assert tally(store, IncidentFilter.parse(governorate="raqqa")).totals["incidents"] == 5
    assert tally(store, IncidentFilter.parse(governorate="الرقة")).totals["incidents"] == 5
    assert (
        tally(store, IncidentFilter.parse(belligerent="us-led coalition")).totals["incidents"] == 6
    )
    assert tally(store, IncidentFilter.parse(belligerent="Russia")).totals["incidents"] == 0
    assert tally(store, IncidentFilter.parse(grades="Confirmed")).totals["killed_max"] == 12
    near = IncidentFilter(near=Near(35.95, 39.01, 10))
    assert tally(store, near).totals["incidents"] == 5


def test_bad_filter_names_parameter() -> None:
    with pytest.raises(InputError, match="'from'"):
        IncidentFilter.parse(date_from="2017-13-01")
    with pytest.raises(InputError, match="'grades'"):
        IncidentFilter.parse(grades="Confirmed,Likely")


def _expected_snapshot(rows: list[tuple[str, str, int]]) -> str:
    """The documented snapshot definition (docs/io.md), written out again."""
    import hashlib

    sums = [0, 0, 0]
    for code, content_hash, version in rows:
        d = int.from_bytes(hashlib.sha256(f"{code}\t{content_hash}".encode()).digest()[:8]) >> 2
        lo = d % 2**31
        for i, t in enumerate((d // 2**31, lo, ((lo | 1) * version) % 2**31)):
            sums[i] += t
    text = "".join(f"{v}\n" for v in ["civcas-snapshot/2", len(rows), *sums])
    return hashlib.sha256(text.encode()).hexdigest()


def _records(store: Store, where: str = "published = true") -> list[tuple[str, str, int]]:
    from sqlalchemy import text

    with store.connect() as conn:
        q = f"SELECT code, content_hash, version FROM incident WHERE {where}"
        return [tuple(r) for r in conn.execute(text(q))]  # type: ignore[misc]


def test_snapshot_is_the_documented_hash(db_url: str) -> None:
    from sqlalchemy import text

    store = Store(db_url)
    load(store, INCIDENTS)
    assert tally(store).snapshot == _expected_snapshot(_records(store))
    f = IncidentFilter.parse(date_from="2017-07-01", date_to="2017-08-31")
    july_august = "date_start BETWEEN '2017-07-01' AND '2017-08-31'"
    assert tally(store, f).snapshot == _expected_snapshot(_records(store, july_august))
    before = tally(store).snapshot
    with store.begin() as conn:  # an edit raises the version: the snapshot moves
        conn.execute(text("UPDATE incident SET version = version + 1 WHERE code = 'T2'"))
    edited = tally(store).snapshot
    assert edited != before and edited == _expected_snapshot(_records(store))
    with store.begin() as conn:  # a record written without a digest counts the same
        conn.execute(text("UPDATE incident SET row_digest = NULL WHERE code IN ('T1', 'T5')"))
    assert tally(store).snapshot == edited
    assert tally(store, f).snapshot == _expected_snapshot(_records(store, july_august))


def test_snapshot_does_not_depend_on_insertion_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = Store(str(tmp_path / "a.db")), Store(str(tmp_path / "b.db"))
    load(a, INCIDENTS)
    load(b, list(reversed(INCIDENTS)))
    assert tally(a).to_json() == tally(b).to_json()


def test_migration_backfills_digests(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from civcas.store.writer import row_digest

    store = Store(str(tmp_path / "old.db"), upgrade=False)
    store.upgrade("0001_initial")  # a database from before the digest column
    with store.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO incident (id, code, source_kind, source_id, content_hash, "
                "date_precision, location_precision, strike_type, named_victims, published, "
                "version) VALUES (1, 'OLD-1', 'x', '1', 'abc', 'day', 'unknown', 'unknown', 0, "
                "1, 3)"
            )
        )
    store.upgrade()
    with store.connect() as conn:
        got = conn.execute(text("SELECT row_digest FROM incident")).scalar_one()
    assert got == row_digest("OLD-1", "abc")
    assert tally(store).snapshot == _expected_snapshot([("OLD-1", "abc", 3)])
