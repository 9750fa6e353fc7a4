"""The public pages; each one's JSON twin is the same path with ``.json`` (or ``Accept``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from .. import __version__
from ..link.name_search import search_victims
from ..model.vocab import GRADE_DEFINITIONS, LIKELY_GRADES, Grade, LocationPrecision
from ..report.figures import GRADE_ORDER
from ..report.svg import comparison_chart, likely_by_month, monthly_chart
from ..store.queries import (
    SORTABLE,
    count_incidents,
    get_incident,
    list_incidents,
)
from ..strikes.service import declared_nearby
from ..tally import rules
from ..tally.calendar import min_date
from .incident_view import reader_view
from .params import read_filter, read_int, read_sort, read_text
from .render import JSONOut, json_bytes, language, page, wants_json
from .scope_title import scope_title
from .shape import public

router = APIRouter()
POINT_FIELDS = [
    "code", "latitude", "longitude", "precision", "grade", "killed_min", "killed_max",
    "date", "location",
]  # fmt: skip


def chart_labels(t: Callable[..., str], title: str) -> dict[str, str]:
    out = {g.value: t(g.value) for g in Grade}
    out.update(
        title=t(title),
        Ungraded=t("Ungraded"),
        likely=t("likely_legend"),
        conceded=t("conceded_legend"),
        max=t("max_legend"),
        empty=t("no_results"),
    )
    return out


def _pair(path: str) -> list[str]:
    return [path, path.rstrip("/") + ".json" if path != "/" else "/index.json"]


def _route(paths: list[str], name: str) -> Callable[[Any], Any]:
    def deco(fn: Any) -> Any:
        for p in paths:
            router.add_api_route(
                p,
                fn,
                methods=["GET"],
                name=f"{name}{p}",
                tags=["pages"],
                include_in_schema=p.endswith(".json"),
            )
        return fn

    return deco


@_route(["/", "/index.json", "/dashboard", "/dashboard.json"], "dashboard")
async def dashboard(request: Request) -> Response:
    """Headline, monthly chart by grade, comparison with admissions, map."""
    f = read_filter(request)
    service = request.app.state.service
    fig = await service.afigures(f)
    if wants_json(request):
        language(request)  # a bad ?lang= is still a 400
        return JSONOut(
            service.memo(
                "dashboard-json", f, lambda: json_bytes({"filter": f.as_params(), **fig.to_json()})
            )
        )
    data = {"filter": f.as_params(), **fig.to_json()}

    def charts(t: Callable[..., str]) -> dict[str, Any]:
        def draw() -> dict[str, str]:
            likely = likely_by_month(fig.month_grade, fig.summary["likely"]["grades"])
            return {
                "monthly_svg": monthly_chart(fig.month_grade, chart_labels(t, "monthly_title")),
                "comparison_svg": comparison_chart(
                    fig.summary,
                    likely,
                    {**chart_labels(t, "comparison_title"), "all": t("killed_any_grade")},
                    likely_by_month(fig.month_grade, GRADE_ORDER),  # the scale: any grade
                ),
            }

        drawn = service.memo(f"charts-{t('switch_lang')}", f, draw)
        if fig.strikes_monthly:  # issue 20
            from ..strikes.chart import monthly_svg

            keys = ("declared_strikes", "alleged_incidents", "likely_deaths_max")
            labels = {"title": t("strikes_monthly_title"), **{k: t(k) for k in keys}}
            drawn = {**drawn, "strikes_svg": monthly_svg(fig.strikes_monthly, labels)}
        heading = scope_title(f, fig.summary, service.choices(), t, language(request))
        return {**drawn, "grades_all": [g.value for g in Grade], "scope": heading}

    return page(request, "dashboard.html", data, extra=charts, cache=f)


@_route(_pair("/map"), "map")
def map_page(request: Request) -> Response:
    """Every located incident; the page draws them with Leaflet over offline outlines."""
    f = read_filter(request)
    service = request.app.state.service
    data: dict[str, Any] = {
        "filter": f.as_params(),
        "tile_url": service.tile_url,
        "fields": POINT_FIELDS,
    }
    if wants_json(request):  # the page itself fetches the points from its twin
        data["points"] = service.points(f)
    return page(request, "map.html", data, extra=lambda t: {"grades_all": [g.value for g in Grade]})


@_route(_pair("/incidents"), "incidents")
async def incidents_page(request: Request) -> Response:
    f = read_filter(request)
    limit = read_int(request, "limit", 50, 1, 500)
    offset = read_int(request, "offset", 0, 0, 10**9)
    sort = read_sort(request, "date")
    service = request.app.state.service
    rows = await service.amemo(
        f"list:{sort}:{limit}:{offset}",
        f,
        lambda: [
            public(r)
            for r in list_incidents(service.store, f, sort=sort, limit=limit, offset=offset)
        ],
    )
    data = {
        "filter": f.as_params(),
        "total": await service.amemo("count", f, lambda: count_incidents(service.store, f)),
        "limit": limit,
        "offset": offset,
        "sort": sort,
        "incidents": rows,
    }
    return page(
        request,
        "incidents.html",
        data,
        extra=lambda t: {"sortable": sorted(SORTABLE), "grades_all": [g.value for g in Grade]},
        cache=f,
    )


@router.get("/incidents/{code:path}", tags=["pages"], include_in_schema=False)
def incident_page(request: Request, code: str) -> Response:
    if code.endswith(".json"):
        code = code[: -len(".json")]
    service = request.app.state.service
    store = service.store
    raw = get_incident(store, code)
    inc = reader_view(service, raw, public(raw))  # issue 19: what a reader needs besides
    inc["declared_strikes"] = declared_nearby(store, inc["code"], incident=raw)  # issue 20
    return page(request, "incident.html", {"incident": inc})


@_route(_pair("/victims"), "victims")
def victims_page(request: Request) -> Response:
    f = read_filter(request)
    q = read_text(request, "q")
    limit = read_int(request, "limit", 100, 1, 500)
    offset = read_int(request, "offset", 0, 0, 10**9)
    total, rows = search_victims(request.app.state.service.store, f, q, limit=limit, offset=offset)
    data = {
        "filter": f.as_params(),
        "query": q,
        "total": total,
        "limit": limit,
        "offset": offset,
        "victims": [public(r) for r in rows],
    }
    return page(
        request,
        "victims.html",
        data,
        extra=lambda t: {"grades_all": [g.value for g in Grade], "query": q},
    )


def methodology_data() -> dict[str, Any]:
    return {
        "likely_grades": [g.value for g in LIKELY_GRADES],
        "grade_definitions": {g.value: d for g, d in GRADE_DEFINITIONS.items()},
        "rules": rules(LIKELY_GRADES, None),
        "location_precision": [p.value for p in LocationPrecision],
        "inclusion": "Only incidents marked published are shown, counted or downloaded. "
        "Each incident is counted once, under its own grade; filters select incidents by "
        "their first date, any suspected belligerent, and governorate.",
        "software_version": __version__,
        "min_date": min_date().isoformat(),  # the calendar's earliest date (Arabic rules)
    }


@_route(_pair("/downloads"), "downloads")
def downloads_page(request: Request) -> Response:
    f = read_filter(request)
    summary = request.app.state.service.summary(f)
    data = {
        "filter": f.as_params(),
        "incidents": summary["incidents"],
        "snapshot_sha256": summary["snapshot_sha256"],
        "software_version": __version__,
        "formats": {fmt: f"/downloads/incidents.{fmt}" for fmt in ("csv", "geojson", "json")},
        "methodology": methodology_data(),
    }
    return page(
        request, "downloads.html", data, extra=lambda t: {"grades_all": [g.value for g in Grade]}
    )


@_route(_pair("/methodology"), "methodology")
def methodology_page(request: Request) -> Response:
    return page(request, "methodology.html", methodology_data())
