"""One answer, two forms: a page (Jinja2) or its JSON twin (``.json`` or ``Accept``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .. import __version__
from ..model.filters import IncidentFilter
from ..model.urls import safe_url
from ..report.links import install as install_links
from .basemap import configured as configured_basemap
from .i18n import LANGS, direction, translator
from .params import FILTER_PARAMS, BadParameter
from .scope_title import party_label

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
install_links(TEMPLATES.env)  # url_link(): href only through the URL allowlist
LANG_COOKIE = "civcas_lang"


def to_jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dt.date | dt.datetime):
        return obj.isoformat()
    return obj


def json_bytes(content: Any) -> bytes:
    text = json.dumps(to_jsonable(content), ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


class JSONOut(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else json_bytes(content)


def wants_json(request: Request) -> bool:
    if request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return first == "application/json" or (
        "application/json" in accept and "text/html" not in accept
    )


def language(request: Request) -> str:
    raw = request.query_params.get("lang")
    if raw is not None:
        if raw not in LANGS:
            raise BadParameter("lang", f"parameter 'lang': {raw!r}; expected one of en, ar")
        return raw
    cookie = request.cookies.get(LANG_COOKIE)
    return cookie if cookie in LANGS else "en"


def filter_query(request: Request) -> dict[str, str]:
    """The current filter as it appears in the URL (kept by every link)."""
    out: dict[str, str] = {}
    for name in FILTER_PARAMS:
        values = [v for v in request.query_params.getlist(name) if v.strip()]
        if values:
            out[name] = ",".join(values)
    return out


def here(request: Request) -> str:
    """This page's path, safe to put back in a link: one leading ``/`` (never ``//host``
    or ``/\\host``, which a browser would follow off the site), percent-encoded."""
    path = "/" + request.url.path.lstrip("/\\")
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    return path if safe_url(path) else "/"


def page(
    request: Request,
    template: str,
    data: dict[str, Any],
    status: int = 200,
    extra: Callable[[Callable[..., str]], dict[str, Any]] | None = None,
    cache: IncidentFilter | None = None,
) -> Response:
    """Render ``template`` with ``data``, or return ``data`` as JSON when asked for.

    ``extra(t)`` adds what only the page needs (charts with translated labels). With
    ``cache`` (the page's filter) the rendered page is kept per (language, query, data
    version): public pages carry nothing about the person asking.
    """
    lang = language(request)  # validated for the JSON twin too
    if wants_json(request):
        return JSONOut(data, status_code=status)
    t = translator(lang)
    q = filter_query(request)

    def link(path: str, **extra: Any) -> str:
        params = {**q, **{k: str(v) for k, v in extra.items() if v is not None}}
        return path + ("?" + urlencode(params) if params else "")

    other = "ar" if lang == "en" else "en"
    switch = dict(request.query_params)
    switch["lang"] = other
    path = here(request)
    ctx = {
        "request": request,
        "t": t,
        "lang": lang,
        "dir": direction(lang),
        "q": q,
        "link": link,
        "quote": lambda s: quote(str(s), safe="/"),
        "here": path,
        "switch_url": path + "?" + urlencode(switch),
        "version": __version__,
        "tile_url": request.app.state.service.tile_url,
        "basemap": configured_basemap(),  # the offline PMTiles basemap, if any
        "choices": request.app.state.service.choices,  # the filters' lists (_filters.html)
        "party_label": lambda name: party_label(name, lang),
        "data": data,
        **data,
        **(extra(t) if extra else {}),
    }
    if cache is not None and status == 200:
        body = request.app.state.service.memo(
            f"html:{template}:{lang}:{request.url.query}",
            cache,
            lambda: TEMPLATES.get_template(template).render(ctx).encode("utf-8"),
        )
        resp = HTMLResponse(body)
    else:
        resp = TEMPLATES.TemplateResponse(request, template, ctx, status_code=status)
    if request.query_params.get("lang") in LANGS:
        resp.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return resp
