"""Workflow routes for the web app: log in/out, the editor pages, the JSON API.

Public surface: ``router`` (included by ``civcas.web.create_app`` when importable).
"""

from fastapi import APIRouter

from . import api, editor, login, pages, queue, strikes

router = APIRouter()
router.include_router(api.router)
router.include_router(login.router)  # log in/out, back to ?next= (issue 24)
router.include_router(queue.router)  # GET /work, the work queue (issue 24)
router.include_router(queue.api_router)  # its JSON: /api/workflow/queue, .../assign
router.include_router(editor.router)  # the incident editor (issue 24)
router.include_router(pages.router)
router.include_router(strikes.router)  # issue 20: /work/strikes, /api/workflow/strikes

__all__ = ["router"]
