"""Issue 15, item 1 in Debian chromium: an admin clicks a stored ``javascript:`` link and
nothing runs; every page works under the Content-Security-Policy (no console error).

The database holds a legacy incident whose incident, source, statement and strike-report
links are scripts (written straight through the store's writer). The incident link's
script, if it ever ran, would mark the page and create an admin account "evil" with the
CSRF token it reads from /work: the attack of the issue.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from sec_web_helpers import LEGACY, PAYLOAD, build_db
from serving import uvicorn_server
from wf_helpers import ADMIN, PASSWORD

from civcas.store import Store
from civcas.workflow import accounts

pytestmark = pytest.mark.browser

# a CSP violation is reported in the console too; this catches any the console misses
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""
PUBLIC_PAGES = [
    "/", "/map", "/incidents", "/incidents/T0", f"/incidents/{LEGACY}", "/victims",
    "/downloads", "/methodology", "/?lang=ar", "/map?lang=ar", f"/incidents/{LEGACY}?lang=ar",
    "/login",
]  # fmt: skip
WORK_PAGES = ["/work", "/work/incidents/T0", f"/work/incidents/{LEGACY}", "/work/interviews"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("secbrowser")
    db = build_db(tmp / "sec.db")
    with uvicorn_server(db, tmp) as base:
        yield base, db


class Watched:
    """A browser context whose console errors, page errors, CSP violations and requests
    off the machine are all recorded."""

    def __init__(self, browser: Any, base: str) -> None:
        self.ctx = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
        self.ctx.add_init_script(WATCH_CSP)
        self.errors: list[str] = []
        self.offsite: list[str] = []
        self.ctx.route("**/*", self._guard)
        self.page = self.ctx.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def _guard(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "about:")) or urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.offsite.append(url)
            route.abort()

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text} @ {self.page.url}")

    def visit(self, path: str) -> Any:
        r = self.page.goto(path)
        assert r is not None and r.status == 200, (path, r and r.status)
        self.page.wait_for_load_state("networkidle")
        self.csp_ok()
        return r

    def csp_ok(self) -> None:
        violations = self.page.evaluate("window.__csp || []")
        assert violations == [], f"CSP violations on {self.page.url}: {violations}"

    def login(self, name: str) -> None:
        self.visit("/login")
        self.page.fill("#name", name)
        self.page.fill("#password", PASSWORD)
        self.page.click("#login")
        self.page.wait_for_url("**/work")

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture
def watched(chromium: Any, live: tuple[str, str]) -> Iterator[Watched]:
    w = Watched(chromium, live[0])
    yield w
    w.close()
    assert w.offsite == [], f"requests off the machine: {w.offsite}"


def _no_script_hrefs(page: Any) -> None:
    """No element anywhere links to a script, however spelled (a forced check)."""
    bad = page.evaluate(
        """() => Array.from(document.querySelectorAll('[href],[src],[action],[formaction]'))
        .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')
                  || e.getAttribute('formaction') || '')
        .filter(v => /^\\s*(javascript|data:text|vbscript)|^\\s*\\/\\//i
                     .test(v.replace(/[\\u0000-\\u001f]/g, '')))"""
    )
    assert bad == [], bad


def _nothing_ran(w: Watched, title: str) -> None:
    assert w.page.evaluate("window.__pwned === undefined")
    assert w.page.title() == title and w.page.title() != "pwned"


def _users(db: str) -> list[str]:
    store = Store(db)
    try:
        return [u["name"] for u in accounts.list_users(store, ADMIN)]
    finally:
        store.dispose()


def test_admin_clicks_stored_javascript_link_and_nothing_runs(
    watched: Watched, live: tuple[str, str]
) -> None:
    w = watched
    before = _users(live[1])
    w.login("ada")
    for path in (f"/incidents/{LEGACY}", f"/work/incidents/{LEGACY}"):
        w.visit(path)
        page = w.page
        title = page.title()
        _no_script_hrefs(page)
        # the stored link is on the page as text: click it as a person would
        shown = page.locator("#original-url")
        assert shown.count() == 1
        assert shown.evaluate("e => e.tagName") == "SPAN"
        assert "javascript:window.__pwned=1" in shown.inner_text()
        shown.click()
        # the other stored scripts (source, statement, strike report): every unsafe one
        for el in page.locator(".unsafe-url").all():
            el.click()
        page.wait_for_timeout(500)
        assert page.url.endswith(path)
        _nothing_ran(w, title)
        w.csp_ok()
        # and even were a link forced onto the page, the CSP would refuse to run it
        page.evaluate(
            """(p) => { const a = document.createElement('a'); a.id = 'forced';
                        a.href = p; a.textContent = 'forced'; document.body.append(a); }""",
            PAYLOAD,
        )
        page.click("#forced")
        page.wait_for_timeout(800)
        _nothing_ran(w, title)
        violations = page.evaluate("window.__csp")
        assert violations and all("script-src" in v for v in violations), violations
        page.evaluate("window.__csp = []")
        w.errors.clear()  # the refused forced link is reported as a console error, as it should
    assert "evil" not in _users(live[1])
    assert _users(live[1]) == before


def test_every_page_works_under_the_csp(watched: Watched) -> None:
    w = watched
    for path in PUBLIC_PAGES:
        w.visit(path)
        _no_script_hrefs(w.page)
    # the map still draws its points and outlines from served files
    w.visit("/map")
    w.page.wait_for_selector("#map[data-loaded]", timeout=20000)
    assert int(w.page.get_attribute("#map", "data-loaded") or 0) > 0
    assert w.page.get_attribute("#map", "data-error") is None
    assert w.page.locator(".leaflet-marker-icon").count() > 0
    assert w.page.locator("path.leaflet-interactive, .leaflet-overlay-pane path").count() > 0
    # the dashboard's map too
    w.visit("/")
    w.page.wait_for_selector("#map[data-loaded]", timeout=20000)
    # Swagger UI, served from here, renders the API under the CSP
    w.visit("/api/docs")
    w.page.wait_for_selector(".swagger-ui .information-container .title", timeout=30000)
    assert "civcas" in w.page.inner_text(".swagger-ui .information-container .title")
    w.page.locator(".opblock-summary").first.click()
    w.page.wait_for_timeout(300)
    w.csp_ok()
    # the workspace, signed in as an admin
    w.login("ada")
    for path in WORK_PAGES:
        w.visit(path)
        _no_script_hrefs(w.page)
    assert w.errors == [], w.errors


def test_csp_is_enforced_by_the_browser(watched: Watched) -> None:
    """The control: the browser does refuse an inline script on these pages, so the
    zero-error runs above mean the pages need none (not that nothing is checked)."""
    w = watched
    w.visit("/incidents/T0")
    w.page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__inline = 1'; document.body.append(s); }"""
    )
    w.page.wait_for_timeout(300)
    assert w.page.evaluate("window.__inline === undefined")
    assert any("script-src" in v for v in w.page.evaluate("window.__csp"))


def test_unsafe_link_is_readable_in_arabic_too(watched: Watched, tmp_path: Path) -> None:
    w = watched
    w.visit(f"/incidents/{LEGACY}?lang=ar")
    assert "javascript:" in w.page.inner_text("#original-url")
    w.page.screenshot(path=str(tmp_path / "legacy-ar.png"))
    assert w.errors == [], w.errors
