"""Who is asking: API token, session cookie, or the public; plus CSRF and cookies.

Scripts send ``Authorization: Bearer <token>`` (no cookie, so no CSRF risk). Browsers
carry an HttpOnly, SameSite=Lax session cookie (Secure over TLS) and must echo the
session's CSRF token on every unsafe request: the ``csrf_token`` form field or the
``X-CSRF-Token`` header.
"""

from __future__ import annotations

import functools
import hmac
import inspect
import secrets
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, HTTPException, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from ...store import Store
from ...workflow import accounts
from ...workflow.roles import PUBLIC, Actor, PermissionDenied

SESSION_COOKIE = "civcas_session"
LOGIN_CSRF_COOKIE = "civcas_login_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
DEFAULT_NEXT = "/work"
MAX_NEXT = 2000

F = TypeVar("F", bound=Callable[..., Any])


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def current(request: Request) -> tuple[Actor, accounts.Session | None, bool]:
    """(actor, session or None, came with a bearer token?)"""
    cached = getattr(request.state, "wf_auth", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    store = store_of(request)
    out: tuple[Actor, accounts.Session | None, bool] = (PUBLIC, None, False)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        who = accounts.token_actor(store, auth[7:].strip())
        if who is None:
            raise HTTPException(401, "invalid or revoked API token")
        out = (who, None, True)
    elif (cookie := request.cookies.get(SESSION_COOKIE)) is not None:
        sess = accounts.session(store, cookie)
        if sess is not None:
            out = (sess.actor, sess, False)
    request.state.wf_auth = out
    return out


async def actor(request: Request) -> Actor:
    """Dependency: the actor; unsafe cookie-authenticated requests must carry CSRF."""
    who, sess, bearer = current(request)
    if request.method in UNSAFE and sess is not None and not bearer:
        sent = request.headers.get("x-csrf-token")
        if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
        if not sent or not hmac.compare_digest(sent, sess.csrf):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page and retry")
    return who


def denied(exc: PermissionDenied) -> HTTPException:
    if exc.actor.anonymous:
        return HTTPException(401, "log in first: " + str(exc))
    return HTTPException(403, str(exc))


def guarded(fn: F) -> F:
    """Turn PermissionDenied into 401 (anonymous) or 403 (role too low)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PermissionDenied as exc:
            raise denied(exc) from exc

    return wrapper  # type: ignore[return-value]


def set_session_cookie(request: Request, resp: Response, token: str) -> None:
    resp.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_session_cookie(resp: Response) -> None:
    resp.delete_cookie(SESSION_COOKIE, path="/")


def login_csrf(request: Request) -> str:
    """Double-submit token for the login form (there is no session yet)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def set_login_csrf(request: Request, resp: Response, token: str) -> None:
    resp.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def do_login(request: Request, name: str, password: str) -> accounts.Session:
    store = store_of(request)
    client = request.client.host if request.client else ""
    try:
        who = accounts.authenticate(store, name, password, client)
    except accounts.RateLimited as exc:
        raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc
    except accounts.LoginFailed as exc:
        raise HTTPException(401, str(exc)) from exc
    return accounts.start_session(store, who)


def safe_next(value: str | None) -> str:
    r"""``value`` when it is a path on this site, else ``/work`` (the open-redirect guard).

    An allowlist, not a list of known tricks: one leading "/" followed by anything but a
    second "/" or a backslash (browsers read both ``//host`` and ``/\host`` as another
    site), printable characters only (a tab or newline inside ``/<tab>/host`` is dropped by
    browsers, leaving ``//host``), no scheme or host once parsed, and at most 2,000
    characters.
    """
    v = value or ""
    if (
        not v.startswith("/")
        or v.startswith("//")
        or "\\" in v
        or len(v) > MAX_NEXT
        or any(ord(ch) < 0x21 or 0x7F <= ord(ch) <= 0x9F for ch in v)
    ):
        return DEFAULT_NEXT
    parts = urlsplit(v)
    if parts.scheme or parts.netloc:
        return DEFAULT_NEXT
    return v


def _page_request(request: Request) -> bool:
    """A browser asking for a work page: GET/HEAD of /work..., no token, not JSON."""
    from ..render import wants_json

    path = request.url.path
    return (
        request.method in ("GET", "HEAD")
        and (path == "/work" or path.startswith("/work/"))
        and not request.headers.get("authorization")
        and not wants_json(request)
    )


def install_login_redirect(app: FastAPI) -> None:
    """Send an anonymous visitor of a work page to the log-in page, and back afterwards.

    Wraps the app's HTTPException handler (:mod:`civcas.web.errors`): a 401 answering a
    browser's GET of ``/work`` or a page under it becomes a 303 to
    ``/login?next=<path and query>``. JSON calls (``/api/...``, ``.json``, ``Accept:
    application/json``), bearer-token calls and unsafe methods keep their 401.
    """
    inner = app.exception_handlers[StarletteHTTPException]

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 401 and _page_request(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)
        out = inner(request, exc)
        return await out if inspect.isawaitable(out) else out

    app.add_exception_handler(StarletteHTTPException, handler)
