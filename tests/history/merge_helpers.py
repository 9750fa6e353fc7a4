"""Helpers of the merge tests: a changed copy of the demo source, imports, the API."""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from serving import uvicorn_server

from civcas.io.demo import SOURCE_KIND, demo_path, read_demo
from civcas.io.links import scrub_rows
from civcas.io.pipeline import ImportResult, run_import
from civcas.store import Store

__all__ = ["uvicorn_server"]

Records = list[dict[str, Any]]


def demo_records() -> dict[str, Any]:
    with gzip.open(demo_path(), "rt", encoding="utf-8") as fh:
        return dict(json.load(fh))


def write_source(path: Path, change: Callable[[Records], None] | None = None) -> Path:
    """A copy of the embedded demo (Airwars' Raqqa incidents), changed by ``change``."""
    data = copy.deepcopy(demo_records())
    if change is not None:
        change(data["incidents"])
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    return path


def import_source(store: Store, path: Path, **kw: Any) -> ImportResult:
    unmapped: dict[str, dict[str, int]] = {}
    rows = scrub_rows(read_demo(path), unmapped)
    return run_import(store, SOURCE_KIND, path, rows, unmapped=unmapped, **kw)


def by_code(records: Records, code: str) -> dict[str, Any]:
    return next(r for r in records if r["code"] == code)


def api_client(base: str, name: str, password: str) -> httpx.Client:
    """A logged-in client sending the session's CSRF token on every request."""
    c = httpx.Client(base_url=base, timeout=120)
    r = c.post("/api/workflow/login", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf"]
    return c
