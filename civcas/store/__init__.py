"""Persistence: schema, migrations, queries. The only package that opens connections."""

from .engine import DEFAULT_DB, Store, resolve_url
from .writer import IncidentWriter, content_hash, finish_import, start_import

__all__ = [
    "DEFAULT_DB",
    "IncidentWriter",
    "Store",
    "content_hash",
    "finish_import",
    "resolve_url",
    "start_import",
]
