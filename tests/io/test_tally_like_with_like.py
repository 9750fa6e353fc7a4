"""Issue 18 on the whole Airwars Syria archive and the Raqqa demo: one party's deaths
against that party's concessions, with how many of its incidents its answer is known;
breakdowns with the incidents that carry them; the monthly series as a calendar.

Every expected figure is counted here from Airwars' flat CSVs with plain Python (no civcas
code). Where the import reads assessments: only the 547 full case files carry the
belligerents' assessments (the archive's cases-summary.json has none), so the flat file
of those cases (raqqa_2017_coalition_incidents.csv) is what "known" is counted from.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from iohelp import independent_tally, run_cli, tally_json
from serving import uvicorn_server

COALITION = "US-led Coalition"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def archive(shared_data: Path) -> Path:
    return shared_data / "syrian-archive-airwars"


@pytest.fixture(scope="module")
def archive_db(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("archive") / "syria.db")
    res = run_cli("--db", db, "import", "airwars-archive", str(archive))
    assert res.exit_code == 0, res.output
    return db


@pytest.fixture(scope="module")
def flat(archive: Path) -> list[dict[str, str]]:
    return _rows(archive / "derived" / "airwars_syria_incidents.csv")


@pytest.fixture(scope="module")
def cases(archive: Path) -> list[dict[str, str]]:
    return _rows(archive / "derived" / "raqqa_2017_coalition_incidents.csv")


def _coalition(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in rows if "coalition" in r["belligerents_original"].lower()]


def _row(summary: dict[str, Any], party: str) -> dict[str, Any]:
    return next(p for p in summary["by_belligerent"] if p["belligerent"] == party)


def test_no_overall_ratio_across_parties(
    archive_db: str, archive: Path, flat: list[dict[str, str]], cases: list[dict[str, str]]
) -> None:
    s = tally_json(archive_db)
    assert s["incidents"] == len(flat)
    assert s["conceded"] is None and s["ratio_likely_to_conceded"] is None
    row = _row(s, COALITION)
    in_scope = len(_coalition(flat))
    known = sum(1 for r in cases if r["coalition_assessment"].strip())
    assert (in_scope, known) == (2187, 541)  # the figures the issue names
    assert row["conceded"]["incidents_in_scope"] == in_scope
    assert row["conceded"]["incidents_with_assessment"] == known
    assert row["coverage"] == round(known / in_scope, 4)
    # the Coalition's comparison is over its own incidents only
    mine = independent_tally(*_flat_csvs(archive), keep=_is_coalition)
    assert (row["likely"]["killed_min"], row["likely"]["killed_max"]) == (
        mine["likely"]["killed_min"],
        mine["likely"]["killed_max"],
    )
    # a row for every party that answered in the case files (credible, non-credible,
    # duplicate, open; not "not yet assessed" alone), with its recorded statuses counted
    # (Airwars' keys, named here as the dashboard names them)
    names = {"coalition": COALITION, "syrian_democratic_forces": "SDF", "isis": "ISIS",
             "russian_forces": "Russian Military", "syrian_regime": "Syrian Government",
             "unknown": "Unknown"}  # fmt: skip
    recorded: Counter[str] = Counter()
    answered = set()
    for r in cases:
        for b in json.loads(r["belligerent_details_json"] or "[]"):
            status = b.get("belligerent_assessment") or "none"
            if status != "none":
                recorded[names[b["belligerent"]]] += 1
            if status in ("credible", "non_credible", "duplicate", "open_incident"):
                answered.add(names[b["belligerent"]])
    assert answered == {COALITION}
    assert {
        p["belligerent"]: p["conceded"]["incidents_with_assessment"] for p in s["by_belligerent"]
    } == {p: recorded[p] for p in answered}


def _is_coalition(r: dict[str, str]) -> bool:
    return "coalition" in r["belligerents_original"].lower()


def _flat_csvs(archive: Path) -> tuple[Path, Path]:
    d = archive / "derived"
    return d / "airwars_syria_incidents.csv", d / "airwars_syria_victims.csv"


def test_named_party_is_compared_over_its_incidents(archive_db: str, archive: Path) -> None:
    s = tally_json(archive_db, "--belligerent", COALITION)
    mine = independent_tally(*_flat_csvs(archive), keep=_is_coalition)
    assert s["incidents"] == mine["incidents"] == 2187
    assert (s["likely"]["killed_min"], s["likely"]["killed_max"]) == (
        mine["likely"]["killed_min"],
        mine["likely"]["killed_max"],
    )
    c = s["conceded"]
    assert (c["incidents_in_scope"], c["incidents_with_assessment"]) == (2187, 541)
    res = run_cli("--db", archive_db, "tally", "--belligerent", COALITION)
    flat_text = " ".join(res.output.split())
    assert "known for 541 of 2,187 incidents" in flat_text


def _ends(lo_text: str, hi_text: str) -> tuple[int, int]:
    """The tally's reading of a range: one end known stands for both; a maximum below the
    minimum is not kept by the import (it reports it: CS1387's men killed 24-1)."""
    lo = int(float(lo_text)) if lo_text.strip() else None
    hi = int(float(hi_text)) if hi_text.strip() else None
    if lo is not None and hi is not None and hi < lo:
        hi = None
    a = lo if lo is not None else hi
    b = hi if hi is not None else lo
    assert a is not None and b is not None
    return a, b


def test_breakdowns_say_how_many_incidents_carry_them(
    archive_db: str, flat: list[dict[str, str]], cases: list[dict[str, str]]
) -> None:
    s = tally_json(archive_db)
    # injured is in every case's summary; children, women and men only in the 547 full
    # case files the import reads (the flat file has them for 2,751 / 2,198 / 2,686
    # incidents: what the import leaves out, made visible by these counts)
    for key, col, rows in (
        ("children_killed", "children_killed", cases),
        ("women_killed", "women_killed", cases),
        ("men_killed", "men_killed", cases),
        ("injured", "civilians_injured", flat),
    ):
        carrying = [r for r in rows if r[f"{col}_min"].strip() or r[f"{col}_max"].strip()]
        b = s["breakdowns"][key]
        assert b["incidents_with_figure"] == len(carrying), key
        ends = [_ends(r[f"{col}_min"], r[f"{col}_max"]) for r in carrying]
        assert (b["min"], b["max"]) == (sum(e[0] for e in ends), sum(e[1] for e in ends)), key
    assert s["breakdowns"]["children_killed"]["incidents_with_figure"] == 168  # the issue's
    assert (s["children_killed_min"], s["children_killed_max"]) == (447, 601)


def _month_keys(first: str, last: str) -> Iterator[str]:
    y, m = int(first[:4]), int(first[5:])
    while f"{y:04d}-{m:02d}" <= last:
        yield f"{y:04d}-{m:02d}"
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _calendar_agrees(got: dict[str, Any], rows: list[dict[str, str]]) -> list[str]:
    dated = [r for r in rows if r["incident_date"][:4].isdigit() and r["incident_date"] >= "1989"]
    per_month = Counter(r["incident_date"][:7] for r in dated)
    months = list(_month_keys(min(per_month), max(per_month)))
    assert list(got["by_month"]) == months
    assert {m: v["incidents"] for m, v in got["by_month"].items()} == {
        m: per_month.get(m, 0) for m in months
    }
    return [m for m in months if not per_month.get(m)]


def test_monthly_series_is_a_calendar(archive_db: str, flat: list[dict[str, str]]) -> None:
    s = tally_json(archive_db)
    assert "1970-01" not in s["by_month"] and "unknown" not in s["by_month"]
    _calendar_agrees(s, flat)
    # Confirmed incidents alone leave months empty: they are on the axis, as zeros
    confirmed = [r for r in flat if r["civilian_harm_status_original"].startswith("Confirmed")]
    empty = _calendar_agrees(tally_json(archive_db, "--grades", "Confirmed"), confirmed)
    assert len(empty) > 5
    dated = [r for r in flat if r["incident_date"][:4].isdigit() and r["incident_date"] >= "1989"]
    apart = sorted(r["code"] for r in flat if r not in dated)
    off = s["off_calendar"]
    assert off["incidents"] == len(apart) and "TRSOM001" in apart
    assert sorted(i["code"] for i in off["listed"]) == apart
    assert off["undated"] == sum(1 for r in flat if not r["incident_date"].strip())
    # a later conflict start moves incidents off the calendar, still counted
    later = tally_json(archive_db, "--min-date", "2014-10-01")
    assert (
        later["off_calendar"]["before_min_date"]
        == sum(1 for r in dated if r["incident_date"] < "2014-10-01") + (off["before_min_date"])
    )
    assert min(later["by_month"]) == "2014-10"
    assert sum(v["incidents"] for v in later["by_month"].values()) + later["off_calendar"][
        "incidents"
    ] == len(flat)


def test_web_and_report_show_the_comparisons(archive_db: str, tmp_path: Path) -> None:
    cli = tally_json(archive_db)
    with uvicorn_server(f"sqlite:///{archive_db}") as base:
        api = httpx.get(base + "/api/summary", timeout=60).json()
        html = httpx.get(base + "/", timeout=60).text
    assert api == cli
    m = re.search(
        r'<tr class="party" data-party="US-led Coalition" data-known="(\d+)" '
        r'data-in-scope="(\d+)"',
        html,
    )
    assert m and (m[1], m[2]) == ("541", "2187")
    sentence = "own assessment is known for 541 of 2,187 incidents where it is a suspected party"
    assert sentence in html.replace("&#39;", "'")
    assert 'id="conceded-deaths"' not in html  # no overall comparison across parties
    assert 'id="off-calendar"' in html and "TRSOM001" in html
    out = tmp_path / "r.html"
    res = run_cli("--db", archive_db, "report", "-o", str(out))
    assert res.exit_code == 0, res.output
    report = out.read_text(encoding="utf-8")
    assert sentence in report and "TRSOM001" in report
    assert 'id="ratio"' not in report


def test_demo_headline_keeps_its_comparison(tmp_path: Path, raqqa_csvs: tuple[Path, Path]) -> None:
    db = str(tmp_path / "demo.db")
    res = run_cli("--db", db, "demo")
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    want = independent_tally(*raqqa_csvs)
    lk, c = want["likely"], want["conceded"]
    assert (lk["killed_min"], lk["killed_max"], c["deaths_min"], c["deaths_max"]) == (
        1867,
        2466,
        182,
        183,
    )
    known = sum(1 for r in _rows(raqqa_csvs[0]) if r["coalition_assessment"].strip())
    assert "Scope: Raqqa governorate, 2017-06-01 to 2017-10-31" in text
    assert f"{lk['killed_min']:,}–{lk['killed_max']:,}" in text
    lo, hi = (
        round(lk["killed_min"] / c["deaths_min"], 2),
        round(lk["killed_max"] / c["deaths_max"], 2),
    )
    assert f"ratio {lo}×–{hi}×" in text and (lo, hi) == (10.26, 13.48)
    assert f"known for {known} of 547 incidents" in text and known == 541
    s = tally_json(db, "--belligerent", COALITION)
    assert (s["conceded"]["incidents_with_assessment"], s["conceded"]["incidents_in_scope"]) == (
        541,
        547,
    )
    assert s["ratio_likely_to_conceded"] == {"min": lo, "max": hi}
