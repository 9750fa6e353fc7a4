"""`civcas import strike-releases`: all-or-nothing, idempotent, bad rows named, places
located or listed; the real release file when ../shared is present."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from civcas.cli.main import cli
from civcas.extract.locate import locate_name
from civcas.model.errors import InputError
from civcas.store import Store
from civcas.store.strikes import reports, strike_report
from civcas.strikes import import_strike_releases

HEADER = ["date", "country", "location", "number", "manually_edited", "description", "line"]


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def row(date: str, country: str, loc: str, n: str, line: str) -> list[str]:
    return [date, country, loc, n, "", "", line]


GOOD = [
    row(
        "10/17/2016",
        "Syria",
        "Raqqa",
        "1",
        "- Near Ar Raqqah, one strike destroyed two oil pump jacks.",
    ),
    row(
        "10/17/2016",
        "Syria",
        "Mar’a",
        "1",
        "- Near Mar’a, one strike engaged an ISIL tactical unit.",
    ),
    row("10/17/2016", "Syria", "Washiyah", "2", "- Near Washiyah, two strikes engaged a unit."),
    row(
        "10/17/2016",
        "Iraq",
        "Mosul",
        "4",
        "- Near Mosul, four strikes engaged three ISIL tactical units.",
    ),
    row("10/16/2016", "Syria", "Al Shadaddi", "1", "Near Al Shadaddi, one strike engaged a unit."),
]


def count(store: Store) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(strike_report)).scalar_one())


def test_import_locates_keeps_raw_and_is_idempotent(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    f = write(tmp_path / "r.csv", GOOD)
    r = import_strike_releases(store, f)
    assert (r.inserted, r.updated, r.unchanged, r.rejected) == (5, 0, 0, 0)
    assert r.unlocated == {"Washiyah": 1}
    assert r.located == 4
    with store.connect() as conn:
        got = {x["place_name"]: x for x in reports(conn)}
    raqqa = got["Ar Raqqah"]
    assert raqqa["release_date"] == dt.date(2016, 10, 17)
    assert raqqa["strike_date"] == dt.date(2016, 10, 16)  # the day rule: the day before
    assert raqqa["latitude"] is not None and raqqa["place_precision"] == "town"
    assert json.loads(raqqa["raw"])["line"].startswith("- Near Ar Raqqah")
    assert raqqa["targets"] == [{"action": "destroyed", "count": 2, "kind": "oil pump jack"}]
    assert got["Washiyah"]["latitude"] is None
    # positions within each (release date, country)
    assert [got[p]["position"] for p in ("Ar Raqqah", "Mar’a", "Washiyah")] == [1, 2, 3]
    assert got["Mosul"]["position"] == 1
    again = import_strike_releases(store, f)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)
    assert count(store) == 5
    # a corrected line is updated in place, found by its key
    changed = [list(x) for x in GOOD]
    changed[0][-1] = "- Near Ar Raqqah, two strikes destroyed two oil pump jacks."
    third = import_strike_releases(store, write(tmp_path / "r2.csv", changed))
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 4)
    with store.connect() as conn:
        assert {x["place_name"]: x["strikes"] for x in reports(conn)}["Ar Raqqah"] == 2


def test_bad_rows_named_and_nothing_written(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    bad = [
        *GOOD,
        row("", "Syria", "Raqqa", "1", "- Near Ar Raqqah, one strike hit a unit."),  # no date
        row("13/45/2016", "Syria", "Raqqa", "1", "- Near Ar Raqqah, one strike hit a unit."),
        row("10/15/2016", "Syria", "Raqqa", "1", "Coalition aircraft were busy."),
    ]
    f = write(tmp_path / "bad.csv", bad)
    with pytest.raises(InputError) as e:
        import_strike_releases(store, f)
    rows = sorted((p.row, p.field) for p in e.value.problems)
    assert rows == [(6, "date"), (7, "date"), (8, "line")]
    assert str(f) in str(e.value)
    assert count(store) == 0
    r = import_strike_releases(store, f, skip_invalid=True)
    assert (r.inserted, r.rejected) == (5, 3)


def test_duplicates_and_custom_lag(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    f = write(tmp_path / "d.csv", [GOOD[0], GOOD[0], GOOD[1]])
    r = import_strike_releases(store, f, lag_days=0)
    assert (r.inserted, r.duplicates) == (2, 1)
    with store.connect() as conn:
        assert {x["strike_date"] for x in reports(conn)} == {dt.date(2016, 10, 17)}


def test_cli_mapping(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    f = tmp_path / "m.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["day", "text"])
        w.writerow(["2016-10-17", "Near Manbij, two strikes destroyed a vehicle."])
    m = tmp_path / "map.json"
    m.write_text(json.dumps({"date": "day", "line": "text", "date_formats": ["%Y-%m-%d"]}))
    res = CliRunner().invoke(
        cli, ["--db", str(db), "import", "strike-releases", str(f), "--mapping", str(m), "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["inserted"] == 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"when": "day"}))
    res = CliRunner().invoke(
        cli, ["--db", str(db), "import", "strike-releases", str(f), "--mapping", str(bad)]
    )
    assert res.exit_code != 0 and "unknown key 'when'" in res.output


def test_coalition_spellings() -> None:
    for name in (
        "Mar’a",
        "Dayr Az Zawr",
        "Al Shadaddi",
        "Ayn Isa",
        "Al Bukamal",
        "Abu Kamal",
        "Kobani",
    ):
        assert locate_name(name, "Syria") is not None, name
    assert locate_name("Al Bukamal", "Syria") == locate_name("Abu Kamal", "Syria")
    assert locate_name("Washiyah", "Syria") is None
    assert locate_name("Al Hasakah and Dayr Az Zawr", "Syria") is None


def test_real_release_file(shared_data: Path, tmp_path: Path) -> None:
    f = shared_data / "centcom-strikes" / "strike-releases.csv"
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    r = import_strike_releases(store, f)
    with f.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert r.rows_read == len(rows) and r.rejected == 0
    # the text's strike counts against the file's own number column: >= 99% agree
    agree = 1 - len(r.number_disagrees) / (r.rows_read - r.duplicates)
    assert agree >= 0.99
    with store.connect() as conn:
        syria = [x for x in reports(conn) if x["country"] == "Syria"]
    located = sum(1 for x in syria if x["latitude"] is not None) / len(syria)
    assert located >= 0.95


def test_airwars_strike_status_imported(shared_data: Path, tmp_path: Path) -> None:
    """incident.strike_status from the archive: the same counts as the flat CSV's
    strike_status_original, and an identical re-import leaves every state hash as it was."""
    from collections import Counter

    from civcas.io.importers import import_file
    from civcas.model.strikes import normalise_strike_status
    from civcas.store.history import state_hashes

    root = shared_data / "syrian-archive-airwars"
    with (root / "derived" / "airwars_syria_incidents.csv").open(encoding="utf-8") as fh:
        want = Counter(
            s.value
            for r in csv.DictReader(fh)
            if (s := normalise_strike_status(r["strike_status_original"]))
        )
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    import_file(store, "airwars-archive", root)
    from civcas.store.schema import incident

    with store.connect() as conn:
        got = Counter(
            r[0] for r in conn.execute(select(incident.c.strike_status)) if r[0] is not None
        )
        before = state_hashes(conn)
    assert got == want and sum(got.values()) > 0
    import_file(store, "airwars-archive", root)
    with store.connect() as conn:
        assert state_hashes(conn) == before
