"""Workflow fixtures: a store with users of every role and a small published record."""

from __future__ import annotations

from pathlib import Path

import pytest
from wf_helpers import ADMIN, PASSWORD, seed_incidents

from civcas.store import Store
from civcas.workflow import Actor


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "evidence"))
    s = Store(f"sqlite:///{tmp_path / 'wf.db'}")
    seed_incidents(s)
    return s


@pytest.fixture
def users(store: Store) -> dict[str, Actor]:
    from civcas.workflow import accounts

    out = {"public": Actor("", "public")}
    for role in ("contributor", "researcher", "reviewer", "admin"):
        u = accounts.add_user(store, ADMIN, role[:4] + "_user", role, PASSWORD)
        out[role] = Actor(u["name"], role, u["id"])
    return out
