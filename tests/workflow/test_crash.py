"""SIGKILL a real process in the middle of an import or of edits served over HTTP: the
database stays consistent and the audit chain still verifies."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from openpyxl import Workbook
from sqlalchemy import text
from wf_helpers import ADMIN, seed_incidents

from civcas.store import Store
from civcas.workflow import accounts, audit, interviews

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "CIVCAS_EVIDENCE_DIR": str(tmp / "ev"), "PYTHONPATH": str(ROOT)}


def _consistent(store: Store) -> None:
    with store.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    rep = audit.verify(store)
    assert rep.ok, rep.problems
    # every committed edit has its revision and no revision lacks its edit
    latest: dict[str, int] = {}
    for r in audit.log(store, entity="incident"):
        v = (r["after"] or {}).get("version") or (r["after"] or {}).get("incident_version")
        if v:
            latest[r["entity_key"]] = int(v)
    with store.connect() as conn:
        versions = dict(conn.execute(text("SELECT code, version FROM incident")).all())
    for code, v in latest.items():
        assert versions[code] == v, (code, versions[code], v)


def test_sigkill_during_import_leaves_nothing_half_done(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    store = Store(url)
    seed_incidents(store, 3)
    wb = Workbook()
    ws = wb.active
    ws.append(["_uuid", "today", "witness_name", "incident_codes"])
    n = 1500
    for i in range(n):
        ws.append([f"u-{i}", "2017-08-01", f"W{i}", "T0"])
    wb.save(tmp_path / "big.xlsx")
    script = (
        "import sys\n"
        "from civcas.store import Store\n"
        "from civcas.workflow import interviews\n"
        "from civcas.workflow.roles import Actor\n"
        "def tick(i, n):\n"
        "    print(i, flush=True)\n"
        f"interviews.import_xlsx(Store({url!r}), Actor('importer', 'admin'), "
        f"{str(tmp_path / 'big.xlsx')!r}, progress=tick)\n"
        "print('done', flush=True)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, env=_env(tmp_path), text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip().isdigit() and int(line) >= 300:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    after = Store(url)
    assert interviews.list_all(after, ADMIN) == []  # all or nothing
    _consistent(after)
    # and the import can simply be run again
    counts = interviews.import_xlsx(after, ADMIN, tmp_path / "big.xlsx")
    assert counts["inserted"] == n
    _consistent(after)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sigkill_of_server_during_edits(tmp_path):
    url = f"sqlite:///{tmp_path / 'srv.db'}"
    store = Store(url)
    seed_incidents(store, 4)
    accounts.add_user(store, ADMIN, "ed", "researcher", "vivid orchard lamp 42")
    token = accounts.create_token(store, ADMIN, "ed")
    port = _port()
    script = (
        "import uvicorn\n"
        "from civcas.store import Store\n"
        "from civcas.web import create_app\n"
        f"uvicorn.run(create_app(Store({url!r})), host='127.0.0.1', port={port}, "
        "log_level='warning')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], env=_env(tmp_path))
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            httpx.get(base + "/api/workflow/me", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    ok = {"n": 0}
    bad: list[str] = []
    stop = threading.Event()

    def hammer(code: str) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    r = c.post(
                        f"/api/workflow/incidents/{code}/edit",
                        timeout=5,
                        json={
                            "changes": {"summary": f"{code} edit {i}", "killed_max": 10 + i},
                            "reason": "crash test",
                        },
                    )
                except httpx.HTTPError:
                    return
                if r.status_code == 200:
                    ok["n"] += 1
                elif r.status_code != 409:  # never a silent overwrite or a 500
                    bad.append(f"{r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=hammer, args=(f"T{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    while ok["n"] < 40 and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert ok["n"] >= 40
    assert not bad
    after = Store(url)
    _consistent(after)
    log = audit.log(after, user="ed")
    assert len(log) >= ok["n"]  # every acknowledged edit was recorded
    assert json.dumps(log[-1]["after"])  # the last revision is whole
