"""Render public pages in-process through the real app: the site is what `civcas serve`
shows, with no second set of templates.

Summary pages go through the app itself (a Starlette test client: the same routes,
middleware and templates as a browser's request). Incident pages are the bulk of a site
(thousands), so each is fetched once through the app's own route function for its JSON
twin (``civcas.web.pages.incident_page``, called directly: no HTTP round trip) and
that data is rendered in each language by the page function the route itself uses
(``civcas.web.render.page`` with ``INCIDENT_TEMPLATE``); tests/publish checks both paths
give the same page.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request

from ..model.filters import IncidentFilter
from ..store.engine import Store

INCIDENT_TEMPLATE = "incident.html"


class RenderError(RuntimeError):
    """A page the app refused to render (its status and body say why)."""


class AppRenderer:
    """The live app, asked for pages without a network."""

    def __init__(self, store: Store, f: IncidentFilter) -> None:
        import warnings

        with warnings.catch_warnings():  # starlette's note on httpx, not ours to act on
            warnings.simplefilter("ignore")
            from fastapi.testclient import TestClient

        from ..web.app import create_app

        self.app = create_app(store, cache_ttl=3600.0)
        self.client = TestClient(self.app, base_url="http://civcas.invalid")
        self.filter_params = f.as_params()

    def stamp(self, stamp: dict[str, Any]) -> None:
        self.app.state.site_stamp = stamp

    def get(self, path: str, lang: str | None = None, **params: Any) -> bytes:
        """The body of ``path`` with the publish filter (and ``params``) in its query."""
        q = {**self.filter_params, **{k: str(v) for k, v in params.items() if v is not None}}
        if lang is not None:
            q["lang"] = lang
        url = path + ("?" + urlencode(q) if q else "")
        r = self.client.get(url)
        if r.status_code != 200:
            raise RenderError(f"GET {url}: {r.status_code} {r.text[:300]}")
        return r.content

    # --- incident pages, one database read each ------------------------------------

    def _request(self, path: str, query: dict[str, str]) -> Request:
        scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "raw_path": quote(path).encode(),
            "root_path": "",
            "scheme": "http",
            "server": ("civcas.invalid", 80),
            "client": ("127.0.0.1", 0),
            "query_string": urlencode(query).encode(),
            "headers": [(b"host", b"civcas.invalid"), (b"accept", b"text/html")],
            "app": self.app,
        }
        return Request(scope)

    def incident_json(self, code: str) -> bytes:
        """The incident's JSON twin, from the app's own route."""
        from ..web.pages import incident_page

        path = "/incidents/" + code + ".json"
        # the route strips one ".json" from its path parameter, as the router hands it
        out = incident_page(self._request(path, {}), code + ".json")
        if out.status_code != 200:
            raise RenderError(f"{path}: {out.status_code}")
        return bytes(out.body)

    def incident_html(self, code: str, data: dict[str, Any], lang: str) -> bytes:
        """The incident page in ``lang`` from its JSON twin (the page's own data)."""
        from ..web.render import page

        path = "/incidents/" + code
        resp = page(self._request(path, {"lang": lang}), INCIDENT_TEMPLATE, data)
        return bytes(resp.body)


def loads(body: bytes) -> Any:
    return json.loads(body)
