"""LCMCR blocked Gibbs sampler in plain numpy: the fallback when numba is not installed.

Several chains advance side by side as stacked arrays, so an iteration is a fixed handful of
numpy calls whatever the number of people or chains (~100 us per iteration for one chain,
~40 us per chain when many are stacked). The compiled sampler
(:mod:`civcas.estimate.lcmcr_kernel`) is 10-20 times faster; this one stays as the
independent implementation the compiled one is checked against.
"""

from __future__ import annotations

import numpy as np


def run_chains(
    counts: np.ndarray,
    J: int,
    K: int,
    a: float,
    b: float,
    burnin: int,
    n_keep: int,
    thin: int,
    n_chains: int,
    seed: int | np.random.SeedSequence,
) -> np.ndarray:
    """Run ``n_chains`` chains side by side; returns N draws, shape (n_chains, n_keep)."""
    rng = np.random.default_rng(seed)
    w = np.arange(2**J)
    pats = ((w[:, None] >> np.arange(J)[None, :]) & 1).astype(np.float64)
    obs = np.flatnonzero(counts > 0)
    obs = obs[obs > 0]
    Xp = pats[obs]  # (P, J)
    n_p = counts[obs].astype(np.int64)
    n_obs = int(n_p.sum())
    Xcat = np.hstack([Xp, 1.0 - Xp])  # (P, 2J)
    C = n_chains
    lam = rng.beta(1.0, 1.0, size=(C, J, K))
    alpha = np.ones(C)
    V = rng.beta(1.0, alpha[:, None], size=(C, K))
    V[:, -1] = 1.0
    logpi = _log_sticks(V)
    out = np.empty((C, n_keep), dtype=np.int64)
    total = burnin + n_keep * thin
    kept = 0
    n_all = np.empty((C, len(n_p) + 1), dtype=np.int64)
    n_all[:, :-1] = n_p
    pw = np.empty((C, len(n_p) + 1, K))
    JK = J * K
    for it in range(total):
        loglam = np.log(np.concatenate([lam, 1.0 - lam], axis=1))  # (C, 2J, K)
        logw = np.matmul(Xcat, loglam) + logpi[:, None, :]  # (C, P, K)
        logw -= logw.max(axis=2, keepdims=True)
        pw[:, :-1, :] = np.exp(logw)
        q = np.exp(loglam[:, J:, :].sum(axis=1) + logpi)  # (C, K): P(class k, unseen)
        pi0 = q.sum(axis=1)
        # n0 ~ NegBin(n_obs, 1 - pi0), drawn as a gamma-Poisson mixture
        n0 = rng.poisson(rng.standard_gamma(n_obs, size=C) * pi0 / np.maximum(1.0 - pi0, 1e-300))
        n_all[:, -1] = n0
        pw[:, -1, :] = q
        pw /= pw.sum(axis=2, keepdims=True)
        alloc = rng.multinomial(n_all, pw)  # (C, P+1, K); last row: the unobserved
        m = alloc.sum(axis=1)  # (C, K)
        s = np.matmul(Xp.T, alloc[:, :-1, :])  # (C, J, K)
        # alpha | V first (valid Gibbs order), then lambda and V in one gamma draw
        alpha = rng.gamma(a + K - 1, 1.0 / (b - np.log1p(-V[:, :-1]).sum(axis=1)))
        tail = np.cumsum(m[:, ::-1], axis=1)[:, ::-1] - m
        shapes = np.concatenate(
            [
                (1.0 + s).reshape(C, JK),
                (1.0 + m[:, None, :] - s).reshape(C, JK),
                1.0 + m,
                alpha[:, None] + tail,
            ],
            axis=1,
        )
        g = rng.standard_gamma(shapes)
        ga, gb = g[:, :JK], g[:, JK : 2 * JK]
        lam = (ga / (ga + gb)).reshape(C, J, K)
        np.clip(lam, 1e-12, 1 - 1e-12, out=lam)
        va, vb = g[:, 2 * JK : 2 * JK + K], g[:, 2 * JK + K :]
        V = va / (va + vb)
        np.clip(V, 1e-300, 1 - 1e-12, out=V)
        V[:, -1] = 1.0
        logpi = _log_sticks(V)
        if it >= burnin and (it - burnin + 1) % thin == 0:
            out[:, kept] = n_obs + n0
            kept += 1
    return out


def _log_sticks(V: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        log1m = np.log1p(-V[:, :-1])
        logv = np.log(V)
    cum = np.zeros_like(V)
    np.cumsum(log1m, axis=1, out=cum[:, 1:])  # sum over l < k
    return logv + cum
