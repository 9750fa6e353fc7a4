"""A corrupted copy is rejected whole, every bad row named; --skip-invalid keeps the rest."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from iohelp import run_cli

from civcas.io.demo import load_demo
from civcas.io.importers import import_file
from civcas.model.errors import InputError
from civcas.model.filters import IncidentFilter
from civcas.store.engine import Store
from civcas.store.queries import count_incidents

MAPPING = Path(__file__).resolve().parents[2] / "civcas" / "io" / "mappings" / "civcas_csv.yaml"

# data row number -> (column, bad value, the word the error must use)
CORRUPTIONS = {
    10: ("date_start", "2017-13-45", "date"),
    20: ("killed_min", "-3", "whole number"),
    30: ("killed_max", "0", "maximum"),
    40: ("code", "", "unique id"),
    50: ("injured_max", "many", "whole number"),
}


@pytest.fixture
def corrupted(tmp_path: Path) -> Path:
    """The demo exported to CSV, then five rows broken in five ways."""
    src = Store(str(tmp_path / "src.db"))
    load_demo(src)
    clean = tmp_path / "demo.csv"
    res = run_cli("--db", str(tmp_path / "src.db"), "export", "--format", "csv", "-o", str(clean))
    assert res.exit_code == 0, res.output
    with clean.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for n, (col, value, _) in CORRUPTIONS.items():
        if col == "killed_max":
            rows[n - 1]["killed_min"] = "9"
        rows[n - 1][col] = value
    bad = tmp_path / "demo-corrupted.csv"
    with bad.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    src.dispose()
    return bad


def test_rejected_whole_with_every_bad_row_named(corrupted: Path, tmp_path: Path) -> None:
    store = Store(str(tmp_path / "target.db"))
    with pytest.raises(InputError) as err:
        import_file(store, "csv", corrupted, mapping=MAPPING)
    problems = {p.row: p for p in err.value.problems}
    assert set(problems) == set(CORRUPTIONS)
    for n, (_, value, word) in CORRUPTIONS.items():
        assert word in problems[n].expected
        assert problems[n].value == value or (value == "0" and problems[n].value == "0")
    assert count_incidents(store, IncidentFilter()) == 0
    store.dispose()


def test_cli_reports_rows_and_exits_1(corrupted: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    res = run_cli("--db", db, "import", "csv", str(corrupted), "--mapping", str(MAPPING))
    assert res.exit_code == 1
    for n in CORRUPTIONS:
        assert f"row {n}:" in res.stderr
    assert json.loads(run_cli("--db", db, "tally", "--json").stdout)["incidents"] == 0


def test_skip_invalid_imports_the_rest_and_writes_rejects(corrupted: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    rejects = tmp_path / "rejects.csv"
    res = run_cli(
        "--db", db, "import", "csv", str(corrupted), "--mapping", str(MAPPING),
        "--skip-invalid", "--reject-file", str(rejects), "--json",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert (summary["inserted"], summary["rejected"]) == (547 - 5, 5)
    with rejects.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(int(r["row"]) for r in rows) == sorted(CORRUPTIONS)
    assert all(json.loads(r["raw_json"]) for r in rows)


def test_ibc_copy_with_bad_rows(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / "ipsed" / "derived" / "ibc-incidents.csv"
    with src.open(encoding="utf-8") as fh:
        rows = [r for _, r in zip(range(300), csv.DictReader(fh), strict=False)]
    rows[4]["date_start"] = "28 Febtember 2017"
    rows[9]["reported_minimum"] = "-1"
    rows[14]["ibc_code"] = ""
    rows[19]["reported_maximum"] = "a dozen"
    path = tmp_path / "ibc-bad.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    store = Store(str(tmp_path / "t.db"))
    with pytest.raises(InputError) as err:
        import_file(store, "ibc", path)
    assert sorted({p.row for p in err.value.problems}) == [5, 10, 15, 20]
    assert count_incidents(store, IncidentFilter()) == 0
    store.dispose()
