"""`civcas strikes match|suggestions|accept|reject|unalleged` through the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.model.records import BelligerentAssessment, Incident, Place
from civcas.model.vocab import DatePrecision, LocationPrecision, StrikeType
from civcas.store import IncidentWriter, Store


def setup(tmp_path: Path) -> str:
    db = tmp_path / "c.db"
    store = Store(f"sqlite:///{db}")
    coalition = [BelligerentAssessment("US-led Coalition")]
    with store.begin() as conn:
        w = IncidentWriter(conn, "test", None)
        w.add(Incident("test", "1", "A1", dt.date(2016, 7, 10), place=Place(
            name_en="Raqqa", latitude=35.95, longitude=39.01,
            precision=LocationPrecision.NEIGHBOURHOOD), belligerents=coalition))  # fmt: skip
        w.add(Incident("test", "2", "A2", dt.date(2016, 7, 1), dt.date(2016, 7, 31),
            DatePrecision.MONTH, place=Place(name_en="Raqqa", latitude=35.95, longitude=39.01,
            precision=LocationPrecision.TOWN), belligerents=coalition))  # fmt: skip
        w.finish()
    store.engine.dispose()
    f = tmp_path / "r.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        wr = csv.writer(fh)
        wr.writerow(["date", "country", "location", "number", "line"])
        wr.writerow(["7/11/2016", "Syria", "Raqqa", "2", "Near Ar Raqqah, two strikes hit a unit."])
    res = CliRunner().invoke(cli, ["--db", str(db), "import", "strike-releases", str(f)])
    assert res.exit_code == 0, res.output
    return str(db)


def run(db: str, *args: str) -> dict:  # type: ignore[type-arg]
    res = CliRunner().invoke(cli, ["--db", db, "strikes", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)  # type: ignore[no-any-return]


def test_match_json_save_and_accept(tmp_path: Path) -> None:
    db = setup(tmp_path)
    out = run(db, "match", "--json", "--save")
    by = {i["code"]: i for i in out["incidents"]}
    assert by["A1"]["suggested_status"] == "declared"
    assert by["A1"]["matches"][0]["place"] == "Ar Raqqah"
    assert by["A2"]["suggested_status"] == "cannot_tell"  # dated only to its month
    assert out["summary"]["saved"] == 2
    assert {"declared", "none_declared", "cannot_tell", "incidents"} <= set(out["summary"])
    sugg = run(db, "suggestions", "--json")["suggestions"]
    sid = next(s["id"] for s in sugg if s["code"] == "A1")
    done = run(db, "accept", str(sid), "--reason", "release checked")
    assert done["state"] == "accepted" and done["current_status"] == "declared"
    # --km 0: a neighbourhood-level incident 0.3 km away still matches (radius 2 km)
    assert run(db, "match", "--json", "--km", "0")["summary"]["declared"] == 1
    res = CliRunner().invoke(cli, ["--db", db, "strikes", "accept", str(sid)])
    assert res.exit_code != 0  # already decided


def test_any_party_and_strike_type(tmp_path: Path) -> None:
    db = setup(tmp_path)
    store = Store(f"sqlite:///{db}")
    with store.begin() as conn:
        w = IncidentWriter(conn, "ibc", None)
        for sid, kind in (("b1", StrikeType.AIR), ("b2", StrikeType.GROUND)):
            w.add(Incident("ibc", sid, f"IBC-{sid}", dt.date(2016, 7, 10), place=Place(
                name_en="Raqqa", country="Syria"), strike_type=kind))  # fmt: skip
        w.finish()
    store.engine.dispose()
    # no belligerent named: only --any-party takes them; placed by their text
    assert "IBC-b1" not in {i["code"] for i in run(db, "match", "--json")["incidents"]}
    got = run(db, "match", "--json", "--any-party", "--strike-type", "air")["incidents"]
    by = {i["code"]: i for i in got}
    assert set(by) == {"IBC-b1"}  # A1 and A2 are of unknown type, IBC-b2 a ground attack
    every = run(db, "match", "--json", "--any-party")["incidents"]
    assert {i["code"] for i in every} == {"A1", "A2", "IBC-b1", "IBC-b2"}
    assert by["IBC-b1"]["suggested_status"] == "declared"
    assert any("placed by its text" in r for r in by["IBC-b1"]["reasons"])


def test_unalleged(tmp_path: Path) -> None:
    db = setup(tmp_path)
    assert run(db, "unalleged", "--json")["reports"] == []
    assert len(run(db, "unalleged", "--json", "--km", "0", "--days", "0")["reports"]) == 0


def test_csv_is_formula_safe(tmp_path: Path) -> None:
    db = setup(tmp_path)
    store = Store(f"sqlite:///{db}")
    evil = '=HYPERLINK("http://evil.example","x")'
    with store.begin() as conn:
        w = IncidentWriter(conn, "test", None)
        w.add(Incident("test", "9", "A9", dt.date(2016, 7, 10), place=Place(
            name_en=evil, latitude=35.95, longitude=39.01, precision=LocationPrecision.TOWN),
            belligerents=[BelligerentAssessment("US-led Coalition")]))  # fmt: skip
        w.finish()
    store.engine.dispose()
    out = tmp_path / "m.csv"
    summary = run(db, "match", "--json", "--csv", str(out))["summary"]
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert summary["csv_rows"] == len(rows)
    mine = [r for r in rows if r["code"] == "A9"]
    assert mine and mine[0]["place"] == "'" + evil
    assert mine[0]["declared_place"] == "Ar Raqqah" and mine[0]["day_offset"] == "0"
    un = tmp_path / "u.csv"
    run(db, "unalleged", "--json", "--csv", str(un))
    assert un.read_text(encoding="utf-8").startswith("release_date,strike_date,place")


def test_reports_listing(tmp_path: Path) -> None:
    db = setup(tmp_path)
    rows = run(db, "reports", "--json")["reports"]
    assert [(r["place_name"], r["strikes"], r["strike_date"]) for r in rows] == [
        ("Ar Raqqah", 2, "2016-07-10")
    ]
    assert rows[0]["targets"] == [{"action": "hit", "count": 1, "kind": "unit"}]
    assert run(db, "reports", "--json", "--unlocated")["reports"] == []
    assert run(db, "reports", "--json", "--from", "2016-07-11")["reports"] == []
