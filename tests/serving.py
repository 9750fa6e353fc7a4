"""A real uvicorn serving civcas.web.asgi:app for the tests that need one (web, security,
history), and a free port for test servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def uvicorn_server(db_url: str, tmp: Path | None = None, **env_extra: str) -> Iterator[str]:
    """Base URL of a real uvicorn over ``db_url``; evidence under ``tmp`` when given."""
    port = free_port()
    env = {**os.environ, "CIVCAS_DB": db_url, "CIVCAS_CACHE_TTL": "0", "PYTHONPATH": str(ROOT)}
    if tmp is not None:
        env["CIVCAS_EVIDENCE_DIR"] = str(tmp / "evidence")
    env.pop("CIVCAS_TILE_URL", None)
    env.update(env_extra)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "civcas.web.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/summary", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the web server did not start")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@contextmanager
def static_http_server(root: Path) -> Iterator[str]:
    """Base URL (ending in /) of ``python -m http.server`` over a published static site:
    a plain host that sends no CSP header, as a reader's web host may."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "manifest.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
