"""The work queue: ``GET /work`` (moved out of ``pages``; issue 24 makes it a real queue)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from ...model.filters import IncidentFilter
from ...store import queries
from ...workflow import editing, fields
from ...workflow.roles import Actor, can
from .auth import actor, store_of
from .pages import _need, render

router = APIRouter(include_in_schema=False)
Who = Depends(actor)


@router.get("/work")
def work(request: Request, who: Actor = Who) -> Response:
    _need(who, "submit")
    store = store_of(request)
    if can(who.role, "read_unpublished"):
        rows = queries.list_incidents(
            store, IncidentFilter(include_unpublished=True), sort="-date", limit=200
        )
        rows = [r for r in rows if not r["published"]] + [r for r in rows if r["published"]]
    else:
        mine = set(editing.own_submissions(store, who))
        rows = [queries.get_incident(store, c, include_unpublished=True) for c in sorted(mine)]
    return render(request, "wf_work.html", {"rows": rows, "incident_fields": fields.INCIDENT})
