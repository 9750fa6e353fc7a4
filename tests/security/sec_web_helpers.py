"""Shared by test_sec_web.py and test_sec_browser.py: a database holding a legacy incident
whose links are scripts (written straight through the store's writer, as an old import
or another tool could have), and a real uvicorn server over it."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import httpx
from wf_helpers import ADMIN, PASSWORD, seed_incidents

from civcas.model import (
    BelligerentAssessment,
    CountRange,
    Grade,
    Incident,
    Place,
    Source,
    Statement,
)
from civcas.model.urls import safe_url
from civcas.store import IncidentWriter, Store
from civcas.workflow import accounts

LEGACY = "LEGACY-1"
# what the payload does if it ever runs: mark the page, and create an admin account with
# the CSRF token read from the workspace (the attack of issue 15)
PAYLOAD = (
    "javascript:window.__pwned=1;document.title='pwned';"
    "fetch('/work').then(function(r){return r.text()}).then(function(t){"
    "var m=t.match(/name=.csrf_token. value=.([^\"']+)/);"
    "return fetch('/api/workflow/users',{method:'POST',headers:{'Content-Type':"
    "'application/json','X-CSRF-Token':m[1]},body:JSON.stringify({name:'evil',"
    "role:'admin',password:'evil-password-123456'})})})"
)
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "\\\\evil.example\\share",
    "https:\\\\evil.example",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
]
LEGACY_LINKS = {
    "incident.url": PAYLOAD,
    "source.url": "JaVaScRiPt:window.__pwned=2",
    "statement.url": "data:text/html,<script>window.__pwned=3</script>",
    "strike_report_url": "//evil.example/x",
}


def legacy_incident() -> Incident:
    return Incident(
        source_kind="legacy",
        source_id="1",
        code=LEGACY,
        date_start=dt.date(2017, 7, 4),
        place=Place(name_en="Old Town", governorate_en="Raqqa", latitude=35.95, longitude=39.01),
        grade=Grade.FAIR,
        killed=CountRange(2, 3),
        url=LEGACY_LINKS["incident.url"],
        belligerents=[
            BelligerentAssessment(
                "US-led Coalition", strike_report_url=LEGACY_LINKS["strike_report_url"]
            )
        ],
        sources=[
            Source(url=LEGACY_LINKS["source.url"], title="A source with a script for a link"),
            Source(url="https://example.org/fine", title="A fine source"),
        ],
        statements=[
            Statement(
                "US-led Coalition", dt.date(2018, 1, 1), LEGACY_LINKS["statement.url"], "Said."
            )
        ],
        raw={"legacy": True},
    )


def build_db(path: Path) -> str:
    """Seeded incidents T0..T5, the legacy incident, an admin and a contributor."""
    url = f"sqlite:///{path}"
    store = Store(url)
    seed_incidents(store, 6)
    with store.begin() as conn:
        w = IncidentWriter(conn, "legacy", None)
        w.add(legacy_incident())
        w.flush()
    accounts.add_user(store, ADMIN, "ada", "admin", PASSWORD)
    accounts.add_user(store, ADMIN, "cora", "contributor", PASSWORD)
    store.dispose()
    return url


class _Links(HTMLParser):
    """Every URL a click, a form or a frame could follow, as the browser would read it."""

    ATTRS = {"a": "href", "area": "href", "form": "action", "iframe": "src", "base": "href"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        want = self.ATTRS.get(tag)
        for k, v in attrs:
            if k == want or k in ("formaction", "xlink:href") or (k == "href" and tag == "svg"):
                self.urls.append(v or "")


def followable_urls(html: str) -> list[str]:
    p = _Links()
    p.feed(html)
    return p.urls


def unsafe_links(html: str) -> list[str]:
    """Links in ``html`` that the allowlist refuses (fragments like ``#x`` allowed)."""
    return [u for u in followable_urls(html) if not u.startswith("#") and safe_url(u) is None]


def login(client: httpx.Client, name: str) -> str:
    r = client.post("/api/workflow/login", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return str(r.json()["csrf"])
