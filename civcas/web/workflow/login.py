"""Log in and out, and the way back to the page a visitor was going to.

An anonymous GET of a work page is sent to ``/login?next=<path and query>``
(:func:`.auth.install_login_redirect`); the form carries ``next`` and, once the name and
password are right, the browser lands there. ``next`` is only ever a local path
(:func:`.auth.safe_next`): anything else (another site, ``//host``, a backslash, a
scheme, control characters) lands on ``/work``, so the log-in page cannot be used to
send a user elsewhere.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from ...workflow import accounts
from ...workflow.roles import Actor
from .auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    actor,
    clear_session_cookie,
    do_login,
    login_csrf,
    safe_next,
    set_login_csrf,
    set_session_cookie,
    store_of,
)
from .pages import render

router = APIRouter(include_in_schema=False)
Who = Depends(actor)


@router.get("/login")
def login_page(request: Request, error: str | None = None, next: str | None = None) -> Response:
    token = login_csrf(request)
    ctx = {"error": error, "login_csrf": token, "next": safe_next(next)}
    resp = render(request, "wf_login.html", ctx)
    set_login_csrf(request, resp, token)
    return resp


@router.post("/login")
def login_submit(
    request: Request,
    name: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form(""),
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or csrf_token != expected:
        raise HTTPException(403, "missing or wrong CSRF token; reload the login page")
    target = safe_next(next)
    try:
        sess = do_login(request, name, password)
    except HTTPException as exc:
        resp = render(
            request,
            "wf_login.html",
            {"error": exc.detail, "login_csrf": expected, "next": target},
            status=exc.status_code,
        )
        resp.headers.update(exc.headers or {})  # Retry-After on a 429
        return resp
    done = RedirectResponse(target, status_code=303)
    set_session_cookie(request, done, sess.token)
    return done


@router.post("/logout")
def logout_submit(request: Request, who: Actor = Who) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.end_session(store_of(request), token)
    resp = RedirectResponse("/", status_code=303)
    clear_session_cookie(resp)
    return resp
