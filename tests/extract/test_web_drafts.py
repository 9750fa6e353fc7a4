"""The draft review view: every extracted field beside the source span it came from.

Real store (SQLite and PostgreSQL), drafts made by the real `civcas extract --into-db`,
real users and sessions, the real app from ``create_app`` with the drafts router.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from civcas.cli.main import cli
from civcas.store import Store
from civcas.web import create_app
from civcas.workflow import Actor, accounts

ADMIN = Actor("cli:test", "admin")
EN = (
    "Raqqa, 17 August 2017. A US-led coalition airstrike killed 12 civilians, including "
    "3 children, in the Daraiya neighbourhood of Raqqa on Wednesday, 16 August 2017."
)
AR = "مقتل ٧ مدنيين بينهم طفلان جراء غارة لطيران التحالف على حي المشلب في مدينة الرقة"
MARK = re.compile(r'<mark data-start="(\d+)" data-end="(\d+)">([^<]*)</mark>')


@pytest.fixture
def app_and_texts(db_url: str, tmp_path: Path):
    texts = {"en.txt": EN, "ar.txt": AR}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    files = [str(tmp_path / n) for n in texts]
    r = CliRunner().invoke(cli, ["--db", db_url, "extract", *files, "--into-db"])
    assert r.exit_code == 0, r.stderr
    store = Store(db_url)
    accounts.add_user(store, ADMIN, "res", "researcher", "vivid orchard lamp 42")
    accounts.add_user(store, ADMIN, "con", "contributor", "vivid orchard lamp 42")
    app = create_app(store, cache_ttl=0)
    yield app, texts
    store.dispose()


def _login(c: TestClient, name: str) -> str:
    r = c.post("/api/workflow/login", json={"name": name, "password": "vivid orchard lamp 42"})
    assert r.status_code == 200, r.text
    return str(r.json()["csrf"])


def _field_rows(page: str) -> dict[str, str]:
    rows = re.findall(r'<tr data-field="(\w+)">(.*?)</tr>', page, re.S)
    return dict(rows)


def test_only_researchers_read_drafts(app_and_texts) -> None:
    app, _ = app_and_texts
    anon = TestClient(app)
    to_login = anon.get("/work/drafts", follow_redirects=False)  # issue 24: sent to log in
    assert to_login.status_code == 303
    assert to_login.headers["location"] == "/login?next=%2Fwork%2Fdrafts"
    assert anon.get("/api/workflow/drafts").status_code == 401
    con = TestClient(app)
    _login(con, "con")
    assert con.get("/work/drafts").status_code == 403
    assert con.get("/work/drafts/1").status_code == 403


def test_every_field_shows_its_source_span(app_and_texts) -> None:
    app, texts = app_and_texts
    c = TestClient(app)
    _login(c, "res")
    listing = c.get("/work/drafts.json").json()["drafts"]
    by_source = {d["source_id"]: d for d in listing}
    assert set(by_source) == {"en", "ar"}
    for source, text in (("en", texts["en.txt"]), ("ar", texts["ar.txt"])):
        d = by_source[source]
        page = c.get(f"/work/drafts/{d['id']}").text
        rows = _field_rows(page)
        claim = c.get(f"/work/drafts/{d['id']}.json").json()["claim"]
        shown = 0
        for name, row in rows.items():
            field = claim.get(name)
            marks = MARK.findall(row)
            if field is None:
                assert not marks and "not stated" in row, (source, name)
                continue
            # each span of the field is highlighted, and the highlight is the source text
            assert len(marks) == len(field["spans"]), (source, name, row)
            for start, end, shown_text in marks:
                assert html.unescape(shown_text) == text[int(start) : int(end)], (source, name)
                shown += 1
        assert shown >= 4, source  # killed, children, actor, weapon, place at least
    en_rows = _field_rows(c.get(f"/work/drafts/{by_source['en']['id']}").text)
    assert ">12 civilians</mark>" in en_rows["civilians_killed"]
    assert ">3 children</mark>" in en_rows["children_killed"]
    assert "US-led coalition" in en_rows["actor"] and "airstrike" in en_rows["weapon"]
    ar_rows = _field_rows(c.get(f"/work/drafts/{by_source['ar']['id']}").text)
    assert "٧ مدنيين" in ar_rows["civilians_killed"] and 'dir="rtl"' in ar_rows["actor"]


def test_accept_and_reject_need_the_session_token(app_and_texts) -> None:
    app, _ = app_and_texts
    c = TestClient(app)
    csrf = _login(c, "res")
    ids = [d["id"] for d in c.get("/work/drafts.json").json()["drafts"]]
    first, second = ids
    url = f"/work/drafts/{first}"
    assert c.post(url, data={"decision": "accepted"}).status_code == 403
    bad = c.post(url, data={"decision": "published", "csrf_token": csrf})
    assert bad.status_code == 400
    no_target = c.post(url, data={"decision": "accepted", "csrf_token": csrf})
    assert no_target.status_code == 400  # into a new or an existing incident (issue 24)
    r = c.post(
        url,
        data={"decision": "accepted", "into": "new", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == url
    got = c.get(f"{url}.json").json()
    assert got["status"] == "accepted" and got["reviewed_by"] == "res"
    c.post(f"/work/drafts/{second}", data={"decision": "rejected", "csrf_token": csrf})
    assert c.get("/work/drafts.json").json()["drafts"] == []
    assert [d["id"] for d in c.get("/work/drafts.json?status=accepted").json()["drafts"]] == [first]
    page = c.get("/work/drafts?status=all").text
    assert "accepted" in page and "rejected" in page
    assert c.get("/work/drafts/99999").status_code == 404
    assert c.get("/work/drafts?status=bogus").status_code == 400
