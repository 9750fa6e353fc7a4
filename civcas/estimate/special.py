"""log Gamma for numpy arrays, so that the estimators need not import scipy.special
(0.2-0.3 s of start-up for a computation that takes less).

Stirling's series with six terms for x >= 20 (truncation error below 1e-17 there), and
the recurrence Gamma(x) = Gamma(x + n) / (x (x + 1) ... (x + n - 1)) below; agrees with
scipy.special.gammaln to about 1e-14 relative (tests/estimate/test_optim.py).
"""

from __future__ import annotations

import math

import numpy as np

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_SHIFT = 20.0
# Bernoulli-number coefficients of Stirling's series: B_2k / (2k (2k - 1))
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360)


def lgamma(x: np.ndarray | float) -> np.ndarray:
    """log |Gamma(x)| for x > 0, elementwise."""
    shape = np.shape(x)
    x = np.atleast_1d(np.asarray(x, dtype=np.float64)).ravel()
    if (x <= 0).any():
        raise ValueError("lgamma here is for positive arguments only")
    small = x < _SHIFT
    z = np.where(small, x + np.ceil(_SHIFT - x), x)  # shifted to >= 20 where needed
    inv = 1.0 / z
    inv2 = inv * inv
    series = _STIRLING[-1]
    for c in reversed(_STIRLING[:-1]):
        series = series * inv2 + c
    out = (z - 0.5) * np.log(z) - z + _HALF_LOG_2PI + series * inv
    if small.any():
        xs = x[small]
        n = np.ceil(_SHIFT - xs).astype(np.int64)
        prod = np.ones_like(xs)
        for i in range(int(n.max())):
            prod *= np.where(i < n, xs + i, 1.0)
        out[small] -= np.log(prod)
    return out.reshape(shape)


def _log_sum_exp(v: np.ndarray) -> float:
    top = float(v.max())
    return top + math.log(float(np.exp(v - top).sum()))


def _log_pmf(i: np.ndarray, lam: float) -> np.ndarray:
    return i * math.log(lam) - lam - lgamma(i + 1.0)


def poisson_cdf(k: int, lam: float) -> float:
    """P(X <= k) for X ~ Poisson(lam), summed in log space."""
    if k < 0:
        return 0.0
    if lam <= 0:
        return 1.0
    return min(1.0, math.exp(_log_sum_exp(_log_pmf(np.arange(k + 1.0), lam))))


def poisson_sf(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam): the upper tail summed directly (no 1 - cdf), to
    where the terms are below 1e-300 of the largest."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    stop = max(k, lam) + 60.0 * math.sqrt(lam) + 800.0
    return min(1.0, math.exp(_log_sum_exp(_log_pmf(np.arange(float(k), math.ceil(stop)), lam))))
