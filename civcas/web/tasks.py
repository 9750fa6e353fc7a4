"""Volunteer micro-tasks on the web (issue 21): the task page, sign-up by invitation, the
JSON API, and the team's campaign page with the consensus suggestions.

Volunteers:
- ``GET /tasks``: one item at a time (plain HTML forms; ``static/js/tasks.js`` adds
  keyboard keys), English or Arabic, their own count, a thank-you when nothing is left;
- ``POST /api/tasks/next`` -> 200 ``{"task_id", "item_id", "kind", "item"}`` or 204;
  ``POST /api/tasks/{task_id}/answer`` with ``{"answer": ...}``; ``GET /api/tasks/me``;
- ``GET|POST /tasks/join/{token}``: sign-up with an invitation.

Team (``manage_tasks``): ``GET /work/tasks`` (progress, agreement, volunteers active, the
answers over time, suggestions to accept or reject), and the JSON under
``/api/tasks/campaigns`` and ``/api/tasks/suggestions``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from ..model.errors import ConflictError, InputError, NotFoundError
from ..store import tasks as st
from ..tasks import items as task_items
from ..tasks import progress, service, volunteers
from ..tasks.kinds import QUESTION_KEYS
from ..workflow import accounts
from ..workflow.roles import Actor, PermissionDenied, answers_tasks, can
from .i18n import LANGS, catalogue, direction, translator
from .render import LANG_COOKIE, here
from .workflow.auth import (
    LOGIN_CSRF_COOKIE,
    actor,
    current,
    denied,
    guarded,
    login_csrf,
    set_login_csrf,
    set_session_cookie,
    store_of,
)

router = APIRouter()
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates" / "tasks"))
Who = Depends(actor)
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The answer does not fit the item; the message says why."},
    401: {"description": "Not signed in."},
    403: {"description": "The role may not answer tasks, or the CSRF token is missing."},
    404: {"description": "No such task for you."},
    409: {"description": "The task was answered already, differently."},
}
SHOWN_FIELDS = ("title", "code", "place", "place_ar", "governorate", "country", "date",
                "lang", "killed_min", "killed_max", "summary")  # fmt: skip
PERSON_FIELDS = ("name", "name_ar", "sex", "age", "date_of_death", "place")
STRUCTURED = {"text", "candidates", "frames", "a", "b", "question", "approx_lat", "approx_lon"}


def _lang(request: Request) -> str:
    raw = request.query_params.get("lang")
    if raw in LANGS:
        return raw
    cookie = request.cookies.get(LANG_COOKIE)
    return cookie if cookie in LANGS else "en"


def _render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    who, sess, _ = current(request)
    lang = _lang(request)
    t = translator(lang)
    own = catalogue(lang)
    en = catalogue("en")

    def label(field: str) -> str:
        key = f"task_f_{field}"
        return own.get(key) or en.get(key) or field.replace("_", " ")

    switch = {**request.query_params, "lang": "ar" if lang == "en" else "en"}
    base = {
        "who": who,
        "csrf": sess.csrf if sess else "",
        "lang": lang,
        "dir": direction(lang),
        "t": t,
        "label": label,
        "can": can,
        "switch_url": here(request) + "?" + urlencode(switch),
    }
    resp = TEMPLATES.TemplateResponse(request, name, {**base, **ctx}, status_code=status)
    if request.query_params.get("lang") in LANGS:
        resp.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return resp


def _answerer(who: Actor) -> None:
    if not answers_tasks(who.role) or who.user_id is None:
        raise denied(service.NotAnAnswerer(who))


# ---- JSON for volunteers ----------------------------------------------------------------


class NextIn(BaseModel):
    campaign: str | None = Field(None, max_length=100, description="Only this campaign.")


class AnswerIn(BaseModel):
    answer: Any = Field(
        ...,
        description='"yes"/"no"; {"civilians", "killed"} for reports; {"lat", "lon"},'
        ' {"candidate"} or "unknown" to locate; {"frame"} or "none" for images.',
    )


@router.post(
    "/api/tasks/next",
    responses={**ERRORS, 204: {"description": "Nothing is left for you."}},
    summary="The next item for you (the one you hold, if any)",
    tags=["tasks"],
)
@guarded
def api_next(request: Request, body: NextIn | None = None, who: Actor = Who) -> Response:
    t = service.next_task(store_of(request), who, body.campaign if body else None)
    if t is None:
        return Response(status_code=204)
    return JSONResponse(t)


@router.post(
    "/api/tasks/{task_id}/answer",
    responses=ERRORS,
    summary="Answer your task (sending the same answer again is harmless)",
    tags=["tasks"],
)
@guarded
def api_answer(request: Request, task_id: int, body: AnswerIn, who: Actor = Who) -> dict[str, Any]:
    return service.answer(store_of(request), who, task_id, body.answer)


@router.get("/api/tasks/me", responses=ERRORS, summary="Your name and count", tags=["tasks"])
@guarded
def api_me(request: Request, who: Actor = Who) -> dict[str, Any]:
    return {"name": who.name, "answered": service.my_count(store_of(request), who)}


@router.get("/api/tasks/{task_id}/frames/{frame}", include_in_schema=False)
def frame_file(request: Request, task_id: int, frame: str, who: Actor = Who) -> Response:
    """One frame of an image item, to the volunteer who holds (or answered) the task."""
    _answerer(who)
    store = store_of(request)
    if not 0 < task_id < 2**31:
        raise HTTPException(404, f"no task {task_id} for you")
    with store.connect() as conn:
        a = st.assignment_for_read(conn, task_id)
    if a is None or a["volunteer_id"] != who.user_id:
        raise HTTPException(404, f"no task {task_id} for you")
    import json

    path = task_items.image_file(a["source_ref"], json.loads(a["fields"]), frame)
    if path is None:
        raise HTTPException(404, "no such frame")
    return FileResponse(path, headers={"Cache-Control": "no-store"})


# ---- the task page ----------------------------------------------------------------------


def _page_item(
    request: Request, who: Actor, error: str | None = None, status: int = 200
) -> Response:
    store = store_of(request)
    task = service.next_task(store, who)
    count = service.my_count(store, who)
    if task is None:
        return _render(request, "tasks_thanks.html", {"count": count})
    item = task["item"]
    shown = [(k, item[k]) for k in SHOWN_FIELDS if item.get(k) not in (None, "")]
    shown += [
        (k, v)
        for k, v in item.items()
        if k not in SHOWN_FIELDS and k not in STRUCTURED and isinstance(v, str | int | float)
    ]
    return _render(
        request,
        "tasks_item.html",
        {
            "task": task,
            "item": item,
            "shown": shown,
            "people": PERSON_FIELDS,
            "question_key": QUESTION_KEYS[task["kind"]],
            "count": count,
            "error": error,
        },
        status,
    )


@router.get("/tasks", include_in_schema=False)
def page(request: Request, who: Actor = Who) -> Response:
    if who.anonymous:
        return RedirectResponse("/login?next=/tasks", status_code=303)
    _answerer(who)
    return _page_item(request, who)


def _form_answer(kind: str, form: dict[str, str]) -> Any:
    if kind == "report":
        extra = {k: form[k].strip() for k in ("killed", "date", "place") if form.get(k, "").strip()}
        if extra:
            return {"civilians": form.get("answer", ""), **extra}
    if kind == "locate":
        if form.get("candidate"):
            return {"candidate": form["candidate"]}
        if form.get("answer") == "unknown":
            return "unknown"
        return {"lat": form.get("lat", ""), "lon": form.get("lon", "")}
    if kind == "image" and form.get("frame"):
        return {"frame": form["frame"]}
    return form.get("answer", "")


@router.post("/tasks/{task_id}/answer", include_in_schema=False)
async def page_answer(request: Request, task_id: int, who: Actor = Who) -> Response:
    _answerer(who)
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    kind = form.get("kind", "")
    try:
        service.answer(store_of(request), who, task_id, _form_answer(kind, form))
    except InputError as exc:
        return _page_item(request, who, str(exc), 400)
    except (NotFoundError, ConflictError):
        pass  # an old tab: show the current item
    return RedirectResponse("/tasks", status_code=303)


# ---- sign-up by invitation --------------------------------------------------------------


@router.get("/tasks/join/{token}", include_in_schema=False)
def join_page(request: Request, token: str) -> Response:
    ok = volunteers.invitation_valid(store_of(request), token)
    csrf = login_csrf(request)
    resp = _render(
        request,
        "tasks_join.html",
        {"token": token, "valid": ok, "login_csrf": csrf, "error": None},
        200 if ok else 404,
    )
    set_login_csrf(request, resp, csrf)
    return resp


@router.post("/tasks/join/{token}", include_in_schema=False)
def join_submit(
    request: Request,
    token: str,
    name: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or csrf_token != expected:
        raise HTTPException(403, "missing or wrong CSRF token; reload the page")
    store = store_of(request)
    try:
        who = volunteers.sign_up(store, token, name, password)
    except InputError as exc:
        ctx = {"token": token, "valid": True, "login_csrf": expected, "error": str(exc)}
        return _render(request, "tasks_join.html", ctx, 400)
    sess = accounts.start_session(store, who)
    resp = RedirectResponse("/tasks", status_code=303)
    set_session_cookie(request, resp, sess.token)
    return resp


# ---- the team's side ---------------------------------------------------------------------


class DecideIn(BaseModel):
    reason: str | None = Field(None, max_length=10_000)


def _need_manager(who: Actor) -> None:
    if not can(who.role, "manage_tasks"):
        raise denied(PermissionDenied(who, "manage_tasks"))


@router.get(
    "/api/tasks/campaigns", responses=ERRORS, summary="Campaigns and progress", tags=["tasks"]
)
@guarded
def api_campaigns(request: Request, who: Actor = Who) -> list[dict[str, Any]]:
    return progress.overview(store_of(request), who)


@router.get(
    "/api/tasks/campaigns/{name}/progress",
    responses=ERRORS,
    summary="A campaign's progress: done, agreement, volunteers active, answers over time",
    tags=["tasks"],
)
@guarded
def api_progress(request: Request, name: str, who: Actor = Who) -> dict[str, Any]:
    return progress.campaign_progress(store_of(request), who, name)


@router.get(
    "/api/tasks/suggestions", responses=ERRORS, summary="Consensus suggestions", tags=["tasks"]
)
@guarded
def api_suggestions(
    request: Request, state: str = "pending", who: Actor = Who
) -> list[dict[str, Any]]:
    if state not in ("pending", "accepted", "rejected", "all"):
        raise HTTPException(400, "parameter 'state': expected pending, accepted, rejected or all")
    return service.list_suggestions(store_of(request), who, None if state == "all" else state)


@router.post(
    "/api/tasks/suggestions/{sid}/accept",
    responses=ERRORS,
    summary="Accept a consensus into the record (an audited change)",
    tags=["tasks"],
)
@guarded
def api_accept(request: Request, sid: int, body: DecideIn, who: Actor = Who) -> dict[str, Any]:
    return service.decide(store_of(request), who, sid, accept=True, reason=body.reason)


@router.post(
    "/api/tasks/suggestions/{sid}/reject",
    responses=ERRORS,
    summary="Reject a consensus (the record is not changed)",
    tags=["tasks"],
)
@guarded
def api_reject(request: Request, sid: int, body: DecideIn, who: Actor = Who) -> dict[str, Any]:
    return service.decide(store_of(request), who, sid, accept=False, reason=body.reason)


class InviteIn(BaseModel):
    days: int = Field(14, ge=1, le=365)
    uses: int = Field(1, ge=1, le=10_000)
    label: str = Field("", max_length=200)


@router.post(
    "/api/tasks/invitations",
    responses=ERRORS,
    summary="A sign-up link for volunteers (the token is shown once)",
    tags=["tasks"],
)
@guarded
def api_invite(request: Request, body: InviteIn, who: Actor = Who) -> dict[str, Any]:
    inv = volunteers.invite(
        store_of(request), who, days=body.days, uses=body.uses, label=body.label
    )
    return {**inv, "link": f"/tasks/join/{inv['token']}"}


@router.get("/work/tasks", include_in_schema=False)
def team_page(request: Request, who: Actor = Who) -> Response:
    if who.anonymous:
        return RedirectResponse("/login?next=/work/tasks", status_code=303)
    _need_manager(who)
    store = store_of(request)
    camps = []
    for c in progress.overview(store, who):
        p = progress.campaign_progress(store, who, c["name"])
        camps.append({**p, "chart": progress.chart_svg(p["series"])})
    return _render(
        request,
        "tasks_team.html",
        {"campaigns": camps, "suggestions": service.list_suggestions(store, who, "pending")},
    )


async def _page_decide(request: Request, sid: int, accept: bool, who: Actor) -> Response:
    _need_manager(who)
    form = await request.form()
    reason = form.get("reason")
    try:
        service.decide(
            store_of(request),
            who,
            sid,
            accept=accept,
            reason=reason if isinstance(reason, str) else None,
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    return RedirectResponse("/work/tasks", status_code=303)


@router.post("/work/tasks/suggestions/{sid}/accept", include_in_schema=False)
async def page_accept(request: Request, sid: int, who: Actor = Who) -> Response:
    return await _page_decide(request, sid, True, who)


@router.post("/work/tasks/suggestions/{sid}/reject", include_in_schema=False)
async def page_reject(request: Request, sid: int, who: Actor = Who) -> Response:
    return await _page_decide(request, sid, False, who)


__all__ = ["router"]
