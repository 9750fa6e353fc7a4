"""The fast paths of a big import give exactly what the plain paths give.

- the template canonical JSON of flat string rows is byte for byte ``json.dumps``;
- the leaner CSV row reader keeps csv.DictReader's rules;
- an import read by the worker process writes the same rows as one without it, and
  rejects a bad file with the same problems.
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from pathlib import Path

import pytest

from civcas.io.common import csv_rows
from civcas.io.importers import import_file
from civcas.model.errors import InputError
from civcas.store.engine import Store
from civcas.store.writer import canonical_json
from civcas.tally import tally

HOSTILE = ['"', "\\", "\n", "\t", "\x00", "\x1f", "\u2028", "é", "ر", "%s", "%%", "💥", " ", ""]


def _plain(raw: object) -> str:
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def test_canonical_json_is_json_dumps() -> None:
    rng = random.Random(7)
    keys = ["a", "b", "B", "ä", "%d", "x y", '"q"', "10", "9"]
    for _ in range(3000):
        n = rng.randrange(1, 8)
        raw = {
            rng.choice(keys) + rng.choice(HOSTILE): "".join(rng.choices(HOSTILE + ["abc"], k=3))
            for _ in range(n)
        }
        assert canonical_json(raw) == _plain(raw)
    # not flat strings: the plain path, same text
    for raw in ({"a": 1}, {"a": None}, {"a": ["x"]}, {1: "a"}, {}, [1, 2], "s"):
        assert canonical_json(raw) == _plain(raw)


def test_csv_rows_keeps_dictreader_rules(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        " a ,b,a,c\n1,2,3,4\n\n5,6\n7,8,9,10,11,12\n,,,\n",
        encoding="utf-8",
    )
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        reader.fieldnames = [h.strip() for h in reader.fieldnames or []]
        expected = [
            (i, {k: (v if v is not None else "") for k, v in row.items() if k is not None})
            for i, row in enumerate(reader, start=1)
        ]
    assert list(csv_rows(path)) == expected


def _ibc_like(path: Path, rows: int, bad: dict[int, tuple[str, str]] | None = None) -> Path:
    rng = random.Random(rows)
    header = [
        "ibc_code", "start_date", "end_date", "location", "target", "weapons",
        "reported_minimum", "reported_maximum", "sources", "date_start", "date_end",
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for i in range(1, rows + 1):
            day = f"20{rng.randrange(3, 17):02d}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            lo = rng.randrange(0, 40)
            row = {
                "ibc_code": f"k{i}" if i % 500 else "k1",  # a few repeated codes
                "start_date": "",
                "end_date": "",
                "location": rng.choice(["Mosul", "Baghdad", "حلب", ""]),
                "target": rng.choice(["market", "", "police"]),
                "weapons": rng.choice(["air strike", "gunfire", "", "IED"]),
                "reported_minimum": str(lo),
                "reported_maximum": str(lo + rng.randrange(0, 3)) if i % 7 else "",
                "sources": rng.choice(["AFP", "Reuters, AP", ""]),
                "date_start": day,
                "date_end": day,
            }
            if bad and i in bad:
                col, value = bad[i]
                row[col] = value
            w.writerow(row)
    return path


def _content(db: Path) -> list[list[tuple[object, ...]]]:
    con = sqlite3.connect(db)
    try:
        incident_cols = [
            r[1] for r in con.execute("PRAGMA table_info(incident)") if r[1] != "updated_at"
        ]
        return [
            con.execute(f"SELECT {', '.join(incident_cols)} FROM incident ORDER BY id").fetchall(),
            con.execute("SELECT * FROM raw_record ORDER BY id").fetchall(),
            con.execute("SELECT * FROM source ORDER BY id").fetchall(),
            con.execute("SELECT * FROM incident_alias ORDER BY incident_id, alias").fetchall(),
        ]
    finally:
        con.close()


def test_worker_process_writes_the_same_rows(tmp_path: Path) -> None:
    data = _ibc_like(tmp_path / "ibc.csv", 6000)
    runs = {}
    for parallel in (False, True):
        db = tmp_path / f"p{parallel}.db"
        store = Store(str(db))
        first = import_file(store, "ibc", data, parallel=parallel)
        again = import_file(store, "ibc", data, parallel=parallel)
        assert (first.inserted, first.rejected) == (6000, 0)
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, 6000)
        runs[parallel] = (first.unmapped, tally(store).to_json(), _content(db))
        store.dispose()
    assert runs[True][0]["duplicate_id"]  # the reader's notes come back from the worker
    assert runs[True] == runs[False]


def test_worker_process_rejects_the_same_rows(tmp_path: Path) -> None:
    bad = {
        10: ("reported_minimum", "-3"),
        2500: ("date_start", "2017-13-45"),
        5999: ("ibc_code", ""),
    }
    data = _ibc_like(tmp_path / "bad.csv", 6000, bad)
    found = {}
    for parallel in (False, True):
        store = Store(str(tmp_path / f"b{parallel}.db"))
        with pytest.raises(InputError) as err:
            import_file(store, "ibc", data, parallel=parallel)
        found[parallel] = [(p.row, p.field, p.value) for p in err.value.problems]
        assert tally(store).totals["incidents"] == 0  # nothing half-imported
        res = import_file(
            store, "ibc", data, parallel=parallel, skip_invalid=True,
            reject_path=tmp_path / f"rejects{parallel}.csv",
        )  # fmt: skip
        assert (res.inserted, res.rejected) == (5997, 3)
        store.dispose()
    assert (
        found[True]
        == found[False]
        == [
            (10, "reported_minimum", "-3"),
            (2500, "date_start", "2017-13-45"),
            (5999, "ibc_code", ""),
        ]
    )
    assert (tmp_path / "rejectsTrue.csv").read_text(encoding="utf-8") == (
        tmp_path / "rejectsFalse.csv"
    ).read_text(encoding="utf-8")


def _indexes(db: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " ORDER BY name"
        ).fetchall()
    finally:
        con.close()


def test_indexes_set_aside_give_the_same_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk import that drops and rebuilds the incident indexes writes what one that
    keeps them writes, rebuilds every index as it was, and a failed one keeps them."""
    from civcas.store import writer

    data = _ibc_like(tmp_path / "ibc.csv", 6000)
    runs = {}
    for bulk_min in (10**9, 1000):
        monkeypatch.setattr(writer, "BULK_MIN_ROWS", bulk_min)
        db = tmp_path / f"b{bulk_min}.db"
        store = Store(str(db))
        before = _indexes(db)
        dropped: list[str] = []
        real = writer.IncidentWriter._set_indexes_aside

        def spy(self: writer.IncidentWriter, real=real, dropped=dropped) -> None:  # type: ignore[no-untyped-def]
            real(self)
            dropped.extend(self._set_aside or [])

        monkeypatch.setattr(writer.IncidentWriter, "_set_indexes_aside", spy)
        first = import_file(store, "ibc", data, parallel=False)
        assert first.inserted == 6000
        assert _indexes(db) == before
        assert bool(dropped) == (bulk_min == 1000)
        if dropped:
            assert any("ix_incident_tally" in sql for sql in dropped)
            assert not any("UNIQUE" in sql.upper() for sql in dropped)
        again = import_file(store, "ibc", data, parallel=False)
        assert again.unchanged == 6000
        runs[bulk_min] = (tally(store).to_json(), _content(db))
        # a file that fails after the indexes were dropped leaves everything as it was
        bad = _ibc_like(tmp_path / f"bad{bulk_min}.csv", 6000, {5990: ("reported_minimum", "x")})
        con = sqlite3.connect(db)
        con.execute("DELETE FROM source")
        con.execute("DELETE FROM incident")
        con.execute("DELETE FROM raw_record")
        con.commit()
        con.close()
        with pytest.raises(InputError):
            import_file(store, "ibc", bad, parallel=False)
        assert _indexes(db) == before
        assert tally(store).totals["incidents"] == 0
        store.dispose()
    assert runs[1000] == runs[10**9]


def test_worker_pump_ends_when_the_writer_stops_early(tmp_path: Path) -> None:
    """Leaving the parallel import early (the consumer fails) ends the reader process
    and the thread that empties its pipe."""
    import threading

    from civcas.io.importers import reader_for, with_raw
    from civcas.io.worker import prepared_in_parallel
    from civcas.store.writer import IncidentWriter

    data = _ibc_like(tmp_path / "ibc.csv", 20000)
    store = Store(str(tmp_path / "p.db"))
    kind, reader = reader_for("ibc")
    with store.begin() as conn:
        w = IncidentWriter(conn, kind, None)
        items = prepared_in_parallel(with_raw(reader(data, {})), w, {})
        assert next(items)[0] == 1
        items.close()
    assert not any(t.name == "civcas-import-pump" for t in threading.enumerate())
    store.dispose()
