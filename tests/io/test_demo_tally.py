"""The embedded demo, loaded by `civcas demo`, tallies exactly as Airwars' flat CSVs do."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from iohelp import independent_tally, run_cli, tally_json

from civcas.io.demo import demo_path, load_demo
from civcas.store.engine import Store

SCALARS = (
    "incidents",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed_min",
    "children_killed_max",
    "incidents_unknown_count",
    "named_victims",
)


def _slim(groups: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {
        k: {x: v[x] for x in ("incidents", "killed_min", "killed_max")} for k, v in groups.items()
    }


def assert_agrees(got: dict[str, Any], want: dict[str, Any]) -> None:
    for k in SCALARS:
        assert got[k] == want[k], k
    assert _slim(got["by_grade"]) == want["by_grade"]
    assert _slim(got["by_month"]) == want["by_month"]
    assert {k: got["likely"][k] for k in ("incidents", "killed_min", "killed_max")} == want[
        "likely"
    ]
    # every demo incident is the Coalition's, so its comparison covers the same incidents;
    # with no party named it is its by_belligerent row (issue 18), else the top level
    if got["conceded"] is None:
        assert got["ratio_likely_to_conceded"] is None
        row = next(p for p in got["by_belligerent"] if p["belligerent"] == "US-led Coalition")
        likely, conceded, ratio = row["likely"], row["conceded"], row["ratio_likely_to_conceded"]
    else:
        likely, conceded, ratio = got["likely"], got["conceded"], got["ratio_likely_to_conceded"]
    assert {k: likely[k] for k in ("incidents", "killed_min", "killed_max")} == want["likely"]
    assert {k: conceded[k] for k in want["conceded"]} == want["conceded"]
    c = want["conceded"]
    assert ratio["min"] == round(want["likely"]["killed_min"] / c["deaths_min"], 2)
    assert ratio["max"] == round(want["likely"]["killed_max"] / c["deaths_max"], 2)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("demo") / "demo.db")
    res = run_cli("--db", db, "demo")
    assert res.exit_code == 0, res.output
    assert "Likely civilian deaths" in res.output and "ratio" in res.output
    return db


def test_demo_file_is_small_attributed_and_has_no_narrative() -> None:
    path = demo_path()
    assert path.stat().st_size < 2_000_000
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        doc = json.load(fh)
    assert "Airwars" in doc["attribution"]["source"]
    assert len(doc["incidents"]) == 547
    assert all(i["url"].startswith("https://airwars.org/") for i in doc["incidents"])
    text = json.dumps(doc, ensure_ascii=False)
    for narrative in ("summary", '"text"', 'statement":', "via Airwars report"):
        assert narrative not in text


def test_unfiltered_tally_matches_flat_csvs(demo_db: str, raqqa_csvs: tuple[Path, Path]) -> None:
    assert_agrees(tally_json(demo_db), independent_tally(*raqqa_csvs))


def test_date_range_filter(demo_db: str, raqqa_csvs: tuple[Path, Path]) -> None:
    want = independent_tally(
        *raqqa_csvs, keep=lambda r: "2017-07-01" <= r["incident_date"] <= "2017-08-31"
    )
    got = tally_json(demo_db, "--from", "2017-07-01", "--to", "2017-08-31")
    assert_agrees(got, want)


def test_grade_filter(demo_db: str, raqqa_csvs: tuple[Path, Path]) -> None:
    want = independent_tally(
        *raqqa_csvs, keep=lambda r: r["civilian_harm_status_original"] in ("Confirmed", "Weak")
    )
    assert_agrees(tally_json(demo_db, "--grades", "Confirmed,Weak"), want)


def test_arabic_governorate_filter(demo_db: str, raqqa_csvs: tuple[Path, Path]) -> None:
    raqqa = {"raqqa", "ar raqqah", "raqqah"}
    want = independent_tally(
        *raqqa_csvs,
        keep=lambda r: (
            (r["governorate_original"] or r["province_original"] or r["region_original"]).lower()
            in raqqa
        ),
    )
    assert_agrees(tally_json(demo_db, "--governorate", "الرقة"), want)
    assert tally_json(demo_db, "--governorate", "حلب")["incidents"] == 0


def test_demo_headline_numbers(demo_db: str, raqqa_csvs: tuple[Path, Path]) -> None:
    want = independent_tally(*raqqa_csvs)
    res = run_cli("--db", demo_db, "demo")
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    assert f"{want['likely']['killed_min']:,}–{want['likely']['killed_max']:,}" in flat
    c = want["conceded"]
    assert f"{c['deaths_min']:,}–{c['deaths_max']:,}" in flat
    assert f"named victims {want['named_victims']:,}" in flat
    assert "547 inserted, 0 unchanged" in flat  # a fresh database each time


def test_load_demo_idempotent_on_both_engines(db_url: str) -> None:
    store = Store(db_url)
    first = load_demo(store)
    again = load_demo(store)
    assert (first.inserted, first.rejected) == (547, 0)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 547)
    res = run_cli("--db", db_url, "tally", "--json")
    assert json.loads(res.stdout)["incidents"] == 547
    store.dispose()
