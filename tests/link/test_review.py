"""Clerical decisions persist in the database and win over the model on the next run."""

from __future__ import annotations

from civcas.link.run import link_and_store
from civcas.store import Store
from civcas.store.linkage import load_decisions, record_decision, undo_decision


def _people(result, a: str, b: str) -> tuple[str, str]:
    r = result.records.set_index("unique_id")["person_id"]
    return r[a], r[b]


def test_decisions_persist_and_override_the_model(db_url, make_sim):
    store = Store(db_url)
    df = make_sim(600, seed=3)
    first = link_and_store(df, store)
    recs = first.records
    # a pair the model put together, and a pair it kept apart
    sizes = recs.groupby("person_id")["unique_id"].apply(list)
    together = next(ids for ids in sizes if len(ids) >= 2)[:2]
    # two other people (an accepted pair that joins one of ``together`` to a stranger
    # would cut ``together``'s link if the stranger's sex, age or date conflicts)
    others = [ids for ids in sizes if together[0] not in ids]
    apart = [others[0][0], others[1][0]]
    assert _people(first, *together)[0] == _people(first, *together)[1]

    record_decision(store, together[0], together[1], "reject", reviewer="test")
    record_decision(store, apart[0], apart[1], "accept", reviewer="test")
    store.dispose()

    store2 = Store(db_url)  # a new connection: the decisions come from the database
    assert len(load_decisions(store2)) == 2
    second = link_and_store(df, store2)
    pa, pb = _people(second, *together)
    assert pa != pb
    qa, qb = _people(second, *apart)
    assert qa == qb
    # pairs and the queue name records by id (Splink scores them by row position), and
    # a decided pair is not queued again
    ids = set(second.records["unique_id"])
    assert set(second.pairs["unique_id_l"]) | set(second.pairs["unique_id_r"]) <= ids
    queue = second.review
    queued = {frozenset(p) for p in zip(queue["unique_id_l"], queue["unique_id_r"], strict=True)}
    assert frozenset(together) not in queued and frozenset(apart) not in queued
    # every original record is kept, with its own spelling
    with store2.connect() as conn:
        n = conn.exec_driver_sql("SELECT count(*) FROM person_record").scalar()
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM person_record")}
    assert n == len(df)
    assert set(df["name"].replace("", None).dropna()) <= names

    undo_decision(store2, together[0], together[1])  # reversible
    third = link_and_store(df, store2)
    assert _people(third, *together)[0] == _people(third, *together)[1]
    store2.dispose()
