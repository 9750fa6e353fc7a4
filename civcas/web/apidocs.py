"""``/api/docs``: Swagger UI from this server, started by a served script (no inline script).

FastAPI's own docs page loads Swagger UI from a CDN and starts it with an inline
``<script>``; both are refused by the Content-Security-Policy (and nothing may load from
the internet at run time). The files come from the npm package ``swagger-ui-dist``
(``civcas/web/assets``), copied into ``static/vendor/swagger-ui`` by ``make assets``.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>civcas API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script>
</body>
</html>
"""


@router.get("/api/docs")
def api_docs() -> HTMLResponse:
    """The interactive API reference (the OpenAPI description is /openapi.json)."""
    return HTMLResponse(PAGE)
