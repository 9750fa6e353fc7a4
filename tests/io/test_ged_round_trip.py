"""UCDP GED export and import keep GED's meaning (issue 18), on real files.

The real rows are read from ../shared/data/conflict-exports/ucdp-ged-23.1-sample.csv
(1,000 events of UCDP GED 23.1, via the CRAN package uncertainUCDP; see that folder's
README) and the Airwars archive; the tests skip when ../shared is absent.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from iohelp import run_cli, tally_json
from sqlalchemy import text

from civcas.io.common import csv_rows
from civcas.io.export import export
from civcas.io.ged_codebook import CIVCAS_COLUMNS, codebook, columns
from civcas.io.importers import import_file
from civcas.model.filters import IncidentFilter
from civcas.model.records import BelligerentAssessment, CountRange, Incident, Place
from civcas.model.vocab import LocationPrecision
from civcas.store.engine import Store
from civcas.store.writer import IncidentWriter

GED = Path("conflict-exports") / "ucdp-ged-23.1-sample.csv"
# what a GED event's incident is made of; compared between two imports
FIELDS = (
    "code source_id date_start date_end date_precision location_en governorate_en country"
    " latitude longitude location_precision belligerents killed_min killed_max"
    " fatalities_all summary content_hash"
).split()


def _ged_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _export_ged(store: Store, out: Path) -> Path:
    with out.open("w", encoding="utf-8", newline="") as fh:
        export(store, "ucdp-ged", IncidentFilter(), fh)
    return out


def _incidents(store: Store) -> dict[str, tuple[Any, ...]]:
    with store.connect() as conn:
        rows = conn.execute(text(f"SELECT {', '.join(FIELDS)} FROM incident")).all()
    return {r[0]: tuple(str(v) for v in r) for r in rows}


def test_real_ged_rows_come_back_as_ged_wrote_them(
    db_url: str, shared_data: Path, tmp_path: Path
) -> None:
    src = shared_data / GED
    original = _ged_rows(src)
    store = Store(db_url)
    first = import_file(store, "ucdp-ged", src)
    assert (first.inserted, first.rejected) == (len(original), 0)
    out = _export_ged(store, tmp_path / "ged.csv")
    # GED's columns first, in the codebook's order, then civcas's own
    with out.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == [*columns(), *CIVCAS_COLUMNS]
    assert set(original[0]) <= set(header)
    # every cell of every GED column as GED wrote it (read back as civcas's readers do:
    # the formula-safe apostrophe undone)
    back = {r["id"]: r for _, r in csv_rows(out)}
    assert len(back) == len(original)
    for row in original:
        got = back[row["id"]]
        assert {k: got[k] for k in row} == row, row["id"]
        assert got["civcas_code"] == f"GED-{row['id']}"
    assert sum(int(r["best"]) for r in back.values()) == sum(int(r["best"]) for r in original)
    # ... and imported again: the same record, in a new database and in this one
    again = import_file(store, "ucdp-ged", out)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(original))
    fresh = Store(f"sqlite:///{tmp_path / 'fresh.db'}")
    import_file(fresh, "ucdp-ged", out)
    assert _incidents(fresh) == _incidents(store)
    assert not [c for c in _incidents(fresh) if c.startswith("GED-GED-")]
    fresh.dispose()
    store.dispose()


def test_ged_counts_and_sides_mean_what_ged_means(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / GED
    original = {r["id"]: r for r in _ged_rows(src)}
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    import_file(store, "ucdp-ged", src)
    with store.connect() as conn:
        got = {
            r[0]: r[1:]
            for r in conn.execute(
                text(
                    "SELECT source_id, killed_min, killed_max, fatalities_all, location_precision "
                    "FROM incident"
                )
            )
        }
        sides = conn.execute(
            text("SELECT max(length(belligerent)) FROM incident_belligerent")
        ).scalar_one()
    for gid, r in original.items():
        civ, unknown = int(r["deaths_civilians"]), int(r["deaths_unknown"])
        # civilians killed: GED's civilian deaths, up to those of unknown status; the
        # all-deaths figure (best, combatants included) is kept apart
        assert got[gid][:3] == (civ, civ + unknown, int(r["best"])), gid
        if r["where_prec"] == "7":  # international waters or airspace: no place precision
            assert got[gid][3] == "unknown"
    longest = max(len(r[k]) for r in original.values() for k in ("side_a", "side_b"))
    assert sides == longest == 238  # (a VARCHAR(100) column refused it on PostgreSQL)
    store.dispose()


def test_our_incidents_in_ged_columns(tmp_path: Path) -> None:
    """Incidents that did not come from GED: GED's identifiers and classifications are
    left blank instead of invented, and the re-import keeps the code and the range."""
    db = Store(f"sqlite:///{tmp_path / 'o.db'}")
    with db.begin() as conn:
        w = IncidentWriter(conn, "field", None)
        for i, (place, bells, killed) in enumerate(
            [
                (Place(name_en="Hajin", precision=LocationPrecision.UNKNOWN), ["A", "B", "C"],
                 CountRange(2, 5)),
                (Place(name_en="Baghuz", precision=LocationPrecision.TOWN), ["A"],
                 CountRange(None, 4)),
                (Place(name_en="Raqqa", precision=LocationPrecision.EXACT,
                       latitude=35.95, longitude=39.01), [], CountRange(3, None)),
            ]
        ):  # fmt: skip
            inc = Incident(
                source_kind="field",
                source_id=str(i),
                code=f"F-{i}",
                place=place,
                killed=killed,
                belligerents=[],
            )
            inc.belligerents = [BelligerentAssessment(belligerent=b) for b in bells]
            inc.raw = {"i": i}
            w.add(inc)
        w.finish()
    out = _export_ged(db, tmp_path / "o.csv")
    rows = {r["civcas_code"]: r for r in _ged_rows(out)}
    a, b, c = rows["F-0"], rows["F-1"], rows["F-2"]
    for r in (a, b, c):
        assert r["id"] == r["relid"] == "" and r["civcas_source_kind"] == "field"
        assert r["type_of_violence"] == r["deaths_a"] == r["deaths_b"] == ""
        assert r["date_start"] == r["date_prec"] == "" and "no date" in r["civcas_left_out"]
    assert a["where_prec"] == ""  # unknown is not 7 (international waters or airspace)
    assert (b["where_prec"], c["where_prec"]) == ("2", "1")
    assert (a["side_a"], a["side_b"]) == ("A", "B") and "C" in a["civcas_left_out"]
    assert (b["side_a"], b["side_b"], c["side_a"]) == ("A", "", "")
    # 2-5: civilians 2, unknown status 3, best their sum (GED's rule), low/high the range
    assert [a[k] for k in ("deaths_civilians", "deaths_unknown", "best", "low", "high")] == [
        "2", "3", "5", "2", "5"
    ]  # fmt: skip
    assert [b[k] for k in ("deaths_civilians", "best", "low", "high")] == ["", "", "", "4"]
    assert c["geom_wkt"] == "POINT (39.01 35.95)"
    back = Store(f"sqlite:///{tmp_path / 'back.db'}")
    res = import_file(back, "ucdp-ged", out)  # dateless rows of ours are not refused
    assert (res.inserted, res.rejected) == (3, 0)
    with back.connect() as conn:
        got = {
            r[0]: r[1:]
            for r in conn.execute(
                text("SELECT code, killed_min, killed_max, belligerents FROM incident")
            )
        }
    assert got == {"F-0": (2, 5, "A; B; C"), "F-1": (None, 4, "A"), "F-2": (3, None, None)}
    # and round again: exported from there and imported, the same records
    third = Store(f"sqlite:///{tmp_path / 'third.db'}")
    res = import_file(third, "ucdp-ged", _export_ged(back, tmp_path / "again.csv"))
    assert (res.inserted, res.rejected) == (3, 0)
    assert _incidents(third) == _incidents(back)
    again = import_file(back, "ucdp-ged", tmp_path / "again.csv")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    for s in (db, back, third):
        s.dispose()


def test_an_older_civcas_export_keeps_its_codes(tmp_path: Path) -> None:
    """Before issue 18 civcas wrote its code in ``id``: re-importing such a file must not
    make GED-GED-… codes."""
    p = tmp_path / "old.csv"
    head = "id,relid,date_start,deaths_civilians,deaths_unknown,best,side_a,side_b\n"
    p.write_text(head + "GED-200000,200000,2017-06-01,3,1,3,IS,Civilians\n", encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    import_file(store, "ucdp-ged", p)
    assert list(_incidents(store)) == ["GED-200000"]
    store.dispose()


def test_code_tables_agree_both_ways() -> None:
    """Every precision civcas writes reads back as itself (the one data file is used in
    both directions); the code GED has no civcas meaning for is 7 alone."""
    book = codebook()
    for prec, code in book["where_prec_from_civcas"].items():
        if code is None:
            assert prec == "unknown"
            continue
        back = book["where_prec"][str(code)]["civcas"]
        assert back == ("exact" if prec == "neighbourhood" else prec)
    assert book["where_prec"]["7"]["means"] == "international waters or airspace"
    for prec, code in book["date_prec_from_civcas"].items():
        if code != "by length":
            assert book["date_prec"][str(code)]["civcas"] == prec


def test_airwars_archive_through_ged_keeps_the_tally(shared_data: Path, tmp_path: Path) -> None:
    archive = shared_data / "syrian-archive-airwars"
    db, back = str(tmp_path / "aw.db"), str(tmp_path / "back.db")
    assert run_cli("--db", db, "import", "airwars-archive", str(archive)).exit_code == 0
    out = tmp_path / "aw.ged.csv"
    res = run_cli("--db", db, "export", "--format", "ucdp-ged", "-o", str(out))
    assert res.exit_code == 0, res.output
    rows = _ged_rows(out)
    assert not [r for r in rows if r["where_prec"] == "7"]
    assert Counter(r["type_of_violence"] for r in rows) == {"": 8114}
    dateless = [r for r in rows if not r["date_start"]]
    assert dateless and all("no date" in r["civcas_left_out"] for r in dateless)
    res = run_cli("--db", back, "import", "ucdp-ged", str(out), "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["inserted"] == 8114
    want, got = tally_json(db), tally_json(back)
    for k in ("incidents", "killed_min", "killed_max", "incidents_unknown_count"):
        assert got[k] == want[k], k
    month = {
        m: (v["incidents"], v["killed_min"], v["killed_max"]) for m, v in want["by_month"].items()
    }
    assert {
        m: (v["incidents"], v["killed_min"], v["killed_max"]) for m, v in got["by_month"].items()
    } == month
    with Store(db).connect() as a, Store(back).connect() as b:
        q = text("SELECT code FROM incident")
        assert {r[0] for r in a.execute(q)} == {r[0] for r in b.execute(q)}


def test_a_persons_edit_is_said_beside_geds_values(tmp_path: Path) -> None:
    """A GED event whose civilian count a researcher changed: the GED columns stay GED's,
    and civcas_left_out says what civcas holds instead."""
    from iohelp import FIXTURES

    from civcas.workflow import Actor, editing

    store = Store(f"sqlite:///{tmp_path / 'e.db'}")
    import_file(store, "ucdp-ged", FIXTURES / "ucdp_ged.csv")
    first = _ged_rows(FIXTURES / "ucdp_ged.csv")[0]
    code = f"GED-{first['id']}"
    editing.edit(
        store, Actor("rex", "researcher"), code, {"killed_max": 50},
        expected_version=None, reason="hospital list",
    )  # fmt: skip
    row = next(
        r for r in _ged_rows(_export_ged(store, tmp_path / "e.csv")) if r["id"] == first["id"]
    )
    assert {k: row[k] for k in first} == first
    lo = int(first["deaths_civilians"])
    assert f"killed={lo}–50 in civcas" in row["civcas_left_out"]
    store.dispose()
