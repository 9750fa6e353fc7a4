"""The workflow's pages: the incident editor, interviews, the conflict queue.

Log in/out live in ``login``, the work queue in ``queue``, the incident editor in
``editor``. Every work page is in English or Arabic (:func:`render`).

Plain HTML forms (no JavaScript needed); every form carries the session's CSRF token.
After each action the browser is redirected back (POST/redirect/GET).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ...report.links import install as install_links
from ...workflow import interviews
from ...workflow.roles import Actor, PermissionDenied, can, require
from ..i18n import LANGS, direction, translator
from ..render import LANG_COOKIE, here
from .auth import (
    actor,
    current,
    denied,
    store_of,
)

router = APIRouter(include_in_schema=False)
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
install_links(TEMPLATES.env)
Who = Depends(actor)


def work_language(request: Request) -> str:
    """The work area's language: ``?lang=`` (en or ar; anything else is ignored here, a
    work page is not refused for it), else the public site's cookie, else English."""
    raw = request.query_params.get("lang")
    if raw in LANGS:
        return raw
    cookie = request.cookies.get(LANG_COOKIE)
    return cookie if cookie in LANGS else "en"


def render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A work page in the visitor's language (English or Arabic, right to left)."""
    who, sess, _ = current(request)
    lang = work_language(request)
    switch = {**request.query_params, "lang": "ar" if lang == "en" else "en"}
    base = {
        "who": who,
        "csrf": sess.csrf if sess else "",
        "can": can,
        "quote": quote,
        "lang": lang,
        "dir": direction(lang),
        "t": translator(lang),
        "switch_url": here(request) + "?" + urlencode(switch),
    }
    resp = TEMPLATES.TemplateResponse(request, name, {**base, **ctx}, status_code=status)
    if request.query_params.get("lang") in LANGS:
        resp.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return resp


def _need(who: Actor, permission: str) -> None:
    try:
        require(who, permission)
    except PermissionDenied as exc:
        raise denied(exc) from exc


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


@router.get("/work/interviews")
def interview_list(request: Request, who: Actor = Who) -> Response:
    _need(who, "interviews")
    rows = interviews.list_all(store_of(request), who)
    return render(
        request,
        "wf_interviews.html",
        {"rows": rows, "spec": interviews.INTERVIEW, "imported": None},
    )


@router.post("/work/interviews")
async def interview_add(request: Request, who: Actor = Who) -> Response:
    _need(who, "interviews")
    form = await _form(request)
    links = form.pop("incidents", "").replace(",", " ").split()
    interviews.add(store_of(request), who, form, incidents=links)
    return RedirectResponse("/work/interviews", status_code=303)


@router.post("/work/interviews/import")
async def interview_import(request: Request, who: Actor = Who) -> Response:
    """A KoBo/ODK XLSX export uploaded from the interviews page (default mapping)."""
    import tempfile

    _need(who, "interviews")
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(400, "parameter 'file': choose an XLSX export to upload")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "upload.xlsx"
        p.write_bytes(await upload.read())
        counts = interviews.import_xlsx(store_of(request), who, p)
    rows = interviews.list_all(store_of(request), who)
    return render(
        request,
        "wf_interviews.html",
        {"rows": rows, "spec": interviews.INTERVIEW, "imported": counts},
    )


# ---- the conflict queue (issue 16) ----------------------------------------------------


@router.get("/work/conflicts")
def conflict_queue(request: Request, show: str = "open", who: Actor = Who) -> Response:
    """Open conflicts (``?show=all``: resolved ones too), each with a resolve form."""
    from ...workflow import conflicts

    _need(who, "publish")
    rows = conflicts.list_conflicts(store_of(request), who, None if show == "all" else "open")
    return render(request, "wf_conflicts.html", {"rows": rows, "show_all": show == "all"})


@router.post("/work/conflicts/{conflict_id}/resolve")
async def conflict_resolve(request: Request, conflict_id: int, who: Actor = Who) -> Response:
    from ...workflow import conflicts

    _need(who, "publish")
    form = await _form(request)
    try:
        conflicts.resolve(
            store_of(request), who, conflict_id, form.get("keep", ""), form.get("reason") or None
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    return RedirectResponse("/work/conflicts", status_code=303)
