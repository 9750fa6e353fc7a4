"""The store's promises under concurrency, on SQLite and PostgreSQL: no item is given
twice to one volunteer, no item gets more holders than it asks for, every answer counts."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from civcas.model.errors import ConflictError, InputError, NotFoundError
from civcas.store import Store
from civcas.store import tasks as st
from civcas.store.workflow import wf_user
from civcas.tasks import service
from civcas.tasks.service import ItemIn
from civcas.workflow import Actor

ADMIN = Actor("cli:test", "admin")


def _volunteers(store: Store, n: int) -> list[Actor]:
    """Volunteer accounts, inserted directly (Argon2 per account would be slow)."""
    out = []
    with store.begin() as conn:
        for i in range(n):
            uid = conn.execute(
                wf_user.insert()
                .values(name=f"v{i}", role="volunteer", password_hash="x", disabled=False,
                        created_at="2026-01-01T00:00:00Z")
                .returning(wf_user.c.id)
            ).scalar_one()  # fmt: skip
            out.append(Actor(f"v{i}", "volunteer", int(uid)))
    return out


def _campaign(store: Store, n_items: int, k: int = 3, k_max: int = 7) -> None:
    service.ensure_campaign(store, ADMIN, "pairs", "same-person", k=k, k_max=k_max)
    items = [
        ItemIn(f"p{i}", {"a": {"name": f"A{i}"}, "b": {"name": f"B{i}"}}) for i in range(n_items)
    ]
    service.add_items(store, ADMIN, "pairs", items)


def test_concurrent_volunteers_never_get_an_item_twice(db_url):
    store = Store(db_url)
    _campaign(store, 30, k=3)
    vols = _volunteers(store, 12)
    errors: list[BaseException] = []
    given: list[tuple[str, str]] = []
    lock = threading.Lock()

    def work(v: Actor) -> None:
        try:
            while True:
                t = service.next_task(store, v)
                if t is None:
                    return
                with lock:
                    given.append((v.name, t["item_id"]))
                service.answer(store, v, t["task_id"], "yes")  # all agree: k answers each
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(v,)) for v in vols]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not errors, errors
    dup = [p for p, n in Counter(given).items() if n > 1]
    assert not dup, dup
    per_item = Counter(item for _, item in given)
    assert set(per_item) == {f"p{i}" for i in range(30)}
    assert set(per_item.values()) == {3}  # unanimous: exactly k, never more
    with store.connect() as conn:
        pairs = st.assignment_pairs(conn)
        n_answers = conn.execute(select(func.count()).select_from(st.task_answer)).scalar_one()
        rows = st.items(conn, st.campaign_by_name(conn, "pairs")["id"])
    assert len(pairs) == len(set(pairs)) == 90
    assert n_answers == 90
    assert all(r["done"] and r["answers"] == 3 == r["taken"] for r in rows)


def test_disagreement_asks_for_more_answers_up_to_the_cap(db_url):
    store = Store(db_url)
    _campaign(store, 1, k=3, k_max=5)
    vols = _volunteers(store, 8)
    got = []
    for i, v in enumerate(vols):
        t = service.next_task(store, v)
        if t is None:
            break
        service.answer(store, v, t["task_id"], "yes" if i % 2 else "no")
        got.append(v.name)
    assert len(got) == 5  # 3, then 2 more (they disagreed), then the cap
    assert service.next_task(store, vols[6]) is None


def test_same_task_until_answered_and_answers_are_idempotent(db_url):
    store = Store(db_url)
    _campaign(store, 3, k=1)
    v, other = _volunteers(store, 2)
    t1 = service.next_task(store, v)
    t2 = service.next_task(store, v)
    assert t1 == t2  # asking again gives the held item back, no new assignment
    r = service.answer(store, v, t1["task_id"], "yes")
    assert r["repeat"] is False
    assert service.answer(store, v, t1["task_id"], "YES ")["repeat"] is True
    with pytest.raises(ConflictError):
        service.answer(store, v, t1["task_id"], "no")
    with pytest.raises(NotFoundError):  # someone else's task
        service.answer(store, other, t1["task_id"], "yes")
    with pytest.raises(InputError):
        service.answer(store, v, service.next_task(store, v)["task_id"], "maybe")
    assert service.my_count(store, v) == 1


def test_gold_items_come_first_for_a_new_volunteer(db_url):
    store = Store(db_url)
    _campaign(store, 5)
    service.add_items(
        store, ADMIN, "pairs",
        [ItemIn(f"g{i}", {"a": {"name": "X"}, "b": {"name": "X"}}, {"label": "yes"}) for i in range(3)],
    )  # fmt: skip
    (v,) = _volunteers(store, 1)
    seen = []
    for _ in range(4):
        t = service.next_task(store, v)
        seen.append(t["item_id"])
        service.answer(store, v, t["task_id"], "yes")
    assert seen[0].startswith("g") and seen[1].startswith("g")
    assert not seen[2].startswith("g") or not seen[3].startswith("g")


def test_migration_matches_the_task_tables(db_url):
    """0013_tasks creates exactly the columns, nullability, unique constraints and indexes
    that civcas.store.tasks declares."""
    from sqlalchemy import UniqueConstraint, inspect

    store = Store(db_url)
    insp = inspect(store.engine)
    for t in st.TASK_TABLES:
        cols = {c["name"]: c for c in insp.get_columns(t.name)}
        assert set(cols) == {c.name for c in t.columns}, t.name
        for c in t.columns:
            assert cols[c.name]["nullable"] == c.nullable, (t.name, c.name)
        want_idx = {i.name: [c.name for c in i.columns] for i in t.indexes}
        got_idx = {i["name"]: i["column_names"] for i in insp.get_indexes(t.name)}
        for name, columns in want_idx.items():
            assert got_idx.get(name) == columns, (t.name, name)
        want_uq = {
            tuple(sorted(c.name for c in u.columns))
            for u in t.constraints
            if isinstance(u, UniqueConstraint)
        } | {(c.name,) for c in t.columns if c.unique}
        got_uq = {tuple(sorted(u["column_names"])) for u in insp.get_unique_constraints(t.name)}
        if store.dialect == "sqlite":  # SQLite reports unique columns as unique indexes too
            got_uq |= {
                tuple(sorted(i["column_names"])) for i in insp.get_indexes(t.name) if i["unique"]
            }
        assert want_uq <= got_uq, (t.name, want_uq - got_uq)
    store.dispose()
