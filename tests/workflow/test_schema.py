"""The hand-written migration creates exactly the tables and columns the code defines."""

from __future__ import annotations

from sqlalchemy import inspect

from civcas.store import Store
from civcas.store.workflow import WORKFLOW_TABLES


def test_migration_matches_table_definitions(db_url):
    store = Store(db_url)
    insp = inspect(store.engine)
    for t in WORKFLOW_TABLES:
        cols = {c["name"]: c for c in insp.get_columns(t.name)}
        assert set(cols) == {c.name for c in t.columns}, t.name
        for c in t.columns:
            assert cols[c.name]["nullable"] == c.nullable, (t.name, c.name)
    assert "0014_name_keys" in store.current_revisions()  # the workflow branch head
    store.dispose()
