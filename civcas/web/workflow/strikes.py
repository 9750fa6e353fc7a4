"""The matcher's strike suggestions in the work area (issue 20): JSON under
/api/workflow/strikes, the page /work/strikes. Researchers and above see and decide
them (``read_unpublished`` to see, ``edit`` to decide); accepting one is an incident
edit through civcas.workflow.editing (audited, versioned, publication gate)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from ...model.errors import CivcasError, ConflictError, InputError, NotFoundError
from ...strikes import review
from ...workflow.roles import Actor, PermissionDenied, require
from .api import ERRORS, Who, conflicts_as_409
from .auth import denied, guarded, store_of
from .pages import _form, _need, render

router = APIRouter()
STATES = ("pending", "accepted", "rejected", "all")


class DecideIn(BaseModel):
    status: str | None = Field(
        None, description="The strike status to set (default: the suggested one)."
    )
    reason: str | None = Field(None, max_length=10_000)
    expected_version: int | None = Field(None, description="The incident version you saw.")


def _state(state: str) -> str | None:
    if state not in STATES:
        raise HTTPException(400, f"parameter 'state': expected one of {', '.join(STATES)}")
    return None if state == "all" else state


def _list(request: Request, who: Actor, state: str) -> list[dict[str, Any]]:
    require(who, "read_unpublished")
    return review.list_suggestions(store_of(request), _state(state))


def _decide(request: Request, who: Actor, sid: int, accept: bool, body: DecideIn) -> dict[str, Any]:
    try:
        return review.decide(
            store_of(request),
            who,
            sid,
            accept=accept,
            status=body.status or None,
            reason=body.reason,
            expected_version=body.expected_version,
        )
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    except InputError as exc:
        raise HTTPException(400, str(exc)) from exc
    except ConflictError as exc:
        if hasattr(exc, "to_json"):
            raise
        raise HTTPException(409, str(exc)) from exc


@router.get(
    "/api/workflow/strikes/suggestions",
    responses=ERRORS,
    summary="The matcher's strike-status suggestions (pending; ?state=accepted|rejected|all)",
    tags=["workflow"],
)
@guarded
def list_suggestions(
    request: Request, state: str = "pending", who: Actor = Who
) -> list[dict[str, Any]]:
    return _list(request, who, state)


@router.post(
    "/api/workflow/strikes/suggestions/{sid}/accept",
    responses=ERRORS,
    summary="Accept a suggestion: sets the incident's strike status (an audited edit)",
    tags=["workflow"],
)
@guarded
@conflicts_as_409
def accept(request: Request, sid: int, body: DecideIn, who: Actor = Who) -> dict[str, Any]:
    return _decide(request, who, sid, True, body)


@router.post(
    "/api/workflow/strikes/suggestions/{sid}/reject",
    responses=ERRORS,
    summary="Reject a suggestion (the incident is not changed)",
    tags=["workflow"],
)
@guarded
@conflicts_as_409
def reject(request: Request, sid: int, body: DecideIn, who: Actor = Who) -> dict[str, Any]:
    return _decide(request, who, sid, False, body)


# ---- the page -------------------------------------------------------------------------


@router.get("/work/strikes", include_in_schema=False)
def page(request: Request, state: str = "pending", who: Actor = Who) -> Response:
    _need(who, "read_unpublished")
    rows = review.list_suggestions(store_of(request), _state(state))
    return render(request, "wf_strikes.html", {"rows": rows, "state": state, "states": STATES})


async def _page_decide(request: Request, sid: int, accept: bool, who: Actor) -> Response:
    _need(who, "edit")
    form = await _form(request)
    version = form.get("expected_version", "")
    body = DecideIn(
        status=form.get("status") or None,
        reason=form.get("reason") or None,
        expected_version=int(version) if version.isdigit() else None,
    )
    try:
        _decide(request, who, sid, accept, body)
    except PermissionDenied as exc:
        raise denied(exc) from exc
    except CivcasError as exc:
        raise HTTPException(409, str(exc)) from exc
    return RedirectResponse("/work/strikes", status_code=303)


@router.post("/work/strikes/{sid}/accept", include_in_schema=False)
async def page_accept(request: Request, sid: int, who: Actor = Who) -> Response:
    return await _page_decide(request, sid, True, who)


@router.post("/work/strikes/{sid}/reject", include_in_schema=False)
async def page_reject(request: Request, sid: int, who: Actor = Who) -> Response:
    return await _page_decide(request, sid, False, who)
