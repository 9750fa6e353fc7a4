"""The way in: a Log in link on public pages, anonymous work pages sent to log in and
back, and ``next`` that can never send a user to another site (issue 24)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest
from fastapi.testclient import TestClient
from serving import uvicorn_server
from wf_helpers import ADMIN, PASSWORD, seed_incidents

from civcas.store import Store
from civcas.web import create_app
from civcas.web.workflow.auth import safe_next
from civcas.workflow import accounts

I18N = Path(__file__).resolve().parents[2] / "civcas" / "web" / "i18n"

#: values of ``next`` that would leave the site, or smuggle something in
ATTACKS = [
    "https://evil.example/",
    "http:evil.example",
    "//evil.example/work",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/" + "a" * 3000,
    "/work\x00",
    "/\u0085/evil.example",
]


@pytest.mark.parametrize("value", ATTACKS)
def test_next_outside_the_site_becomes_work(value: str) -> None:
    assert safe_next(value) == "/work"


@pytest.mark.parametrize(
    "value",
    [
        "/work",
        "/work?q=Raqqa&offset=50",
        "/work/incidents/CS905",
        "/work/drafts/3",
        "/",
        "/%2F%2Fx",
    ],
)
def test_local_paths_are_kept(value: str) -> None:
    assert safe_next(value) == value


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    store = Store(f"sqlite:///{tmp_path / 'wf.db'}")
    seed_incidents(store, 3)
    accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)
    yield create_app(store, cache_ttl=0)
    store.dispose()


def test_anonymous_pages_redirect_and_json_stays_401(app: Any) -> None:
    c = TestClient(app)
    for path in ("/work", "/work?q=T1&offset=0", "/work/incidents/T1", "/work/drafts"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"] == "/login?next=" + quote(path, safe="")
    # JSON callers and scripts get the 401 they can act on
    assert c.get("/work", headers={"Accept": "application/json"}).status_code == 401
    assert c.get("/work/drafts.json", follow_redirects=False).status_code == 401
    assert c.get("/api/workflow/queue", follow_redirects=False).status_code == 401
    bad_token = {"Authorization": "Bearer nope"}
    assert c.get("/work", headers=bad_token, follow_redirects=False).status_code == 401
    # an unsafe method is not redirected (a form posted without a session)
    assert c.post("/work/incidents", data={}, follow_redirects=False).status_code == 401
    # a page outside the work area is not concerned
    assert c.get("/incidents/NOPE", follow_redirects=False).status_code == 404


def test_login_post_follows_only_local_next(app: Any) -> None:
    for value, lands in [
        ("/work?q=T1", "/work?q=T1"),
        ("/work/incidents/T2", "/work/incidents/T2"),
        *((a, "/work") for a in ATTACKS),
    ]:
        c = TestClient(app)
        page = c.get("/login", params={"next": value})
        shown = safe_next(value)
        assert f'name="next" value="{shown}"'.replace("&", "&amp;") in page.text
        r = c.post(
            "/login",
            data={
                "name": "rita",
                "password": PASSWORD,
                "csrf_token": c.cookies["civcas_login_csrf"],
                "next": value,
            },
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == lands, value


def test_public_pages_link_to_log_in(app: Any) -> None:
    c = TestClient(app)
    for lang in ("en", "ar"):
        want = json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))["log_in"]
        page = c.get("/", params={"lang": lang}).text
        assert f'<a href="/login" id="login-link" rel="nofollow">{want}</a>' in page


# ---- in a real browser ----------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("loginweb")
    url = f"sqlite:///{tmp / 'web.db'}"
    store = Store(url)
    seed_incidents(store, 3)
    accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)
    store.dispose()
    with uvicorn_server(url, tmp) as base:
        yield base


def _log_in(page: Any) -> None:
    page.fill("#name", "rita")
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_load_state()


@pytest.mark.browser
def test_anonymous_visitor_lands_back_where_they_were_going(chromium: Any, server: str) -> None:
    ctx = chromium.new_context(base_url=server)
    page = ctx.new_page()
    page.goto("/work?q=T1&status=all")
    here = urlparse(page.url)
    assert here.path == "/login" and "next=" in here.query
    assert page.locator("#login-next").get_attribute("value") == "/work?q=T1&status=all"
    _log_in(page)
    there = urlparse(page.url)
    assert (there.path, there.query) == ("/work", "q=T1&status=all")
    assert page.locator("#q").input_value() == "T1"
    assert "rita" in page.locator("#whoami").inner_text()
    ctx.close()


@pytest.mark.browser
def test_the_public_log_in_link_leads_to_the_work_queue(chromium: Any, server: str) -> None:
    ctx = chromium.new_context(base_url=server)
    page = ctx.new_page()
    page.goto("/")
    page.click("#login-link")
    assert urlparse(page.url).path == "/login"
    _log_in(page)
    assert urlparse(page.url).path == "/work"
    assert page.locator("#queue").count() == 1
    ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    "attack",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example",
     "javascript:alert(1)"],
)  # fmt: skip
def test_open_redirect_attempts_land_on_work(chromium: Any, server: str, attack: str) -> None:
    ctx = chromium.new_context(base_url=server)
    left: list[str] = []
    ctx.on(
        "request", lambda r: left.append(r.url) if urlparse(r.url).hostname != "127.0.0.1" else None
    )
    page = ctx.new_page()
    page.goto("/login?next=" + quote(attack, safe=""))
    _log_in(page)
    assert page.url == server + "/work"
    assert left == []
    ctx.close()
