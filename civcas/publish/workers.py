"""Incident pages rendered by several processes: a site's bulk (thousands of pages, each
one database read and two template renders) spread over the machine's cores.

Each worker opens its own store and app (nothing is shared across processes but the
database file or server), writes its pages and returns their SHA-256 for the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.filters import IncidentFilter
from .filenames import incident_file
from .links import SiteLayout


@dataclass(frozen=True)
class Job:
    """What a worker needs to render some incidents (picklable)."""

    url: str
    out: str
    filter_params: dict[str, str]
    layout: SiteLayout
    stamp: dict[str, Any]
    codes: tuple[str, ...]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` readable by any web server (0644, folders 0755)."""
    path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp~")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)  # whatever the umask: a published site is public
    os.replace(tmp, path)


def render_some(job: Job, renderer: Any = None) -> list[tuple[str, str]]:
    """Render and write ``job.codes``' twins and pages; (file, sha256) of each."""
    from .build import finish_page
    from .render import AppRenderer

    store = None
    if renderer is None:
        from ..store.engine import Store

        store = Store(job.url, upgrade=False)
        f = IncidentFilter.parse(
            date_from=job.filter_params.get("from"),
            date_to=job.filter_params.get("to"),
            belligerent=job.filter_params.get("belligerent"),
            governorate=job.filter_params.get("governorate"),
            grades=job.filter_params.get("grades"),
            near=job.filter_params.get("near"),
        )
        renderer = AppRenderer(store, f)
    out = Path(job.out)
    langs = job.layout.langs
    done: list[tuple[str, str]] = []

    def put(rel: str, data: bytes) -> None:
        write_atomic(out / rel, data)
        done.append((rel, hashlib.sha256(data).hexdigest()))

    try:
        for code in job.codes:
            body = renderer.incident_json(code)
            put(incident_file(code, "json"), body)
            inc = json.loads(body)
            for lang in langs:
                rel = job.layout.lang_dir(lang) + incident_file(code, "html")
                page = renderer.incident_html(code, inc, lang)
                put(rel, finish_page(page, rel, lang, job.layout, job.stamp, live=False))
    finally:
        if store is not None:
            store.dispose()
    return done


def render_parallel(job: Job, processes: int, chunk: int = 250) -> list[tuple[str, str]]:
    """``render_some`` over ``processes`` worker processes (spawned: no database
    connection crosses a fork)."""
    import multiprocessing

    pieces = [
        Job(job.url, job.out, job.filter_params, job.layout, job.stamp, job.codes[i : i + chunk])
        for i in range(0, len(job.codes), chunk)
    ]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes) as pool:
        results = pool.map(render_some, pieces, chunksize=1)
    return [item for part in results for item in part]
