"""The map a reader looks at (issue 19): markers coloured by grade and sized by deaths,
groups styled to match, incidents placed at a town's centre shown as such, a legend; and
the offline basemap: a PMTiles file the test writes itself, served with range requests
by the app and drawn by protomaps-leaflet, in Debian's chromium, with nothing fetched off
the machine, no console error and no Content-Security-Policy violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from reader_pages import assert_clean, watched_page
from serving import uvicorn_server
from tiny_basemap import write_basemap

from civcas.web.basemap import BasemapError, read_header

pytest.importorskip("pmtiles")
pytest.importorskip("mapbox_vector_tile")

CENTROID = {"town", "district", "governorate", "unknown"}
SIZES = [(0, 0), (1, 2), (3, 9), (10, 29), (30, 10**9)]


@pytest.fixture(scope="module")
def basemap_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("basemap") / "raqqa.pmtiles"
    write_basemap(path)
    return path


def _points(http: httpx.Client, **params: str) -> dict[str, list[Any]]:
    data = http.get("/map.json", params=params).json()
    ix = {name: i for i, name in enumerate(data["fields"])}
    return {p[ix["code"]]: [p[ix[k]] for k in ("grade", "precision", "killed_min", "killed_max")]
            for p in data["points"]}  # fmt: skip


def _size_class(killed_min: int | None, killed_max: int | None) -> str:
    k = killed_max if killed_max is not None else killed_min
    if not k or k <= 0:
        return "sz-0"
    return next(f"sz-{i}" for i, (lo, hi) in enumerate(SIZES) if lo <= k <= hi)


def _classes(locator: Any) -> set[str]:
    return set((locator.get_attribute("class") or "").split())


def _open_pins(page: Any) -> None:
    """Zoom through groups, as a reader would, until single markers show."""
    for _ in range(25):
        if page.locator("#map .leaflet-marker-icon.pin").count():
            return
        page.locator("#map .marker-cluster:not(.cl-centroid)").first.click()
        page.wait_for_timeout(450)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_markers_show_grade_deaths_and_precision(
    browser: Any, server: str, http: httpx.Client, artifacts: Path, lang: str
) -> None:
    near = "35.95,39.01,4"  # Raqqa city: dense, with the incidents placed at its centre
    points = _points(http, near=near)
    centroids = [c for c, p in points.items() if p[1] in CENTROID]
    assert len(centroids) > 50  # the demo's incidents on Raqqa's centre
    with watched_page(browser, server) as (page, w):
        page.goto(f"/map?near={near}&lang={lang}")
        page.wait_for_selector("#map[data-loaded]")
        assert page.get_attribute("#map", "data-loaded") == str(len(points))
        assert page.get_attribute("#map", "data-centroids") == str(len(centroids))
        said = page.locator("#map-centroid-count").inner_text()
        assert f"{len(centroids)}" in said and f"{len(points)}" in said, said
        page.wait_for_selector("#map .marker-cluster")
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / f"map-grades-{lang}.png"), full_page=True)

        # groups: grade-coloured and sized; the centre's incidents in groups of their own
        groups = page.locator("#map .marker-cluster")
        for i in range(groups.count()):
            cls = _classes(groups.nth(i))
            assert {c for c in cls if c.startswith("g-")}, cls
            assert {c for c in cls if c.startswith("cl-sz-")}, cls
        centre = page.locator("#map .marker-cluster.cl-centroid")
        assert centre.count() >= 1
        biggest = max(int(t.strip("≈ ")) for t in centre.all_inner_texts())
        assert all(t.strip().startswith("≈") for t in centre.all_inner_texts())
        assert biggest >= 0.8 * len(centroids)  # one place: they stay together

        # single markers: grade class from the data, size from the deaths, precision
        _open_pins(page)
        pins = page.locator("#map .leaflet-marker-icon.pin")
        assert pins.count() >= 1
        for i in range(pins.count()):
            pin = pins.nth(i)
            grade, precision, kmin, kmax = points[pin.get_attribute("title")]
            cls = _classes(pin)
            assert f"g-{(grade or 'ungraded').lower()}" in cls, (grade, cls)
            assert _size_class(kmin, kmax) in cls, (kmin, kmax, cls)
            assert ("pin-centroid" in cls) == (precision in CENTROID), (precision, cls)
        # a popup opens with the circle of doubt of the place's precision
        pins.first.click()
        page.wait_for_selector(".leaflet-popup a.open-incident")
        assert page.locator("#map path.precision-circle").count() == 1

        legend = page.locator("#map-legend")
        assert legend.locator(".swatch").count() == 6
        assert legend.locator(".cl-centroid").count() == 1
        if lang == "ar":
            assert page.locator("html").get_attribute("dir") == "rtl"
            assert "الدرجة" in legend.inner_text() or "درجة" in legend.inner_text()
        assert_clean(page, w)


@pytest.mark.browser
def test_offline_basemap_drawn_from_a_local_pmtiles_file(
    browser: Any, web_db: str, basemap_file: Path, artifacts: Path
) -> None:
    with uvicorn_server(web_db, CIVCAS_BASEMAP=str(basemap_file)) as base:
        for path in ("/map?near=35.95,39.01,30", "/incidents/WT-AR1?lang=ar"):
            with watched_page(browser, base) as (page, w):
                page.goto(path)
                page.wait_for_selector("[data-loaded]")
                # tiles drawn by protomaps-leaflet on canvases in Leaflet's tile pane
                page.wait_for_function(
                    "document.querySelectorAll('.leaflet-tile-pane canvas').length > 0"
                )
                page.wait_for_timeout(1200)
                colours = page.evaluate(
                    """() => {
                      const seen = new Set();
                      for (const c of document.querySelectorAll('.leaflet-tile-pane canvas')) {
                        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                        for (let i = 0; i < d.length; i += 4 * 37)
                          if (d[i + 3] > 0) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
                      }
                      return seen.size;
                    }"""
                )
                assert colours >= 2, "the basemap drew nothing (one flat colour at most)"
                name = "map-basemap.png" if path.startswith("/map") else "incident-basemap-ar.png"
                page.screenshot(path=str(artifacts / name), full_page=True)
                tiles = [r for r in w.requests if r[0].endswith("/basemap.pmtiles")]
                assert tiles and all(r[2] and r[2].startswith("bytes=") for r in tiles), tiles
                statuses = {s for u, s in w.responses if u.endswith("/basemap.pmtiles")}
                assert statuses == {206}, statuses
                assert page.get_attribute("[data-loaded]", "data-base") == "basemap"
                assert_clean(page, w)


def test_basemap_file_answers_ranges(web_db: str, basemap_file: Path) -> None:
    data = basemap_file.read_bytes()
    with uvicorn_server(web_db, CIVCAS_BASEMAP=str(basemap_file)) as base:
        r = httpx.get(base + "/basemap.pmtiles", headers={"Range": "bytes=0-126"})
        assert r.status_code == 206 and r.content == data[:127]
        assert r.headers["content-range"] == f"bytes 0-126/{len(data)}"
        r = httpx.get(base + "/basemap.pmtiles", headers={"Range": f"bytes=100-{len(data) + 50}"})
        assert r.status_code == 206 and r.content == data[100:]
        page = httpx.get(base + "/map").text
        assert 'data-basemap="/basemap.pmtiles"' in page and "protomaps-leaflet.js" in page
        assert 'data-basemap-maxzoom="8"' in page
    with uvicorn_server(web_db) as base:  # none configured: no file, no script
        assert httpx.get(base + "/basemap.pmtiles").status_code == 404
        assert "protomaps-leaflet" not in httpx.get(base + "/map").text


def test_a_file_that_cannot_be_the_basemap_is_refused(tmp_path: Path, basemap_file: Path) -> None:
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import Writer

    raster = tmp_path / "raster.pmtiles"
    with open(raster, "wb") as fh:
        w = Writer(fh)
        w.write_tile(zxy_to_tileid(0, 0, 0), b"\x89PNG\r\n\x1a\n")
        w.finalize({"tile_type": TileType.PNG, "tile_compression": Compression.NONE}, {})
    text = tmp_path / "notes.pmtiles"
    text.write_text("not tiles at all " * 20)
    for bad, why in [(raster, "PNG"), (text, "not a PMTiles file"), (tmp_path / "no", "No such")]:
        with pytest.raises(BasemapError, match=why):
            read_header(bad)
    assert read_header(basemap_file).max_zoom == 8

    from civcas.cli.main import cli

    result = CliRunner().invoke(cli, ["serve", "--basemap", str(raster)])
    assert result.exit_code == 2 and "PNG" in result.output
