"""One estimate over several draws of the linkage (civcas link --for-estimation).

A capture table from one linkage treats who-is-who as known; its interval ignores that
missed and false links move the estimate (by 1-3% between thresholds 0.3 and 0.5 on
12,000 people, about the interval's own width: docs/link.md, End to end). Estimating on
each draw and combining is multiple imputation of the linkage: for the Bayesian methods
the posterior draws of all linkages are pooled (a mixture over linkages, as in a joint
model); for log-linear, Rubin's rules on log N with the profile interval's width as the
within-draw variance.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..model.errors import InputError
from .api import PROBS, estimate
from .tables import CaptureTable


def estimate_linkages(
    tables: Sequence[CaptureTable], method: str = "loglinear", **kw: Any
) -> dict[str, Any]:
    """Estimate each table (one per linkage draw) with ``method`` and combine them."""
    if len(tables) < 2:
        raise InputError(
            "need at least two linkage draws to combine (civcas link --for-estimation)"
        )
    seed = int(kw.pop("seed", 1))
    runs = [estimate(t, method, seed=seed + i, **kw) for i, t in enumerate(tables)]
    n_obs = np.array([r["n_observed"] for r in runs], dtype=float)
    point = np.array([r["N"] for r in runs], dtype=float)
    res: dict[str, Any] = {"method": method, "lists": runs[0]["lists"]}
    res["n_observed"] = int(round(float(np.median(n_obs))))
    if method == "loglinear":
        log_n = np.log(point)
        within = np.array([(math.log(r["ci95"][1]) - math.log(r["ci95"][0])) / 3.92 for r in runs])
        w, b, m = float(np.mean(within**2)), float(np.var(log_n, ddof=1)), len(runs)
        total = w + (1 + 1 / m) * b
        df = (m - 1) * (1 + w / ((1 + 1 / m) * b)) ** 2 if b > 0 else math.inf
        from scipy import stats  # lazily: scipy.stats costs 0.8 s of start-up

        half = float(stats.t.ppf(0.975, df)) * math.sqrt(total)
        centre = float(np.mean(log_n))
        res["N"] = math.exp(centre)
        res["ci95"] = [math.exp(centre - half), math.exp(centre + half)]
        res["ci_method"] = (
            f"Rubin's rules over {m} linkage draws (log N; each draw's profile-likelihood "
            f"interval as its variance); share of the variance from the linkage "
            f"{(1 + 1 / m) * b / total:.0%}"
        )
        # for plots: the combined distribution of N (log-normal with the total variance)
        res["_draws"] = np.exp(np.random.default_rng(seed).normal(centre, math.sqrt(total), 4000))
    else:
        size = min(len(r["_draws"]) for r in runs)
        pooled = np.concatenate([np.asarray(r["_draws"], dtype=float)[:size] for r in runs])
        qs = np.quantile(pooled, PROBS)
        res["quantiles"] = {str(p): float(v) for p, v in zip(PROBS, qs, strict=True)}
        res["N"] = float(np.median(pooled))
        res["ci95"] = [float(qs[0]), float(qs[-1])]
        res["ci_method"] = f"posterior draws pooled over {len(runs)} linkage draws"
        res["_draws"] = pooled
    res["n_missing"] = res["N"] - res["n_observed"]
    res["model"] = Counter(str(r["model"]) for r in runs).most_common(1)[0][0]
    res["linkage_draws"] = {
        "draws": len(runs),
        "N": [float(point.min()), float(np.median(point)), float(point.max())],
        "observed": [int(n_obs.min()), int(n_obs.max())],
    }
    res["warnings"] = list(dict.fromkeys(w for r in runs for w in r["warnings"]))
    return res
