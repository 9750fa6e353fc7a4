"""A browser page that records everything a reader's page must not do: a request off the
machine, a JavaScript error, a console error (a failed load included) or a
Content-Security-Policy violation (recorded by the browser's own
``securitypolicyviolation`` event, so a blocked inline style counts even when it shows
nothing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

CSP_PROBE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || ''));
});
"""


@dataclass
class Watch:
    offsite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)  # (url, method, Range header)
    responses: list[tuple[str, int]] = field(default_factory=list)

    def csp(self, page: Any) -> list[str]:
        return list(page.evaluate("window.__csp || []"))


@contextmanager
def watched_page(browser: Any, base: str, **context: Any) -> Iterator[tuple[Any, Watch]]:
    ctx = browser.new_context(
        viewport=context.pop("viewport", {"width": 1280, "height": 900}), base_url=base, **context
    )
    w = Watch()

    def guard(route: Any) -> None:
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            w.offsite.append(url)
            route.abort()

    ctx.route("**/*", guard)
    ctx.add_init_script(CSP_PROBE)
    p = ctx.new_page()
    p.on("pageerror", lambda exc: w.errors.append(f"pageerror: {exc}"))
    p.on("console", lambda m: w.errors.append(f"console: {m.text}") if m.type == "error" else None)
    p.on("request", lambda r: w.requests.append((r.url, r.method, r.headers.get("range"))))
    p.on("response", lambda r: w.responses.append((r.url, r.status)))
    try:
        yield p, w
    finally:
        ctx.close()


def assert_clean(page: Any, w: Watch) -> None:
    """Nothing left the machine, no error, no CSP violation."""
    assert w.offsite == [], f"requests off the machine: {w.offsite}"
    assert w.errors == [], f"errors: {w.errors}"
    assert w.csp(page) == [], f"Content-Security-Policy violations: {w.csp(page)}"
