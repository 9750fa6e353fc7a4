"""Convergence diagnostics of MCMC draws, in numpy: rank-normalised split R-hat, bulk ESS.

The definitions of Vehtari, Gelman, Simpson, Carpenter & Burkner (2021, Bayesian
Analysis 16:667), computed as ArviZ computes them (``az.rhat`` with its default
``method="rank"``, ``az.ess`` with ``method="bulk"``; tests/estimate check the values
against ArviZ), without ArviZ's import of xarray and scipy.stats (1-3 s).

Draws are (chains, draws). Each chain is split in half, so a single chain gets an R-hat
too: it compares the chain's first and second halves (ArviZ wants two chains or more).
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

_BLOM = 3.0 / 8.0  # rank offset of the normal scores (Blom 1958)


def split_chains(x: np.ndarray) -> np.ndarray:
    """Each chain's first and second halves as two chains (the middle draw of an odd
    count is left out)."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    half = x.shape[1] // 2
    return np.concatenate([x[:, :half], x[:, x.shape[1] - half :]], axis=0)


def z_scale(x: np.ndarray) -> np.ndarray:
    """Normal scores of the pooled average ranks: Phi^-1((r - 3/8) / (S + 1/4))."""
    flat = np.asarray(x, dtype=np.float64).ravel()
    order = np.argsort(flat, kind="mergesort")
    xs = flat[order]
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    ends = np.r_[starts[1:], xs.size]
    avg_rank = (starts + ends + 1) / 2.0  # mean of the 1-based ranks starts+1 .. ends
    p = (avg_rank - _BLOM) / (flat.size - 2 * _BLOM + 1)
    inv = NormalDist().inv_cdf
    z_groups = np.array([inv(float(v)) for v in p])
    z = np.empty(flat.size)
    z[order] = np.repeat(z_groups, ends - starts)
    return z.reshape(np.shape(x))


def _rhat(x: np.ndarray) -> float:
    n = x.shape[1]
    between = n * float(np.var(x.mean(axis=1), ddof=1))
    within = float(np.mean(np.var(x, axis=1, ddof=1)))
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sqrt((between / within + n - 1) / n))


def rhat(draws: np.ndarray) -> float:
    """Rank-normalised split R-hat: the larger of the bulk and the folded (tail) R-hat."""
    x = np.atleast_2d(np.asarray(draws, dtype=np.float64))
    if x.shape[1] < 4 or np.isnan(x).any():
        return math.nan
    split = split_chains(x)
    bulk = _rhat(z_scale(split))
    tail = _rhat(z_scale(np.abs(split - np.median(split))))
    return max(bulk, tail)


def _autocov(x: np.ndarray) -> np.ndarray:
    """Autocovariance of each row at every lag (biased, divided by n), by FFT."""
    n = x.shape[1]
    m = 1 << (2 * n - 1).bit_length()
    c = x - x.mean(axis=1, keepdims=True)
    f = np.fft.rfft(c, n=m, axis=1)
    f *= np.conjugate(f)
    return np.fft.irfft(f, n=m, axis=1)[:, :n] / n


def ess(x: np.ndarray) -> float:
    """Effective sample size of (chains, draws) by Geyer's initial monotone sequence."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    if np.isnan(x).any():
        return math.nan
    if float(np.max(x) - np.min(x)) < np.finfo(float).resolution:
        return float(x.size)
    n_chain, n_draw = x.shape
    acov = _autocov(x)
    mean_var = float(np.mean(acov[:, 0])) * n_draw / (n_draw - 1.0)
    var_plus = mean_var * (n_draw - 1.0) / n_draw
    if n_chain > 1:
        var_plus += float(np.var(x.mean(axis=1), ddof=1))
    rho = 1.0 - (mean_var - acov.mean(axis=0)) / var_plus  # rho[t] for every lag t
    rho_t = np.zeros(n_draw)
    even, odd = 1.0, float(rho[1])
    rho_t[0], rho_t[1] = even, odd
    t = 1
    # Geyer's initial positive sequence
    while t < n_draw - 3 and even + odd > 0.0:
        even, odd = float(rho[t + 1]), float(rho[t + 2])
        if even + odd >= 0:
            rho_t[t + 1], rho_t[t + 2] = even, odd
        t += 2
    max_t = t - 2
    if even > 0:
        rho_t[max_t + 1] = even
    # Geyer's initial monotone sequence
    t = 1
    while t <= max_t - 2:
        if rho_t[t + 1] + rho_t[t + 2] > rho_t[t - 1] + rho_t[t]:
            rho_t[t + 1] = (rho_t[t - 1] + rho_t[t]) / 2.0
            rho_t[t + 2] = rho_t[t + 1]
        t += 2
    total = n_chain * n_draw
    tau = (
        -1.0 + 2.0 * float(np.sum(rho_t[: max_t + 1])) + float(np.sum(rho_t[max_t + 1 : max_t + 2]))
    )
    tau = max(tau, 1.0 / math.log10(total))
    return total / tau


def ess_bulk(draws: np.ndarray) -> float:
    """Bulk effective sample size: ESS of the rank-normalised split chains."""
    x = np.atleast_2d(np.asarray(draws, dtype=np.float64))
    if x.shape[1] < 4 or np.isnan(x).any():
        return math.nan
    return ess(z_scale(split_chains(x)))
