"""The volunteer sees the task items and nothing else; no protected field reaches a task;
a consensus changes the record only when a reviewer accepts it, and the audit trail
names the task and the consensus."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))
from wf_helpers import ADMIN, PASSWORD, seed_incidents  # noqa: E402

from civcas.store import Store  # noqa: E402
from civcas.tasks import items, service, volunteers  # noqa: E402
from civcas.web import create_app  # noqa: E402
from civcas.workflow import accounts, audit, editing, interviews  # noqa: E402

SECRETS = ("Zeynab Secretwitness", "+963-555-0199", "met behind the bakery", "Field Officer Q")


@pytest.fixture
def world(tmp_path):  # type: ignore[no-untyped-def]
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    seed_incidents(store, 6)
    interviews.add(
        store,
        ADMIN,
        {"code": "IV0", "witness_name": SECRETS[0], "witness_contact": SECRETS[1],
         "notes": SECRETS[2], "interviewer": SECRETS[3]},
        incidents=["T0", "T1"],
    )  # fmt: skip
    service.ensure_campaign(store, ADMIN, "locate", "locate", k=3)
    built = items.build(store, "locate", include_unpublished=True)
    assert len(built) == 6
    service.add_items(store, ADMIN, "locate", built)
    accounts.add_user(store, ADMIN, "vol", "volunteer", PASSWORD)
    accounts.add_user(store, ADMIN, "res", "researcher", PASSWORD)
    return store


def _login(client: TestClient, name: str) -> str:
    r = client.post("/api/workflow/login", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return str(client.cookies.get("civcas_session") and r.json().get("csrf") or "")


def test_no_protected_field_reaches_a_task(world):
    store = world
    app = create_app(store, cache_ttl=0)
    tok = accounts.create_token(store, ADMIN, "vol")
    c = TestClient(app)
    h = {"Authorization": f"Bearer {tok}"}
    seen = []
    while (r := c.post("/api/tasks/next", headers=h)).status_code == 200:
        seen.append(r.text)
        c.post(f"/api/tasks/{r.json()['task_id']}/answer", headers=h, json={"answer": "unknown"})
    assert r.status_code == 204 and len(seen) == 6
    for text in seen:
        for s in SECRETS:
            assert s not in text
    # and the incidents linked to the interview were among them
    assert any('"code":"T0"' in t.replace(" ", "") for t in seen)


def _flat(routes, prefix: str = ""):  # type: ignore[no-untyped-def]
    """Every route, included routers opened (FastAPI keeps them as sub-routers)."""
    for r in routes:
        if hasattr(r, "original_router"):
            yield from _flat(r.original_router.routes, prefix + (r.include_context.prefix or ""))
        else:
            yield prefix + getattr(r, "path", ""), r


def _routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    out = []
    for path, r in _flat(app.routes):
        for m in sorted(getattr(r, "methods", None) or ()):
            if m == "HEAD":
                continue
            concrete = path
            for part in path.split("/"):
                if part.startswith("{"):
                    concrete = concrete.replace(part, "T1" if "code" in part else "1", 1)
            out.append((m, concrete))
    return out


@pytest.mark.parametrize("how", ["token", "session"])
def test_volunteer_sees_nothing_but_the_tasks(world, how):
    store = world
    app = create_app(store, cache_ttl=0)
    c = TestClient(app)
    headers: dict[str, str] = {}
    if how == "token":
        headers["Authorization"] = "Bearer " + accounts.create_token(store, ADMIN, "vol")
    else:
        r = c.post("/api/workflow/login", json={"name": "vol", "password": PASSWORD})
        assert r.status_code == 200
        headers["X-CSRF-Token"] = r.json()["csrf"]
    allowed_ok = {("POST", "/api/tasks/next"), ("GET", "/api/tasks/me"), ("GET", "/tasks")}
    wrong = []
    checked = 0
    for method, path in _routes(app):
        if path.startswith("/static") or path in ("/login", "/logout") or "login" in path:
            continue
        if path.endswith("/logout"):
            continue
        r = c.request(method, path, headers=headers, follow_redirects=False, json={})
        checked += 1
        if (method, path) in allowed_ok:
            if r.status_code >= 400:
                wrong.append(f"{method} {path}: {r.status_code} (a volunteer's own task route)")
            continue
        if path.startswith(("/tasks", "/api/tasks")):
            # task routes: a volunteer's own, or the team's (refused by permission)
            if path.startswith(("/api/tasks/campaigns", "/api/tasks/suggestions")):
                if r.status_code != 403:
                    wrong.append(f"{method} {path}: {r.status_code}, expected 403")
            continue
        if method == "GET" and not path.startswith("/api"):
            ok = r.status_code == 303 and r.headers["location"] == "/tasks"
        else:
            ok = r.status_code == 403
        if not ok:
            wrong.append(f"{method} {path}: {r.status_code} {r.text[:100]}")
    assert checked > 60
    assert not wrong, "\n".join(wrong)
    # the public site's JSON and pages, with their query strings, too
    for path in ("/api/summary", "/api/incidents", "/incidents/T1.json", "/?lang=ar", "/map"):
        r = c.get(path, headers=headers, follow_redirects=False)
        assert r.status_code in (303, 403), path


def test_consensus_reaches_the_record_only_when_accepted(world):
    store = world
    vols = []
    for i in range(3):
        accounts.add_user(store, ADMIN, f"v{i}", "volunteer", PASSWORD)
        vols.append(accounts.authenticate(store, f"v{i}", PASSWORD))
    before = editing.get(store, ADMIN, "T2")
    for k, v in enumerate(vols):
        while (t := service.next_task(store, v)) is not None:
            point = (
                {"lat": 36.0 + k * 0.0005, "lon": 38.5}
                if t["item_id"] == "incident-T2"
                else "unknown"
            )
            service.answer(store, v, t["task_id"], point)
    assert service.suggest(store, ADMIN, "locate") == 1  # the only item with a place
    assert editing.get(store, ADMIN, "T2")["latitude"] == before["latitude"]  # never silent
    (s,) = service.list_suggestions(store, ADMIN)
    assert s["item_id"] == "incident-T2" and s["answer"]["lat"] == pytest.approx(36.0005, abs=1e-4)
    app = create_app(store, cache_ttl=0)
    c = TestClient(app)
    vtok = accounts.create_token(store, ADMIN, "v0")
    r = c.post(
        f"/api/tasks/suggestions/{s['id']}/accept",
        headers={"Authorization": f"Bearer {vtok}"},
        json={},
    )
    assert r.status_code == 403
    rtok = accounts.create_token(store, ADMIN, "res")
    r = c.post(
        f"/api/tasks/suggestions/{s['id']}/accept",
        headers={"Authorization": f"Bearer {rtok}"},
        json={"reason": "checked on imagery"},
    )
    assert r.status_code == 200, r.text
    after = editing.get(store, ADMIN, "T2")
    assert after["latitude"] == pytest.approx(36.0005, abs=1e-4) and after["longitude"] == 38.5
    log = audit.log(store, key="T2")
    edit = [x for x in log if x["action"] == "incident.edit"][-1]
    assert edit["actor"] == "res"
    assert f"suggestion {s['id']}" in edit["reason"] and "campaign locate" in edit["reason"]
    assert "dawid-skene" in edit["reason"]
    tlog = audit.log(store, key="locate/incident-T2")
    assert tlog and tlog[-1]["action"] == "task.accept"
    assert audit.verify(store).ok
    r = c.post(
        f"/api/tasks/suggestions/{s['id']}/accept",
        headers={"Authorization": f"Bearer {rtok}"},
        json={},
    )
    assert r.status_code == 409


def test_invitation_is_single_use(world):
    store = world
    inv = volunteers.invite(store, ADMIN, uses=1)
    volunteers.sign_up(store, inv["token"], "first", PASSWORD)
    from civcas.model.errors import InputError

    with pytest.raises(InputError, match="not valid"):
        volunteers.sign_up(store, inv["token"], "second", PASSWORD)
    with pytest.raises(InputError, match="not valid"):
        volunteers.sign_up(store, "cvi_made_up", "third", PASSWORD)
    assert json.dumps(accounts.list_users(store, ADMIN)).count('"volunteer"') == 2


def test_team_page_shows_progress_and_decides_by_form(world):
    import re

    store = world
    vols = []
    for i in range(3):
        accounts.add_user(store, ADMIN, f"w{i}", "volunteer", PASSWORD)
        vols.append(accounts.authenticate(store, f"w{i}", PASSWORD))
    for k, v in enumerate(vols):
        while (t := service.next_task(store, v)) is not None:
            ans = (
                {"lat": 36.1, "lon": 38.6 + k * 0.001}
                if t["item_id"] == "incident-T3"
                else "unknown"
            )
            service.answer(store, v, t["task_id"], ans)
    service.suggest(store, ADMIN, "locate")
    c = TestClient(create_app(store, cache_ttl=0))
    r = c.post("/api/workflow/login", json={"name": "res", "password": PASSWORD})
    assert r.status_code == 200
    page = c.get("/work/tasks")
    assert page.status_code == 200
    assert "6 / 6" in page.text and "<svg" in page.text and "polyline" in page.text
    assert "style=" not in page.text and "<script>" not in page.text
    assert page.headers["cache-control"] == "no-store"
    sid = re.search(r'id="suggestion-(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    bad = c.post(
        f"/work/tasks/suggestions/{sid}/accept", data={"reason": "x"}, follow_redirects=False
    )
    assert bad.status_code == 403  # no CSRF token
    ok = c.post(
        f"/work/tasks/suggestions/{sid}/accept",
        data={"csrf_token": csrf, "reason": "checked"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert editing.get(store, ADMIN, "T3")["latitude"] == pytest.approx(36.1)
    prog = c.get("/api/tasks/campaigns/locate/progress").json()
    assert prog["done"] == 6 and prog["volunteers"] == 3 and prog["answers"] == 18


def test_invitations_by_api_for_the_team_only(world):
    store = world
    c = TestClient(create_app(store, cache_ttl=0))
    vol = {"Authorization": "Bearer " + accounts.create_token(store, ADMIN, "vol")}
    res = {"Authorization": "Bearer " + accounts.create_token(store, ADMIN, "res")}
    assert c.post("/api/tasks/invitations", headers=vol, json={}).status_code == 403
    assert c.post("/api/tasks/invitations", json={}).status_code == 401
    r = c.post("/api/tasks/invitations", headers=res, json={"uses": 2, "label": "June"})
    assert r.status_code == 200
    link = r.json()["link"]
    assert c.get(link).status_code == 200
    assert c.get(link + "x").status_code == 404


def test_the_work_area_links_to_the_campaigns_for_researchers_only(world):
    store = world
    c = TestClient(create_app(store, cache_ttl=0))
    c.post("/api/workflow/login", json={"name": "res", "password": PASSWORD})
    assert 'href="/work/tasks"' in c.get("/work").text
    accounts.add_user(store, ADMIN, "con", "contributor", PASSWORD)
    c2 = TestClient(create_app(store, cache_ttl=0))
    c2.post("/api/workflow/login", json={"name": "con", "password": PASSWORD})
    page = c2.get("/work")
    assert page.status_code == 200 and 'href="/work/tasks"' not in page.text
