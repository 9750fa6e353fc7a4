"""State hashes (store.history): the interface the import path calls, on both engines."""

from __future__ import annotations

from sqlalchemy import inspect, text
from wf_helpers import seed_incidents

from civcas.store import Store, history
from civcas.store import workflow as sw


def test_migration_creates_the_history_tables(db_url):
    store = Store(db_url)
    insp = inspect(store.engine)
    for t in (*history.HISTORY_TABLES, sw.wf_revision):
        cols = {c["name"]: c for c in insp.get_columns(t.name)}
        assert set(cols) == {c.name for c in t.columns}, t.name
        for c in t.columns:
            assert cols[c.name]["nullable"] == c.nullable, (t.name, c.name)
    # 0009_integrity is applied (later migrations may follow it: no head check here)
    assert "states" in {c["name"] for c in insp.get_columns("wf_revision")}
    store.dispose()


def test_state_hashes_one_and_many_agree_and_follow_every_child(db_url):
    store = Store(db_url)
    seed_incidents(store, 8)
    with store.begin() as conn:
        ids = sorted(conn.execute(text("SELECT id FROM incident")).scalars())
        many = history.state_hashes(conn)
        some = history.state_hashes(conn, ids[2:5])
        assert set(many) == set(ids) and len(set(many.values())) == len(ids)
        assert some == {i: many[i] for i in ids[2:5]}
        assert all(history.state_hash(conn, i) == many[i] for i in ids)
        # bookkeeping does not count; each record field and child row does
        conn.execute(text("UPDATE incident SET version = version + 5, updated_at = NULL"))
        assert history.state_hashes(conn) == many
        seen = {many[ids[0]]}
        for sql in (
            "UPDATE incident SET killed_max = 99 WHERE id = :i",
            "UPDATE victim SET name = 'X' WHERE incident_id = :i",
            "UPDATE source SET url = 'https://x.example' WHERE incident_id = :i",
            "UPDATE incident_belligerent SET assessment = 'none' WHERE incident_id = :i",
            "DELETE FROM victim WHERE incident_id = :i",
        ):
            conn.execute(text(sql), {"i": ids[0]})
            h = history.state_hash(conn, ids[0])
            assert h not in seen, sql
            seen.add(h)
        assert history.state_hash(conn, ids[1]) == many[ids[1]]
    store.dispose()


def test_import_revision_holds_the_batch_hashes(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'h.db'}")
    seed_incidents(store, 3)
    with store.begin() as conn:
        hs = history.state_hashes(conn)
        codes = dict(conn.execute(text("SELECT id, code FROM incident")).all())
        import_id = conn.execute(text("SELECT max(id) FROM import_batch")).scalar_one()
        history.append_import_revision(
            conn, import_id, "importer", {codes[i]: h for i, h in hs.items()}
        )
    with store.connect() as conn:
        (row,) = [r for r in sw.iter_revisions(conn) if r["action"] == "import"]
        assert row["entity"] == "import_batch" and row["entity_key"] == str(import_id)
        assert sw.revision_hash(row["prev_hash"], row) == row["hash"]
        assert history.head(conn) == (row["seq"], row["hash"])
    store.dispose()
