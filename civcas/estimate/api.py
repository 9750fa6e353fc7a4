"""One entry point per use: estimate a table, or estimate strata and combine them.

Results are plain dicts (JSON-ready once the private ``_``-prefixed keys are dropped with
:func:`public`): method, n_observed, N, ci95, model, n_missing, plus quantiles/rhat/ess for
the Bayesian methods and ``warnings`` in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..model.errors import CivcasError, InputError
from .bootstrap import bootstrap_totals, percentile_ci
from .dga import dga, quantiles
from .diagnostics import table_warnings, too_sparse
from .lcmcr import STOP_TIME, LcmcrSettings, lcmcr
from .loglinear import LoglinFit, fit_model, profile_interval, select_by_ic, stepwise, wald_ci
from .models import format_model, parse_model
from .tables import CaptureTable

METHODS = ("loglinear", "lcmcr", "dga")
PROBS = (0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975)
RHAT_BAD = 1.05
ESS_BAD = 200.0


def public(result: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON-ready part of a result (private keys dropped, recursively for strata)."""
    out: dict[str, Any] = {}
    for k, v in result.items():
        if k.startswith("_"):
            continue
        if k == "strata":
            v = [public(s) for s in v]
        out[k] = v
    return out


def _procedure(
    select: str | None, model: str | None, threshold: float, max_order: int | None, bic_n: str
) -> Callable[[CaptureTable], LoglinFit | None]:
    def run(table: CaptureTable) -> LoglinFit | None:
        if model is not None:
            return fit_model(table, parse_model(model, table.lists))
        if select == "stepwise":
            return stepwise(table, threshold)[0]
        return select_by_ic(table, select or "bic", max_order, bic_n=bic_n)[0]

    return run


def estimate(
    table: CaptureTable,
    method: str = "loglinear",
    *,
    model: str | None = None,
    select: str = "bic",
    threshold: float = 0.02,
    max_order: int | None = None,
    bic_n: str = "observed",
    bootstrap: int = 0,
    seed: int = 1,
    lcmcr_settings: LcmcrSettings | None = None,
    delta: float | None = None,
    prior: str = "inverse",
    nb_a: float = 1.0,
    nb_b: float = 1.0,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Estimate the total population of one capture table with one method."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}: choose {', '.join(METHODS)}")
    warnings = table_warnings(table)
    if (table.list_totals() == 0).any():
        raise InputError("a list has nobody on it; " + warnings[0])
    res: dict[str, Any] = {"method": method, "lists": list(table.lists)}
    res["n_observed"] = table.n_observed
    if method == "loglinear":
        _loglinear(
            res, table, model, select, threshold, max_order, bic_n, bootstrap, seed, progress
        )
    elif method == "lcmcr":
        s = lcmcr_settings or LcmcrSettings(seed=seed)
        r = lcmcr(table, s)
        draws = r.draws.ravel()
        _bayes(res, table, draws, f"LCMCR (K={s.K}, a={s.a}, b={s.b})")
        res.update(rhat=_num(r.rhat), ess=_num(r.ess), chains=int(r.draws.shape[0]))
        res["settings"] = {
            k: getattr(s, k)
            for k in ("K", "a", "b", "burnin", "samples", "thin", "chains", "seed")
            + (("ess_target", "max_seconds") if s.samples is None else ())
        }
        res["settings"]["engine"] = r.engine
        res["run"] = {
            "stopped": r.stopped,
            "iterations_per_chain": r.iterations,
            "draws": int(r.draws.size),
            "seconds": round(r.seconds, 3),
        }
        if r.stopped == STOP_TIME:
            warnings.append(
                f"the sampler stopped at the time limit ({s.max_seconds:g} s) with an effective "
                f"sample size of {r.ess:.0f}, short of the target {s.ess_target:.0f}: raise "
                "--max-time before trusting the interval."
            )
        elif not (r.rhat <= RHAT_BAD) or not (r.ess >= min(ESS_BAD, s.ess_target)):
            warnings.append(
                f"the sampler has not converged well (R-hat {r.rhat:.3f}, effective sample "
                f"size {r.ess:.0f}; want R-hat <= {RHAT_BAD} and ESS >= {ESS_BAD:.0f}): run "
                "longer (--burnin, --ess, or --samples and --thin) before trusting the interval."
            )
    else:
        d = dga(table, delta=delta, prior=prior, nb_a=nb_a, nb_b=nb_b)
        rng = np.random.default_rng(seed)
        draws = table.n_observed + rng.choice(d.n0, size=4000, p=d.post_n0)
        _bayes(res, table, None, "")
        q = quantiles(d, PROBS)
        res["quantiles"] = {str(p): table.n_observed + v for p, v in zip(PROBS, q, strict=True)}
        res["N"] = res["quantiles"]["0.5"]
        res["ci95"] = [res["quantiles"]["0.025"], res["quantiles"]["0.975"]]
        res["n_missing"] = res["N"] - table.n_observed
        order = np.argsort(-d.graph_weights)[:5]
        top = [
            {
                "model": _graph_name(d.graphs[i].cliques, table.lists),
                "weight": float(d.graph_weights[i]),
            }
            for i in order
        ]
        res["model"] = f"average of {len(d.graphs)} decomposable graphs (top: {top[0]['model']})"
        res["graphs"] = top
        res["rhat"], res["ess"] = None, None
        res["settings"] = {
            "delta": delta if delta is not None else 2.0**-table.J,
            "prior": prior,
            **({"a": nb_a, "b": nb_b} if prior == "negbin" else {}),
        }
        res["_draws"] = draws
        res["_posterior"] = (table.n_observed + d.n0, d.post_n0)
        if d.tail_mass > 1e-3:
            warnings.append(
                "the posterior of N reaches the end of the grid: it is barely "
                "bounded; the upper limit is not trustworthy."
            )
    res["warnings"] = warnings
    return res


def _loglinear(
    res: dict[str, Any],
    table: CaptureTable,
    model: str | None,
    select: str,
    threshold: float,
    max_order: int | None,
    bic_n: str,
    bootstrap: int,
    seed: int,
    progress: Callable[[int], None] | None,
) -> None:
    proc = _procedure(select, model, threshold, max_order, bic_n)
    fit = proc(table)
    assert fit is not None
    if not fit.exists:
        raise CivcasError(
            f"the maximum-likelihood estimate does not exist for model "
            f"{format_model(fit.model, table.lists)} on these data (some fitted counts would "
            "be pushed to zero): choose a simpler model or use --select."
        )
    res.update(N=fit.N, n_missing=fit.n_missing, model=format_model(fit.model, table.lists))
    res["selection"] = "fixed" if model is not None else select
    res.update(loglik=fit.loglik, aic=fit.aic, bic=fit.bic, k=fit.k)
    if fit.dropped:
        res["fixed_at_zero"] = [format_model((t,), table.lists) for t in fit.dropped]
    lo, hi, pmle = profile_interval(table, fit.model)
    res["profile_ci95"] = [lo, hi]
    res["profile_mle"] = pmle
    res["wald_ci95"] = list(wald_ci(table, fit))
    res["ci95"], res["ci_method"] = [lo, hi], "profile likelihood (model taken as known)"
    res["_fit"] = fit
    if bootstrap > 0:
        reps, failed = bootstrap_totals(table, fit, proc, bootstrap, seed, progress)
        blo, bhi = percentile_ci(reps)
        res["bootstrap_ci95"] = [blo, bhi]
        res["ci95"] = [blo, bhi]
        res["ci_method"] = f"parametric bootstrap, {bootstrap} replicates, percentile limits" + (
            ", model selection redone each time" if model is None else ""
        )
        res["bootstrap_failed"] = failed
        res["_draws"] = reps


def _bayes(res: dict[str, Any], table: CaptureTable, draws: np.ndarray | None, model: str) -> None:
    if draws is None:
        return
    qs = np.quantile(draws, PROBS)
    res["quantiles"] = {str(p): float(v) for p, v in zip(PROBS, qs, strict=True)}
    res["N"] = float(np.median(draws))
    res["ci95"] = [float(qs[0]), float(qs[-1])]
    res["n_missing"] = res["N"] - table.n_observed
    res["model"] = model
    res["_draws"] = draws


def _graph_name(cliques: tuple[int, ...], lists: tuple[str, ...]) -> str:
    parts = ["*".join(lists[j] for j in range(len(lists)) if c >> j & 1) for c in cliques]
    return " + ".join(sorted(parts, key=lambda p: (-p.count("*"), p)))


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def estimate_strata(
    tables: Mapping[str | None, CaptureTable], method: str = "loglinear", **kw: Any
) -> dict[str, Any]:
    """Estimate each stratum, then combine by summing draws (or bootstrap replicates).

    Strata too sparse to estimate are listed and contribute their observed count only
    (so the combined total is conservative for them, and says so).
    """
    if method == "loglinear" and not kw.get("bootstrap"):
        kw["bootstrap"] = 200
    strata: list[dict[str, Any]] = []
    sums: np.ndarray | None = None
    point = 0.0
    observed_only = 0
    rng = np.random.default_rng(kw.get("seed", 1))
    sparse = []
    for key, t in tables.items():
        why = too_sparse(t)
        if why:
            sparse.append(
                f"stratum {key}: {why}; not estimated (its {t.n_observed} observed "
                "people are added as they are)"
            )
            strata.append({"stratum": key, "n_observed": t.n_observed, "too_sparse": why})
            observed_only += t.n_observed
            continue
        try:
            r = estimate(t, method, **kw)
            draws = np.asarray(r["_draws"], dtype=np.float64)
            if draws.size == 0:
                raise CivcasError("no bootstrap replicate had an estimate")
        except CivcasError as exc:
            sparse.append(
                f"stratum {key}: no estimate ({exc}); its {t.n_observed} observed "
                "people are added as they are"
            )
            strata.append({"stratum": key, "n_observed": t.n_observed, "too_sparse": str(exc)})
            observed_only += t.n_observed
            continue
        r["stratum"] = key
        strata.append(r)
        draws = rng.choice(draws, size=4000, replace=True)
        sums = draws if sums is None else sums + draws
        point += r["N"]
    if sums is None:
        raise CivcasError("every stratum is too sparse to estimate: " + "; ".join(sparse))
    sums = sums + observed_only
    lists = next(iter(tables.values())).lists
    res: dict[str, Any] = {
        "method": method,
        "lists": list(lists),
        "n_observed": int(sum(t.n_observed for t in tables.values())),
        "N": point + observed_only if method == "loglinear" else float(np.median(sums)),
        "ci95": [float(np.quantile(sums, 0.025)), float(np.quantile(sums, 0.975))],
        "model": f"per stratum ({len(tables) - len(sparse)} estimated, {len(sparse)} too sparse)",
        "ci_method": "sum over strata of "
        + ("bootstrap replicates" if method == "loglinear" else "posterior draws"),
        "strata": strata,
        "warnings": sparse
        + [
            w
            for s in strata
            for w in (f"stratum {s['stratum']}: {x}" for x in s.get("warnings", []))
        ],
    }
    res["n_missing"] = res["N"] - res["n_observed"]
    if method != "loglinear":
        qs = np.quantile(sums, PROBS)
        res["quantiles"] = {str(p): float(v) for p, v in zip(PROBS, qs, strict=True)}
        res["rhat"] = max((s.get("rhat") or 0.0 for s in strata), default=None) or None
        res["ess"] = min((s["ess"] for s in strata if s.get("ess")), default=None)
    return res
