"""Child rows across re-imports: matched by key and updated in place (ids, and so the
links to them, stay), a source row that vanished is flagged and unflagged when it comes
back, a row a person deleted stays deleted, a row a person edited stays theirs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from merge_helpers import by_code, import_source, write_source

from civcas.store import Store
from civcas.store import schema as s
from civcas.store import workflow as sw
from civcas.workflow import Actor, editing

REX = Actor("rex", "researcher")


def _victims(store: Store) -> dict[int, dict[str, Any]]:
    with store.connect() as conn:
        cs = sw.incident_row(conn, "CS1611")
        assert cs is not None
        return {v["victim_order"]: v for v in sw.child_rows(conn, s.victim, cs["id"])}


def _named(store: Store) -> int:
    with store.connect() as conn:
        cs = sw.incident_row(conn, "CS1611")
        assert cs is not None
        return int(cs["named_victims"])


def test_child_rows_merge(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    import_source(store, write_source(tmp_path / "a.json.gz"))
    before = _victims(store)
    assert {1, 2, 3, 4, 5} <= set(before)
    editing.delete_child(store, REX, "CS1611", "victim", before[2]["id"], reason="not a victim")
    editing.edit_child(store, REX, "CS1611", "victim", before[3]["id"], {"name": "Corrected"})

    def change(recs: list[dict[str, Any]]) -> None:
        cs = by_code(recs, "CS1611")
        cs["killed"] = [29, 42]
        cs["victims"] = [v for v in cs["victims"] if v["order"] != 4]
        for v in cs["victims"]:
            if v["order"] == 5:
                v["name"] = "Renamed By Source"
            if v["order"] == 3:
                v["name"] = "Source Rename Of Three"

    res = import_source(store, write_source(tmp_path / "b.json.gz", change))
    assert res.updated == 1
    after = _victims(store)
    assert 2 not in after  # deleted by a person: not brought back
    assert after[3]["name"] == "Corrected" and after[3]["origin"] == "team"
    assert [v["victim_order"] for v in after.values()].count(3) == 1
    assert after[4]["id"] == before[4]["id"] and after[4]["withdrawn_import_id"] is not None
    assert after[5]["id"] == before[5]["id"] and after[5]["name"] == "Renamed By Source"
    assert after[5]["withdrawn_import_id"] is None
    named = sum(
        1 for v in after.values() if v["withdrawn_import_id"] is None and v["status"] == "killed"
        and (v["name"] or v["name_ar"])
    )  # fmt: skip
    assert _named(store) == named
    # the source has victim 4 again: it is no longer withdrawn
    import_source(store, write_source(tmp_path / "c.json.gz"))
    again = _victims(store)
    assert again[4]["id"] == before[4]["id"] and again[4]["withdrawn_import_id"] is None
    assert 2 not in again and again[3]["name"] == "Corrected"
    assert again[5]["name"] == before[5]["name"]
    store.dispose()
