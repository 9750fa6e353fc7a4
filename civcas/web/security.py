"""Security headers on every response, and a cap on request bodies.

Two plain ASGI middlewares (no buffering of responses, streaming untouched):

- :class:`SecurityHeaders` adds a strict Content-Security-Policy (scripts, styles and
  workers from this origin only; no inline script or style attribute, no plugins, no
  framing, no ``<base>``, forms post here only), ``nosniff``, ``X-Frame-Options: DENY``,
  ``Referrer-Policy: no-referrer``, ``Cross-Origin-Opener-Policy: same-origin``, and
  ``Cache-Control: no-store`` on anything a signed-in person or a token sees.
- :class:`BodyLimit` answers 413 to a body over the limit: at once when Content-Length
  says so, and while streaming when it does not (chunked uploads), before the app has
  more than the limit in hand. Multipart uploads get ``upload`` bytes, everything else
  (JSON, forms) ``body`` bytes.

Why ``no-referrer``: pages link out to third-party sources, and a workspace or filtered
URL (``/work/incidents/CODE``, ``?near=...``) tells an outside site what a researcher is
looking at; nothing in civcas relies on the Referer header (CSRF uses tokens).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MiB = 1 << 20
DEFAULT_UPLOAD_BYTES = 25 * MiB
DEFAULT_BODY_BYTES = 1 * MiB
SESSION_COOKIE = "civcas_session"  # the workspace's cookie (civcas.web.workflow.auth)
PRIVATE_PREFIXES = ("/work", "/login", "/logout", "/api/workflow")


def tile_source(tile_url: str | None) -> str | None:
    """The CSP source for a tile server URL template, e.g. ``https://*.tile.example.org``.

    A ``{s}`` sub-domain becomes ``*``; a template that cannot be reduced to one host
    gives ``None`` (and the map's tiles are then refused by the browser, visibly).
    """
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or "@" in parts.netloc:
        return None
    host, _, port = parts.netloc.partition(":")
    labels = host.split(".")
    if re.fullmatch(r"\{[a-z]+\}", labels[0]):
        labels[0] = "*"
    host = ".".join(labels)
    if not re.fullmatch(r"(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*", host):
        return None
    if port and not port.isdigit():
        return None
    return f"{parts.scheme}://{host}{':' + port if port else ''}"


def content_security_policy(tile_url: str | None = None) -> str:
    """The policy: this origin only, plus the tile server's host when one is configured.

    No ``blob:`` anywhere: Leaflet and markercluster use no workers and no blob URLs, and
    Swagger UI needs neither. ``data:`` images are the inline favicon and Leaflet's
    inline marker images.
    """
    tiles = tile_source(tile_url)
    extra = f" {tiles}" if tiles else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data:{extra}",
            "font-src 'self'",
            f"connect-src 'self'{extra}",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", ()):
        if k.lower() == name:
            return bytes(v).decode("latin-1")
    return None


def is_private(scope: Scope) -> bool:
    """A request whose answer is someone's own: the workspace, or any signed-in request."""
    path = scope.get("path", "")
    if path.startswith(PRIVATE_PREFIXES):
        return True
    if _header(scope, b"authorization"):
        return True
    cookie = _header(scope, b"cookie") or ""
    return any(c.strip().startswith(SESSION_COOKIE + "=") for c in cookie.split(";"))


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, csp: str) -> None:
        self.app = app
        self.fixed = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        self.names = {k for k, _ in self.fixed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = is_private(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                drop = set(self.names)
                sets_cookie = any(k.lower() == b"set-cookie" for k, _ in message["headers"])
                if private or sets_cookie:
                    drop |= {b"cache-control", b"pragma"}
                headers = [(k, v) for k, v in message["headers"] if k.lower() not in drop]
                headers += self.fixed
                if private or sets_cookie:
                    headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a body passes its limit (FastAPI lets it through)."""

    def __init__(self, limit: int, what: str) -> None:
        super().__init__(
            413,
            f"request body too large: at most {limit:,} bytes for {what} "
            "(split the file, or ask the administrator to raise CIVCAS_MAX_UPLOAD_BYTES / "
            "CIVCAS_MAX_BODY_BYTES)",
        )


class BodyLimit:
    def __init__(self, app: ASGIApp, *, upload: int, body: int) -> None:
        self.app = app
        self.upload = upload
        self.body = body

    def limit_for(self, scope: Scope) -> tuple[int, str]:
        ctype = (_header(scope, b"content-type") or "").lower()
        if ctype.startswith("multipart/form-data"):
            return self.upload, "an upload"
        return self.body, "a request that is not a file upload"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, what = self.limit_for(scope)
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await _refuse(send, BodyTooLarge(limit, what))
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit, what)
            return message

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watch)
        except BodyTooLarge as exc:  # raised outside the app's own error handling
            if not started:
                await _refuse(send, exc)


async def _refuse(send: Send, exc: HTTPException) -> None:
    body = json.dumps(
        {"error": {"status": 413, "title": HTTPStatus(413).phrase, "message": exc.detail}}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def limits_from_env(upload: int | None, body: int | None) -> tuple[int, int]:
    """(upload, body) limits: the arguments, else CIVCAS_MAX_UPLOAD_BYTES / _BODY_BYTES."""

    def pick(given: int | None, name: str, default: int) -> int:
        if given is not None:
            return given
        raw = os.environ.get(name, "").strip()
        return int(raw) if raw.isdigit() else default

    return (
        pick(upload, "CIVCAS_MAX_UPLOAD_BYTES", DEFAULT_UPLOAD_BYTES),
        pick(body, "CIVCAS_MAX_BODY_BYTES", DEFAULT_BODY_BYTES),
    )


__all__ = [
    "DEFAULT_BODY_BYTES",
    "DEFAULT_UPLOAD_BYTES",
    "BodyLimit",
    "BodyTooLarge",
    "SecurityHeaders",
    "content_security_policy",
    "is_private",
    "limits_from_env",
    "tile_source",
]
