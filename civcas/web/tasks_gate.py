"""A volunteer sees task items and nothing else: every other page or API call made with
a volunteer's session or token is refused here, before any route runs.

The volunteer role holds no permission of the editorial ladder, so the work area already
refuses it; this gate also keeps volunteers off the public pages and their JSON twins
(a volunteer account may be someone's only view of the project, and it should be the
tasks). A GET of a page is sent to ``/tasks``; anything else is a 403.

Paths a volunteer may use: the task pages and API (``/tasks``, ``/api/tasks``), static
files, and logging in and out.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from ..workflow.roles import OUTSIDE_LADDER

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ALLOWED_PREFIXES = ("/tasks/", "/api/tasks/", "/static/")
ALLOWED_PATHS = {
    "/tasks",
    "/login",
    "/logout",
    "/api/workflow/login",
    "/api/workflow/logout",
    "/favicon.ico",
}
SESSION_COOKIE = "civcas_session"


def allowed(path: str) -> bool:
    return path in ALLOWED_PATHS or path.startswith(ALLOWED_PREFIXES)


def _signed_in(scope: Scope) -> bool:
    for k, v in scope.get("headers", ()):
        if k == b"authorization":
            return True
        if k == b"cookie" and SESSION_COOKIE.encode() + b"=" in v:
            return True
    return False


class VolunteerGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or allowed(scope.get("path", "")) or not _signed_in(scope):
            await self.app(scope, receive, send)
            return
        from .workflow.auth import current

        try:
            who, _, _ = current(Request(scope))
        except HTTPException:  # a bad token: the route answers 401 itself
            await self.app(scope, receive, send)
            return
        if who.role not in OUTSIDE_LADDER:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if scope.get("method") in ("GET", "HEAD") and not path.startswith("/api"):
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [(b"location", b"/tasks"), (b"content-length", b"0")],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        body = json.dumps(
            {
                "error": {
                    "status": 403,
                    "title": "Forbidden",
                    "message": "a volunteer account answers task items only (/tasks)",
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


__all__ = ["VolunteerGate", "allowed"]
