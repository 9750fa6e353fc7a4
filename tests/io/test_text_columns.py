"""Migration 0011 and the table definitions agree, on SQLite and PostgreSQL (issue 18).

Alembic's own comparison (autogenerate's compare_metadata) of the live schema with the
definitions in civcas.store: no difference on the tables 0011 changes, on PostgreSQL;
on SQLite only the declared VARCHAR(100) of the widened columns, which 0011 leaves
there on purpose (an affinity SQLite never enforced; see the migration).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from civcas.io.importers import import_file
from civcas.store.engine import Store
from civcas.store.schema import metadata

MIGRATION = importlib.import_module("civcas.store.migrations.versions.0011_text_columns")
TABLES = {t for t, _, _ in MIGRATION.WIDENED}
CSV_MAPPING = Path(__file__).resolve().parents[2] / "civcas" / "io" / "mappings" / "civcas_csv.yaml"


def _flatten(diffs: list[Any]) -> list[Any]:
    out = []
    for d in diffs:
        out.extend(d if isinstance(d, list) else [d])
    return out


def _touches(d: tuple[Any, ...]) -> str | None:
    """The table a difference is about (None: not one of 0011's)."""
    kind = d[0]
    if kind.startswith("modify_"):
        return d[2] if d[2] in TABLES else None
    if kind in ("add_column", "remove_column"):
        return d[2] if d[2] in TABLES else None
    if kind in ("add_table", "remove_table"):
        return d[1].name if d[1].name in TABLES else None
    return None


def test_0011_and_the_table_definitions_agree(db_url: str) -> None:
    import civcas.store.drafts  # noqa: F401  (their tables join the shared metadata)
    import civcas.store.strikes  # noqa: F401

    store = Store(db_url)
    with store.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = [d for d in _flatten(compare_metadata(ctx, metadata)) if _touches(d)]
    store.dispose()
    if store.dialect == "postgresql":
        assert diffs == []
        return
    left = {(d[2], d[3]) for d in diffs if d[0] == "modify_type"}
    assert left == {(t, c) for t, c, _ in MIGRATION.WIDENED}
    assert all(d[0] == "modify_type" for d in diffs)  # fatalities_all exists on both


def test_fatalities_all_round_trips_through_civcas_csv(shared_data: Path, tmp_path: Path) -> None:
    """ACLED's all-fatality figure and the civilian count survive civcas's CSV export."""
    from iohelp import run_cli
    from sqlalchemy import text

    src = shared_data / "conflict-exports" / "acled-burkina-faso-1997-2020.csv"
    db, back = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert run_cli("--db", db, "import", "acled", str(src)).exit_code == 0
    out = tmp_path / "a.csv"
    assert run_cli("--db", db, "export", "--format", "csv", "-o", str(out)).exit_code == 0
    import_file(Store(back), "csv", out, mapping=CSV_MAPPING)
    q = text("SELECT code, killed_min, killed_max, fatalities_all FROM incident")
    with Store(db).connect() as a, Store(back).connect() as b:
        want = {tuple(r) for r in a.execute(q)}
        assert want == {tuple(r) for r in b.execute(q)}
    assert any(r[3] and r[1] is None for r in want)  # fatalities kept, not counted as civilians


def test_a_database_from_before_0011_upgrades(db_url: str) -> None:
    """A record made before issue 18 (every branch at its head, the main chain at
    0010_strikes) upgrades: 0011 runs after the drafts branch it widens a column of."""
    from sqlalchemy import inspect

    store = Store(db_url, upgrade=False)
    for rev in (
        "0002_linkage",
        "0003_estimates",
        "0004_drafts",
        "0006_tally_speed",
        "0010_strikes",
    ):
        store.upgrade(rev)
    assert "0004_drafts" in store.current_revisions()
    store.upgrade()
    assert "0004_drafts" not in store.current_revisions()  # now behind 0011
    columns = {c["name"]: str(c["type"]) for c in inspect(store.engine).get_columns("incident")}
    assert "fatalities_all" in columns
    if store.dialect == "postgresql":
        drafts = inspect(store.engine).get_columns("draft_report")
        assert {c["name"]: str(c["type"]) for c in drafts}["actor"] == "TEXT"
        assert columns["country"] == "TEXT"
    store.dispose()
