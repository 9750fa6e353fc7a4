"""An offline basemap: one PMTiles file on this machine, drawn by the map pages.

A team downloads an OpenStreetMap extract once (a PMTiles file of vector tiles, e.g. cut
from a Protomaps build with ``pmtiles extract``) and serves it with ``civcas serve
--basemap FILE.pmtiles`` (env ``CIVCAS_BASEMAP``). The file is answered at
:data:`URL` with HTTP range requests (Starlette's ``FileResponse`` answers ``Range`` with
206), which is how the browser's PMTiles reader fetches the header, directories and tiles
it needs and nothing else; protomaps-leaflet (npm, served from ``static/vendor``) draws
them. Nothing leaves the machine, and the online tile URL setting (``CIVCAS_TILE_URL``)
is untouched.

The header is read here once per file version, so that a file that is not a PMTiles v3
archive of vector tiles is refused when the server starts, with the reason, instead of a
blank map, and so that the page can tell the map the deepest zoom the file has (beyond
it the map enlarges those tiles rather than asking for tiles that are not there).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response

ENV = "CIVCAS_BASEMAP"
URL = "/basemap.pmtiles"
MEDIA_TYPE = "application/vnd.pmtiles"
HEADER_BYTES = 127
MVT = 1  # PMTiles tile type: Mapbox Vector Tile, the only kind protomaps-leaflet draws
TILE_TYPES = {0: "unknown", 1: "vector (MVT)", 2: "PNG", 3: "JPEG", 4: "WebP", 5: "AVIF"}

router = APIRouter()


class BasemapError(ValueError):
    """The configured file cannot be the map's basemap (missing, not PMTiles v3, raster)."""


@dataclass(frozen=True)
class Basemap:
    path: Path
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north
    size: int

    @property
    def url(self) -> str:
        return URL


def read_header(path: str | Path) -> Basemap:
    """The facts of a PMTiles v3 file's fixed 127-byte header the map needs."""
    p = Path(path).expanduser().resolve()
    try:
        with open(p, "rb") as fh:
            head = fh.read(HEADER_BYTES)
        size = p.stat().st_size
    except OSError as exc:
        raise BasemapError(f"basemap {p}: {exc.strerror or exc}") from None
    if len(head) < HEADER_BYTES or head[:7] != b"PMTiles":
        raise BasemapError(f"basemap {p}: not a PMTiles file")
    if head[7] != 3:
        raise BasemapError(f"basemap {p}: PMTiles version {head[7]}; version 3 is needed")
    tile_type, min_zoom, max_zoom = head[99], head[100], head[101]
    if tile_type != MVT:
        kind = TILE_TYPES.get(tile_type, str(tile_type))
        raise BasemapError(
            f"basemap {p}: its tiles are {kind}; the map draws vector tiles (MVT), "
            "e.g. an extract of a Protomaps build"
        )
    w, s, e, n = (v / 1e7 for v in struct.unpack_from("<4i", head, 102))
    return Basemap(p, min_zoom, max_zoom, (w, s, e, n), size)


@lru_cache(maxsize=4)
def _cached(path: str, mtime_ns: int, size: int) -> Basemap:
    return read_header(path)


def configured() -> Basemap | None:
    """The basemap named by ``CIVCAS_BASEMAP`` (None when unset); a bad file raises."""
    name = os.environ.get(ENV, "").strip()
    if not name:
        return None
    try:
        st = os.stat(name)
    except OSError as exc:
        raise BasemapError(f"basemap {name}: {exc.strerror or exc}") from None
    return _cached(name, st.st_mtime_ns, st.st_size)


@router.api_route(URL, methods=["GET", "HEAD"], include_in_schema=False)
def basemap_file() -> Response:
    """The PMTiles file, with ``Range`` support (206 partial answers)."""
    b = configured()
    if b is None:
        raise HTTPException(404, "no basemap is configured (civcas serve --basemap FILE)")
    # tiles change only when the team replaces the file: let the browser keep them a day
    return FileResponse(b.path, media_type=MEDIA_TYPE, headers={"Cache-Control": "max-age=86400"})


__all__ = ["ENV", "URL", "Basemap", "BasemapError", "configured", "read_header", "router"]
