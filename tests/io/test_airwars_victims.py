"""The whole Airwars archive's victims (issue 18): derived/airwars_syria_victims.csv.

Read from ../shared/data/syrian-archive-airwars (Airwars' archive as republished; see
its README); skipped when ../shared is absent. Expected figures are counted here from
the CSV and the case files themselves, not from civcas.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

from sqlalchemy import text

from civcas.io.importers import import_file
from civcas.store.engine import Store

ARABIC = re.compile("[\u0600-\u06ff]")


def _victims_csv(archive: Path) -> list[dict[str, str]]:
    with (archive / "derived" / "airwars_syria_victims.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _full_case_victims(archive: Path) -> dict[str, int]:
    """sequence -> number of victims, of the incidents with a full case record."""
    summary = json.loads((archive / "data" / "cases-summary.json").read_text("utf-8"))
    out = {}
    for c in summary["cases"]:
        full = archive / c["path"] / "data.json"
        if full.is_file():
            record = json.loads(full.read_text("utf-8"))
            out[str(c["sequence"])] = len(record.get("victims") or [])
    return out


def test_every_victim_of_the_archive_once(db_url: str, shared_data: Path) -> None:
    archive = shared_data / "syrian-archive-airwars"
    rows = _victims_csv(archive)
    full = _full_case_victims(archive)
    store = Store(db_url)
    first = import_file(store, "airwars-archive", archive)
    assert first.rejected == 0
    with store.connect() as conn:
        per_incident = Counter(
            {
                str(sid): int(n)
                for sid, n in conn.execute(
                    text(
                        "SELECT i.source_id, count(*) FROM victim v"
                        " JOIN incident i ON i.id = v.incident_id GROUP BY i.source_id"
                    )
                )
            }
        )
        arabic = sum(
            1
            for (name,) in conn.execute(text("SELECT name_ar FROM victim"))
            if name and ARABIC.search(name)
        )
        raw = conn.execute(
            text(
                "SELECT r.raw FROM raw_record r JOIN incident i ON i.raw_id = r.id"
                " WHERE i.source_id = '481'"
            )
        ).scalar_one()
    # every row of the file, attached by sequence; the full case records' own victims
    # are the same people, counted once
    assert per_incident == Counter(r["sequence"] for r in rows)
    assert sum(per_incident.values()) == len(rows) == 20045
    assert {s: per_incident[s] for s in full} == full and sum(full.values()) == 1286
    assert arabic == sum(1 for r in rows if ARABIC.search(r["name_local"])) == 4129
    # codes repeat (TS633 is sequences 480 and 481): the victims follow the sequence
    ts633 = [r for r in rows if r["sequence"] == "481"]
    assert ts633 and {r["code"] for r in ts633} == {"TS633"}
    kept = json.loads(raw)["derived_victims"]  # the rows as written, links and all
    assert [k["name_original"] for k in kept] == [r["name_original"] for r in ts633]
    again = import_file(store, "airwars-archive", archive)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 8114)
    with store.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM victim")).scalar_one() == 20045
    store.dispose()


def test_messy_ages_are_read_and_kept(shared_data: Path, tmp_path: Path) -> None:
    archive = shared_data / "syrian-archive-airwars"
    rows = _victims_csv(archive)
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    res = import_file(store, "airwars-archive", archive)
    wanted = {"1 year, 3 months": 1, "3 months": 0, "35/36": 35, "9 years": 9}
    with store.connect() as conn:
        for age_text, years in wanted.items():
            row = next(r for r in rows if r["age"] == age_text)
            got = conn.execute(
                text(
                    "SELECT v.age FROM victim v JOIN incident i ON i.id = v.incident_id"
                    " WHERE i.source_id = :s AND v.victim_order = :o"
                ),
                {"s": row["sequence"], "o": int(row["victim_order"])},
            ).scalar_one()
            assert got == years, age_text
        plain = sum(1 for r in rows if r["age"].isdigit())
        assert conn.execute(text("SELECT count(age) FROM victim")).scalar_one() > plain
    # what could not be read is reported, not guessed: "48 or 84" is two readings
    assert "48 or 84" in res.unmapped["victim_age"]
    store.dispose()
