"""Record linkage: victims across lists (Splink on DuckDB or Spark), incidents across sources.

Public surface:
- normalisation: ``normalise_arabic``, ``transliterate``, ``skeleton``, ``name_chain``
- linking: ``link_records`` (data frame), ``link_files``, ``link_from_db``, ``Thresholds``
- evaluation: ``evaluate`` (pairwise and cluster precision/recall/F1)
- simulation: ``simulate_lists``, ``write_lists``
- incidents: ``cluster_incidents``

Splink, DuckDB and pandas are imported when a linking function is first used.
"""

from __future__ import annotations

from typing import Any

from .normalise import name_chain, normalise_arabic, normalise_latin, skeleton, transliterate

_LAZY = {
    "link_records": "pipeline", "link_generic": "pipeline", "LinkResult": "pipeline",
    "Thresholds": "thresholds", "link_files": "run", "link_from_db": "run", "link_and_store": "run",
    "evaluate": "evaluate", "Scores": "evaluate", "simulate_lists": "simulate",
    "write_lists": "simulate", "cluster_incidents": "incidents",
}  # fmt: skip

__all__ = ["name_chain", "normalise_arabic", "normalise_latin", "skeleton", "transliterate", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        try:
            mod = importlib.import_module(f".{_LAZY[name]}", __name__)
        except ImportError as exc:
            from ..model.errors import MissingExtraError

            raise MissingExtraError(exc.name or "splink", "link") from exc
        return getattr(mod, name)
    raise AttributeError(name)
