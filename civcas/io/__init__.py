"""Readers and writers of exchange formats; every import goes through ``pipeline.run_import``.

Public surface:
- ``import_file(store, kind, path, mapping=..., actors=..., skip_invalid=..., reject_path=...,
  progress=...)`` for kinds ``airwars-archive``, ``ibc``, ``ucdp-ged`` and ``acled`` (with
  optional actor rules), ``csv`` (with a mapping), ``civcas-json`` (civcas's JSON export)
- ``export(store, fmt, filter, fh)`` for ``csv``, ``json``, ``geojson``, ``ucdp-ged``
- ``load_demo(store)``: the embedded Raqqa 2017 demo
"""

from .demo import load_demo
from .export import FORMATS, export
from .importers import KINDS, import_file
from .pipeline import ImportResult, Parsed, run_import

__all__ = [
    "FORMATS",
    "KINDS",
    "ImportResult",
    "Parsed",
    "export",
    "import_file",
    "load_demo",
    "run_import",
]
