"""The workflow's pages: the incident editor, interviews, the conflict queue.

Log in/out live in ``login``, the work queue in ``queue``.

Plain HTML forms (no JavaScript needed); every form carries the session's CSRF token.
After each action the browser is redirected back (POST/redirect/GET).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ...model.vocab import Grade
from ...report.links import install as install_links
from ...workflow import editing, fields, interviews
from ...workflow.roles import Actor, PermissionDenied, can, require
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


def render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    who, sess, _ = current(request)
    base = {"who": who, "csrf": sess.csrf if sess else "", "can": can, "quote": quote}
    return TEMPLATES.TemplateResponse(request, name, {**base, **ctx}, status_code=status)


def back(code: str) -> RedirectResponse:
    return RedirectResponse(f"/work/incidents/{quote(code, safe='/')}", status_code=303)


def _need(who: Actor, permission: str) -> None:
    try:
        require(who, permission)
    except PermissionDenied as exc:
        raise denied(exc) from exc


@router.post("/work/incidents")
async def create(request: Request, who: Actor = Who) -> Response:
    _need(who, "submit")
    form = await request.form()
    values = {k: v for k, v in form.items() if k in fields.INCIDENT and isinstance(v, str)}
    code = form.get("code")
    inc = editing.create(
        store_of(request), who, values, code=code if isinstance(code, str) else None
    )
    return back(inc["code"])


@router.get("/work/incidents/{code:path}")
def editor(request: Request, code: str, who: Actor = Who) -> Response:
    _need(who, "submit")
    store = store_of(request)
    inc = editing.get(store, who, code)
    hist = editing.history(store, who, inc["code"]) if can(who.role, "read_audit") else []
    return render(
        request,
        "wf_incident.html",
        {
            "inc": inc,
            "history": hist,
            "grades": [g.value for g in Grade],
            "incident_fields": fields.INCIDENT,
            "children": fields.CHILDREN,
        },
    )


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def _version(form: dict[str, str]) -> int | None:
    v = form.pop("expected_version", "")
    return int(v) if v.isdigit() else None


def _conflict_page(request: Request, exc: editing.EditConflict) -> Response:
    return render(request, "wf_conflict.html", {"exc": exc}, status=409)


@router.post("/work/incidents/{code:path}/edit")
async def edit(request: Request, code: str, who: Actor = Who) -> Response:
    form = await _form(request)
    version, reason = _version(form), form.pop("reason", None)
    try:
        editing.edit(store_of(request), who, code, form, expected_version=version, reason=reason)
    except PermissionDenied as exc:
        raise denied(exc) from exc
    except editing.EditConflict as exc:
        return _conflict_page(request, exc)
    return back(code)


@router.post("/work/incidents/{code:path}/grade")
async def grade(request: Request, code: str, who: Actor = Who) -> Response:
    form = await _form(request)
    try:
        editing.grade(
            store_of(request),
            who,
            code,
            form.get("grade", ""),
            form.get("reason", ""),
            expected_version=_version(form),
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    except editing.EditConflict as exc:
        return _conflict_page(request, exc)
    return back(code)


@router.post("/work/incidents/{code:path}/publish")
async def publish(request: Request, code: str, who: Actor = Who) -> Response:
    form = await _form(request)
    try:
        editing.publish(
            store_of(request),
            who,
            code,
            form.get("published", "1") == "1",
            reason=form.get("reason") or None,
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    return back(code)


@router.post("/work/incidents/{code:path}/duplicate")
async def duplicate(request: Request, code: str, who: Actor = Who) -> Response:
    form = await _form(request)
    try:
        kept = editing.mark_duplicate(
            store_of(request), who, code, form.get("keep", ""), form.get("reason", "")
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    return back(kept["code"])


@router.post("/work/incidents/{code:path}/records/{kind}")
async def add_record(request: Request, code: str, kind: str, who: Actor = Who) -> Response:
    form = await _form(request)
    version, reason = _version(form), form.pop("reason", None)
    try:
        editing.add_child(
            store_of(request), who, code, kind, form, expected_version=version, reason=reason
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    except editing.EditConflict as exc:
        return _conflict_page(request, exc)
    return back(code)


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
