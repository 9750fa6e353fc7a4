"""Log-linear models on the incomplete 2^J table: fits, AIC/BIC search, CSV stepwise.

Conventions (METHODS-MSE.md): N = n_obs + exp(intercept); a term whose overlap total is 0
is fixed at -inf (extended MLE: its cells are left out of the fit); a model whose MLE does
not exist otherwise, or whose design is rank-deficient on the kept cells, is refused.
AIC/BIC use the Poisson log-likelihood with its -log(y!) terms and count every parameter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

from .glm import fit_batch, mle_exists
from .models import Model, enumerate_models, pairwise_terms
from .special import poisson_cdf, poisson_sf
from .tables import CaptureTable

CHUNK = 2048


def _two_sided_poisson(k: int, lam: float) -> float:
    """min(P(X <= k), P(X >= k)) for X ~ Poisson(lam)."""
    return min(poisson_cdf(k, lam), poisson_sf(k, lam))


@dataclass
class LoglinFit:
    model: Model
    exists: bool
    N: float = math.nan
    n_missing: float = math.nan
    loglik: float = math.nan
    k: int = 0
    aic: float = math.inf
    bic: float = math.inf
    mu: np.ndarray = field(default_factory=lambda: np.zeros(0))  # fitted, cells 1..2^J-1
    beta: np.ndarray = field(default_factory=lambda: np.zeros(0))
    dropped: tuple[int, ...] = ()  # terms fixed at -inf


def _all_columns(J: int) -> np.ndarray:
    """(2^J, 2^J): column t indicates the cells containing term t (t = 0: intercept)."""
    w = np.arange(2**J)[:, None]
    t = np.arange(2**J)[None, :]
    return ((w & t) == t).astype(np.float64)


def heterogeneity_column(J: int, kind: str) -> np.ndarray:
    """Extra column over all 2^J cells for Rcapture-style heterogeneity models (Mth).

    darroch: k^2 / 2 with k the number of lists a pattern is on (Darroch et al. 1993).
    """
    k = np.array([bin(w).count("1") for w in range(2**J)], dtype=np.float64)
    if kind == "darroch":
        return k**2 / 2.0
    from ..model.errors import InputError

    raise InputError(f"unknown heterogeneity {kind!r}: use 'darroch'")


def _prepare(
    table: CaptureTable,
    models: Sequence[Model],
    complete: bool = False,
    heterogeneity: str | None = None,
):  # type: ignore[no-untyped-def]
    J = table.J
    cells = np.arange(0 if complete else 1, 2**J)
    Xall = _all_columns(J)
    if heterogeneity:
        Xall = np.hstack([Xall, heterogeneity_column(J, heterogeneity)[:, None]])
    Xall = Xall[cells]
    overlap = np.array([table.overlap(t) if t else table.n_observed for t in range(2**J)])
    P = 1 + J + max((len(m) for m in models), default=0) + (1 if heterogeneity else 0)
    M = len(models)
    cols = np.zeros((M, P), dtype=np.int64)
    colmask = np.zeros((M, P), dtype=bool)
    cellmask = np.ones((M, len(cells)), dtype=bool)
    dropped: list[tuple[int, ...]] = []
    base = [1 << j for j in range(J)]
    for i, m in enumerate(models):
        d = tuple(t for t in m if overlap[t] == 0)
        kept = [0] + base + [t for t in m if overlap[t] > 0]
        if heterogeneity:
            kept.append(2**J)
        cols[i, : len(kept)] = kept
        colmask[i, : len(kept)] = True
        for t in d:
            cellmask[i] &= (cells & t) != t
        dropped.append(d)
    X = Xall[:, cols].transpose(1, 0, 2)  # (M, C, P)
    return X, colmask, cellmask, dropped, cells, cols


def fit_models(
    table: CaptureTable,
    models: Sequence[Model],
    bic_n: str = "observed",
    heterogeneity: str | None = None,
) -> list[LoglinFit]:
    """Fit every model (batched); models whose MLE does not exist come back exists=False."""
    out: list[LoglinFit] = []
    y_all = table.counts[1:].astype(np.float64)
    n = table.n_observed if bic_n == "observed" else 2**table.J - 1
    cache: dict[tuple[bytes, bytes, bool], bool] = {}
    for start in range(0, len(models), CHUNK):
        chunk = list(models[start : start + CHUNK])
        X, colmask, cellmask, dropped, _, cols = _prepare(table, chunk, False, heterogeneity)
        fit = fit_batch(y_all, X, colmask, cellmask)
        for i, m in enumerate(chunk):
            kept_cells = cellmask[i]
            yi = y_all[kept_cells]
            zero = yi == 0
            min_zero = float(fit.mu[i][kept_cells][zero].min()) if zero.any() else 1.0
            if not fit.converged[i] and min_zero < 1e-10:
                # Newton is running off to the boundary: each step divides a fitted value
                # at a zero cell by about e, which happens only when no finite MLE exists.
                out.append(LoglinFit(model=m, exists=False, dropped=dropped[i]))
                continue
            need_lp = not fit.converged[i] or min_zero < 1e-4
            if need_lp or dropped[i]:
                key = (cols[i][colmask[i]].tobytes(), kept_cells.tobytes(), need_lp)
                if key not in cache:
                    Xi = X[i][kept_cells][:, colmask[i]]
                    if need_lp:
                        cache[key] = mle_exists(Xi, yi)
                    else:
                        cache[key] = bool(np.linalg.matrix_rank(Xi) == Xi.shape[1])
                if not cache[key]:
                    out.append(LoglinFit(model=m, exists=False, dropped=dropped[i]))
                    continue
            if not fit.converged[i]:
                refit = fit_batch(
                    y_all, X[i : i + 1], colmask[i : i + 1], cellmask[i : i + 1], max_iter=500
                )
                if not refit.converged[0]:
                    out.append(LoglinFit(model=m, exists=False, dropped=dropped[i]))
                    continue
                beta, ll, mu = refit.beta[0], float(refit.loglik[0]), refit.mu[0]
            else:
                beta, ll, mu = fit.beta[i], float(fit.loglik[i]), fit.mu[i]
            k = 1 + table.J + len(m) + (1 if heterogeneity else 0)
            miss = float(math.exp(beta[0]))
            out.append(
                LoglinFit(
                    model=m,
                    exists=True,
                    N=table.n_observed + miss,
                    n_missing=miss,
                    loglik=ll,
                    k=k,
                    aic=2 * k - 2 * ll,
                    bic=k * math.log(n) - 2 * ll,
                    mu=mu,
                    beta=beta[colmask[i]],
                    dropped=dropped[i],
                )
            )
    return out


def fit_model(table: CaptureTable, model: Model, heterogeneity: str | None = None) -> LoglinFit:
    return fit_models(table, [model], heterogeneity=heterogeneity)[0]


def select_by_ic(
    table: CaptureTable,
    criterion: str = "bic",
    max_order: int | None = None,
    models: Sequence[Model] | None = None,
    bic_n: str = "observed",
) -> tuple[LoglinFit, list[LoglinFit]]:
    """The best model by AIC or BIC over every hierarchical model (refused ones excluded)."""
    if models is None:
        if table.J > 6:
            from ..model.errors import InputError

            raise InputError(
                f"searching every model is limited to 6 lists ({table.J} given): use "
                "--select stepwise, or name a model with --model"
            )
        models = enumerate_models(table.J, max_order)
    fits = fit_models(table, models, bic_n=bic_n)
    ok = [f for f in fits if f.exists]
    if not ok:
        from ..model.errors import CivcasError

        raise CivcasError("no log-linear model has an MLE on these data")
    key = (lambda f: f.bic) if criterion == "bic" else (lambda f: f.aic)
    return min(ok, key=key), fits


def stepwise(table: CaptureTable, threshold: float = 0.02) -> tuple[LoglinFit, list[dict]]:  # type: ignore[type-arg]
    """Chan, Silverman & Vincent's pairwise stepwise selection (p-value threshold)."""
    J = table.J
    cells = np.arange(1, 2**J)
    current: Model = ()
    fit = fit_model(table, current)
    path: list[dict] = []  # type: ignore[type-arg]
    while True:
        best: tuple[float, int] | None = None
        cand_fits: dict[int, LoglinFit] = {}
        cands = [t for t in pairwise_terms(J) if t not in current]
        if not cands:
            break
        trial = fit_models(table, [tuple(sorted(current + (t,), key=_k)) for t in cands])
        for t, tf in zip(cands, trial, strict=True):
            n_star = table.overlap(t)
            lam = float(fit.mu[(cells & t) == t].sum())
            if not tf.exists:
                p = 1.0
            else:
                p = _two_sided_poisson(n_star, lam)
            cand_fits[t] = tf
            if best is None or p < best[0]:
                best = (p, t)
        assert best is not None
        p, t = best
        if p >= threshold:
            break
        current = cand_fits[t].model
        fit = cand_fits[t]
        path.append({"added": t, "p": p, "N": fit.N})
    return fit, path


def _k(t: int) -> tuple[int, int]:
    return (bin(t).count("1"), t)


def profile_loglik(  # type: ignore[no-untyped-def]
    table: CaptureTable,
    model: Model,
    n0: float,
    beta0: np.ndarray | None = None,
    heterogeneity: str | None = None,
):
    """Multinomial profile log-likelihood of N = n_obs + n0 (Cormack 1992)."""
    X, colmask, cellmask, _, cells, _ = _prepare(table, [model], True, heterogeneity)
    y = table.counts.astype(np.float64).copy()
    y[0] = n0
    fit = fit_batch(y, X, colmask, cellmask, beta0=beta0, max_iter=200)
    mu = fit.mu[0]
    N = table.n_observed + n0
    keep = cellmask[0] & (y > 0)
    ll = math.lgamma(N + 1) - math.lgamma(n0 + 1) + float(np.sum(y[keep] * np.log(mu[keep] / N)))
    return ll, fit.beta


def profile_ci(table: CaptureTable, model: Model, level: float = 0.95) -> tuple[float, float]:
    """Profile-likelihood interval for N (the multinomial likelihood, as Rcapture reports)."""
    lo, hi, _ = profile_interval(table, model, level)
    return lo, hi


def profile_interval(
    table: CaptureTable, model: Model, level: float = 0.95, heterogeneity: str | None = None
) -> tuple[float, float, float]:
    """(lower, upper, maximiser) of the multinomial profile likelihood of N.

    The maximiser differs slightly from the Poisson MLE N = n + exp(intercept); Rcapture
    prints it beside the interval.
    """
    from .optim import minimize_bounded, root_bracketed

    fit = fit_model(table, model, heterogeneity)
    if not fit.exists:
        return (math.nan, math.nan, math.nan)
    cut = NormalDist().inv_cdf(0.5 + level / 2) ** 2 / 2.0  # chi-square(1) quantile / 2
    m0 = fit.n_missing

    def nll(n0: float) -> float:
        return -float(profile_loglik(table, model, n0, heterogeneity=heterogeneity)[0])

    lo_b, hi_b = max(m0 * 0.5, 1e-6), m0 * 1.5 + 10
    n0_hat, fmin = minimize_bounded(nll, lo_b, hi_b, xatol=1e-3)
    best = -fmin

    def g(n0: float) -> float:
        return best - (-nll(n0)) - cut

    lo_end = n0_hat
    lo = 0.0
    step = max(n0_hat * 0.1, 1.0)
    while lo_end > 0:
        cand = max(lo_end - step, 0.0)
        if g(cand) > 0:
            lo = root_bracketed(g, cand, lo_end, xtol=1e-4)
            break
        lo_end = cand
        step *= 2
    else:
        lo = 0.0
    hi_end, step = n0_hat, max(n0_hat * 0.1, 1.0)
    hi = math.inf
    for _ in range(60):
        cand = hi_end + step
        if g(cand) > 0:
            hi = root_bracketed(g, hi_end, cand, xtol=1e-4)
            break
        hi_end, step = cand, step * 2
    n = table.n_observed
    return (n + lo, n + hi, n + n0_hat)


def simulate_table(table: CaptureTable, mu: np.ndarray, rng: np.random.Generator) -> CaptureTable:
    counts = np.zeros_like(table.counts)
    counts[1:] = rng.poisson(np.maximum(mu, 0.0))
    return CaptureTable(table.lists, counts)


def wald_ci(table: CaptureTable, fit: LoglinFit, level: float = 0.95) -> tuple[float, float]:
    """Wald interval on the log of the unseen count, n + exp(θ₀ ± z·se) (SparseMSE's).

    Cheap and always defined, but symmetric on the log scale only; the profile interval is
    preferred when the likelihood is skewed.
    """
    if not fit.exists:
        return (math.nan, math.nan)
    X, colmask, cellmask, _, _, _ = _prepare(table, [fit.model])
    Xk = X[0][cellmask[0]][:, colmask[0]]
    mu = fit.mu[cellmask[0]]
    info = Xk.T @ (mu[:, None] * Xk)
    try:
        se = math.sqrt(float(np.linalg.inv(info)[0, 0]))
    except np.linalg.LinAlgError:
        return (math.nan, math.nan)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    th0 = math.log(fit.n_missing)
    n = table.n_observed
    return (n + math.exp(th0 - z * se), n + math.exp(th0 + z * se))
