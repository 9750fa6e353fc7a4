"""The numpy/stdlib replacements of scipy's functions give scipy's values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from civcas.estimate.optim import minimize_bounded, root_bracketed
from civcas.estimate.special import lgamma, poisson_cdf, poisson_sf


def test_lgamma_matches_scipy() -> None:
    from scipy.special import gammaln

    x = np.concatenate(
        [np.linspace(1e-3, 30, 5001), np.arange(0, 90_000) + 0.0625, np.arange(1, 90_000.0),
         [19.999999, 20.0, 1e7, 3.3e9]]
    )  # fmt: skip
    want = gammaln(x)
    np.testing.assert_allclose(lgamma(x), want, rtol=1e-13, atol=1e-13)
    assert lgamma(5.0) == pytest.approx(math.log(24.0), rel=1e-15)
    assert np.shape(lgamma(2.5)) == ()
    with pytest.raises(ValueError):
        lgamma(np.array([1.0, 0.0]))


@pytest.mark.parametrize("lam", [1e-3, 0.5, 3.0, 17.2, 150.0, 2345.6, 20_000.0])
def test_poisson_tails_match_scipy(lam: float) -> None:
    from scipy.special import pdtr, pdtrc

    ks = {0, 1, 2, int(lam), int(lam * 0.5), int(lam * 1.5) + 1, int(lam + 5 * math.sqrt(lam))}
    for k in sorted(ks):
        assert poisson_cdf(k, lam) == pytest.approx(float(pdtr(k, lam)), rel=1e-10, abs=1e-300)
        want_sf = 1.0 if k == 0 else float(pdtrc(k - 1, lam))
        assert poisson_sf(k, lam) == pytest.approx(want_sf, rel=1e-10, abs=1e-300)
    assert poisson_cdf(-1, lam) == 0.0


@pytest.mark.parametrize(
    "f",
    [lambda x: (x - 2.3) ** 2 + 1, lambda x: math.cosh(x - 0.7) + 0.1 * x,
     lambda x: abs(x - 1.234567) ** 1.5, lambda x: -math.exp(-((x - 8.5) ** 2))],
)  # fmt: skip
def test_bounded_minimiser_matches_fminbound(f) -> None:  # type: ignore[no-untyped-def]
    from scipy.optimize import minimize_scalar

    want = minimize_scalar(f, bounds=(-5, 9), method="bounded", options={"xatol": 1e-6})
    x, fx = minimize_bounded(f, -5, 9, xatol=1e-6)
    assert x == pytest.approx(float(want.x), abs=1e-6)
    assert fx == pytest.approx(float(want.fun), abs=1e-9)


@pytest.mark.parametrize(
    ("g", "a", "b"),
    [(lambda x: x**3 - 2, 0.0, 3.0), (lambda x: math.exp(x) - 5, -1.0, 4.0),
     (lambda x: math.tanh(x - 0.3), -10.0, 2.0), (lambda x: x, 0.0, 1.0)],
)  # fmt: skip
def test_root_finder_matches_brentq(g, a: float, b: float) -> None:  # type: ignore[no-untyped-def]
    from scipy.optimize import brentq

    assert root_bracketed(g, a, b, xtol=1e-10) == pytest.approx(
        brentq(g, a, b, xtol=1e-10), abs=1e-9
    )
    with pytest.raises(ValueError):
        root_bracketed(lambda x: x * x + 1, -1.0, 1.0)
