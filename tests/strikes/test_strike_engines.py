"""Strike reports and suggestions on both engines (SQLite and a real PostgreSQL)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from civcas.model.records import BelligerentAssessment, Incident, Place
from civcas.model.vocab import LocationPrecision
from civcas.store import IncidentWriter, Store, history
from civcas.strikes import import_strike_releases
from civcas.strikes.match import MatchSettings
from civcas.strikes.review import decide, list_suggestions
from civcas.strikes.service import match_store, save_suggestions
from civcas.workflow import audit
from civcas.workflow.roles import Actor


def test_import_match_accept(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url)
    with store.begin() as conn:
        w = IncidentWriter(conn, "test", None)
        w.add(Incident("test", "1", "E1", dt.date(2016, 7, 10), place=Place(
            name_en="Raqqa", latitude=35.95, longitude=39.01, precision=LocationPrecision.TOWN),
            belligerents=[BelligerentAssessment("US-led Coalition")]))  # fmt: skip
        w.finish()
        history.baseline(conn, "seed", "test records")
    f = tmp_path / "r.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        wr = csv.writer(fh)
        wr.writerow(["date", "country", "location", "number", "line"])
        wr.writerow(["7/11/2016", "Syria", "Raqqa", "2", "Near Ar Raqqah, two strikes hit a unit."])
        wr.writerow(["7/11/2016", "Syria", "Manbij", "1", "Near Manbij, one strike hit a unit."])
    first = import_strike_releases(store, f)
    again = import_strike_releases(store, f)
    assert (first.inserted, again.unchanged) == (2, 2)
    results, _ = match_store(store, MatchSettings())
    assert [r.suggested.value for r in results] == ["declared"]
    save_suggestions(store, results, MatchSettings())
    [s] = list_suggestions(store)
    out = decide(store, Actor("r", "researcher"), s["id"], accept=True, reason="ok")
    assert out["current_status"] == "declared"
    assert audit.verify(store).ok
    store.engine.dispose()
