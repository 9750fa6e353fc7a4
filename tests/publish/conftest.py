"""A demo database with hostile incident codes, and one site published from it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from civcas.store.engine import Store

# codes a hostile or careless source could hold, given to demo incidents
HOSTILE = {
    "CS1000": "CS327 TS005",
    "CS1001": "../../x",
    "CS1002": "a/b",
    "CS1003": "غارة/٢",
    "CS1004": "x.json",
    "CS1006": "CON",
}


@pytest.fixture(scope="session")
def hostile() -> dict[str, str]:
    return dict(HOSTILE)


@pytest.fixture(scope="session")
def pub_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from sqlalchemy import text

    from civcas.io.demo import load_demo

    path = tmp_path_factory.mktemp("pub") / "demo.db"
    store = Store(f"sqlite:///{path}")
    load_demo(store)
    with store.begin() as conn:
        for old, new in HOSTILE.items():
            got = conn.execute(
                text("UPDATE incident SET code = :new, row_digest = NULL WHERE code = :old"),
                {"new": new, "old": old},
            )
            assert got.rowcount == 1, old
    store.dispose()
    return str(path)


@pytest.fixture(scope="session")
def pub_site(pub_db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo published once (tests that change it work on a copy)."""
    from civcas.model.filters import IncidentFilter
    from civcas.publish import publish_static

    out = tmp_path_factory.mktemp("site") / "site"
    store = Store(f"sqlite:///{pub_db}")
    publish_static(store, out, IncidentFilter())
    store.dispose()
    return out


@pytest.fixture
def site_copy(pub_site: Path, tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "site"
    shutil.copytree(pub_site, out)
    yield out
