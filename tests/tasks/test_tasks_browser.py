"""A volunteer signs up by invitation and answers ten items in Arabic on a phone-sized
screen, in Debian's chromium, against the real server; every request and every link
stays within the tasks, and a try at any other page lands back on the tasks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from serving import uvicorn_server

from civcas.store import Store
from civcas.tasks import service, volunteers
from civcas.tasks.service import ItemIn
from civcas.web.i18n import catalogue
from civcas.workflow import Actor

pytestmark = pytest.mark.browser
ADMIN = Actor("cli:test", "admin")
PASSWORD = "Euphrates-ledger-1917"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ALLOWED = ("/tasks", "/api/tasks/", "/static/")


def _world(db: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    store = Store(db)
    service.ensure_campaign(store, ADMIN, "pairs", "same-person", k=1)
    service.add_items(
        store, ADMIN, "pairs",
        [ItemIn(f"p{i}", {"a": {"name_ar": f"محمد أحمد {i}", "age": 30 + i},
                          "b": {"name_ar": f"محمد احمد {i}", "age": 31 + i}}) for i in range(6)],
    )  # fmt: skip
    service.ensure_campaign(store, ADMIN, "reports", "report", k=1)
    service.add_items(
        store, ADMIN, "reports",
        [ItemIn(f"r{i}", {"title": f"قصف على السوق {i}", "text": "قتل خمسة مدنيين في القصف.\nوجرح آخرون.",
                          "date": "2017-06-0" + str(i + 1)}) for i in range(6)],
    )  # fmt: skip
    token = str(volunteers.invite(store, ADMIN)["token"])
    store.dispose()
    return token


def test_volunteer_joins_and_answers_ten_items_in_arabic_on_a_phone(chromium: Any, tmp_path):
    db = f"sqlite:///{tmp_path / 'b.db'}"
    token = _world(db)
    ar = catalogue("ar")
    with uvicorn_server(db, tmp_path) as base:
        ctx = chromium.new_context(  # type: ignore[attr-defined]
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
            device_scale_factor=2, base_url=base, locale="ar",
        )  # fmt: skip
        requests: list[str] = []
        offsite: list[str] = []

        def guard(route: Any) -> None:
            url = route.request.url
            if urlparse(url).hostname in ("127.0.0.1", "localhost"):
                requests.append(urlparse(url).path)
                route.continue_()
            else:
                offsite.append(url)
                route.abort()

        ctx.route("**/*", guard)
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

        page.goto(f"/tasks/join/{token}?lang=ar")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("h1").inner_text() == ar["task_join_title"]
        page.fill("#join-name", "متطوع")
        page.fill("#join-password", PASSWORD)
        page.click("#join-submit")
        page.wait_for_url("**/tasks")

        kinds_seen = []
        for n in range(10):
            assert page.locator("#task-count").inner_text() == ar["task_count"].format(n=n)
            kind = page.locator("#task-item").get_attribute("data-kind")
            kinds_seen.append(kind)
            q = page.locator("#task-question").inner_text()
            assert q == ar["task_q_same_person" if kind == "same-person" else "task_q_report"]
            # the page fits the phone: nothing wider than the screen
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            hrefs = page.eval_on_selector_all(
                "a[href]", "els => els.map(e => e.getAttribute('href'))"
            )
            assert all(h.startswith(("/tasks", "?")) for h in hrefs), hrefs
            if n == 3:
                page.screenshot(path=str(ARTIFACTS / "tasks_phone_ar.png"), full_page=True)
            if kind == "report" and n % 2:
                page.tap("#task-details summary")  # how many, when, where: folded
                page.fill("#task-killed", "5")
                page.fill("#task-place", "السوق")
                page.tap("#answer-yes")
            elif n % 3 == 0:
                page.locator("body").press("y")  # the keyboard
            else:
                page.tap("#answer-no")
            page.wait_for_function(
                "n => document.getElementById('task-count') &&"
                " document.getElementById('task-count').textContent.includes(String(n))",
                arg=n + 1,
            )
        assert page.locator("#task-count").inner_text() == ar["task_count"].format(n=10)
        assert set(kinds_seen) == {"same-person", "report"}

        # anything else lands back on the tasks
        for path in ("/", "/work", "/incidents", "/map", "/work/tasks"):
            page.goto(path)
            assert urlparse(page.url).path == "/tasks", path
        for path in ("/api/summary", "/api/docs", "/api/incidents"):
            assert page.request.get(path).status == 403, path
        me = json.loads(page.request.get("/api/tasks/me").text())
        assert me == {"name": "متطوع", "answered": 10}
        ctx.close()
    assert offsite == []
    assert errors == [], errors
    stored = [json.loads(r["answer"]) for r in service.answers(Store(db), ADMIN, "report")]
    assert {"label": "yes", "number": 5, "place": "السوق"} in stored
    # every request the browser made was a task page, the task API or a static file
    # (the redirected tries above: their first request, then /tasks)
    tried = {"/", "/work", "/incidents", "/map", "/work/tasks"}
    others = [p for p in requests if not p.startswith(ALLOWED) and p not in tried]
    assert others == [], others
    assert not any(re.match(r"/(incidents|map|api/(summary|incidents))", p) for p in requests
                   if p not in tried)  # fmt: skip


def test_a_locate_item_is_answered_by_tapping_the_map(chromium: Any, tmp_path):
    db = f"sqlite:///{tmp_path / 'm.db'}"
    store = Store(db)
    service.ensure_campaign(store, ADMIN, "where", "locate", k=1)
    service.add_items(
        store, ADMIN, "where",
        [ItemIn("x1", {"place": "Tabqa", "approx_lat": 35.84, "approx_lon": 38.55})],
    )  # fmt: skip
    token = str(volunteers.invite(store, ADMIN)["token"])
    with uvicorn_server(db, tmp_path) as base:
        ctx = chromium.new_context(viewport={"width": 800, "height": 900}, base_url=base)  # type: ignore[attr-defined]
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on(
            "response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )
        page.goto(f"/tasks/join/{token}?lang=en")
        page.fill("#join-name", "mapper")
        page.fill("#join-password", PASSWORD)
        page.click("#join-submit")
        page.wait_for_url("**/tasks")
        page.wait_for_selector("#task-map.leaflet-container")
        assert page.input_value("#task-lat") == ""
        page.click("#task-map", position={"x": 200, "y": 150})
        lat, lon = float(page.input_value("#task-lat")), float(page.input_value("#task-lon"))
        assert 34.5 < lat < 37.5 and 36.5 < lon < 40.5  # near where the map opened
        page.click("#answer-point")
        page.wait_for_selector("#task-thanks")
        ctx.close()
    assert errors == [], errors
    rows = service.answers(Store(db), ADMIN, "locate")
    (a,) = [json.loads(r["answer"]) for r in rows]
    assert (
        a["label"] == "point" and a["lat"] == pytest.approx(lat) and a["lon"] == pytest.approx(lon)
    )
