"""Multiple systems estimation: how many deaths did no list record?

Public surface:
- tables: :class:`CaptureTable`, :func:`read_overlap_csv`, :func:`capture_table_from_records`,
  :func:`read_linked_csv`
- :func:`estimate` (one table, one method: "loglinear", "lcmcr" or "dga"),
  :func:`estimate_strata` (per stratum, combined), :func:`estimate_linkages` (one table
  per linkage draw, combined), :func:`public` (JSON-ready result)
- building blocks: :func:`fit_model`, :func:`select_by_ic`, :func:`stepwise`,
  :func:`profile_ci`, :func:`lcmcr`, :func:`dga`, :func:`parse_model`,
  :func:`enumerate_models`; diagnostics: :func:`table_warnings`, :func:`disagreements`.
"""

from .api import METHODS, estimate, estimate_strata, public
from .dga import decomposable_graphs, dga
from .diagnostics import disagreements, table_warnings, too_sparse
from .lcmcr import LcmcrSettings, lcmcr
from .linkage import estimate_linkages
from .loglinear import LoglinFit, fit_model, fit_models, profile_ci, select_by_ic, stepwise
from .models import enumerate_models, format_model, parse_model
from .tables import (
    CaptureTable,
    capture_table_from_records,
    make_table,
    read_linked_csv,
    read_overlap_csv,
)

__all__ = [
    "METHODS",
    "CaptureTable",
    "LcmcrSettings",
    "LoglinFit",
    "capture_table_from_records",
    "decomposable_graphs",
    "dga",
    "disagreements",
    "enumerate_models",
    "estimate",
    "estimate_linkages",
    "estimate_strata",
    "fit_model",
    "fit_models",
    "format_model",
    "lcmcr",
    "make_table",
    "parse_model",
    "profile_ci",
    "public",
    "read_linked_csv",
    "read_overlap_csv",
    "select_by_ic",
    "stepwise",
    "table_warnings",
    "too_sparse",
]
