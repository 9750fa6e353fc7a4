"""Sessions, CSRF, cookie flags, login rate limiting, API tokens, the conflict response."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from wf_helpers import ADMIN

from civcas.web import create_app
from civcas.workflow import accounts


@pytest.fixture
def app(store):
    accounts.add_user(store, ADMIN, "res", "researcher", "vivid orchard lamp 42")
    return create_app(store, cache_ttl=0)


def _login(c: TestClient) -> str:
    r = c.post("/api/workflow/login", json={"name": "res", "password": "vivid orchard lamp 42"})
    assert r.status_code == 200, r.text
    return str(r.json()["csrf"])


def test_cookie_flags_over_tls(app):
    c = TestClient(app, base_url="https://testserver")
    r = c.post("/api/workflow/login", json={"name": "res", "password": "vivid orchard lamp 42"})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    plain = TestClient(app).post(
        "/api/workflow/login", json={"name": "res", "password": "vivid orchard lamp 42"}
    )
    assert "secure" not in plain.headers["set-cookie"].lower()


def test_csrf_required_for_cookie_sessions(app):
    c = TestClient(app)
    csrf = _login(c)
    body = {"changes": {"summary": "x"}}
    assert c.post("/api/workflow/incidents/T0/edit", json=body).status_code == 403
    assert (
        c.post(
            "/api/workflow/incidents/T0/edit", json=body, headers={"X-CSRF-Token": "forged"}
        ).status_code
        == 403
    )
    ok = c.post("/api/workflow/incidents/T0/edit", json=body, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200
    # form posts carry it as a field
    r = c.post(
        "/work/incidents/T0/grade", data={"grade": "Fair", "reason": "r"}, follow_redirects=False
    )
    assert r.status_code == 403
    r = c.post(
        "/work/incidents/T0/grade",
        data={"grade": "Fair", "reason": "r", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    # the login form needs its own double-submit token
    fresh = TestClient(app)
    assert (
        fresh.post(
            "/login",
            data={"name": "res", "password": "vivid orchard lamp 42"},
            follow_redirects=False,
        ).status_code
        == 403
    )


def test_logout_and_disable_end_sessions(app, store):
    c = TestClient(app)
    csrf = _login(c)
    assert c.get("/api/workflow/me").json()["role"] == "researcher"
    c.post("/api/workflow/logout", headers={"X-CSRF-Token": csrf})
    assert c.get("/api/workflow/me").json()["role"] == "public"
    _login(c)
    accounts.disable(store, ADMIN, "res")
    assert c.get("/api/workflow/me").json()["role"] == "public"


def test_login_rate_limit(app):
    c = TestClient(app)
    for _ in range(accounts.MAX_FAILURES):
        r = c.post("/api/workflow/login", json={"name": "res", "password": "wrong-password"})
        assert r.status_code == 401
    r = c.post("/api/workflow/login", json={"name": "res", "password": "vivid orchard lamp 42"})
    assert r.status_code == 429  # even the right password waits


def test_api_token_and_conflict_body(app, store):
    token = accounts.create_token(store, ADMIN, "res", "script")
    h = {"Authorization": f"Bearer {token}"}
    c = TestClient(app)
    v = c.get("/api/workflow/incidents/T0", headers=h).json()["version"]
    a = c.post(
        "/api/workflow/incidents/T0/edit",
        headers=h,
        json={"changes": {"killed_max": 50}, "expected_version": v},
    )
    assert a.status_code == 200
    b = c.post(
        "/api/workflow/incidents/T0/edit",
        headers=h,
        json={"changes": {"killed_max": 60}, "expected_version": v},
    )
    assert b.status_code == 409
    body = b.json()
    assert body["mine"]["killed_max"] == 60 and body["theirs"]["killed_max"] == 50
    assert c.get("/api/workflow/me", headers={"Authorization": "Bearer nope"}).status_code == 401
