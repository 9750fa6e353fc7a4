"""ACLED as ACLED means it (issue 18), on real exports of several vintages.

The exports are read from ../shared/data/conflict-exports/ (ACLED's terms limit
redistribution, so none of their rows is copied here; see that folder's README for the
repositories they come from); the tests skip when ../shared is absent. Variants an
older or Excel-saved export would have (upper-case headers, "9-May-20" dates, an XLSX
with Excel day numbers) are made from them in a temporary folder.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from civcas.io.actors import ActorMap
from civcas.io.importers import import_file
from civcas.model.errors import ConfigError, InputError
from civcas.store.engine import Store

DIR = Path("conflict-exports")
KENYA = DIR / "acled-kenya-2019.csv"  # day-first short dates (31-12-19), no civilian_targeting
BURKINA = DIR / "acled-burkina-faso-1997-2020.csv"  # "03 December 2020"
OLD = DIR / "acled-2016-sample.csv"  # 2016 layout: "Remote violence", a 113-character actor
FILES = (KENYA, BURKINA, OLD)


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _targets_civilians(r: dict[str, str]) -> bool:
    """ACLED's civilian-targeting flag, for exports older than its column (the rule of
    ACLED's codebook, written out here without civcas's code)."""
    if r["event_type"] == "Violence against civilians":
        return True
    return r["event_type"] in ("Explosions/Remote violence", "Remote violence", "Riots") and (
        r.get("inter2") == "7" or r.get("actor2", "").startswith("Civilians")
    )


def _db_rows(store: Store) -> dict[str, tuple[Any, ...]]:
    with store.connect() as conn:
        return {
            r[0]: tuple(r[1:])
            for r in conn.execute(
                text(
                    "SELECT source_id, date_start, killed_min, killed_max, fatalities_all,"
                    " belligerents, location_en FROM incident"
                )
            )
        }


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.mark.parametrize("rel", FILES, ids=[p.name for p in FILES])
def test_only_civilian_targeting_counts_as_civilian_deaths(
    rel: Path, db_url: str, shared_data: Path
) -> None:
    _, rows = _rows(shared_data / rel)
    store = Store(db_url)
    res = import_file(store, "acled", shared_data / rel)
    assert (res.inserted, res.rejected) == (len(rows), 0)
    got = _db_rows(store)
    for r in rows:
        killed_min, killed_max, fatalities = got[r["event_id_cnty"]][1:4]
        assert fatalities == int(r["fatalities"])  # every death of the event, kept as such
        if _targets_civilians(r):
            assert (killed_min, killed_max) == (fatalities, fatalities)
        else:  # not counted as civilian deaths: unknown, not 0 and not the fatalities
            assert (killed_min, killed_max) == (None, None)
    civilian = sum(int(r["fatalities"]) for r in rows if _targets_civilians(r))
    everyone = sum(int(r["fatalities"]) for r in rows)
    assert 0 < civilian < everyone
    with store.connect() as conn:
        assert conn.execute(text("SELECT sum(killed_min) FROM incident")).scalar_one() == civilian
    store.dispose()


def test_the_civilian_targeting_column_decides_when_present(tmp_path: Path) -> None:
    from iohelp import FIXTURES

    path = FIXTURES / "acled_latin1.csv"
    with path.open(encoding="cp1252", newline="") as fh:
        rows = list(csv.DictReader(fh))
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    import_file(store, "acled", path)
    got = _db_rows(store)
    flagged = [r for r in rows if r["civilian_targeting"] == "Civilian targeting"]
    assert flagged and len(flagged) < len(rows)
    for r in rows:
        civ = int(r["fatalities"]) if r in flagged else None
        assert got[r["event_id_cnty"]][1:4] == (civ, civ, int(r["fatalities"]))
    store.dispose()


def test_upper_case_headers_and_excel_saved_dates(shared_data: Path, tmp_path: Path) -> None:
    """An export with ``EVENT_DATE`` headers and dates as Excel saves them (9-May-20,
    31-12-2019, 31/12/19) reads as the original does."""
    header, rows = _rows(shared_data / BURKINA)
    forms = (
        "{d.day}-{d:%b}-{d:%y}",
        "{d:%d}-{d:%m}-{d:%Y}",
        "{d:%d}/{d:%m}/{d:%y}",
        "{d:%Y-%m-%d}",
    )
    changed = []
    for i, r in enumerate(rows):
        day = dt.datetime.strptime(r["event_date"], "%d %B %Y").date()
        changed.append({k.upper(): v for k, v in r.items()} | {
            "EVENT_DATE": forms[i % len(forms)].format(d=day)
        })  # fmt: skip
    p = _write(tmp_path / "upper.csv", [h.upper() for h in header], changed)
    a, b = Store(f"sqlite:///{tmp_path / 'a.db'}"), Store(f"sqlite:///{tmp_path / 'b.db'}")
    import_file(a, "acled", shared_data / BURKINA)
    import_file(b, "acled", p)
    assert _db_rows(a) == _db_rows(b)
    a.dispose()
    b.dispose()


def test_xlsx_with_excel_day_numbers(shared_data: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    header, rows = _rows(shared_data / KENYA)
    rows = rows[:200]
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    epoch = dt.date(1899, 12, 30)
    for r in rows:
        day = dt.datetime.strptime(r["event_date"], "%d-%m-%y").date()
        cells: list[Any] = [r[h] for h in header]
        cells[header.index("event_date")] = (day - epoch).days  # a date stored as a number
        cells[header.index("fatalities")] = int(r["fatalities"])
        ws.append(cells)
    xlsx = tmp_path / "kenya.xlsx"
    wb.save(xlsx)
    csv_copy = _write(tmp_path / "kenya.csv", header, rows)
    a, b = Store(f"sqlite:///{tmp_path / 'a.db'}"), Store(f"sqlite:///{tmp_path / 'b.db'}")
    import_file(a, "acled", csv_copy)
    import_file(b, "acled", xlsx)
    assert _db_rows(a) == _db_rows(b) and len(_db_rows(b)) == 200
    a.dispose()
    b.dispose()


def test_a_bad_date_names_file_row_field_and_every_form(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(
        "event_id_cnty,event_date,fatalities\nX1,2019-12-31,0\nX2,31.13.2019,1\nX3,June 2019,0\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        import_file(Store(f"sqlite:///{tmp_path / 'x.db'}"), "acled", p)
    assert {(q.row, q.field) for q in err.value.problems} == {(2, "event_date"), (3, "event_date")}
    msg = str(err.value)
    assert str(p) in msg
    for form in ("YYYY-MM-DD", "15 June 2017", "9-May-20", "31-12-19", "31/12/2019"):
        assert form in msg
    assert "%d" not in msg  # strptime patterns are not what a user types


def test_actors_are_belligerents_per_country_and_period(tmp_path: Path) -> None:
    actors = ActorMap()
    us = "Military Forces of the United States (2017-2021)"
    assert actors.belligerent(us, "Syria", dt.date(2017, 6, 1)) == "US-led Coalition"
    assert actors.belligerent(us, "Iraq", dt.date(2015, 1, 1)) == "US-led Coalition"
    assert actors.belligerent(us, "Somalia", dt.date(2025, 3, 1)) == "US Military"
    assert actors.belligerent(us, "Syria", dt.date(2013, 5, 1)) == "US Military"  # before
    ged = "Government of United States of America"
    assert actors.belligerent(ged, "Yemen", dt.date(2017, 1, 29)) == "US Military"
    # a user's rules come first
    own = tmp_path / "actors.yaml"
    own.write_text(
        "rules:\n  - actor: Military Forces of the United States\n    countries: [Somalia]\n"
        "    from: 2007-01-01\n    belligerent: AFRICOM\n",
        encoding="utf-8",
    )
    mine = ActorMap(own)
    assert mine.belligerent(us, "Somalia", dt.date(2025, 3, 1)) == "AFRICOM"
    assert mine.belligerent(us, "Syria", dt.date(2017, 6, 1)) == "US-led Coalition"
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "rules:\n  - actor: X\n    from: someday\n    belligerent: Y\n  - colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        ActorMap(bad)
    for part in ("rule 1", "someday", "rule 2", "colour", "'actor'"):
        assert part in str(err.value)


def test_real_imports_are_the_same_on_sqlite_and_postgresql(
    pg_url: str, shared_data: Path, tmp_path: Path
) -> None:
    """The real-file suite on both engines: every incident and belligerent the same
    (PostgreSQL used to refuse the 113-character ACLED actor and the 238-character GED
    side that SQLite took)."""
    files = [("acled", shared_data / p) for p in FILES] + [
        ("ucdp-ged", shared_data / DIR / "ucdp-ged-23.1-sample.csv")
    ]
    stores = [Store(f"sqlite:///{tmp_path / 's.db'}"), Store(pg_url)]
    seen = []
    for store in stores:
        for kind, path in files:
            res = import_file(store, kind, path)
            assert res.rejected == 0
        with store.connect() as conn:
            incidents = sorted(
                tuple(str(v) for v in r)
                for r in conn.execute(
                    text(
                        "SELECT code, date_start, killed_min, killed_max, fatalities_all,"
                        " belligerents, governorate_en, country, content_hash FROM incident"
                    )
                )
            )
            names = sorted(
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT i.code || ' ' || b.belligerent FROM incident_belligerent b"
                        " JOIN incident i ON i.id = b.incident_id"
                    )
                )
            )
        seen.append((incidents, names))
        store.dispose()
    assert seen[0] == seen[1]
    assert max(len(n) for n in seen[1][1]) > 238


def test_cli_takes_the_users_actor_rules(tmp_path: Path) -> None:
    from iohelp import run_cli

    p = tmp_path / "events.csv"  # made-up rows in ACLED's columns
    p.write_text(
        "event_id_cnty,event_date,country,actor1,actor2,event_type,fatalities\n"
        "SOM1,2025-03-01,Somalia,Military Forces of the United States (2025-),"
        "Al Shabaab,Explosions/Remote violence,4\n"
        "SYR1,2017-06-01,Syria,Military Forces of the United States (2017-2021),"
        "Civilians (Syria),Explosions/Remote violence,2\n",
        encoding="utf-8",
    )
    rules = tmp_path / "actors.yaml"
    rules.write_text(
        "rules:\n  - actor: Military Forces of the United States\n"
        "    countries: [Somalia]\n    belligerent: AFRICOM\n",
        encoding="utf-8",
    )
    for db, extra, want in (
        ("a.db", [], {"SOM1": "US Military; Al Shabaab", "SYR1": "US-led Coalition"}),
        ("b.db", ["--actors", str(rules)], {"SOM1": "AFRICOM; Al Shabaab", "SYR1": "US-led Coalition"}),
    ):  # fmt: skip
        res = run_cli("--db", str(tmp_path / db), "import", "acled", *extra, str(p))
        assert res.exit_code == 0, res.output
        store = Store(str(tmp_path / db))
        got = {k: v[4] for k, v in _db_rows(store).items()}
        assert got == want
        assert {k: v[1:4] for k, v in _db_rows(store).items()} == {
            "SOM1": (None, None, 4),
            "SYR1": (2, 2, 2),
        }
        store.dispose()


def test_the_incident_page_shows_all_deaths_as_such(tmp_path: Path) -> None:
    """An ACLED battle's fatalities are on its page as all deaths, not as civilians."""
    from fastapi.testclient import TestClient

    from civcas.web import create_app

    p = tmp_path / "events.csv"  # a made-up row in ACLED's columns
    p.write_text(
        "event_id_cnty,event_date,country,actor1,actor2,event_type,fatalities\n"
        "KEN1,2019-12-31,Kenya,Al Shabaab,Military Forces of Kenya,Battles,7\n",
        encoding="utf-8",
    )
    store = Store(str(tmp_path / "p.db"))
    import_file(store, "acled", p)
    client = TestClient(create_app(store, cache_ttl=0))
    for lang, label in (("en", "All deaths reported"), ("ar", "كل الوفيات المبلَّغ عنها")):
        html = client.get("/incidents/ACLED-KEN1", params={"lang": lang}).text
        assert label in html
        assert '<dd id="fatalities-all"><bdi dir="ltr">7</bdi></dd>' in html
        assert '<dd id="killed"><bdi dir="ltr">?–?</bdi></dd>' in html  # civilians: unknown
    store.dispose()
