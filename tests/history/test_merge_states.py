"""The state hashes an import writes for the incidents it inserts (hashed from the rows
as they are written, civcas.store.import_states) are the ones history.state_hashes
reads back: for every importer's fixture, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from merge_helpers import by_code, import_source, write_source

from civcas.io.importers import import_file
from civcas.store import Store
from civcas.store.history import state_hashes
from civcas.store.workflow import incident_codes
from civcas.workflow import audit

FIXTURES = Path(__file__).resolve().parents[1] / "io" / "fixtures"


def _chain_states(store: Store) -> dict[str, str]:
    out: dict[str, str] = {}
    for rev in audit.log(store, entity="import_batch"):
        st = rev["states"]
        st = json.loads(st) if isinstance(st, str) else st
        out.update((st or {}).get("incident") or {})
    return out


def test_fresh_hashes_are_the_read_back_ones(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url)
    import_source(store, write_source(tmp_path / "demo.json.gz"))  # victims, aliases, ...
    import_file(store, "ucdp-ged", FIXTURES / "ucdp_ged.csv", parallel=True)  # forked reader
    import_file(
        store,
        "csv",
        FIXTURES / "field_reports.csv",
        mapping=FIXTURES / "field_reports_mapping.yaml",
    )

    def taken(recs: list[dict[str, Any]]) -> None:  # a new record whose code is taken
        recs.append({**by_code(recs, "CS1611"), "source_id": "999999", "killed": [1, 2]})

    res = import_source(store, write_source(tmp_path / "demo2.json.gz", taken))
    assert res.inserted == 1
    with store.connect() as conn:
        now = state_hashes(conn)
        codes = incident_codes(conn, list(now))
    assert len(now) > 547
    written = _chain_states(store)
    assert "CS1611/999999" in written
    assert written == {codes[i]: h for i, h in now.items()}
    store.dispose()


def test_the_writer_hashes_what_it_inserts(tmp_path: Path) -> None:
    """(not a read back in disguise: the writer's own hashes are used)"""
    from civcas.store.writer import IncidentWriter

    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    with store.begin() as conn:
        w = IncidentWriter(conn, "airwars", None, states=True)
        assert w.fresh is not None
    store.dispose()


@pytest.mark.parametrize("n", [1])
def test_archive_fixture(n: int, tmp_path: Path) -> None:
    archive = Path(__file__).resolve().parents[3] / "shared" / "data" / "syrian-archive-airwars"
    if not (archive / "data").is_dir():
        pytest.skip("../shared is absent")
    from test_merge_archive import _archive

    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    import_file(store, "airwars-archive", _archive(tmp_path / "v", list(range(4000, 4060))))
    with store.connect() as conn:
        now = state_hashes(conn)
        codes = incident_codes(conn, list(now))
    assert _chain_states(store) == {codes[i]: h for i, h in now.items()}
    store.dispose()
