"""The JSON API (described at /openapi.json): summary, incident list, one incident."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from ..store.queries import get_incident, list_incidents
from .params import FILTER_PARAMS, read_filter, read_int, read_sort, reject_unknown
from .render import JSONOut, json_bytes
from .shape import public

router = APIRouter(prefix="/api", tags=["api"])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "A bad parameter; `error.parameter` names it."},
    404: {"description": "No such incident."},
}


def _filter_doc(fn: Any) -> Any:
    return fn


# The parameters are declared (for OpenAPI) as plain strings and parsed by params.py, so
# a bad value is a 400 naming the parameter rather than FastAPI's 422.
FromQ = Query(None, alias="from", description="First date, YYYY-MM-DD (inclusive).")
ToQ = Query(None, alias="to", description="Last date, YYYY-MM-DD (inclusive).")
BellQ = Query(None, description="A suspected belligerent (case-insensitive).")
GovQ = Query(None, description="Governorate, English or Arabic name.")
GradesQ = Query(None, description="Comma-separated grades, e.g. Confirmed,Fair.")
NearQ = Query(None, description="LAT,LON,KM: within KM of a point.")


@router.get(
    "/summary",
    responses=ERRORS,
    summary="Documented totals; each party's likely deaths vs the deaths it conceded",
)
async def summary(
    request: Request,
    date_from: str | None = FromQ,
    date_to: str | None = ToQ,
    belligerent: str | None = BellQ,
    governorate: str | None = GovQ,
    grades: str | None = GradesQ,
    near: str | None = NearQ,
) -> JSONOut:
    """Exactly the object `civcas tally --json` prints for the same filter: `conceded` and
    `ratio_likely_to_conceded` only when `belligerent` names a party (else null), and
    `by_belligerent` with one comparison per party that answered, each with its coverage
    (docs/tally.md)."""
    reject_unknown(request, FILTER_PARAMS)
    f = read_filter(request)
    service = request.app.state.service
    return JSONOut(await service.amemo("summary-json", f, lambda: json_bytes(service.summary(f))))


@router.get("/incidents", responses=ERRORS, summary="Incidents, filtered, sorted and paged")
async def incidents(
    request: Request,
    date_from: str | None = FromQ,
    date_to: str | None = ToQ,
    belligerent: str | None = BellQ,
    governorate: str | None = GovQ,
    grades: str | None = GradesQ,
    near: str | None = NearQ,
    limit: str | None = Query(None, description="Page size, 1..500 (default 50)."),
    offset: str | None = Query(None, description="Rows to skip (default 0)."),
    sort: str | None = Query(
        None,
        description="date, code, killed_min, killed_max, grade, location, governorate; "
        "prefix - to reverse.",
    ),
) -> JSONOut:
    reject_unknown(request, (*FILTER_PARAMS, "limit", "offset", "sort"))
    f = read_filter(request)
    lim = read_int(request, "limit", 50, 1, 500)
    off = read_int(request, "offset", 0, 0, 10**9)
    srt = read_sort(request)
    service = request.app.state.service

    def compute() -> bytes:
        rows = list_incidents(service.store, f, sort=srt, limit=lim, offset=off)
        return json_bytes(  # count() is cached too; both run in the thread pool
            {
                "filter": f.as_params(),
                "total": service.count(f),
                "limit": lim,
                "offset": off,
                "sort": srt,
                "incidents": [public(r) for r in rows],
            }
        )

    return JSONOut(await service.amemo(f"api-list:{srt}:{lim}:{off}", f, compute))


@router.get("/incidents/{code:path}", responses=ERRORS, summary="One incident, in full")
def incident(request: Request, code: str) -> JSONOut:
    """With its sources, victims, belligerent assessments and statements."""
    reject_unknown(request, ())
    from ..strikes.service import declared_nearby

    store = request.app.state.service.store
    raw = get_incident(store, code)
    inc = public(raw)
    inc["declared_strikes"] = declared_nearby(store, inc["code"], incident=raw)  # issue 20
    return JSONOut(inc)
