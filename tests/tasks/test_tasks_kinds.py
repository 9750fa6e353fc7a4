"""Answers checked by kind; image frames served only to the task's holder; an
assignment left unanswered gives its place back; a late answer still counts."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

import pytest
from fastapi.testclient import TestClient

from civcas.model.errors import InputError
from civcas.store import Store
from civcas.store import tasks as st
from civcas.tasks import items, kinds, service
from civcas.tasks.service import ItemIn
from civcas.web import create_app
from civcas.workflow import Actor, accounts

ADMIN = Actor("cli:test", "admin")
PASSWORD = "Euphrates-ledger-1917"


@pytest.mark.parametrize(
    ("kind", "answer", "fields", "want"),
    [
        ("same-person", " Yes ", {}, {"label": "yes"}),
        ("report", {"civilians": "yes", "killed": "12"}, {}, {"label": "yes", "number": 12}),
        ("locate", {"lat": "35.95", "lon": 39.01}, {}, {"label": "point", "lat": 35.95, "lon": 39.01}),
        ("locate", {"candidate": "g2"}, {"candidates": [{"id": "g2", "lat": 1, "lon": 2}]},
         {"label": "g2", "lat": 1.0, "lon": 2.0}),
        ("image", "1", {"frames": [{"id": "0"}, {"id": "1"}]}, {"label": "1"}),
        ("image", "none", {"frames": [{"id": "0"}]}, {"label": "none"}),
    ],
)  # fmt: skip
def test_answers_normalised(kind, answer, fields, want):
    assert kinds.normalise(kind, answer, fields) == want


@pytest.mark.parametrize(
    ("kind", "answer", "fields", "says"),
    [
        ("same-person", "maybe", {}, "yes"),
        ("report", {"civilians": "no", "killed": 3}, {}, "above 0"),
        ("report", {"civilians": "yes", "killed": -1}, {}, "0 to"),
        ("report", {"civilians": "yes", "weapon": "x"}, {}, "unknown field"),
        ("locate", {"lat": 95, "lon": 0}, {}, "-90"),
        ("locate", {"lat": "nan", "lon": 0}, {}, "-90"),
        ("locate", {"candidate": "zz"}, {"candidates": [{"id": "a"}]}, "not one of"),
        ("image", "7", {"frames": [{"id": "0"}]}, "not one of"),
    ],
)  # fmt: skip
def test_bad_answers_refused(kind, answer, fields, says):
    with pytest.raises(InputError, match=says):
        kinds.normalise(kind, answer, fields)


def _png() -> bytes:
    raw = b"\x00\xff\x00\x00"
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))  # noqa: E731
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))  # fmt: skip


def test_image_frames_go_only_to_the_tasks_holder(tmp_path):
    root = tmp_path / "frames"
    for d in ("bldg1", "bldg2"):
        (root / d).mkdir(parents=True)
        for n in ("2017-05.png", "2017-07.png", "2017-09.png"):
            (root / d / n).write_bytes(_png())
    (root / "bldg1" / "notes.txt").write_text("not a frame")
    store = Store(f"sqlite:///{tmp_path / 'i.db'}")
    built = items.build(store, "image", images=root)
    assert [b.key for b in built] == ["images-bldg1", "images-bldg2"]
    assert [f["label"] for f in built[0].fields["frames"]] == ["2017-05", "2017-07", "2017-09"]
    assert str(root) not in repr([b.fields for b in built])  # server paths are not shown
    service.ensure_campaign(store, ADMIN, "frames", "image", k=1)
    service.add_items(store, ADMIN, "frames", built)
    for n in ("ann", "bob"):
        accounts.add_user(store, ADMIN, n, "volunteer", PASSWORD)
    c = TestClient(create_app(store, cache_ttl=0))
    ha = {"Authorization": "Bearer " + accounts.create_token(store, ADMIN, "ann")}
    hb = {"Authorization": "Bearer " + accounts.create_token(store, ADMIN, "bob")}
    t = c.post("/api/tasks/next", headers=ha).json()
    r = c.get(f"/api/tasks/{t['task_id']}/frames/1", headers=ha)
    assert r.status_code == 200 and r.content == _png()
    assert c.get(f"/api/tasks/{t['task_id']}/frames/1", headers=hb).status_code == 404
    assert c.get(f"/api/tasks/{t['task_id']}/frames/9", headers=ha).status_code == 404
    assert c.get(f"/api/tasks/{t['task_id']}/frames/..%2F..%2Fx", headers=ha).status_code == 404
    assert (
        c.post(
            f"/api/tasks/{t['task_id']}/answer", headers=ha, json={"answer": {"frame": "2"}}
        ).status_code
        == 200
    )


def test_unanswered_assignment_gives_its_place_back_and_a_late_answer_counts(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'e.db'}")
    service.ensure_campaign(store, ADMIN, "p", "same-person", k=1)
    service.add_items(store, ADMIN, "p", [ItemIn("x", {"a": {}, "b": {}})])
    for n in ("ann", "bob"):
        accounts.add_user(store, ADMIN, n, "volunteer", PASSWORD)
    ann = accounts.authenticate(store, "ann", PASSWORD)
    bob = accounts.authenticate(store, "bob", PASSWORD)
    t = service.next_task(store, ann)
    assert service.next_task(store, bob) is None  # k = 1: ann holds the only place
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with store.begin() as conn:
        assert st.expire_assignments(conn, later) == 1
    tb = service.next_task(store, bob)
    assert tb is not None and tb["item_id"] == "x"
    service.answer(store, bob, tb["task_id"], "yes")
    service.answer(store, ann, t["task_id"], "no")  # late, but kept
    with store.connect() as conn:
        (row,) = st.items(conn, st.campaign_by_name(conn, "p")["id"])
    assert row["answers"] == 2 and row["taken"] == 2
