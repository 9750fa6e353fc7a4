"""Poisson log-linear fits by Newton's method, many models at once, and the MLE existence test.

Fitting thousands of small models one by one is dominated by interpreter overhead, so the
fits are batched: every model's design is padded to a common width and all Newton steps run
as stacked linear algebra. Padded columns get an identity block so the systems stay regular.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .special import lgamma


@dataclass
class BatchFit:
    beta: np.ndarray  # (M, P)
    loglik: np.ndarray  # (M,)
    mu: np.ndarray  # (M, C)
    converged: np.ndarray  # (M,) bool


def _loglik(y: np.ndarray, mu: np.ndarray, eta: np.ndarray, cellmask: np.ndarray) -> np.ndarray:
    ll = np.where(cellmask, y * eta - mu, 0.0)
    return ll.sum(axis=-1)


def fit_batch(
    y: np.ndarray,
    X: np.ndarray,
    colmask: np.ndarray,
    cellmask: np.ndarray,
    beta0: np.ndarray | None = None,
    max_iter: int = 60,
    tol: float = 1e-10,
) -> BatchFit:
    """Fit M Poisson GLMs sharing the response ``y`` (C,) with designs ``X`` (M, C, P).

    ``colmask`` (M, P) marks the columns in use, ``cellmask`` (M, C) the cells in the fit
    (cells whose fitted value is fixed at 0 by an empty overlap are left out).
    """
    y = np.asarray(y, dtype=np.float64)
    M, C, P = X.shape
    X = X * colmask[:, None, :] * cellmask[:, :, None]
    pad = np.eye(P)[None, :, :] * (~colmask)[:, :, None]
    yy = np.broadcast_to(y, (M, C))
    const = np.where(cellmask, lgamma(y + 1.0)[None, :], 0.0).sum(axis=1)  # log y!
    if beta0 is None:
        z = np.log(yy + 0.5) * cellmask
        A = np.einsum("mcp,mcq->mpq", X, X) + pad + 1e-9 * np.eye(P)[None]
        beta = np.linalg.solve(A, np.einsum("mcp,mc->mp", X, z)[..., None])[..., 0]
    else:
        beta = beta0 * colmask
    eta = np.minimum(np.einsum("mcp,mp->mc", X, beta), 50.0)
    mu = np.exp(eta) * cellmask
    ll = _loglik(yy, mu, eta, cellmask)
    active = np.ones(M, dtype=bool)
    converged = np.zeros(M, dtype=bool)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        Xa, mua = X[idx], mu[idx]
        score = np.einsum("mcp,mc->mp", Xa, yy[idx] - mua)
        H = np.einsum("mcp,mc,mcq->mpq", Xa, mua, Xa) + pad[idx]
        try:
            step = np.linalg.solve(H, score[..., None])[..., 0]
        except np.linalg.LinAlgError:
            step = _solve_each(H, score)
        t = np.ones(idx.size)
        new_ll = np.full(idx.size, -np.inf)
        new_beta = beta[idx]
        new_eta = eta[idx]
        for _h in range(30):
            nb = beta[idx] + t[:, None] * step
            ne = np.minimum(np.einsum("mcp,mp->mc", Xa, nb), 50.0)
            nm = np.exp(ne) * cellmask[idx]
            nl = _loglik(yy[idx], nm, ne, cellmask[idx])
            ok = nl >= ll[idx] - 1e-12 * np.abs(ll[idx])
            take = ok & np.isinf(new_ll)
            new_ll[take], new_beta[take], new_eta[take] = nl[take], nb[take], ne[take]
            if np.all(~np.isinf(new_ll)):
                break
            t = np.where(np.isinf(new_ll), t * 0.5, t)
        stuck = np.isinf(new_ll)
        new_ll[stuck], new_beta[stuck], new_eta[stuck] = (
            ll[idx][stuck],
            beta[idx][stuck],
            eta[idx][stuck],
        )
        gain = new_ll - ll[idx]
        beta[idx], eta[idx], ll[idx] = new_beta, new_eta, new_ll
        mu[idx] = np.exp(new_eta) * cellmask[idx]
        done = (np.abs(gain) <= tol * (1.0 + np.abs(new_ll))) & (
            np.max(np.abs(step * t[:, None]), axis=1) < 1e-6
        )
        done |= stuck
        converged[idx[done & ~stuck]] = True
        active[idx[done]] = False
    return BatchFit(beta=beta, loglik=ll - const, mu=mu, converged=converged)


def _solve_each(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    out = np.zeros_like(g)
    for i in range(len(g)):
        out[i] = np.linalg.lstsq(H[i], g[i], rcond=None)[0]
    return out


def mle_exists(X: np.ndarray, y: np.ndarray) -> bool:
    """Fienberg & Rinaldo's test on the kept cells: is the MLE finite?

    It is not when some direction d makes X d >= 0, zero on every positive cell and
    positive on some zero cell (the fitted values could be pushed to 0 there without
    limit). Also refuses a rank-deficient design.
    """
    if np.linalg.matrix_rank(X) < X.shape[1]:
        return False
    zero = y <= 0
    if not zero.any():
        return True
    Xz, Xp = X[zero], X[~zero]
    if len(Xp) and np.linalg.matrix_rank(Xp) == X.shape[1]:
        return True  # X_p d = 0 forces d = 0: no direction can push the zero cells down
    from scipy.optimize import linprog  # lazily: scipy.optimize costs 0.7 s of start-up

    res = linprog(
        c=-Xz.sum(axis=0),
        A_ub=np.vstack([Xz, -Xz]),
        b_ub=np.concatenate([np.ones(len(Xz)), np.zeros(len(Xz))]),
        A_eq=Xp if len(Xp) else None,
        b_eq=np.zeros(len(Xp)) if len(Xp) else None,
        bounds=[(None, None)] * X.shape[1],
        method="highs",
    )
    if res.status != 0:
        return False
    return bool(-res.fun < 1e-7)
