"""Every exporter round-trips the demo: counts preserved, GeoJSON valid."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from iohelp import run_cli, tally_json

from civcas.io.demo import load_demo
from civcas.io.importers import import_file
from civcas.store.engine import Store

MAPPING = Path(__file__).resolve().parents[2] / "civcas" / "io" / "mappings" / "civcas_csv.yaml"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    db = str(tmp_path_factory.mktemp("exp") / "demo.db")
    store = Store(db)
    load_demo(store)
    store.dispose()
    # every demo incident is the Coalition's: naming it gives the same totals and its
    # comparison at the top level (issue 18: no party named, no top-level conceded)
    return db, tally_json(db, "--belligerent", "US-led Coalition")


def _export(db: str, fmt: str, out: Path, *filters: str) -> Path:
    res = run_cli("--db", db, "export", "--format", fmt, *filters, "-o", str(out))
    assert res.exit_code == 0, res.output
    return out


def test_csv_round_trip(demo: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    db, want = demo
    out = _export(db, "csv", tmp_path / "d.csv")
    back = str(tmp_path / "back.db")
    res = import_file(Store(back), "csv", out, mapping=MAPPING)
    assert res.inserted == 547
    got = tally_json(back, "--belligerent", "US-led Coalition")
    for k in ("incidents", "killed_min", "killed_max", "injured_min", "injured_max"):
        assert got[k] == want[k], k
    assert got["by_grade"] == {
        g: {**v, "named_victims": 0} for g, v in want["by_grade"].items()
    }  # victims are what CSV leaves out
    assert got["conceded"]["deaths_min"] == want["conceded"]["deaths_min"]


def test_json_round_trip(demo: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    db, want = demo
    doc = json.loads(_export(db, "json", tmp_path / "d.json").read_text(encoding="utf-8"))
    assert "left_out" in doc["civcas"]
    incs = doc["incidents"]
    assert len(incs) == want["incidents"]
    named = sum(
        1
        for i in incs
        for v in i["victims"]
        if v["status"] == "killed" and (v["name"] or v["name_ar"])
    )
    assert named == want["named_victims"]
    # the export keeps a one-ended range as it is and says how the tally reads it
    assert "one end known" in doc["civcas"]["ranges"]
    lo = sum(i["killed_min"] if i["killed_min"] is not None else i["killed_max"] or 0 for i in incs)
    hi = sum(i["killed_max"] if i["killed_max"] is not None else i["killed_min"] or 0 for i in incs)
    assert (lo, hi) == (want["killed_min"], want["killed_max"])
    credible = [b for i in incs for b in i["belligerents"] if b["assessment"] == "credible"]
    assert len(credible) == want["conceded"]["incidents_credible"]


def test_geojson_is_valid(demo: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    db, want = demo
    doc = json.loads(_export(db, "geojson", tmp_path / "d.geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    feats = doc["features"]
    assert len(feats) == want["incidents"]
    for f in feats:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        g = f["geometry"]
        if g is not None:
            lon, lat = g["coordinates"]
            assert g["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
            assert 35 < lon < 43 and 32 < lat < 38  # Syria: longitude first, as GeoJSON wants
    assert sum(f["geometry"] is not None for f in feats) >= 540


def test_ucdp_ged_round_trip(demo: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    db, want = demo
    out = _export(db, "ucdp-ged", tmp_path / "d.csv", "--from", "2017-08-01", "--to", "2017-08-31")
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    part = tally_json(db, "--from", "2017-08-01", "--to", "2017-08-31")
    assert len(rows) == part["incidents"]
    assert {"best", "low", "high", "date_prec", "where_prec", "side_a", "side_b"} <= set(rows[0])
    back = str(tmp_path / "back.db")
    res = import_file(Store(back), "ucdp-ged", out)
    assert res.inserted == part["incidents"]
    got = tally_json(back)
    for k in ("incidents", "killed_min", "killed_max", "incidents_unknown_count"):
        assert got[k] == part[k], k
