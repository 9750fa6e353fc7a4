"""A picture of the estimate: the profile likelihood of N, or its posterior."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..model.errors import MissingExtraError
from .loglinear import profile_loglik
from .tables import CaptureTable


def plot_result(result: dict[str, Any], table: CaptureTable | None, path: str | Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError("matplotlib", "estimate") from None
    fig, ax = plt.subplots(figsize=(7, 4))
    lo, hi = result["ci95"]
    if "_posterior" in result:
        x, p = result["_posterior"]
        keep = p > p.max() * 1e-4
        ax.plot(x[keep], p[keep], color="C0")
        ax.set_ylabel("posterior probability")
    elif result["method"] != "loglinear" or "_fit" not in result or table is None:
        ax.hist(np.asarray(result["_draws"]), bins=60, color="C0", alpha=0.8)
        ax.set_ylabel("posterior draws")
    else:
        fit = result["_fit"]
        plo, phi = result["profile_ci95"]
        n_obs = table.n_observed
        span = (phi - plo) if np.isfinite(phi) else fit.n_missing
        grid = np.linspace(max(plo - 0.3 * span, n_obs + 1e-3), plo + 1.3 * span, 80) - n_obs
        ll = np.array([profile_loglik(table, fit.model, float(g))[0] for g in grid])
        ax.plot(grid + n_obs, ll - ll.max(), color="C0")
        ax.axhline(-1.920729, color="grey", ls=":", lw=1)
        ax.set_ylabel("profile log-likelihood (relative)")
    ax.axvline(result["N"], color="C3", lw=1.5, label=f"N = {result['N']:,.0f}")
    for v in (lo, hi):
        if v is not None and np.isfinite(v):
            ax.axvline(v, color="C3", ls="--", lw=1)
    ax.axvline(result["n_observed"], color="k", lw=1, label=f"observed {result['n_observed']:,}")
    ax.set_xlabel("total population N")
    ax.set_title(f"{result['method']}: {result.get('model', '')}"[:90], fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
