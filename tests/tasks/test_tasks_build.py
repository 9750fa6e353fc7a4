"""Items built from the record: draft reports and the linkage review queue; a same-person
consensus, once accepted, is the pair's linkage decision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from civcas.store import Store, drafts, linkage
from civcas.tasks import items, service
from civcas.workflow import Actor, accounts

ADMIN = Actor("cli:test", "admin")
PASSWORD = "Euphrates-ledger-1917"


def test_report_items_from_drafts(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'd.db'}")
    src = tmp_path / "article.txt"
    src.write_text("Five civilians were killed in the strike on the market.", encoding="utf-8")
    drafts.add_draft(
        store,
        {"source_id": "article-1", "source_path": str(src), "lang": "en",
         "date": dt.date(2017, 6, 3), "place": "Raqqa", "killed_min": 5, "killed_max": 5},
    )  # fmt: skip
    drafts.add_draft(store, {"source_id": "article-2", "claim_json": {"text": "A claim's text."}})
    built = items.build(store, "report")
    by = {b.key: b for b in built}
    assert set(by) == {"draft-1", "draft-2"}
    assert by["draft-1"].fields["text"].startswith("Five civilians")
    assert by["draft-1"].fields["date"] == "2017-06-03" and by["draft-1"].source_ref == "draft:1"
    assert by["draft-2"].fields["text"] == "A claim's text."
    assert "source_path" not in by["draft-1"].fields  # server paths are not shown


def test_same_person_pairs_from_the_review_queue_and_accepted_decision(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'l.db'}")
    with store.begin() as conn:
        run = conn.execute(
            insert(linkage.link_run).values(
                started_at=dt.datetime(2026, 1, 1), engine="duckdb", threshold_match=0.9,
                threshold_review=0.5, records=2, people=2, model_json="{}",
            ).returning(linkage.link_run.c.id)
        ).scalar_one()  # fmt: skip
        for uid, name in (("a-1", "Ahmad Ali"), ("b-7", "Ahmed Ali")):
            conn.execute(
                insert(linkage.person_record).values(
                    run_id=run, person_id=uid, record_id=uid, list=uid[0], unique_id=uid,
                    name=name, sex="m", age=30,
                )
            )  # fmt: skip
        conn.execute(
            insert(linkage.link_review).values(
                run_id=run, uid_a="a-1", uid_b="b-7", match_probability=0.7
            )
        )
    (item,) = items.build(store, "same-person")
    assert item.fields == {"a": {"name": "Ahmad Ali", "sex": "m", "age": 30},
                           "b": {"name": "Ahmed Ali", "sex": "m", "age": 30}}  # fmt: skip
    service.ensure_campaign(store, ADMIN, "pairs", "same-person", k=3)
    service.add_items(store, ADMIN, "pairs", [item])
    for i in range(3):
        accounts.add_user(store, ADMIN, f"v{i}", "volunteer", PASSWORD)
        v = accounts.authenticate(store, f"v{i}", PASSWORD)
        t = service.next_task(store, v)
        service.answer(store, v, t["task_id"], "yes")
    assert linkage.load_decisions(store) == []  # nothing until a person accepts
    assert service.suggest(store, ADMIN, "same-person") == 1
    (s,) = service.list_suggestions(store, ADMIN)
    service.decide(store, ADMIN, s["id"], accept=True)
    assert linkage.load_decisions(store) == [("a-1", "b-7", "accept")]
