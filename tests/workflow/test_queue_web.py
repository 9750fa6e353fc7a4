"""The queue page and its JSON call, and assignment from the page (issue 24)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient
from wf_helpers import ADMIN, PASSWORD, seed_incidents

from civcas.store import Store
from civcas.web import create_app
from civcas.workflow import accounts, audit, editing

ROW = re.compile(r'<tr data-code="([^"]+)">')


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    store = Store(f"sqlite:///{tmp_path / 'wf.db'}")
    seed_incidents(store, 12)  # T0..T11: "Place i", Raqqa
    for name, role in (("rita", "researcher"), ("vera", "reviewer"), ("cora", "contributor")):
        accounts.add_user(store, ADMIN, name, role, PASSWORD)
    yield create_app(store, cache_ttl=0), store
    store.dispose()


def _client(app: Any, name: str) -> tuple[TestClient, str]:
    c = TestClient(app)
    r = c.post("/api/workflow/login", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return c, r.json()["csrf"]


def test_page_pages_and_keeps_the_filters(app) -> None:
    c, _ = _client(app[0], "rita")
    page = c.get("/work", params={"q": "Raqqa", "limit": 50, "sort": "code"}).text
    assert len(ROW.findall(page)) == 12
    assert 'data-total="12"' in page and 'data-pages="1"' in page
    small = c.get("/work", params={"q": "Raqqa", "sort": "code", "limit": 50, "offset": 0})
    assert small.status_code == 200
    # JSON call: the same rows
    js = c.get("/api/workflow/queue", params={"q": "Raqqa", "sort": "code", "limit": 5}).json()
    assert js["total"] == 12 and [r["code"] for r in js["rows"]] == ["T0", "T1", "T10", "T11", "T2"]
    # next page link carries q and sort
    page = c.get("/work", params={"q": "Raqqa", "sort": "code", "limit": 100}).text
    assert 'class="next"' not in page
    r = c.get("/work", params={"q": "Place 1", "sort": "code"})
    assert ROW.findall(r.text) == ["T1", "T10", "T11"]
    for params, name in (
        ({"status": "bogus"}, "status"),
        ({"date_from": "2017-13-01"}, "date_from"),
    ):
        bad = c.get("/work", params=params, headers={"Accept": "application/json"})
        assert bad.status_code == 400 and bad.json()["error"]["parameter"] == name


def test_take_from_the_page_and_land_back(app) -> None:
    web, store = app
    c, csrf = _client(web, "rita")
    back = "/work?q=Place+3&sort=code"
    r = c.post(
        "/work/incidents/T3/assign",
        data={"assignee": "rita", "back": back, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == back
    page = c.get(back).text
    assert '<span class="who">rita</span>' in page and "Give back" in page
    mine = c.get("/api/workflow/queue", params={"mine": "true"}).json()
    assert [r["code"] for r in mine["rows"]] == ["T3"]
    # another site as "back" lands on the queue
    r = c.post(
        "/work/incidents/T3/assign",
        data={"assignee": "", "back": "https://evil.example/", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/work"
    assert c.get("/api/workflow/queue", params={"assigned": "none"}).json()["total"] == 12
    # without the session's CSRF token nothing happens
    r = c.post("/work/incidents/T4/assign", data={"assignee": "rita"}, follow_redirects=False)
    assert r.status_code == 403
    assert [x["action"] for x in audit.log(store, entity="incident", key="T3")][-2:] == [
        "incident.assign",
        "incident.assign",
    ]


def test_reviewers_assign_others_researchers_do_not(app) -> None:
    web, _ = app
    rita, rcsrf = _client(web, "rita")
    vera, vcsrf = _client(web, "vera")
    r = rita.post(
        "/api/workflow/incidents/T5/assign",
        json={"assignee": "vera"},
        headers={"X-CSRF-Token": rcsrf},
    )
    assert r.status_code == 403
    r = vera.post(
        "/api/workflow/incidents/T5/assign",
        json={"assignee": "rita", "reason": "your area"},
        headers={"X-CSRF-Token": vcsrf},
    )
    assert r.status_code == 200 and r.json()["assigned_to"] == "rita"
    page = vera.get("/work", params={"assigned": "rita"}).text
    assert ROW.findall(page) == ["T5"]
    # the reviewer's page offers the assign list; the researcher's a Give back button
    assert 'name="assignee" aria-label' in page
    assert "Give back" in rita.get("/work", params={"assigned": "rita"}).text
    r = vera.post(
        "/api/workflow/incidents/T5/assign",
        json={"assignee": "cora"},
        headers={"X-CSRF-Token": vcsrf},
    )
    assert r.status_code == 400 and "cora" in r.json()["error"]["message"]


def test_pager_links_keep_every_filter(app) -> None:
    web, store = app
    c, _ = _client(web, "rita")
    one_page = c.get("/work", params={"q": "Raqqa", "sort": "code"}).text
    assert re.findall(r'class="(?:next|last)"', one_page) == []  # 12 rows: one page
    for i in range(45):  # 57 in all: two pages of 50
        editing.create(store, ADMIN, {"location_en": "Raqqa"}, code=f"N{i:02d}")
    page = c.get("/work", params={"q": "Raqqa", "sort": "code"}).text
    top, bottom = re.findall(r'href="(/work\?[^"]+)" class="next"', page)  # both pagers
    assert top == bottom
    nxt = top.replace("&amp;", "&")
    assert parse_qs(urlparse(nxt).query) == {"q": ["Raqqa"], "sort": ["code"], "offset": ["50"]}
    second = c.get(nxt).text
    assert len(ROW.findall(second)) == 57 - 50
    assert 'data-page="2"' in second and 'data-pages="2"' in second
