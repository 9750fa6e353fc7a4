"""A static SVG map: country outlines (world-atlas, Natural Earth) and incident points.

The outlines are the GeoJSON that ``civcas/web/assets/build.mjs`` writes at set-up
(``make assets``); without them the map still draws the points on a plain graticule and
says so. The projection is equirectangular around the points' centre latitude, which is
accurate enough for a city or a country.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from .svg import GRADE_COLOURS

OUTLINES = (
    Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "countries-50m.geojson"
)
PRECISION_RADIUS = {"exact": 3.0, "neighbourhood": 4.5, "town": 6.5, "district": 8.0}
W, H = 760, 520


@lru_cache(maxsize=2)
def _outlines(path: str) -> list[list[list[tuple[float, float]]]]:
    p = Path(path)
    if not p.is_file():
        return []
    data = json.loads(p.read_text(encoding="utf-8"))
    polys: list[list[list[tuple[float, float]]]] = []
    for feat in data.get("features", []):
        geom = feat.get("geometry") or {}
        parts = geom.get("coordinates", [])
        if geom.get("type") == "Polygon":
            parts = [parts]
        for poly in parts:
            polys.append([[(float(x), float(y)) for x, y in ring] for ring in poly])
    return polys


def static_map(
    points: list[list[Any]], title: str = "Incident locations", outlines: Path = OUTLINES
) -> str:
    """``points`` as returned by ``civcas.store.web.map_points``."""
    located = [p for p in points if p[1] is not None and p[2] is not None]
    if located:
        lats = sorted(p[1] for p in located)
        lons = sorted(p[2] for p in located)
        # trim the farthest 1% so a stray point does not shrink everything else
        k = len(lats) // 100
        lat0, lat1 = lats[k], lats[-1 - k]
        lon0, lon1 = lons[k], lons[-1 - k]
    else:
        lat0, lat1, lon0, lon1 = 32.0, 37.5, 35.5, 42.5  # Syria
    # at least ~2 degrees, so that a city's incidents are seen with borders around them
    span = max(lat1 - lat0, (lon1 - lon0) * 0.8, 1.6)
    clat, clon = (lat0 + lat1) / 2, (lon0 + lon1) / 2
    kx = math.cos(math.radians(clat))
    half_h = span * 0.65
    half_w = half_h * W / H / kx
    south, north, west, east = clat - half_h, clat + half_h, clon - half_w, clon + half_w

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) / (east - west) * W, (north - lat) / (north - south) * H

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
        f'class="staticmap" aria-label="{escape(title)}" font-family="sans-serif" '
        f'font-size="11"><title>{escape(title)}</title>'
        f'<rect width="{W}" height="{H}" fill="#dfeaf2"/>'
    ]
    polys = _outlines(str(outlines))
    for poly in polys:
        ring0 = poly[0]
        xs = [x for x, _ in ring0]
        ys = [y for _, y in ring0]
        if max(xs) < west or min(xs) > east or max(ys) < south or min(ys) > north:
            continue
        d = " ".join(
            "M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in (xy(x, y) for x, y in ring)) + "Z"
            for ring in poly
        )
        out.append(
            f'<path d="{d}" fill="#f4f1ea" stroke="#8a8f94" stroke-width="0.8" '
            'fill-rule="evenodd"/>'
        )
    if not polys:
        out.append(
            f'<text x="8" y="{H - 8}" fill="#555">country outlines not installed '
            "(run make assets)</text>"
        )
    for p in sorted(located, key=lambda p: -(p[6] or p[5] or 0)):
        x, y = xy(p[2], p[1])
        if not (0 <= x <= W and 0 <= y <= H):
            continue
        r = PRECISION_RADIUS.get(p[3] or "", 9.0)
        colour = GRADE_COLOURS.get(p[4] or "Ungraded", "#888")
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}" fill-opacity="0.55" '
            f'stroke="#fff" stroke-width="0.6"><title>{escape(str(p[0]))}</title></circle>'
        )
    # the most frequent place names, for orientation (there are no tiles to read them from)
    places: dict[str, list[tuple[float, float]]] = {}
    for p in located:
        if p[8]:
            places.setdefault(str(p[8]), []).append((p[1], p[2]))
    placed: list[tuple[float, float, float]] = []
    for name, pts in sorted(places.items(), key=lambda kv: -len(kv[1]))[:12]:
        lat = sum(a for a, _ in pts) / len(pts)
        lon = sum(b for _, b in pts) / len(pts)
        x, y = xy(lon, lat)
        width = 7.0 * len(name)
        clash = any(abs(y - py) < 16 and x < px + pw and px < x + width for px, py, pw in placed)
        if 0 <= x <= W and 0 <= y <= H and not clash:
            placed.append((x, y, width))
            out.append(
                f'<text x="{x + 8:.1f}" y="{y - 8:.1f}" fill="#222" stroke="#fff" '
                f'stroke-width="3" paint-order="stroke" font-weight="600">{escape(name)}</text>'
            )
    # scale bar
    km = (east - west) * 111.32 * kx / 5
    nice = next((v for v in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500) if v >= km), 1000)
    px = nice / ((east - west) * 111.32 * kx) * W
    out.append(
        f'<line x1="12" x2="{12 + px:.1f}" y1="{H - 26}" y2="{H - 26}" stroke="#333" '
        f'stroke-width="2"/><text x="12" y="{H - 32}" fill="#333">{nice:g} km</text>'
        f'<text x="{W - 8}" y="{H - 8}" text-anchor="end" fill="#555">'
        "Outlines: Natural Earth via world-atlas</text></svg>"
    )
    return "".join(out)
