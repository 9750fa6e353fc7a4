"""Accounts (issue 15, medium items): the login limit's race and lockout, API tokens that
can be listed and revoked, password changes, enabling, the last admin, the password
policy. Through the library, the CLI (click's CliRunner) and a real uvicorn server.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from serving import uvicorn_server
from wf_helpers import ADMIN, PASSWORD

from civcas.cli.main import cli
from civcas.model import InputError
from civcas.store import Store
from civcas.web import create_app
from civcas.workflow import accounts

OTHER = "a-different strong Passphrase 42"


class _CountingHasher:
    """Argon2 as the library uses it, counting (and slowing) every password check, so
    that concurrent guesses overlap and every check that ran is seen."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.checks = 0
        self.lock = threading.Lock()

    def hash(self, password: str) -> str:
        return str(self.real.hash(password))

    def verify(self, stored: str, password: str) -> bool:
        with self.lock:
            self.checks += 1
        time.sleep(0.05)
        return bool(self.real.verify(stored, password))

    def check_needs_rehash(self, stored: str) -> bool:
        return False


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> _CountingHasher:
    from argon2 import PasswordHasher

    h = _CountingHasher(PasswordHasher())
    monkeypatch.setattr(accounts, "_hasher", lambda: h)
    return h


def _guess(store: Store, name: str, client: str, password: str = "wrong guess 77 x") -> str:
    try:
        accounts.authenticate(store, name, password, client)
        return "ok"
    except accounts.RateLimited:
        return "limited"
    except accounts.LoginFailed:
        return "failed"


def _in_threads(n: int, fn: Any) -> list[str]:
    out: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(n)

    def run(i: int) -> None:
        start.wait()
        r = fn(i)
        with lock:
            out.append(r)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


# ---- throttling --------------------------------------------------------------------------


def test_concurrent_guesses_check_at_most_the_limit(db_url, counting):
    """18 of 30 concurrent guesses were checked against a limit of 5 (read-then-write)."""
    store = Store(db_url)
    accounts.add_user(store, ADMIN, "victim", "admin", PASSWORD)
    counting.checks = 0
    got = _in_threads(30, lambda i: _guess(store, "victim", "203.0.113.5"))
    assert counting.checks <= accounts.MAX_FAILURES, counting.checks
    assert got.count("failed") == counting.checks and got.count("limited") == 30 - counting.checks
    store.dispose()


def test_distributed_guesses_hit_the_per_name_ceiling(db_url, counting, monkeypatch):
    """Many addresses, few guesses each: the per-name ceiling bounds the total."""
    monkeypatch.setattr(accounts, "MAX_NAME_FAILURES", 8, raising=False)
    store = Store(db_url)
    accounts.add_user(store, ADMIN, "victim", "admin", PASSWORD)
    accounts.authenticate(store, "victim", PASSWORD, "198.51.100.7")  # the owner's address
    counting.checks = 0
    got = _in_threads(24, lambda i: _guess(store, "victim", f"203.0.113.{i}"))
    assert counting.checks <= 8, counting.checks
    assert "limited" in got
    # the owner, from the address they have logged in from, still gets in
    assert _guess(store, "victim", "198.51.100.7", PASSWORD) == "ok"
    store.dispose()


def test_stranger_cannot_lock_out_the_owner(store, counting):
    accounts.add_user(store, ADMIN, "victim", "researcher", PASSWORD)
    results = [_guess(store, "victim", "203.0.113.5") for _ in range(40)]
    assert results[: accounts.MAX_FAILURES] == ["failed"] * accounts.MAX_FAILURES
    assert set(results[accounts.MAX_FAILURES :]) == {"limited"}
    assert counting.checks == accounts.MAX_FAILURES  # refused guesses are never checked
    # the owner, from their own address (never seen before), with the right password
    who = accounts.authenticate(store, "victim", PASSWORD, "198.51.100.7")
    assert who.name == "victim"
    # the stranger stays slowed down, even with the right password
    assert _guess(store, "victim", "203.0.113.5", PASSWORD) == "limited"


def test_rate_limit_is_429_with_retry_after(store):
    accounts.add_user(store, ADMIN, "victim", "researcher", PASSWORD)
    c = TestClient(create_app(store, cache_ttl=0))
    for _ in range(accounts.MAX_FAILURES):
        r = c.post("/api/workflow/login", json={"name": "victim", "password": "nope nope nope"})
        assert r.status_code == 401
    r = c.post("/api/workflow/login", json={"name": "victim", "password": "nope nope nope"})
    assert r.status_code == 429
    assert 0 < int(r.headers["retry-after"]) <= accounts.FAILURE_WINDOW.total_seconds()


def test_login_form_429_carries_retry_after(store):
    accounts.add_user(store, ADMIN, "victim", "researcher", PASSWORD)
    c = TestClient(create_app(store, cache_ttl=0))
    c.get("/login")  # sets the login form's double-submit cookie
    token = c.cookies.get("civcas_login_csrf")
    form = {"name": "victim", "password": "nope nope nope", "csrf_token": token}
    codes = [c.post("/login", data=form).status_code for _ in range(accounts.MAX_FAILURES + 1)]
    assert codes == [401] * accounts.MAX_FAILURES + [429]
    r = c.post("/login", data=form)
    assert r.status_code == 429 and "text/html" in r.headers["content-type"]
    assert 0 < int(r.headers["retry-after"]) <= accounts.FAILURE_WINDOW.total_seconds()


# ---- tokens through a real server --------------------------------------------------------


@pytest.fixture
def server(store: Store, tmp_path: Path) -> Iterator[str]:
    """A real uvicorn over the ``store`` fixture's database."""
    with uvicorn_server(store.url, tmp_path) as base:
        yield base


def test_tokens_listed_without_secret_and_revoked_at_once(store, server):
    accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)
    run = CliRunner().invoke
    r = run(cli, ["--db", store.url, "user", "token", "create", "rita", "--label", "scraper"])
    assert r.exit_code == 0, r.output
    token = r.output.strip().splitlines()[-1]
    other = accounts.create_token(store, ADMIN, "rita", "laptop")
    h = {"Authorization": f"Bearer {token}"}
    me = httpx.get(server + "/api/workflow/me", headers=h, timeout=10)
    assert me.status_code == 200 and me.json()["name"] == "rita"
    listed = accounts.list_tokens(store, ADMIN, "rita")
    assert [t["label"] for t in listed] == ["scraper", "laptop"]
    assert {"id", "label", "created_at", "last_used_at", "revoked"} <= set(listed[0])
    assert listed[0]["last_used_at"] and listed[1]["last_used_at"] is None
    out = run(cli, ["--db", store.url, "user", "token", "list", "rita", "--json"]).output
    assert token not in out and other not in out and "sha256" not in out
    assert [t["label"] for t in json.loads(out)] == ["scraper", "laptop"]
    plain = run(cli, ["--db", store.url, "user", "token", "list"]).output
    assert "scraper" in plain and token not in plain
    # revoke: the very next request is refused
    r = run(cli, ["--db", store.url, "user", "token", "revoke", str(listed[0]["id"])])
    assert r.exit_code == 0, r.output
    gone = httpx.get(server + "/api/workflow/me", headers=h, timeout=10)
    assert gone.status_code == 401
    still = httpx.get(
        server + "/api/workflow/me", headers={"Authorization": f"Bearer {other}"}, timeout=10
    )
    assert still.status_code == 200 and still.json()["name"] == "rita"
    assert accounts.list_tokens(store, ADMIN, "rita")[0]["revoked"] is True
    # a user may list and revoke their own tokens, not somebody else's
    rita = accounts.authenticate(store, "rita", PASSWORD)
    accounts.revoke_token(store, rita, listed[1]["id"])
    assert accounts.token_actor(store, other) is None
    admin_token = accounts.create_token(store, ADMIN, "rita", "x")  # noqa: F841
    accounts.add_user(store, ADMIN, "mallory", "researcher", PASSWORD)
    mallory = accounts.authenticate(store, "mallory", PASSWORD)
    from civcas.workflow import PermissionDenied

    with pytest.raises(PermissionDenied):
        accounts.revoke_token(store, mallory, listed[1]["id"] + 1)
    with pytest.raises(PermissionDenied):
        accounts.list_tokens(store, mallory, "rita")
    # the old form `civcas user token NAME` still creates one
    r = run(cli, ["--db", store.url, "user", "token", "rita"])
    assert r.exit_code == 0 and r.output.strip().startswith("cvt_"), r.output


# ---- passwords, enable, the last admin ---------------------------------------------------


def test_passwd_changes_password_and_ends_other_sessions(store):
    accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)
    rita = accounts.authenticate(store, "rita", PASSWORD)
    s1 = accounts.start_session(store, rita)
    s2 = accounts.start_session(store, rita)
    # a user changing their own password must give the current one, and keeps this session
    with pytest.raises(accounts.LoginFailed):
        accounts.change_password(store, rita, "rita", OTHER, current="not it at all")
    accounts.change_password(store, rita, "rita", OTHER, current=PASSWORD, keep_session=s1.token)
    assert accounts.session(store, s1.token) is not None
    assert accounts.session(store, s2.token) is None
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate(store, "rita", PASSWORD)
    assert accounts.authenticate(store, "rita", OTHER).name == "rita"
    # the CLI (admin authority): prompts twice, ends every session
    r = CliRunner().invoke(
        cli,
        ["--db", store.url, "user", "passwd", "rita"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert r.exit_code == 0, r.output
    assert accounts.session(store, s1.token) is None
    assert accounts.authenticate(store, "rita", PASSWORD).name == "rita"
    weak = CliRunner().invoke(
        cli, ["--db", store.url, "user", "passwd", "rita", "--password", "password1234"]
    )
    assert weak.exit_code == 1 and "common" in weak.output.lower()
    # another non-admin may not change it
    accounts.add_user(store, ADMIN, "mallory", "reviewer", PASSWORD)
    from civcas.workflow import PermissionDenied

    with pytest.raises(PermissionDenied):
        accounts.change_password(
            store, accounts.authenticate(store, "mallory", PASSWORD), "rita", OTHER
        )
    log = json.loads(CliRunner().invoke(cli, ["--db", store.url, "audit", "log", "--json"]).output)
    changes = [r for r in log if r["action"] == "user.passwd"]
    assert len(changes) == 2 and all("hash" not in (r["after"] or "") for r in changes)


def test_enable_after_disable(store):
    accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)
    run = CliRunner().invoke
    assert run(cli, ["--db", store.url, "user", "disable", "rita"]).exit_code == 0
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate(store, "rita", PASSWORD)
    r = run(cli, ["--db", store.url, "user", "enable", "rita"])
    assert r.exit_code == 0, r.output
    assert accounts.authenticate(store, "rita", PASSWORD).name == "rita"
    accounts.disable(store, ADMIN, "rita")
    assert accounts.enable(store, ADMIN, "rita")["disabled"] is False


def test_last_enabled_admin_is_protected(store):
    accounts.add_user(store, ADMIN, "boss", "admin", PASSWORD)
    run = CliRunner().invoke
    for args in (["disable", "boss"], ["set-role", "boss", "reviewer"]):
        r = run(cli, ["--db", store.url, "user", *args])
        assert r.exit_code == 1 and "last enabled admin" in r.output, r.output
    with pytest.raises(InputError, match="last enabled admin"):
        accounts.disable(store, ADMIN, "boss")
    with pytest.raises(InputError, match="last enabled admin"):
        accounts.set_role(store, ADMIN, "boss", "researcher")
    # a second admin: either may go, not both
    accounts.add_user(store, ADMIN, "deputy", "admin", PASSWORD)
    accounts.disable(store, ADMIN, "deputy")  # disabled admins do not count
    with pytest.raises(InputError, match="last enabled admin"):
        accounts.disable(store, ADMIN, "boss")
    accounts.enable(store, ADMIN, "deputy")
    assert accounts.set_role(store, ADMIN, "boss", "reviewer")["role"] == "reviewer"
    with pytest.raises(InputError, match="last enabled admin"):
        accounts.disable(store, ADMIN, "deputy")
    assert [u["name"] for u in accounts.list_users(store, ADMIN) if u["role"] == "admin"] == [
        "deputy"
    ]


# ---- password policy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "weak,why",
    [
        ("12345678", "12 characters"),
        (" " * 8, "whitespace"),
        (" " * 16, "whitespace"),
        ("password1234", "common"),
        ("qwertyuiop123", "common"),
        ("rita_rita_rita", "guess"),
    ],
)
def test_weak_passwords_refused(store, weak, why):
    with pytest.raises(InputError) as exc:
        accounts.add_user(store, ADMIN, "rita", "researcher", weak)
    assert why in str(exc.value).lower(), str(exc.value)
    r = CliRunner().invoke(
        cli, ["--db", store.url, "user", "add", "rita", "--role", "researcher", "--password", weak]
    )
    assert r.exit_code == 1, r.output
    assert accounts.list_users(store, ADMIN) == []


def test_strong_password_accepted_and_the_fixture_password_is_strong(store):
    assert accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)["name"] == "rita"
    assert accounts.add_user(store, ADMIN, "sam", "researcher", OTHER)["name"] == "sam"


def test_account_endpoints_of_the_json_api(store):
    """The same library calls through the JSON API: a user changes their own password
    (current one needed; their other session ends, this one stays), manages their own
    tokens; the last admin cannot be disabled over HTTP either."""
    accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)
    accounts.add_user(store, ADMIN, "boss", "admin", PASSWORD)
    app = create_app(store, cache_ttl=0)
    a, b = TestClient(app), TestClient(app)
    csrf = {}
    for name, c in (("a", a), ("b", b)):
        r = c.post("/api/workflow/login", json={"name": "rita", "password": PASSWORD})
        csrf[name] = {"X-CSRF-Token": r.json()["csrf"]}
    wrong = a.post(
        "/api/workflow/users/rita/password",
        json={"new": OTHER, "current": "not my password"},
        headers=csrf["a"],
    )
    assert wrong.status_code == 403
    ok = a.post(
        "/api/workflow/users/rita/password",
        json={"new": OTHER, "current": PASSWORD},
        headers=csrf["a"],
    )
    assert ok.status_code == 200, ok.text
    assert a.get("/api/workflow/me").json()["name"] == "rita"  # this session stays
    assert b.get("/api/workflow/me").json()["role"] == "public"  # the other one ended
    weak = a.post(
        "/api/workflow/users/rita/password",
        json={"new": "12345678", "current": OTHER},
        headers=csrf["a"],
    )
    assert weak.status_code == 400 and "12 characters" in weak.text
    # tokens: create, list (no secret), revoke; the revoked token is refused at once
    made = a.post("/api/workflow/tokens", json={"label": "notebook"}, headers=csrf["a"])
    assert made.status_code == 201
    token = made.json()["token"]
    bearer = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    assert bearer.get("/api/workflow/me").json()["name"] == "rita"
    listed = a.get("/api/workflow/tokens").json()
    assert [t["label"] for t in listed] == ["notebook"] and token not in json.dumps(listed)
    r = a.post(f"/api/workflow/tokens/{listed[0]['id']}/revoke", headers=csrf["a"])
    assert r.status_code == 200, r.text
    assert bearer.get("/api/workflow/me").status_code == 401
    # the last enabled admin
    boss = TestClient(app)
    r = boss.post("/api/workflow/login", json={"name": "boss", "password": PASSWORD})
    h = {"X-CSRF-Token": r.json()["csrf"]}
    r = boss.post("/api/workflow/users/boss/disable", headers=h)
    assert r.status_code == 400 and "last enabled admin" in r.text
    assert boss.post("/api/workflow/users/rita/disable", headers=h).status_code == 200
    assert boss.post("/api/workflow/users/rita/enable", headers=h).status_code == 200
    assert accounts.authenticate(store, "rita", OTHER).name == "rita"
