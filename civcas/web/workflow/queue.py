"""The work queue: ``GET /work``, searchable, filtered and paged; and assignment.

``/work?q=TEXT&status=all|review|conflict|published&mine=1&assigned=NAME|none
&date_from=&date_to=&sort=&offset=N&limit=N``: ``q`` finds incidents by code (or an
alias), place (English or Arabic, governorate) and date (``2017``, ``2017-06``,
``2017-06-12``); every word must match. Each row can be given to a researcher
(``POST /work/incidents/{code}/assign``), which lands back on the same page of the queue.

Every page action has its JSON call under ``/api/workflow`` (in /openapi.json):
``GET /api/workflow/queue`` and ``POST /api/workflow/incidents/{code}/assign``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from ...model.errors import InputError
from ...workflow import fields
from ...workflow import queue as wq
from ...workflow.roles import Actor, PermissionDenied, can
from .auth import actor, denied, guarded, safe_next, store_of
from .pages import _form, _need, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/workflow", tags=["workflow"])
Who = Depends(actor)
PAGE_SIZES = (50, 100, 500)
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Bad input; the message names the parameter."},
    401: {"description": "Not logged in (or a bad API token)."},
    403: {"description": "The role may not do this, or the CSRF token is missing."},
    404: {"description": "No such incident."},
}


def _day(name: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"parameter {name!r}: expected a date YYYY-MM-DD") from None


def _query(
    who: Actor,
    q: str,
    status: str,
    mine: bool,
    assigned: str | None,
    date_from: str | None,
    date_to: str | None,
    sort: str,
    offset: int,
    limit: int,
) -> wq.QueueQuery:
    return wq.QueueQuery(
        q=q.strip(),
        status=status,
        mine=(who.user_id if who.user_id is not None else -1) if mine else None,
        assigned=assigned or None,
        date_from=_day("date_from", date_from),
        date_to=_day("date_to", date_to),
        sort=sort,
        offset=offset,
        limit=limit,
    )


def _pages(total: int, offset: int, limit: int) -> dict[str, int | None]:
    """Offsets of the first, previous, next and last pages (None: no such page)."""
    last = max(0, (total - 1) // limit * limit)
    return {
        "first": 0 if offset > 0 else None,
        "prev": max(0, offset - limit) if offset > 0 else None,
        "next": offset + limit if offset + limit < total else None,
        "last": last if offset < last else None,
        "page": offset // limit + 1,
        "pages": max(1, (total + limit - 1) // limit),
    }


@router.get("/work")
def work(
    request: Request,
    q: str = Query("", max_length=200),
    status: str = "all",
    mine: bool = False,
    assigned: str | None = Query(None, max_length=100),
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str = "-date",
    offset: int = 0,
    limit: int = 50,
    who: Actor = Who,
) -> Response:
    """The queue page; its JSON call is ``GET /api/workflow/queue`` (same parameters)."""
    _need(who, "submit")
    store = store_of(request)
    f = _query(who, q, status, mine, assigned, date_from, date_to, sort, offset, limit)
    found = wq.search(store, who, f)
    params = {
        k: v
        for k, v in {
            "q": f.q, "status": status if status != "all" else "", "mine": "1" if mine else "",
            "assigned": assigned or "", "date_from": date_from or "", "date_to": date_to or "",
            "sort": sort if sort != "-date" else "", "limit": limit if limit != 50 else "",
        }.items()
        if v
    }  # fmt: skip
    state = {**params, "offset": offset} if offset else params
    here = f"/work?{urlencode(state)}" if state else "/work"
    return render(
        request,
        "wf_work.html",
        {
            **found,
            "f": f,
            "params": params,
            "here": here,
            "pages": _pages(found["total"], f.offset, f.limit),
            "statuses": wq.STATUSES,
            "sorts": wq.sq.SORTS,
            "page_sizes": PAGE_SIZES,
            "mine": mine,
            "assignees": wq.assignable(store, who) if can(who.role, "edit") else [],
            "urlencode": urlencode,
            "incident_fields": fields.INCIDENT,
        },
    )


@router.post("/work/incidents/{code:path}/assign")
async def assign_submit(request: Request, code: str, who: Actor = Who) -> Response:
    """Form: ``assignee`` (a name, empty for nobody), ``reason``, ``back`` (the queue page
    to return to, a local path). JSON call: ``POST /api/workflow/incidents/{code}/assign``."""
    form = await _form(request)
    try:
        wq.assign(store_of(request), who, code, form.get("assignee"), form.get("reason"))
    except PermissionDenied as exc:
        raise denied(exc) from exc
    return RedirectResponse(safe_next(form.get("back")), status_code=303)


# ---- JSON -------------------------------------------------------------------------------


class AssignIn(BaseModel):
    assignee: str | None = Field(
        None, max_length=100, description="A user who can edit; null or empty: nobody."
    )
    reason: str | None = Field(None, max_length=2000)


@api_router.get("/queue", responses=ERRORS, summary="The work queue: search, filter, page")
@guarded
def queue_json(
    request: Request,
    q: str = Query("", max_length=200, description="Words matching code, place or date."),
    status: str = Query("all", description="all, review (unpublished), conflict, published."),
    mine: bool = Query(False, description="Only incidents I edited, am assigned or submitted."),
    assigned: str | None = Query(None, max_length=100, description="A user's name, or none."),
    date_from: str | None = Query(None, description="YYYY-MM-DD"),
    date_to: str | None = Query(None, description="YYYY-MM-DD"),
    sort: str = Query("-date", description="-date (needs review first), date, code, -updated"),
    offset: int = 0,
    limit: int = 50,
    who: Actor = Who,
) -> dict[str, Any]:
    f = _query(who, q, status, mine, assigned, date_from, date_to, sort, offset, limit)
    out = wq.search(store_of(request), who, f)
    out["rows"] = [{k: v for k, v in r.items() if k != "id"} for r in out["rows"]]
    return out


@api_router.post(
    "/incidents/{code:path}/assign", responses=ERRORS, summary="Assign an incident to a user"
)
@guarded
def assign_json(request: Request, code: str, body: AssignIn, who: Actor = Who) -> dict[str, Any]:
    return wq.assign(store_of(request), who, code, body.assignee, body.reason)
