"""A researcher and a reviewer in a real browser (Debian chromium via Playwright): log in,
create an incident with two sources and a victim, grade it, publish it, and see it on
the public dashboard, while the public never sees a witness's identity."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from wf_helpers import ADMIN, PASSWORD, seed_incidents

from civcas.store import Store
from civcas.workflow import accounts

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
WITNESS = "Hamid Witness-Protected"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("wfweb")
    url = f"sqlite:///{tmp / 'web.db'}"
    store = Store(url)
    seed_incidents(store, 6)
    accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)
    accounts.add_user(store, ADMIN, "victor", "reviewer", PASSWORD)
    store.dispose()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "CIVCAS_DB": url,
        "CIVCAS_CACHE_TTL": "0",
        "CIVCAS_EVIDENCE_DIR": str(tmp / "ev"),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "civcas.web.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/api/summary", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    return chromium


def _context(browser: Any, base: str, offsite: list[str]) -> Any:
    ctx = browser.new_context(base_url=base)

    def guard(route: Any) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    return ctx


def _login(page: Any, name: str) -> None:
    page.goto("/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_url("**/work")
    assert name in page.locator("#whoami").inner_text()


def _fmt(lo: int, hi: int) -> str:
    return f"{lo:,}–{hi:,}"


def test_researcher_to_public_dashboard(browser: Any, server: str) -> None:
    offsite: list[str] = []
    http = httpx.Client(base_url=server)
    before = http.get("/api/summary").json()

    staff = _context(browser, server, offsite)
    page = staff.new_page()
    _login(page, "rita")
    page.fill("#new-code", "WF-1")
    page.fill("#new-date_start", "2017-08-20")
    page.fill("#new-location_en", "Al-Badu")
    page.fill("#new-governorate_en", "Raqqa")
    page.fill("#new-killed_min", "4")
    page.fill("#new-killed_max", "6")
    page.click("#create")
    page.wait_for_url("**/work/incidents/WF-1")
    assert page.locator("#published").inner_text() == "not published"
    for url, kind in (("https://example.org/a", "local_media"), ("https://example.org/b", "ngo")):
        page.fill("#source-url", url)
        page.select_option("#source-type", kind)
        page.click("#add-source-submit")
        page.wait_for_load_state()
    page.fill("#victim-name", "Layla")
    page.fill("#victim-age", "8")
    page.click("#add-victim-submit")
    page.wait_for_load_state()
    assert page.locator("#sources li").count() == 2
    assert "Layla" in page.locator("#victims").inner_text()
    page.select_option("#grade-select", "Fair")
    page.fill("#grade-reason", "two credible local sources")
    page.click("#grade-submit")
    page.wait_for_load_state()
    assert page.locator("#grade").inner_text() == "Fair"
    assert page.locator("#publish").count() == 0  # researchers cannot publish
    # a witness interview linked to the incident (protected)
    page.goto("/work/interviews")
    page.fill("#iv-code", "IV-WF-1")
    page.fill("#iv-witness_name", WITNESS)
    page.fill("#iv-consent", "oral")
    page.fill("input[name=incidents]", "WF-1")
    page.click("form button[type=submit]:has-text('Save')")
    page.wait_for_url("**/work/interviews")
    assert WITNESS in page.locator("#interviews").inner_text()
    page.click("#logout")

    public = _context(browser, server, offsite)
    anon = public.new_page()
    assert anon.goto("/incidents/WF-1").status == 404  # not yet published

    page = staff.new_page()
    _login(page, "victor")
    page.goto("/work/incidents/WF-1")
    page.click("#publish")
    page.wait_for_load_state()
    assert page.locator("#published").inner_text() == "published"
    hist = page.locator("#history").inner_text()
    assert "incident.grade" in hist and "incident.publish" in hist and "victor" in hist

    after = http.get("/api/summary").json()
    assert after["likely"]["killed_max"] == before["likely"]["killed_max"] + 6
    anon.goto("/")
    assert anon.locator("#likely-deaths").inner_text() == _fmt(
        after["likely"]["killed_min"], after["likely"]["killed_max"]
    )
    assert WITNESS not in anon.content()
    r = anon.goto("/incidents/WF-1")
    assert r.status == 200
    text = anon.content()
    assert "Al-Badu" in text and WITNESS not in text
    assert WITNESS not in http.get("/incidents/WF-1.json").text
    assert WITNESS not in http.get("/api/workflow/public/interviews").text
    # listed (consented, linked to a published incident), without its internal code
    public_iv = http.get("/api/workflow/public/interviews").json()["interviews"]
    assert [r["incidents"] for r in public_iv] == [["WF-1"]]
    assert "IV-WF-1" not in http.get("/api/workflow/public/interviews").text
    staff.close()
    public.close()
    assert offsite == []
