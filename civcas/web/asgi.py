"""``uvicorn civcas.web.asgi:app``: the app over the database named by CIVCAS_DB.

Used by `civcas serve` (so that ``--workers N`` can start N processes, each importing
this module and opening its own connections).
"""

from __future__ import annotations

from ..store.engine import Store
from .app import create_app

app = create_app(Store())
