"""Bayesian latent-class capture-recapture (Manrique-Vallier 2016), blocked Gibbs sampler.

Works on the tabulated counts (one multinomial draw per observed pattern, not one draw per
person) and advances several chains at once as stacked arrays, so the cost of an iteration
is a fixed handful of numpy calls whatever the number of people or chains. Chains are
further split across worker processes.

Settings: ``samples`` is the number of retained draws over ALL chains together; each chain
runs ``burnin + ceil(samples / chains) * thin`` iterations.
"""

from __future__ import annotations

import math
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from .tables import CaptureTable


@dataclass(frozen=True)
class LcmcrSettings:
    K: int = 10
    a: float = 0.25
    b: float = 0.25
    burnin: int = 10_000
    samples: int = 1_000
    thin: int = 100
    chains: int = 4
    workers: int | None = None
    seed: int = 1


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


def _worker(args: tuple) -> np.ndarray:  # type: ignore[type-arg]
    return run_chains(*args)


@dataclass
class LcmcrResult:
    draws: np.ndarray  # (chains, draws) of N
    rhat: float
    ess: float
    settings: LcmcrSettings


def lcmcr(table: CaptureTable, settings: LcmcrSettings | None = None) -> LcmcrResult:
    s = settings or LcmcrSettings()
    per_chain = math.ceil(s.samples / s.chains)
    workers = s.workers if s.workers is not None else min(s.chains, os.cpu_count() or 1)
    workers = max(1, min(workers, s.chains))
    seeds = np.random.SeedSequence(s.seed).spawn(workers)
    split = [len(c) for c in np.array_split(np.arange(s.chains), workers)]
    jobs = [
        (table.counts, table.J, s.K, s.a, s.b, s.burnin, per_chain, s.thin, n, seeds[i])
        for i, n in enumerate(split)
        if n
    ]
    if len(jobs) == 1:
        parts = [_worker(jobs[0])]
    else:
        with ProcessPoolExecutor(max_workers=len(jobs)) as pool:
            parts = list(pool.map(_worker, jobs))
    draws = np.vstack(parts)
    rhat, ess = convergence(draws)
    return LcmcrResult(draws=draws, rhat=rhat, ess=ess, settings=s)


def convergence(draws: np.ndarray) -> tuple[float, float]:
    """Rank-normalised R-hat and bulk ESS (ArviZ) of N over the chains."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import arviz as az

        x = draws.astype(np.float64)
        if x.shape[0] < 2 or x.shape[1] < 4:
            return math.nan, math.nan
        rhat = float(az.rhat(x))
        ess = float(az.ess(x, method="bulk"))
    return rhat, ess
