"""Workflow routes for the web app: log in/out, the editor pages, the JSON API.

Public surface: ``router`` (included by ``civcas.web.create_app`` when importable).
"""

from fastapi import APIRouter

from . import api, pages, strikes

router = APIRouter()
router.include_router(api.router)
router.include_router(pages.router)
router.include_router(strikes.router)  # issue 20: /work/strikes, /api/workflow/strikes

__all__ = ["router"]
