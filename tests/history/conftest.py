"""Fixtures of the integrity tests (issue 16): a seeded SQLite store, users, the key."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))

from wf_helpers import ADMIN, PASSWORD  # noqa: E402

from civcas.store import Store  # noqa: E402
from civcas.workflow import Actor  # noqa: E402

__all__ = ["ADMIN", "PASSWORD"]


@pytest.fixture
def users(store: Store) -> dict[str, Actor]:
    from civcas.workflow import accounts

    out = {"public": Actor("", "public")}
    for role in ("contributor", "researcher", "reviewer", "admin"):
        u = accounts.add_user(store, ADMIN, role[:4] + "_user", role, PASSWORD)
        out[role] = Actor(u["name"], role, u["id"])
    return out
