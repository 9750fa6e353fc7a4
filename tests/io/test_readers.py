"""Readers on small fixtures, on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from iohelp import FIXTURES

from civcas.io.common import detect_encoding
from civcas.io.gazetteer import normalise_governorate
from civcas.io.importers import import_file
from civcas.io.mapping import load_mapping
from civcas.model.errors import ConfigError, InputError
from civcas.model.filters import IncidentFilter
from civcas.store.engine import Store
from civcas.store.queries import get_incident, list_incidents

CASES = [
    ("ucdp-ged", "ucdp_ged.csv", None, 12),
    ("acled", "acled_latin1.csv", None, 12),
    ("csv", "field_reports.csv", "field_reports_mapping.yaml", 10),
]


@pytest.mark.parametrize(("kind", "name", "mapping", "rows"), CASES)
def test_fixture_import_is_idempotent(
    db_url: str, kind: str, name: str, mapping: str | None, rows: int
) -> None:
    store = Store(db_url)
    m = FIXTURES / mapping if mapping else None
    first = import_file(store, kind, FIXTURES / name, mapping=m)
    again = import_file(store, kind, FIXTURES / name, mapping=m)
    assert (first.inserted, first.rejected) == (rows, 0)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, rows)
    store.dispose()


def test_changed_row_is_an_update(db_url: str, tmp_path: Path) -> None:
    src = FIXTURES / "ucdp_ged.csv"
    copy = tmp_path / "ged.csv"
    copy.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    store = Store(db_url)
    import_file(store, "ucdp-ged", copy)
    with copy.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["deaths_civilians"] = str(int(rows[0]["deaths_civilians"]) + 5)
    with copy.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    res = import_file(store, "ucdp-ged", copy)
    assert (res.inserted, res.updated, res.unchanged) == (0, 1, 11)
    inc = get_incident(store, f"GED-{rows[0]['id']}")
    assert inc["killed_min"] == int(rows[0]["deaths_civilians"])
    assert inc["version"] == 2
    # the updated record holds what a first import of the changed row writes
    fresh = Store(str(tmp_path / "fresh.db"))
    import_file(fresh, "ucdp-ged", copy)
    again = get_incident(fresh, f"GED-{rows[0]['id']}")
    moved = {"id", "raw_id", "import_id", "updated_at", "version"}

    def same(v: object) -> object:  # children without their own and their parent's id
        if isinstance(v, list):
            return [
                {k: x for k, x in c.items() if k not in ("id", "incident_id")}
                if isinstance(c, dict)
                else c
                for c in v
            ]
        return v

    for key in (inc.keys() - moved) | {"raw"}:
        assert same(inc[key]) == same(again[key]), key
    fresh.dispose()
    store.dispose()


def test_latin1_detected_and_reported(tmp_path: Path) -> None:
    path = FIXTURES / "acled_latin1.csv"
    assert detect_encoding(path) == "cp1252"
    assert detect_encoding(FIXTURES / "ucdp_ged.csv") == "utf-8-sig"
    store = Store(str(tmp_path / "t.db"))
    res = import_file(store, "acled", path)
    assert "acled_latin1.csv: not UTF-8, read as cp1252" in res.unmapped["encoding"]
    names = {r["location_en"] for r in list_incidents(store, IncidentFilter(), limit=100)}
    assert any("Süd" in (n or "") for n in names)  # decoded, not mangled
    store.dispose()


def test_acled_bad_rows_are_named(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "t.db"))
    with pytest.raises(InputError) as err:
        import_file(store, "acled", FIXTURES / "acled_bad_row.csv")
    got = {(p.row, p.field) for p in err.value.problems}
    assert got == {(4, "fatalities"), (7, "event_date")}
    store.dispose()


def test_ucdp_mapping_of_precisions_and_sides(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "t.db"))
    import_file(store, "ucdp-ged", FIXTURES / "ucdp_ged.csv")
    with (FIXTURES / "ucdp_ged.csv").open(encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    for gid, r in rows.items():
        inc = get_incident(store, f"GED-{gid}")
        civ, unk = int(r["deaths_civilians"]), int(r["deaths_unknown"])
        assert (inc["killed_min"], inc["killed_max"]) == (civ, civ + unk)
        want_prec = {"1": "day", "2": "range", "3": "range", "4": "month", "5": "year"}
        assert inc["date_precision"] == want_prec[r["date_prec"]]
        names = [b["belligerent"] for b in inc["belligerents"]]
        assert "Civilians" not in names
        if r["side_a"].startswith("Government of United States"):
            assert names[0] == "US-led Coalition"
    raqqa = list_incidents(store, IncidentFilter(governorate="الرقة"), limit=100)
    assert raqqa and all(r["governorate_en"] == "Raqqa" for r in raqqa)
    store.dispose()


@pytest.mark.parametrize(
    "spelling", ["Raqqa", "Ar Raqqah", "Al-Raqqa", "الرقة", "محافظة الرقة", "Ar Raqqah governorate"]
)
def test_governorate_spellings(spelling: str) -> None:
    assert normalise_governorate(spelling) == ("Raqqa", "الرقة")


def test_unknown_governorate_kept_and_reported() -> None:
    unmapped: dict[str, dict[str, int]] = {}
    assert normalise_governorate("Hama Plains", unmapped) == ("Hama Plains", None)
    assert unmapped == {"governorate": {"Hama Plains": 1}}


def test_mapping_reports_every_problem_at_once() -> None:
    with pytest.raises(ConfigError) as err:
        load_mapping(FIXTURES / "bad_mapping.json")
    msg = str(err.value)
    for part in (
        "colour",
        "source_kind",
        "id:",
        "columns.deaths",
        "columns.injured_max",
        "date_format",
    ):
        assert part in msg
    assert "6 problem(s)" in msg


def test_mapped_csv_and_xlsx_agree(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    with (FIXTURES / "field_reports.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    xlsx = tmp_path / "field_reports.xlsx"
    wb.save(xlsx)
    mapping = FIXTURES / "field_reports_mapping.yaml"
    a, b = Store(str(tmp_path / "a.db")), Store(str(tmp_path / "b.db"))
    import_file(a, "csv", FIXTURES / "field_reports.csv", mapping=mapping)
    res = import_file(b, "csv", xlsx, mapping=mapping)
    assert res.inserted == 10
    cols = ("code", "date_start", "killed_min", "killed_max", "governorate_en", "grade", "latitude")
    rows_a = [{c: r[c] for c in cols} for r in list_incidents(a, IncidentFilter(), sort="code")]
    rows_b = [{c: r[c] for c in cols} for r in list_incidents(b, IncidentFilter(), sort="code")]
    assert rows_a == rows_b
    fr3 = get_incident(a, "FR-003")
    assert [x["belligerent"] for x in fr3["belligerents"]] == [
        "US-led Coalition",
        "Russian Military",
    ]
    assert (fr3["killed_min"], fr3["killed_max"], fr3["location_precision"]) == (7, 9, "exact")
    assert get_incident(a, "FR-005")["killed_min"] is None  # blank is unknown, not zero
    a.dispose()
    b.dispose()


def test_cli_import_summary_and_usage(tmp_path: Path) -> None:
    from iohelp import run_cli

    db = str(tmp_path / "t.db")
    res = run_cli("--db", db, "import", "acled", str(FIXTURES / "acled_latin1.csv"))
    assert res.exit_code == 0, res.output
    flat = " ".join(res.stdout.split())
    assert "12 rows read" in flat and "12 inserted" in flat and "0 rejected" in flat
    assert "not mapped encoding" in flat and "cp1252" in flat
    again = run_cli("--db", db, "import", "acled", str(FIXTURES / "acled_latin1.csv"))
    assert "12 unchanged" in " ".join(again.stdout.split())
    usage = run_cli("--db", db, "import", "csv", str(FIXTURES / "field_reports.csv"))
    assert usage.exit_code == 2  # --mapping is required
    bad = run_cli(
        "--db", db, "import", "csv", str(FIXTURES / "field_reports.csv"),
        "--mapping", str(FIXTURES / "bad_mapping.json"),
    )  # fmt: skip
    assert bad.exit_code == 1 and "6 problem(s)" in bad.stderr
