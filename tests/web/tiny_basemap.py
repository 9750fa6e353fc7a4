"""A tiny OpenStreetMap-like basemap the tests write themselves: a PMTiles v3 archive of
vector tiles (gzip, the Protomaps basemap layer names) around Raqqa, zoom 0 to 8.

Layers: ``earth`` (land over each tile), ``water`` (a band standing in for the
Euphrates south of the city), ``roads`` (a major road through the centre) and ``places``
(the city's name in English and Arabic), enough for protomaps-leaflet's "light" flavour to
draw land, water, a road and a label.
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path

CENTRE = (35.9505, 39.0094)  # Raqqa (lat, lon)
EXTENT = 4096
MAX_ZOOM = 8
RIVER = (35.925, 35.938)  # latitudes of the water band
WEST_EAST = (38.6, 39.4)  # longitudes the archive covers


def _tile_xy(lat: float, lon: float, z: int) -> tuple[float, float]:
    n = 2**z
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def _local(lat: float, lon: float, z: int, tx: int, ty: int) -> tuple[int, int]:
    """Tile-local coordinates (y down), clamped just outside the tile (MVT buffer)."""
    x, y = _tile_xy(lat, lon, z)
    px = round((x - tx) * EXTENT)
    py = round((y - ty) * EXTENT)
    lim = (-256, EXTENT + 256)
    return min(max(px, lim[0]), lim[1]), min(max(py, lim[0]), lim[1])


def _tile(z: int, tx: int, ty: int) -> bytes:
    import mapbox_vector_tile

    w, e = WEST_EAST
    river = [
        _local(RIVER[0], w, z, tx, ty),
        _local(RIVER[0], e, z, tx, ty),
        _local(RIVER[1], e, z, tx, ty),
        _local(RIVER[1], w, z, tx, ty),
    ]
    road = [_local(CENTRE[0] + 0.2, CENTRE[1] - 0.02, z, tx, ty), _local(*CENTRE, z, tx, ty)]
    road.append(_local(RIVER[1], CENTRE[1] + 0.01, z, tx, ty))
    full = "POLYGON ((-64 -64, 4160 -64, 4160 4160, -64 4160, -64 -64))"
    ring = ", ".join(f"{x} {y}" for x, y in [*river, river[0]])
    layers = [
        {"name": "earth", "features": [{"geometry": full, "properties": {"kind": "earth"}}]},
        {
            "name": "water",
            "features": [{"geometry": f"POLYGON (({ring}))", "properties": {"kind": "river"}}],
        },
        {
            "name": "roads",
            "features": [
                {
                    "geometry": "LINESTRING (" + ", ".join(f"{x} {y}" for x, y in road) + ")",
                    "properties": {"kind": "major_road", "kind_detail": "primary", "min_zoom": 6},
                }
            ],
        },
    ]
    cx, cy = _local(*CENTRE, z, tx, ty)
    if 0 <= cx < EXTENT and 0 <= cy < EXTENT:
        layers.append(
            {
                "name": "places",
                "features": [
                    {
                        "geometry": f"POINT ({cx} {cy})",
                        "properties": {
                            "kind": "locality",
                            "kind_detail": "city",
                            "name": "Raqqa",
                            "name:en": "Raqqa",
                            "name:ar": "الرقة",
                            "min_zoom": 4,
                            "population_rank": 12,
                        },
                    }
                ],
            }
        )
    data: bytes = mapbox_vector_tile.encode(
        layers, default_options={"y_coord_down": True, "extents": EXTENT}
    )
    return gzip.compress(data)


def write_basemap(path: Path, max_zoom: int = MAX_ZOOM) -> dict[str, object]:
    """Write the archive; returns what was written (zooms, tiles per zoom, bounds)."""
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import Writer

    w, e = WEST_EAST
    s, n = RIVER[0] - 0.1, CENTRE[0] + 0.3
    tiles: list[tuple[int, int, int]] = []
    for z in range(max_zoom + 1):
        x0, y0 = _tile_xy(n, w, z)
        x1, y1 = _tile_xy(s, e, z)
        for tx in range(int(x0), int(x1) + 1):
            for ty in range(int(y0), int(y1) + 1):
                tiles.append((z, tx, ty))
    tiles.sort(key=lambda t: zxy_to_tileid(*t))
    with open(path, "wb") as fh:
        writer = Writer(fh)
        for z, tx, ty in tiles:
            writer.write_tile(zxy_to_tileid(z, tx, ty), _tile(z, tx, ty))
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.GZIP,
                "min_lon_e7": int(w * 1e7),
                "min_lat_e7": int(s * 1e7),
                "max_lon_e7": int(e * 1e7),
                "max_lat_e7": int(n * 1e7),
                "center_zoom": 6,
                "center_lon_e7": int(CENTRE[1] * 1e7),
                "center_lat_e7": int(CENTRE[0] * 1e7),
            },
            {
                "name": "civcas test basemap",
                "attribution": "test tiles",
                "vector_layers": [
                    {"id": name, "fields": {}} for name in ("earth", "water", "roads", "places")
                ],
            },
        )
    return {"tiles": len(tiles), "max_zoom": max_zoom, "bounds": (w, s, e, n)}
