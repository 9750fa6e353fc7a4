"""One error body for every 4xx/5xx: ``{"error": {"status", "title", "message", "parameter"}}``.

Pages asked for as HTML get the same facts as a page. Bad parameters are 400 and name the
parameter; library errors map by kind (InputError 400, NotFoundError 404, ConflictError
409, BusyError 503 with Retry-After); anything unexpected is a 500 without internals.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..model.errors import BusyError, CivcasError, ConflictError, InputError, NotFoundError
from .params import BadParameter
from .render import JSONOut, page, wants_json

log = logging.getLogger("civcas.web")
PARAM_RE = re.compile(r"parameter '([^']+)'")


def error_response(
    request: Request, status: int, message: str, parameter: str | None = None
) -> Response:
    body: dict[str, Any] = {
        "status": status,
        "title": HTTPStatus(status).phrase,
        "message": message,
    }
    if parameter:
        body["parameter"] = parameter
    if request.url.path.startswith("/api/") or wants_json(request):
        return JSONOut({"error": body}, status_code=status)
    try:
        return page(request, "error.html", {"error": body}, status=status)
    except BadParameter:  # e.g. a bad ?lang= on an error page: answer in English
        return JSONOut({"error": body}, status_code=status)


def install(app: FastAPI) -> None:
    async def bad_param(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, BadParameter)
        return error_response(request, 400, str(exc), exc.parameter)

    async def input_error(request: Request, exc: Exception) -> Response:
        m = PARAM_RE.search(str(exc))
        return error_response(request, 400, str(exc), m.group(1) if m else None)

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_response(request, 404, str(exc))

    async def conflict(request: Request, exc: Exception) -> Response:
        return error_response(request, 409, str(exc))

    async def busy(request: Request, exc: Exception) -> Response:
        resp = error_response(request, 503, str(exc))
        resp.headers["Retry-After"] = "10"
        return resp

    async def civcas_error(request: Request, exc: Exception) -> Response:
        return error_response(request, 400, str(exc))

    async def validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(x) for x in first.get("loc", ())]
        name = loc[-1] if loc else None
        where = loc[0] if loc else "request"
        status = 400 if where in ("query", "path", "header", "cookie") else 422
        msg = f"parameter {name!r}: {first.get('msg', 'invalid')}" if name else "invalid request"
        return error_response(request, status, msg, name)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        resp = error_response(request, exc.status_code, str(exc.detail))
        for k, v in (exc.headers or {}).items():  # e.g. Retry-After on a 429
            resp.headers[k] = v
        return resp

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500, "internal error; the server log has the details")

    app.add_exception_handler(BadParameter, bad_param)
    app.add_exception_handler(InputError, input_error)
    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(ConflictError, conflict)
    app.add_exception_handler(BusyError, busy)
    app.add_exception_handler(CivcasError, civcas_error)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, server_error)
