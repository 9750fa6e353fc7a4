"""The work queue's search, filters and paging, and assignment, on SQLite and PostgreSQL.

The incidents are written here with known codes, places and dates, so each expected set
follows from the data as written, not from the queue's own answer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from wf_helpers import ADMIN, PASSWORD

from civcas.model import CountRange, Incident, Place
from civcas.model.errors import InputError, NotFoundError
from civcas.store import IncidentWriter, Store, history
from civcas.store import workflow as sw
from civcas.workflow import Actor, accounts, audit, editing
from civcas.workflow import queue as wq
from civcas.workflow.roles import PermissionDenied

PLACES = ["Raqqa", "Tabqa", "Mansoura", "Al-Thawrah"]
PLACES_AR = ["الرقة", "الطبقة", "المنصورة", "الثورة"]
N = 60  # Q000 .. Q059: place i % 4, date 2017-01-01 + 5 i days


def _day(i: int) -> dt.date:
    return dt.date(2017, 1, 1) + dt.timedelta(days=5 * i)


@pytest.fixture
def world(db_url: str):
    store = Store(db_url)
    with store.begin() as conn:
        w = IncidentWriter(conn, "test", None)
        for i in range(N):
            w.add(
                Incident(
                    source_kind="test",
                    source_id=str(i),
                    code=f"Q{i:03d}",
                    date_start=_day(i),
                    place=Place(name_en=PLACES[i % 4], name_ar=PLACES_AR[i % 4]),
                    killed=CountRange(i, i),
                    raw={"i": i},
                )
            )
        w.flush()
        history.baseline(conn, "seed", "test records")
    users = {}
    for name, role in (
        ("con", "contributor"),
        ("res", "researcher"),
        ("res2", "researcher"),
        ("rev", "reviewer"),
    ):
        u = accounts.add_user(store, ADMIN, name, role, PASSWORD)
        users[name] = Actor(name, role, u["id"])
    yield store, users
    store.dispose()


def codes(store: Store, who: Actor, **kw) -> list[str]:
    out = wq.search(store, who, wq.QueueQuery(limit=500, **kw))
    assert out["total"] == len(out["rows"])
    return [r["code"] for r in out["rows"]]


def test_paging_covers_every_incident_once(world) -> None:
    store, users = world
    seen: list[str] = []
    offset = 0
    while True:
        page = wq.search(store, users["res"], wq.QueueQuery(sort="code", offset=offset, limit=7))
        assert page["total"] == N
        if not page["rows"]:
            break
        seen += [r["code"] for r in page["rows"]]
        offset += 7
    assert seen == [f"Q{i:03d}" for i in range(N)]
    # newest first by default (all published: date order)
    first = wq.search(store, users["res"], wq.QueueQuery(limit=3))["rows"]
    assert [r["code"] for r in first] == ["Q059", "Q058", "Q057"]


def test_search_by_code_place_and_date(world) -> None:
    store, users = world
    res = users["res"]
    assert codes(store, res, q="Q017") == ["Q017"]
    assert codes(store, res, q="q01", sort="code") == [f"Q01{i}" for i in range(10)]
    tabqa = sorted(f"Q{i:03d}" for i in range(N) if i % 4 == 1)
    assert sorted(codes(store, res, q="tabqa")) == tabqa
    assert sorted(codes(store, res, q="الطبقة")) == tabqa
    in_march = sorted(f"Q{i:03d}" for i in range(N) if _day(i).strftime("%Y-%m") == "2017-03")
    assert in_march and sorted(codes(store, res, q="2017-03")) == in_march
    assert codes(store, res, q=str(_day(17))) == ["Q017"]
    # every word must match: a place and a month
    both = sorted(c for c in in_march if int(c[1:]) % 4 == 1)
    assert sorted(codes(store, res, q="Tabqa 2017-03")) == both
    # wildcards are plain text
    assert codes(store, res, q="%") == [] and codes(store, res, q="Q0_1") == []
    # a date range
    lo, hi = _day(10), _day(12)
    assert sorted(codes(store, res, date_from=lo, date_to=hi)) == ["Q010", "Q011", "Q012"]


def test_alias_finds_a_merged_incident(world) -> None:
    store, users = world
    editing.mark_duplicate(store, users["res"], "Q003", "Q004", "same strike")
    assert codes(store, users["res"], q="Q003") == ["Q004"]


def test_needs_review_conflict_and_published(world) -> None:
    store, users = world
    res, rev = users["res"], users["rev"]
    editing.publish(store, rev, "Q005", False, reason="check the count")
    made = editing.create(store, users["con"], {"location_en": "Raqqa"}, code="NEW1")
    assert made["published"] is False
    assert sorted(codes(store, res, status="review")) == ["NEW1", "Q005"]
    assert len(codes(store, res, status="published")) == N - 1
    # needs review comes first in the default order
    assert {r["code"] for r in wq.search(store, res, wq.QueueQuery(limit=2))["rows"]} == {
        "NEW1",
        "Q005",
    }
    with store.begin() as conn:  # an open and a resolved conflict, as a re-import queues them
        for code, status in (("Q020", "open"), ("Q021", "kept_team")):
            conn.execute(
                sw.wf_conflict.insert().values(
                    incident_id=sw.incident_row(conn, code)["id"],  # type: ignore[index]
                    field="killed_max",
                    source_value="9",
                    team_value="8",
                    status=status,
                    created_at="2026-01-01T00:00:00Z",
                )
            )
    hits = wq.search(store, res, wq.QueueQuery(status="conflict"))["rows"]
    assert [(r["code"], r["open_conflicts"]) for r in hits] == [("Q020", 1)]


def test_contributor_sees_only_own_submissions(world) -> None:
    store, users = world
    editing.create(store, users["con"], {"location_en": "Raqqa"}, code="MINE1")
    editing.create(store, users["res"], {"location_en": "Raqqa"}, code="THEIRS1")
    assert codes(store, users["con"]) == ["MINE1"]
    assert codes(store, users["con"], q="Raqqa") == ["MINE1"]
    with pytest.raises(PermissionDenied):
        wq.search(store, Actor("", "public"), wq.QueueQuery())


def test_assignment_mine_and_assigned_to(world) -> None:
    store, users = world
    res, res2, rev = users["res"], users["res2"], users["rev"]
    before = editing.get(store, rev, "Q030")
    got = wq.assign(store, res, "Q030", "res", "I take it")
    assert got["assigned_to"] == "res" and got["assigned_by"] == "res"
    wq.assign(store, rev, "Q031", "res", None)
    wq.assign(store, rev, "Q032", "res2", None)
    editing.grade(store, res, "Q040", "Fair", "two sources")  # edited, not assigned
    editing.create(store, res, {"location_en": "Tabqa"}, code="RES-NEW")  # submitted
    assert sorted(codes(store, res, assigned="res")) == ["Q030", "Q031"]
    assert codes(store, res, assigned="res2") == ["Q032"]
    assert len(codes(store, res, assigned="none")) == N + 1 - 3
    mine = sorted(codes(store, res, mine=res.user_id))
    assert mine == ["Q030", "Q031", "Q040", "RES-NEW"]
    assert codes(store, res2, mine=res2.user_id) == ["Q032"]
    with pytest.raises(InputError, match="mine"):
        wq.search(store, res, wq.QueueQuery(mine=res2.user_id))
    row = wq.search(store, rev, wq.QueueQuery(q="Q030"))["rows"][0]
    assert row["assigned_to"] == "res" and row["assigned_at"] == got["assigned_at"]
    # taking work changes neither the record nor its version
    after = editing.get(store, rev, "Q030")
    assert after["version"] == before["version"]
    # each assignment is a revision in the chain, with before and after
    revs = [
        r
        for r in audit.log(store, entity="incident", key="Q030")
        if r["action"] == "incident.assign"
    ]
    assert [(r["actor"], r["before"], r["after"], r["reason"]) for r in revs] == [
        ("res", {"assigned_to": None}, {"assigned_to": "res"}, "I take it")
    ]
    assert audit.verify(store).ok


def test_who_may_assign_whom(world) -> None:
    store, users = world
    con, res, res2, rev = users["con"], users["res"], users["res2"], users["rev"]
    with pytest.raises(PermissionDenied):
        wq.assign(store, con, "Q001", "con")  # contributors do not take incidents
    with pytest.raises(PermissionDenied):
        wq.assign(store, res, "Q001", "res2")  # handing work to another needs publish
    wq.assign(store, res2, "Q001", "res2")
    with pytest.raises(PermissionDenied):
        wq.assign(store, res, "Q001", "res")  # nor taking it from them
    with pytest.raises(PermissionDenied):
        wq.assign(store, res, "Q001", None)
    wq.assign(store, res2, "Q001", None)  # giving back one's own
    assert codes(store, rev, assigned="res2") == []
    wq.assign(store, rev, "Q001", "res")
    assert codes(store, rev, assigned="res") == ["Q001"]
    with pytest.raises(InputError, match="assignee"):
        wq.assign(store, rev, "Q001", "con")  # a contributor cannot edit it
    with pytest.raises(InputError, match="assignee"):
        wq.assign(store, rev, "Q001", "nobody-by-that-name")
    accounts.disable(store, ADMIN, "res2")
    with pytest.raises(InputError, match="assignee"):
        wq.assign(store, rev, "Q001", "res2")
    with pytest.raises(NotFoundError):
        wq.assign(store, rev, "NOPE", "res")


def test_merge_drops_the_duplicates_assignment(world) -> None:
    store, users = world
    wq.assign(store, users["rev"], "Q050", "res")
    editing.mark_duplicate(store, users["res"], "Q050", "Q051", "same")
    assert codes(store, users["res"], assigned="res") == []


def test_bad_parameters_are_named(world) -> None:
    store, users = world
    for kw, name in (
        ({"status": "bogus"}, "status"),
        ({"sort": "random()"}, "sort"),
        ({"offset": -1}, "offset"),
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
    ):
        with pytest.raises(InputError, match=name):
            wq.search(store, users["res"], wq.QueueQuery(**kw))
