"""Every workflow route x every role: allowed, denied (401/403) or hidden (404).

The expectations are written out here by hand, from the issue's description of the roles,
not derived from civcas.workflow.roles, so a wrong entry in the permission table fails.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from wf_helpers import ADMIN, PASSWORD, seed_incidents

from civcas.store import Store
from civcas.store import workflow as sw
from civcas.web import create_app
from civcas.web.workflow import api as wf_api
from civcas.web.workflow import editor as wf_editor
from civcas.web.workflow import login as wf_login
from civcas.web.workflow import pages as wf_pages
from civcas.web.workflow import queue as wf_queue
from civcas.workflow import accounts, editing, interviews

ROLES = ["public", "contributor", "researcher", "reviewer", "admin"]
ALL = dict.fromkeys(ROLES, "allow")


def from_role(lowest: str, below: str = "deny") -> dict[str, str]:
    i = ROLES.index(lowest)
    return {r: ("allow" if ROLES.index(r) >= i else below) for r in ROLES}


def xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["_uuid", "today", "witness_name", "incident_codes"])
    ws.append(["kobo-1", "2017-08-02", "Witness A", "T0"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# (method, route template, concrete path, request kwargs, expectation per role)
MATRIX: list[tuple[str, str, str, dict[str, Any], dict[str, str]]] = [
    (
        "POST",
        "/api/workflow/login",
        "/api/workflow/login",
        {"json": {"name": "rese_user", "password": PASSWORD}},
        ALL,
    ),
    ("POST", "/api/workflow/logout", "/api/workflow/logout", {}, ALL),
    ("GET", "/api/workflow/me", "/api/workflow/me", {}, ALL),
    ("GET", "/api/workflow/roles", "/api/workflow/roles", {}, ALL),
    (
        "POST",
        "/api/workflow/incidents",
        "/api/workflow/incidents",
        {"json": {"fields": {"location_en": "Raqqa"}}},
        from_role("contributor"),
    ),
    ("GET", "/api/workflow/submissions", "/api/workflow/submissions", {}, from_role("contributor")),
    (
        "GET",
        "/api/workflow/incidents/{code:path}/history",
        "/api/workflow/incidents/T0/history",
        {},
        from_role("researcher"),
    ),
    (
        "POST",
        "/api/workflow/incidents/{code:path}/edit",
        "/api/workflow/incidents/T1/edit",
        {"json": {"changes": {"summary": "x"}}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/api/workflow/incidents/{code:path}/grade",
        "/api/workflow/incidents/T2/grade",
        {"json": {"grade": "Fair", "reason": "two sources"}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/api/workflow/incidents/{code:path}/publish",
        "/api/workflow/incidents/U1/publish",
        {"json": {}},
        from_role("reviewer"),
    ),
    (
        "POST",
        "/api/workflow/incidents/{code:path}/unpublish",
        "/api/workflow/incidents/T3/unpublish",
        {"json": {}},
        from_role("reviewer"),
    ),
    (
        "POST",
        "/api/workflow/incidents/{code:path}/duplicate",
        "/api/workflow/incidents/T5/duplicate",
        {"json": {"keep": "T4", "reason": "same"}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/api/workflow/incidents/{code:path}/records/{kind}",
        "/api/workflow/incidents/T6/records/victim",
        {"json": {"values": {"name": "N"}}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/api/workflow/incidents/{code:path}/records/{kind}/{record_id}",
        "/api/workflow/incidents/T7/records/victim/{T7_victim}",
        {"json": {"values": {"age": 9}}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/api/workflow/incidents/{code:path}/records/{kind}/{record_id}/delete",
        "/api/workflow/incidents/T7/records/source/{T7_source}/delete",
        {"json": {"reason": "wrong link"}},
        from_role("researcher"),
    ),
    ("GET", "/api/workflow/incidents/{code:path}", "/api/workflow/incidents/T0", {}, ALL),
    (
        "GET",
        "/api/workflow/incidents/{code:path}",
        "/api/workflow/incidents/U0",
        {},
        from_role("researcher", below="hide"),
    ),
    (
        "GET",
        "/api/workflow/audit/verify",
        "/api/workflow/audit/verify",
        {},
        from_role("researcher"),
    ),
    ("GET", "/api/workflow/audit/log", "/api/workflow/audit/log", {}, from_role("researcher")),
    ("GET", "/api/workflow/users", "/api/workflow/users", {}, from_role("admin")),
    (
        "POST",
        "/api/workflow/users",
        "/api/workflow/users",
        {"json": {"name": "newbie", "role": "researcher", "password": PASSWORD}},
        from_role("admin"),
    ),
    (
        "POST",
        "/api/workflow/users/{name}/role",
        "/api/workflow/users/spare/role",
        {"json": {"role": "reviewer"}},
        from_role("admin"),
    ),
    (
        "POST",
        "/api/workflow/users/{name}/disable",
        "/api/workflow/users/spare/disable",
        {},
        from_role("admin"),
    ),
    (
        "POST",
        "/api/workflow/users/{name}/enable",
        "/api/workflow/users/spare/enable",
        {},
        from_role("admin"),
    ),
    (
        "POST",
        "/api/workflow/users/{name}/password",
        "/api/workflow/users/spare/password",
        {"json": {"new": PASSWORD + " spare"}},
        from_role("admin"),
    ),
    ("GET", "/api/workflow/tokens", "/api/workflow/tokens", {}, from_role("contributor")),
    (
        "POST",
        "/api/workflow/tokens",
        "/api/workflow/tokens",
        {"json": {"label": "mine"}},
        from_role("contributor"),
    ),
    (
        "POST",
        "/api/workflow/tokens/{token_id}/revoke",
        "/api/workflow/tokens/{spare_token}/revoke",
        {},
        from_role("admin"),
    ),
    ("GET", "/api/workflow/interviews", "/api/workflow/interviews", {}, from_role("researcher")),
    (
        "POST",
        "/api/workflow/interviews",
        "/api/workflow/interviews",
        {"json": {"values": {"code": "IV-api"}, "incidents": ["T0"]}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/api/workflow/interviews/import",
        "/api/workflow/interviews/import",
        {"files": {"file": ("k.xlsx", xlsx())}},
        from_role("researcher"),
    ),
    (
        "GET",
        "/api/workflow/interviews/{code:path}",
        "/api/workflow/interviews/IV0",
        {},
        from_role("researcher"),
    ),
    ("GET", "/api/workflow/public/interviews", "/api/workflow/public/interviews", {}, ALL),
    (
        "POST",
        "/api/workflow/evidence",
        "/api/workflow/evidence",
        {"files": {"file": ("a.txt", b"evidence")}},
        from_role("researcher"),
    ),
    (
        "GET",
        "/api/workflow/evidence/verify",
        "/api/workflow/evidence/verify",
        {},
        from_role("researcher"),
    ),
    # pages
    ("GET", "/login", "/login", {}, ALL),
    (
        "POST",
        "/login",
        "/login",
        {"data": {"name": "rese_user", "password": PASSWORD}, "login_csrf": True},
        ALL,
    ),
    ("POST", "/logout", "/logout", {}, ALL),
    ("GET", "/work", "/work", {}, from_role("contributor")),
    (
        "POST",
        "/work/incidents",
        "/work/incidents",
        {"data": {"location_en": "Tabqa"}},
        from_role("contributor"),
    ),
    ("GET", "/work/incidents/{code:path}", "/work/incidents/T0", {}, from_role("contributor")),
    (
        "GET",
        "/work/incidents/{code:path}",
        "/work/incidents/U0",
        {},
        {**from_role("researcher"), "contributor": "hide"},
    ),
    (
        "POST",
        "/work/incidents/{code:path}/edit",
        "/work/incidents/T8/edit",
        {"data": {"summary": "y"}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/work/incidents/{code:path}/grade",
        "/work/incidents/T9/grade",
        {"data": {"grade": "Weak", "reason": "one source"}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/work/incidents/{code:path}/publish",
        "/work/incidents/U2/publish",
        {"data": {"published": "1"}},
        from_role("reviewer"),
    ),
    (
        "POST",
        "/work/incidents/{code:path}/duplicate",
        "/work/incidents/T11/duplicate",
        {"data": {"keep": "T10", "reason": "same"}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/work/incidents/{code:path}/records/{kind}",
        "/work/incidents/T0/records/victim",
        {"data": {"name": "M"}},
        from_role("researcher"),
    ),
    ("GET", "/work/interviews", "/work/interviews", {}, from_role("researcher")),
    (
        "POST",
        "/work/interviews",
        "/work/interviews",
        {"data": {"code": "IV-page"}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/work/interviews/import",
        "/work/interviews/import",
        {"files": {"file": ("k2.xlsx", xlsx())}},
        from_role("researcher"),
    ),
    # the work queue and assignment (issue 24): your own work needs edit, others' publish
    ("GET", "/api/workflow/queue", "/api/workflow/queue?q=T1", {}, from_role("contributor")),
    (
        "POST",
        "/api/workflow/incidents/{code:path}/assign",
        "/api/workflow/incidents/T3/assign",
        {"json": {"assignee": "rese_user"}},
        from_role("researcher"),
    ),
    (
        "POST",
        "/work/incidents/{code:path}/assign",
        "/work/incidents/T4/assign",
        {"data": {"assignee": "revi_user", "back": "/work"}},
        from_role("reviewer"),
    ),
    # the conflict queue (issue 16): researchers read it, reviewers resolve
    ("GET", "/api/workflow/conflicts", "/api/workflow/conflicts", {}, from_role("researcher")),
    (
        "POST",
        "/api/workflow/conflicts/{conflict_id}/resolve",
        "/api/workflow/conflicts/1/resolve",
        {"json": {"keep": "team", "reason": "checked"}},
        from_role("reviewer"),
    ),
    ("GET", "/work/conflicts", "/work/conflicts", {}, from_role("reviewer")),
    (
        "POST",
        "/work/conflicts/{conflict_id}/resolve",
        "/work/conflicts/2/resolve",
        {"data": {"keep": "team"}},
        from_role("reviewer"),
    ),
]


def test_matrix_covers_every_route():
    routes = {
        (m, r.path)  # type: ignore[attr-defined]
        for sub in (
            wf_api.router,
            wf_pages.router,
            wf_editor.router,
            wf_login.router,
            wf_queue.router,
            wf_queue.api_router,
        )
        for r in sub.routes
        for m in r.methods  # type: ignore[attr-defined]
    }
    covered = {(m, t) for m, t, *_ in MATRIX}
    assert routes == covered


def _world(tmp: Path) -> tuple[Store, dict[str, str]]:
    store = Store(f"sqlite:///{tmp / 'authz.db'}")
    seed_incidents(store, 12)
    tokens = {}
    for role in ROLES[1:]:
        accounts.add_user(store, ADMIN, role[:4] + "_user", role, PASSWORD)
        tokens[role] = accounts.create_token(store, ADMIN, role[:4] + "_user")
    accounts.add_user(store, ADMIN, "spare", "contributor", PASSWORD)
    accounts.create_token(store, ADMIN, "spare", "spare's script")
    for i in range(3):
        editing.create(store, ADMIN, {"location_en": f"U{i}"}, code=f"U{i}")
    interviews.add(store, ADMIN, {"code": "IV0", "witness_name": "W"}, incidents=["T0"])
    with store.begin() as conn:  # two open conflicts, as a re-import queues them
        iid = sw.incident_row(conn, "T4")["id"]  # type: ignore[index]
        for _ in range(2):
            conn.execute(
                sw.wf_conflict.insert().values(
                    incident_id=iid,
                    field="killed_max",
                    source_value="9",
                    team_value="7",
                    status="open",
                    created_at="2026-01-01T00:00:00Z",
                )
            )
    return store, tokens


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_role(role, tmp_path, monkeypatch):
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "ev"))
    store, tokens = _world(tmp_path)
    app = create_app(store, cache_ttl=0)
    t7 = editing.get(store, ADMIN, "T7")
    ids = {"T7_victim": t7["victims"][0]["id"], "T7_source": t7["sources"][0]["id"]}
    ids["spare_token"] = accounts.list_tokens(store, ADMIN, "spare")[0]["id"]
    wrong = []
    for method, _template, path, kw, expect in MATRIX:
        client = TestClient(app)
        kw = dict(kw)
        headers = {"Authorization": f"Bearer {tokens[role]}"} if role != "public" else {}
        if kw.pop("login_csrf", False):
            client.get("/login")
            kw["data"] = {**kw["data"], "csrf_token": client.cookies["civcas_login_csrf"]}
        r = client.request(
            method, path.format(**ids), headers=headers, follow_redirects=False, **kw
        )
        want = expect[role]
        # issue 24: an anonymous browser GET of a work page is sent to log in (a denial)
        to_login = r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        got = (
            "deny"
            if to_login
            else "allow"
            if r.status_code < 400
            else "deny"
            if r.status_code in (401, 403)
            else "hide"
            if r.status_code == 404
            else f"error {r.status_code}"
        )
        if to_login:
            assert role == "public" and method == "GET", (path, r.headers["location"])
        elif want == "deny" and got == "deny":
            assert r.status_code == (401 if role == "public" else 403), (path, r.text)
        if got != want:
            wrong.append(
                f"{method} {path} as {role}: expected {want}, got {r.status_code} {r.text[:200]}"
            )
    assert not wrong, "\n".join(wrong)
