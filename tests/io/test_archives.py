"""Real files: the whole Airwars archive and all of IBC import, and re-import is a no-op."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from iohelp import run_cli
from sqlalchemy import text

from civcas.io.importers import import_file
from civcas.store.engine import Store


def _count(store: Store, sql: str) -> int:
    with store.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def _max_below_min(archive: Path) -> int:
    """Counts in the archive's flat incidents file whose maximum is below the minimum."""
    with (archive / "derived" / "airwars_syria_incidents.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    what = ("civilians_killed", "civilians_injured", "children_killed", "women_killed")
    return sum(
        1
        for r in rows
        for w in (*what, "men_killed")
        if r[f"{w}_min"].strip()
        and r[f"{w}_max"].strip()
        and float(r[f"{w}_max"]) < float(r[f"{w}_min"])
    )


def test_full_airwars_archive(shared_data: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "aw.db")
    archive = shared_data / "syrian-archive-airwars"
    res = run_cli("--db", db, "import", "airwars-archive", str(archive), "--json")
    assert res.exit_code == 0, res.output
    first = json.loads(res.stdout)
    assert (first["rows_read"], first["inserted"], first["rejected"]) == (8114, 8114, 0)
    # the archive's known slips are repaired and reported, not silently kept: a bad
    # coordinate (CS1033), a range ending before it starts (RS2053), and every count
    # whose maximum is below its minimum (the flat file's breakdowns are read too)
    assert len(first["unmapped"]["repaired"]) == 2 + _max_below_min(archive)
    again = json.loads(
        run_cli("--db", db, "import", "airwars-archive", str(archive), "--json").stdout
    )
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 8114)
    store = Store(db)
    # duplicate codes TS631/TS633: both kept, the second under code/sequence with an alias
    with store.connect() as conn:
        codes = {
            c
            for (c,) in conn.execute(
                text("SELECT code FROM incident WHERE code LIKE 'TS631%' OR code LIKE 'TS633%'")
            )
        }
        raw = conn.execute(
            text(
                "SELECT r.raw FROM raw_record r JOIN incident i ON i.raw_id = r.id "
                "WHERE i.code = 'CS1640'"
            )
        ).scalar_one()
    assert codes == {"TS631", "TS633", "TS631/496", "TS633/481"}
    assert (
        _count(store, "SELECT count(*) FROM incident_alias WHERE alias IN ('TS631','TS633')") == 2
    )
    # full case records supersede the summary: victims and assessments are there; the
    # other incidents' victims come from derived/airwars_syria_victims.csv (20,045 in
    # all, the 1,286 of the full case records counted once)
    assert _count(store, "SELECT count(*) FROM victim") == 20045
    assert (
        _count(store, "SELECT count(*) FROM incident WHERE url LIKE 'https://airwars.org/%'")
        == 8114
    )
    assert "رمز الحادثة" in raw  # the original, Arabic-keyed record is kept
    store.dispose()


def test_all_ibc_incidents(shared_data: Path, tmp_path: Path) -> None:
    store = Store(str(tmp_path / "ibc.db"))
    path = shared_data / "ipsed" / "derived" / "ibc-incidents.csv"
    first = import_file(store, "ibc", path)
    assert (first.rows_read, first.inserted, first.rejected) == (51607, 51607, 0)
    again = import_file(store, "ibc", path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 51607)
    # README: total reported min/max = 171,238 / 190,818 (20 rows are stored max-first in
    # the file; the importer keeps both figures, smaller as min, so the sums are unchanged)
    lo = _count(store, "SELECT sum(killed_min) FROM incident")
    hi = _count(store, "SELECT sum(killed_max) FROM incident")
    assert lo + hi == 171238 + 190818
    assert len(first.unmapped["repaired"]) == 20
    store.dispose()
