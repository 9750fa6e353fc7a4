"""Parametric bootstrap for log-linear estimates, with the model selection redone each time.

Replicate tables are drawn as independent Poisson counts with the fitted means of the
chosen model on every observable cell; the whole procedure (selection included) is rerun
on each, so the interval reflects the uncertainty of choosing the model, not only of
fitting it. Limits are percentiles of the replicate totals.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .loglinear import LoglinFit, simulate_table
from .tables import CaptureTable

Procedure = Callable[[CaptureTable], LoglinFit | None]


def bootstrap_totals(
    table: CaptureTable,
    fit: LoglinFit,
    procedure: Procedure,
    B: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Replicate totals N* and the number of replicates where no estimate existed."""
    rng = np.random.default_rng(seed)
    out: list[float] = []
    failed = 0
    for b in range(B):
        rep = simulate_table(table, fit.mu, rng)
        try:
            f = procedure(rep)
        except Exception:  # a replicate with no estimable model
            f = None
        if f is None or not f.exists or not np.isfinite(f.N):
            failed += 1
        else:
            out.append(f.N)
        if progress:
            progress(b + 1)
    return np.asarray(out), failed


def percentile_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    if values.size == 0:
        return (float("nan"), float("nan"))
    lo, hi = np.quantile(values, [(1 - level) / 2, 1 - (1 - level) / 2])
    return (float(lo), float(hi))
