"""Security tests: every attack of issue 15 replayed through the library, the real server,
the CLI and Debian chromium. Each test reproduces an attack and asserts that it now fails.

Test files here are named ``test_sec_*.py`` (pytest imports test modules by basename).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))

from wf_helpers import ADMIN, PASSWORD, seed_incidents  # noqa: E402

from civcas.store import Store  # noqa: E402
from civcas.workflow import Actor  # noqa: E402

__all__ = ["ADMIN", "PASSWORD"]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "evidence"))
    s = Store(f"sqlite:///{tmp_path / 'sec.db'}")
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
