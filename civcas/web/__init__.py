"""The web app: an adapter over the library (server-rendered pages, JSON twins, JSON API).

Public surface: ``create_app(store) -> FastAPI``. Run it with ``civcas serve``.
"""

from .app import create_app

__all__ = ["create_app"]
