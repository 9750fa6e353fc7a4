"""The app factory: ``create_app(store)`` wires pages, API, downloads and static files."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..store.engine import Store
from . import errors
from .service import Service

log = logging.getLogger("civcas.web")
STATIC = Path(__file__).parent / "static"
WORKFLOW = "civcas.web.workflow"


def create_app(store: Store, *, cache_ttl: float | None = None) -> FastAPI:
    """A FastAPI app over ``store``: public pages, their JSON twins and the JSON API.

    Only published incidents are ever shown (the store's queries filter them by default).
    The workflow routers (accounts, editing, audit) are included when that package is
    installed.
    """
    app = FastAPI(
        title="civcas",
        version=__version__,
        description="Documented civilian harm: incidents, victims, sources, and the "
        "comparison with what the belligerents conceded. Every page has a JSON twin.",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.service = Service(store, ttl=cache_ttl)
    app.state.store = store
    errors.install(app)

    from . import api, downloads, pages

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
            app.include_router(router)
    app.include_router(api.router)
    app.include_router(downloads.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app
