"""The app factory: ``create_app(store)`` wires pages, API, downloads and static files."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from .. import __version__
from ..store.engine import Store
from . import errors
from .security import BodyLimit, SecurityHeaders, content_security_policy, limits_from_env
from .service import Service

log = logging.getLogger("civcas.web")
STATIC = Path(__file__).parent / "static"
WORKFLOW = "civcas.web.workflow"


def create_app(
    store: Store,
    *,
    cache_ttl: float | None = None,
    max_upload_bytes: int | None = None,
    max_body_bytes: int | None = None,
) -> FastAPI:
    """A FastAPI app over ``store``: public pages, their JSON twins and the JSON API.

    Only published incidents are ever shown (the store's queries filter them by default).
    The workflow routers (accounts, editing, audit) are included when that package is
    installed. Every response carries the security headers of :mod:`.security`; request
    bodies are capped at ``max_upload_bytes`` (multipart uploads, default 25 MiB, env
    CIVCAS_MAX_UPLOAD_BYTES) and ``max_body_bytes`` (anything else, default 1 MiB, env
    CIVCAS_MAX_BODY_BYTES).
    """
    app = FastAPI(
        title="civcas",
        version=__version__,
        description="Documented civilian harm: incidents, victims, sources, and the "
        "comparison with what the belligerents conceded. Every page has a JSON twin.",
        docs_url=None,  # served by .apidocs from local files, without inline script
        redoc_url=None,
    )
    app.state.service = Service(store, ttl=cache_ttl)
    app.state.store = store
    errors.install(app)

    from . import api, apidocs, basemap, downloads, pages

    basemap.configured()  # a CIVCAS_BASEMAP that is not a vector PMTiles file stops here

    # workflow first: its paths (e.g. /incidents/{code}/edit) must win over the public
    # incident page, whose code may itself contain "/"
    try:
        workflow = importlib.import_module(WORKFLOW)
    except ModuleNotFoundError as exc:
        if exc.name != WORKFLOW:
            raise
        log.debug("workflow routes not installed")
    else:
        router = getattr(workflow, "router", None)  # None while the package is half-built
        if router is not None:
            from . import drafts
            from .workflow.auth import install_login_redirect

            app.include_router(router)
            app.include_router(drafts.router)  # draft review needs the workflow's sessions
            from . import tasks as task_routes

            app.include_router(task_routes.router)  # issue 21: volunteer micro-tasks
            app.include_router(drafts.api_router)  # its JSON calls (issue 24)
            install_login_redirect(app)  # an anonymous GET of a work page: to /login?next=
    app.include_router(apidocs.router)
    app.include_router(api.router)
    app.include_router(downloads.router)
    app.include_router(basemap.router)  # /basemap.pmtiles when one is configured
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _secure(app, max_upload_bytes, max_body_bytes)
    return app


def _secure(app: FastAPI, upload: int | None, body: int | None) -> None:
    """Wrap the whole stack, Starlette's own 500 answer included, in the header and
    body-size middlewares (``add_middleware`` would put them inside that answer)."""
    upload_limit, body_limit = limits_from_env(upload, body)
    csp = content_security_policy(app.state.service.tile_url)
    app.state.body_limits = {"upload": upload_limit, "body": body_limit}
    inner = app.build_middleware_stack

    def build() -> ASGIApp:
        from .tasks_gate import VolunteerGate  # a volunteer sees the tasks only

        stack = BodyLimit(VolunteerGate(inner()), upload=upload_limit, body=body_limit)
        return SecurityHeaders(stack, csp=csp)

    app.build_middleware_stack = build  # type: ignore[method-assign]
