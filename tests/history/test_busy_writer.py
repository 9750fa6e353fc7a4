"""An edit that meets a database held by another writer (a long SQLite import) is told to
retry (503 with Retry-After), writes nothing, and succeeds once the writer is done."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from wf_helpers import ADMIN, PASSWORD, seed_incidents

from civcas.store import Store
from civcas.web import create_app
from civcas.workflow import accounts, editing


def test_edit_while_another_writer_holds_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIVCAS_BUSY_TIMEOUT", "0.3")
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "evidence"))
    db = tmp_path / "busy.db"
    store = Store(f"sqlite:///{db}")
    seed_incidents(store)
    accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)
    c = TestClient(create_app(store, cache_ttl=0), raise_server_exceptions=False)
    r = c.post("/api/workflow/login", json={"name": "rita", "password": PASSWORD})
    csrf = r.json()["csrf"]
    before = editing.get(store, ADMIN, "T1")["summary"]
    body = {"changes": {"summary": "checked on site"}, "reason": "field visit"}

    other = sqlite3.connect(db, isolation_level=None)  # an importer mid-transaction
    other.execute("BEGIN IMMEDIATE")
    try:
        r = c.post("/api/workflow/incidents/T1/edit", json=body, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 503, r.text
        assert int(r.headers["retry-after"]) > 0
        assert "retry" in r.json()["error"]["message"]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert editing.get(store, ADMIN, "T1")["summary"] == before  # nothing was written

    r = c.post("/api/workflow/incidents/T1/edit", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    assert editing.get(store, ADMIN, "T1")["summary"] == "checked on site"
    store.dispose()
