"""R-hat and bulk ESS in numpy against ArviZ's own values."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from civcas.estimate.convergence import ess_bulk, rhat, split_chains, z_scale


def _ar1(rng: np.random.Generator, chains: int, draws: int, phi: float) -> np.ndarray:
    x = np.zeros((chains, draws))
    e = rng.normal(size=(chains, draws))
    for t in range(1, draws):
        x[:, t] = phi * x[:, t - 1] + e[:, t]
    return x


def _cases() -> list[tuple[str, np.ndarray]]:
    rng = np.random.default_rng(7)
    cases = [
        ("iid, 4 chains", rng.normal(size=(4, 500))),
        ("AR(0.9), 4 chains", _ar1(rng, 4, 400, 0.9)),
        ("AR(0.99), 2 chains, odd length", _ar1(rng, 2, 1001, 0.99)),
        ("integers with ties", np.round(_ar1(rng, 3, 300, 0.8) * 2)),
        ("chains apart", _ar1(rng, 4, 200, 0.5) + np.arange(4)[:, None]),
        ("anticorrelated", _ar1(rng, 2, 300, -0.6)),
        ("skewed counts", 10_000 + rng.negative_binomial(5, 0.001, size=(4, 250))),
    ]
    return cases


@pytest.mark.parametrize(("name", "x"), _cases(), ids=[c[0] for c in _cases()])
def test_rhat_and_bulk_ess_match_arviz(name: str, x: np.ndarray) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import arviz as az

        want_rhat = float(az.rhat(x))
        want_ess = float(az.ess(x, method="bulk"))
    assert rhat(x) == pytest.approx(want_rhat, rel=1e-9)
    assert ess_bulk(x) == pytest.approx(want_ess, rel=1e-9)


def test_normal_scores_match_scipy() -> None:
    from scipy import stats

    x = np.array([[3.0, 1.0, 2.0, 2.0], [5.0, 2.0, 9.0, 1.0]])
    ranks = stats.rankdata(x, method="average").reshape(x.shape)
    want = stats.norm.ppf((ranks - 0.375) / (x.size + 0.25))
    np.testing.assert_allclose(z_scale(x), want, rtol=1e-12)


def test_one_chain_is_judged_by_its_halves() -> None:
    rng = np.random.default_rng(3)
    steady = rng.normal(size=(1, 2000))
    assert rhat(steady) < 1.01
    assert 1500 < ess_bulk(steady) < 2600
    drifting = steady + np.linspace(0, 3, 2000)[None, :]
    assert rhat(drifting) > 1.2
    halves = split_chains(np.arange(7.0)[None, :])  # the middle draw of an odd count is out
    np.testing.assert_array_equal(halves, [[0.0, 1.0, 2.0], [4.0, 5.0, 6.0]])


def test_too_few_draws_give_nan() -> None:
    assert math.isnan(rhat(np.ones((2, 3))))
    assert math.isnan(ess_bulk(np.ones((1, 3))))
