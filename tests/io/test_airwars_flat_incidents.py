"""The archive import reads the flat incidents file (derived/airwars_syria_incidents.csv)
for what cases-summary.json lacks: every party's assessment, concessions, strike-report
link and statements (its belligerent_details_json), and the children, women and men
killed. A full case file wins for its incident, and a flat row that disagrees with it is
reported, not written; a bad link is reported, not stored; a re-import changes nothing,
and one that brings the flat file to a database built before keeps a researcher's edits.

Small archives are cut here from the real one (../shared; skipped without it); the
expected values are read from the flat file's own cells with plain Python.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from civcas.io.importers import import_file
from civcas.io.links import REPORT_KEY
from civcas.store import Store, queries
from civcas.workflow import Actor, audit, editing

ARCHIVE = Path(__file__).resolve().parents[3] / "shared" / "data" / "syrian-archive-airwars"
FLAT = Path("derived") / "airwars_syria_incidents.csv"
DISAGREE = "derived_incidents_disagree"
REX = Actor("rex", "researcher")

pytestmark = pytest.mark.skipif(not (ARCHIVE / FLAT).is_file(), reason="../shared is absent")

Row = dict[str, str]


def _flat() -> tuple[list[str], list[Row]]:
    with (ARCHIVE / FLAT).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _summary() -> dict[str, Any]:
    return dict(json.loads((ARCHIVE / "data" / "cases-summary.json").read_text("utf-8")))


def _has_case(case: dict[str, Any]) -> bool:
    return (ARCHIVE / case["path"] / "data.json").is_file()


def _blocks(r: Row) -> list[dict[str, Any]]:
    return list(json.loads(r["belligerent_details_json"] or "[]"))


def _coalition_block(r: Row) -> dict[str, Any] | None:
    return next((b for b in _blocks(r) if b["belligerent"] == "coalition"), None)


@pytest.fixture(scope="module")
def picked() -> dict[str, Row]:
    """Real incidents chosen by what their flat row holds (no case file unless said)."""
    _, rows = _flat()
    cased = {str(c["sequence"]) for c in _summary()["cases"] if _has_case(c)}
    plain = [r for r in rows if r["sequence"] not in cased]

    def first(test: Callable[[Row], bool], among: list[Row] = plain) -> Row:
        return next(r for r in among if test(r))

    def credible(r: Row) -> bool:
        b = _coalition_block(r)
        return bool(b and b["belligerent_assessment"] == "credible")

    return {
        "credible": first(
            lambda r: (
                credible(r)
                and bool(r["coalition_deaths_conceded_min"])
                and bool(r["children_killed_min"])
            )
        ),
        "linked": first(
            lambda r: (
                bool(r["coalition_strike_report_url"])
                and r["coalition_assessment"] == "non_credible"
            )
        ),
        "children": first(lambda r: bool(r["children_killed_min"]) and not credible(r)),
        "twice": first(lambda r: [b["belligerent"] for b in _blocks(r)].count("unknown") == 2),
        "case": first(
            lambda r: bool(r["children_killed_min"]), [r for r in rows if r["sequence"] in cased]
        ),
    }


def _cut(
    dest: Path,
    picked: dict[str, Row],
    *,
    with_flat: bool = True,
    change: Callable[[str, Row], None] | None = None,
) -> Path:
    """An archive of the picked incidents: their summary rows, case files and flat rows."""
    seqs = {r["sequence"] for r in picked.values()}
    summary = _summary()
    summary["cases"] = [c for c in summary["cases"] if str(c["sequence"]) in seqs]
    (dest / "data").mkdir(parents=True)
    shutil.copy(ARCHIVE / "data" / "field-dictionary.json", dest / "data")
    (dest / "data" / "cases-summary.json").write_text(json.dumps(summary, ensure_ascii=False))
    for c in summary["cases"]:
        if _has_case(c):
            (dest / c["path"]).mkdir(parents=True)
            shutil.copy(ARCHIVE / c["path"] / "data.json", dest / c["path"] / "data.json")
    if with_flat:
        header, _ = _flat()
        (dest / "derived").mkdir()
        with (dest / FLAT).open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, header)
            w.writeheader()
            for name, r in picked.items():
                r = dict(r)
                if change is not None:
                    change(name, r)
                w.writerow(r)
    return dest


def _coalition(inc: dict[str, Any]) -> dict[str, Any]:
    return next(b for b in inc["belligerents"] if b["belligerent"] == "US-led Coalition")


def _int(text: str) -> int | None:
    return int(float(text)) if text.strip() else None


def test_the_flat_file_fills_what_the_summary_lacks(picked: dict[str, Row], tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    res = import_file(store, "airwars-archive", _cut(tmp_path / "arch", picked))
    assert res.rejected == 0 and res.inserted == len(picked)
    assert DISAGREE not in res.unmapped  # the real file agrees with the case file
    for name in ("credible", "linked", "children", "twice"):
        r = picked[name]
        inc = queries.get_incident(store, r["code"])
        # the flat row is kept whole beside what was read from it
        assert json.loads(inc["raw"])["derived_incident"] == r, name
        for what in ("children_killed", "women_killed", "men_killed"):
            got = (inc[f"{what}_min"], inc[f"{what}_max"])
            assert got == (_int(r[f"{what}_min"]), _int(r[f"{what}_max"])), (name, what)
        block = _coalition_block(r)
        if block is not None:
            c = _coalition(inc)
            assert c["assessment"] == block["belligerent_assessment"] == r["coalition_assessment"]
            assert (c["deaths_conceded_min"], c["deaths_conceded_max"]) == (
                _int(r["coalition_deaths_conceded_min"]),
                _int(r["coalition_deaths_conceded_max"]),
            )
            assert (c["strike_report_url"] or "") == r["coalition_strike_report_url"]
            said = [s for s in block["belligerent_civilian_casualty_statements"] or []]
            assert len(
                [s for s in inc["statements"] if s["belligerent"] == "US-led Coalition"]
            ) == len(said)
    assert picked["children"]["children_killed_min"]  # the breakdown came from the flat file
    # two "unknown" blocks in one incident are one party
    twice = queries.get_incident(store, picked["twice"]["code"])
    assert [b["belligerent"] for b in twice["belligerents"]].count("Unknown") == 1
    assert any(picked["twice"]["code"] in k for k in res.unmapped["belligerent_repeated"])
    # a full case file's incident is the case file's (its raw record has no flat row)
    case = queries.get_incident(store, picked["case"]["code"])
    assert "derived_incident" not in json.loads(case["raw"])
    # again: nothing changes
    again = import_file(store, "airwars-archive", tmp_path / "arch")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(picked))


def test_case_file_wins_and_a_disagreement_is_reported(
    picked: dict[str, Row], tmp_path: Path
) -> None:
    def change(name: str, r: Row) -> None:
        if name == "case":
            r["children_killed_min"] = str(int(r["children_killed_min"]) + 5)
            r["children_killed_max"] = str(int(r["children_killed_max"] or 0) + 50)
            blocks = _blocks(r)
            for b in blocks:
                if b["belligerent"] == "coalition":
                    b["belligerent_assessment"] = "duplicate"
            r["belligerent_details_json"] = json.dumps(blocks)

    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    res = import_file(store, "airwars-archive", _cut(tmp_path / "arch", picked, change=change))
    code = picked["case"]["code"]
    told = [k for k in res.unmapped.get(DISAGREE, {}) if k.startswith(f"{code} ")]
    assert any("children_killed" in k for k in told), res.unmapped.get(DISAGREE)
    assert any("US-led Coalition.assessment" in k and "duplicate" in k for k in told)
    inc = queries.get_incident(store, code)
    r = picked["case"]
    assert (inc["children_killed_min"], inc["children_killed_max"]) == (
        _int(r["children_killed_min"]),
        _int(r["children_killed_max"]),
    )
    assert _coalition(inc)["assessment"] == r["coalition_assessment"] != "duplicate"


def test_a_bad_link_is_reported_not_stored(picked: dict[str, Row], tmp_path: Path) -> None:
    bad = "javascript:alert(1)"

    def change(name: str, r: Row) -> None:
        if name == "linked":
            blocks = _blocks(r)
            for b in blocks:
                if b["belligerent"] == "coalition":
                    b["belligerent_strike_report_url"] = bad
            r["belligerent_details_json"] = json.dumps(blocks)

    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    res = import_file(store, "airwars-archive", _cut(tmp_path / "arch", picked, change=change))
    inc = queries.get_incident(store, picked["linked"]["code"])
    c = _coalition(inc)
    assert c["strike_report_url"] is None
    assert c["assessment"] == "non_credible"  # the rest of the block is read
    assert res.unmapped[f"{REPORT_KEY}: assessment.strike_report_url"] == {bad: 1}


def test_a_reimport_brings_the_flat_file_and_keeps_the_team_s_edits(
    picked: dict[str, Row], tmp_path: Path
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'd.db'}")
    old = import_file(store, "airwars-archive", _cut(tmp_path / "v1", picked, with_flat=False))
    assert old.inserted == len(picked)
    r = picked["credible"]
    before = queries.get_incident(store, r["code"])
    assert before["children_killed_min"] is None  # the summary has no breakdown
    assert r["children_killed_min"] and r["coalition_deaths_conceded_min"]
    (coalition,) = [b for b in before["belligerents"] if b["belligerent"] == "US-led Coalition"]
    assert coalition["assessment"] == "none"
    # a researcher records what they learnt before the flat file came
    editing.edit(
        store,
        REX,
        r["code"],
        {
            "women_killed_max": 99,
            "belligerents": [{"id": coalition["id"], "assessment": "open_incident"}],
        },
        expected_version=None,
        reason="the coalition's letter",
    )
    res = import_file(store, "airwars-archive", _cut(tmp_path / "v2", picked))
    assert res.updated == len(picked) - 1  # the case file's incident had it all
    after = queries.get_incident(store, r["code"])
    assert after["women_killed_max"] == 99  # the person's
    assert (after["children_killed_min"], after["children_killed_max"]) == (
        _int(r["children_killed_min"]),
        _int(r["children_killed_max"]),
    )  # the source's new figures for what nobody edited
    live = [b for b in after["belligerents"] if b["withdrawn_import_id"] is None]
    mine = [b for b in live if b["belligerent"] == "US-led Coalition"]
    assert [(b["assessment"], b["origin"]) for b in mine] == [("open_incident", "team")]
    assert r["coalition_assessment"] == "credible"  # what the source now says, not written
    other = queries.get_incident(store, picked["linked"]["code"])
    assert _coalition(other)["assessment"] == picked["linked"]["coalition_assessment"]
    again = import_file(store, "airwars-archive", tmp_path / "v2")
    assert (again.updated, again.unchanged) == (0, len(picked))
    assert audit.verify(store).ok
