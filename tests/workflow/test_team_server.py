"""Team server mode: PostgreSQL, migrations, several uvicorn workers sharing sessions."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner
from wf_helpers import ADMIN, seed_incidents

from civcas.cli.main import cli
from civcas.store import Store
from civcas.workflow import accounts, audit

ROOT = Path(__file__).resolve().parents[2]


def test_several_workers_on_postgres(pg_url, tmp_path):
    res = CliRunner().invoke(cli, ["--db", pg_url, "db", "upgrade"])
    assert res.exit_code == 0, res.output
    store = Store(pg_url)
    assert "0014_name_keys" in store.current_revisions()  # the workflow branch head
    seed_incidents(store, 3)
    accounts.add_user(store, ADMIN, "rita", "researcher", "vivid orchard lamp 42")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "CIVCAS_DB": pg_url,
        "CIVCAS_EVIDENCE_DIR": str(tmp_path / "ev"),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "civcas.web.asgi:app", "--workers", "2",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(base + "/api/workflow/me", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)
        with httpx.Client(base_url=base, timeout=30) as c:
            r = c.post(
                "/api/workflow/login", json={"name": "rita", "password": "vivid orchard lamp 42"}
            )
            assert r.status_code == 200
            h = {"X-CSRF-Token": r.json()["csrf"]}
            for i in range(20):  # new connections, so both workers answer some requests
                with httpx.Client(base_url=base, cookies=c.cookies, timeout=30) as one:
                    me = one.get("/api/workflow/me")
                    assert me.json()["role"] == "researcher"
                    e = one.post(
                        f"/api/workflow/incidents/T{i % 3}/edit",
                        headers=h,
                        json={"changes": {"summary": f"edit {i}"}},
                    )
                    assert e.status_code == 200, e.text
        rep = audit.verify(store)
        assert rep.ok and rep.revisions == 1 + 1 + 20  # seed baseline, user, edits
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        store.dispose()
