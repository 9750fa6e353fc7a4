"""Open data downloads of the current filter: CSV, GeoJSON, JSON, streamed at any size.

The files are written by the io package's exporters (``civcas.io.export``), the same ones
`civcas export` uses; a writer thread feeds the response through a small bounded queue, so
memory stays constant and a client that goes away stops the export.
"""

from __future__ import annotations

import io
import json
import queue
import threading
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from .. import __version__
from ..model.filters import IncidentFilter
from ..store.engine import Store
from .params import BadParameter, read_filter

router = APIRouter(tags=["downloads"])
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "json": "application/json",
}
_DONE = object()


class _Pipe(io.TextIOBase):
    def __init__(self, q: queue.Queue[Any], stop: threading.Event) -> None:
        self.q, self.stop, self.buf = q, stop, io.StringIO()

    def write(self, s: str) -> int:
        self.buf.write(s)
        if self.buf.tell() >= 1 << 16:
            self.flush()
        return len(s)

    def flush(self) -> None:
        text = self.buf.getvalue()
        self.buf = io.StringIO()
        while text and not self.stop.is_set():
            try:
                self.q.put(text, timeout=1.0)
                return
            except queue.Full:
                continue
        if self.stop.is_set():
            raise BrokenPipeError("the client went away")


def stream_export(store: Store, fmt: str, f: IncidentFilter) -> Iterator[str]:
    from ..io.export import export

    q: queue.Queue[Any] = queue.Queue(maxsize=16)
    stop = threading.Event()

    def run() -> None:
        pipe = _Pipe(q, stop)
        try:
            export(store, fmt, f, pipe)  # type: ignore[arg-type]
            pipe.flush()
        except BaseException as exc:  # handed to the response, which re-raises it
            q.put(exc)
        finally:
            q.put(_DONE)

    threading.Thread(target=run, daemon=True, name=f"export-{fmt}").start()
    try:
        while True:
            item = q.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


@router.get("/downloads/incidents.{fmt}", summary="The current filter as open data")
def download(request: Request, fmt: str) -> Response:
    """CSV, GeoJSON or JSON; the headers name the data snapshot and software version."""
    if fmt not in MEDIA:
        raise BadParameter("format", f"format {fmt!r}; expected csv, geojson or json")
    f = read_filter(request)
    service = request.app.state.service
    snapshot = service.summary(f)["snapshot_sha256"]
    headers = {
        "Content-Disposition": f'attachment; filename="civcas-incidents.{fmt}"',
        "X-Civcas-Snapshot": snapshot,
        "X-Civcas-Version": __version__,
    }
    body = stream_export(service.store, fmt, f)
    cp = _checkpoint(service.store)
    if cp is not None:  # the latest signed checkpoint of the history (issue 16)
        headers["X-Civcas-Checkpoint"] = json.dumps(cp, separators=(",", ":"))
        if fmt in ("json", "geojson"):
            body = with_checkpoint(body, cp)
    return StreamingResponse(body, media_type=MEDIA[fmt], headers=headers)


def _checkpoint(store: Store) -> dict[str, Any] | None:
    from ..workflow.audit import latest_checkpoint

    return latest_checkpoint(store)


_BLOCK = '"civcas": {'


def with_checkpoint(chunks: Iterator[str], cp: dict[str, Any]) -> Iterator[str]:
    """The export with ``"checkpoint": {...}`` first in its ``civcas`` block (written by
    civcas.io.export before any incident, so always in the first chunk)."""
    first = True
    for chunk in chunks:
        if first:
            first = False
            at = chunk.find(_BLOCK)
            if at >= 0:
                at += len(_BLOCK)
                sep = "" if chunk[at : at + 1] == "}" else ", "
                chunk = chunk[:at] + '"checkpoint": ' + json.dumps(cp) + sep + chunk[at:]
        yield chunk
