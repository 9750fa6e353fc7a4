"""Who is asking: API token, session cookie, or the public; plus CSRF and cookies.

Scripts send ``Authorization: Bearer <token>`` (no cookie, so no CSRF risk). Browsers
carry an HttpOnly, SameSite=Lax session cookie (Secure over TLS) and must echo the
session's CSRF token on every unsafe request: the ``csrf_token`` form field or the
``X-CSRF-Token`` header.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import HTTPException, Request
from starlette.responses import Response

from ...store import Store
from ...workflow import accounts
from ...workflow.roles import PUBLIC, Actor, PermissionDenied

SESSION_COOKIE = "civcas_session"
LOGIN_CSRF_COOKIE = "civcas_login_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

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
