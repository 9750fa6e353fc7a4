"""civcas's JSON export reads back whole: `import civcas-json` (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from iohelp import run_cli, tally_json

from civcas.io.demo import load_demo
from civcas.io.importers import import_file
from civcas.model.errors import InputError
from civcas.store.engine import Store

# what changes when a record moves to another database (ids, import, bookkeeping)
MOVED = {
    "source_kind", "source_id", "content_hash", "import_id", "updated_at", "version",
    "row_digest", "raw_id", "id",
}  # fmt: skip


def _export(db: str, out: Path) -> dict[str, Any]:
    res = run_cli("--db", db, "export", "--format", "json", "-o", str(out))
    assert res.exit_code == 0, res.output
    doc: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return doc


def _comparable(doc: dict[str, Any]) -> dict[str, Any]:
    return {i["code"]: {k: v for k, v in i.items() if k not in MOVED} for i in doc["incidents"]}


def test_demo_through_json_is_the_same_record(tmp_path: Path) -> None:
    db, back = str(tmp_path / "demo.db"), str(tmp_path / "back.db")
    load_demo(Store(db))
    first = _export(db, tmp_path / "a.json")
    res = import_file(Store(back), "civcas-json", tmp_path / "a.json")
    assert (res.inserted, res.rejected) == (547, 0)
    # the whole tally of the party the demo is about; only the snapshot hash differs
    # (it is made of the records' content hashes, which are new)
    want, got = (tally_json(d, "--belligerent", "US-led Coalition") for d in (db, back))
    assert want.pop("snapshot_sha256") != got.pop("snapshot_sha256")
    assert got == want
    # every incident with its belligerents, victims, statements, sources and aliases
    second = _export(back, tmp_path / "b.json")
    assert _comparable(second) == _comparable(first)
    again = import_file(Store(back), "civcas-json", tmp_path / "a.json")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 547)


def test_conflict_events_through_json(shared_data: Path, tmp_path: Path) -> None:
    """GED and ACLED records keep their civilian counts and all-fatality figures."""
    db, back = str(tmp_path / "ev.db"), str(tmp_path / "back.db")
    store = Store(db)
    exports = shared_data / "conflict-exports"
    import_file(store, "ucdp-ged", exports / "ucdp-ged-23.1-sample.csv")
    import_file(store, "acled", exports / "acled-2016-sample.csv")
    first = _export(db, tmp_path / "a.json")
    import_file(Store(back), "civcas-json", tmp_path / "a.json")
    assert _comparable(_export(back, tmp_path / "b.json")) == _comparable(first)


def test_not_an_export_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"incidents": 3}', encoding="utf-8")
    with pytest.raises(InputError, match="not a civcas JSON export"):
        import_file(Store(str(tmp_path / "x.db")), "civcas-json", p)
    p.write_text(
        '{"civcas": {}, "incidents": [{"code": "A", "source_kind": "k", "source_id": 1,'
        ' "killed_min": 5, "killed_max": 2, "grade": "Great"}]}',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        import_file(Store(str(tmp_path / "x.db")), "civcas-json", p)
    assert {(q.row, q.field) for q in err.value.problems} == {(1, "killed_max"), (1, "grade")}
