"""Published reference results (../shared/data/mse/README.md), reproduced to the unit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from civcas.estimate import (
    LcmcrSettings,
    dga,
    fit_model,
    format_model,
    lcmcr,
    parse_model,
    profile_ci,
    read_overlap_csv,
    select_by_ic,
    stepwise,
)
from civcas.estimate.dga import quantiles
from civcas.estimate.loglinear import profile_interval, wald_ci

pytestmark = pytest.mark.shared


def table(shared: Path, name: str):  # type: ignore[no-untyped-def]
    return read_overlap_csv(shared / "mse" / name)[None]


def test_kosovo_bic_best_model_and_profile_interval(shared_data: Path) -> None:
    t = table(shared_data, "kosovo_1999_4lists.csv")
    assert t.n_observed == 4400
    best, fits = select_by_ic(t, "bic")
    assert format_model(best.model, t.lists) == "EXH*ABA*OSCE + EXH*HRW + OSCE*HRW"
    assert best.N == pytest.approx(10356.5, abs=0.5)
    lo, hi = profile_ci(t, best.model)
    assert lo == pytest.approx(8994, abs=0.5)
    assert hi == pytest.approx(12110, abs=0.5)
    # 4 lists, interactions up to order 3: every hierarchical model was tried
    assert len(fits) == 113


def test_kosovo_independence_and_stepwise(shared_data: Path) -> None:
    t = table(shared_data, "kosovo_1999_4lists.csv")
    assert fit_model(t, ()).N == pytest.approx(7395, abs=0.5)
    fit, path = stepwise(t, 0.02)
    assert fit.N == pytest.approx(14342, abs=0.5)
    assert all(step["p"] < 0.02 for step in path)


def test_uk_modern_slavery(shared_data: Path) -> None:
    t5 = table(shared_data, "uk_modern_slavery_2013_5lists.csv")
    assert t5.n_observed == 2744
    fit, _ = stepwise(t5, 0.02)
    assert fit.N == pytest.approx(11313, abs=0.5)
    lo, hi = wald_ci(t5, fit)  # SparseMSE's interval: Wald on the log unseen count
    assert lo == pytest.approx(9884, abs=0.5)
    assert hi == pytest.approx(13027, abs=0.5)
    t6 = table(shared_data, "uk_modern_slavery_2013_6lists.csv")
    assert fit_model(t6, ()).N == pytest.approx(12214, abs=0.5)


def test_hiv_rome(shared_data: Path) -> None:
    t = table(shared_data, "rcapture_hiv_rome_4lists.csv")
    assert fit_model(t, ()).N == pytest.approx(11125, abs=0.5)
    lo, hi, n_hat = profile_interval(t, parse_model("c1*c2", t.lists))
    assert n_hat == pytest.approx(12308, abs=0.5)  # Rcapture prints the profile maximiser
    assert lo == pytest.approx(10266, abs=0.5)
    assert hi == pytest.approx(14992, abs=0.5)


def test_lesbian_mth_darroch(shared_data: Path) -> None:
    t = table(shared_data, "rcapture_lesbian_allegheny_4lists.csv")
    assert fit_model(t, (), heterogeneity="darroch").N == pytest.approx(6964, abs=0.5)


def test_dga_kosovo_within_one_percent(shared_data: Path) -> None:
    t = table(shared_data, "kosovo_1999_4lists.csv")
    res = dga(t)  # delta = 2^-4, prior 1/N, all 61 graphs
    assert len(res.graphs) == 61
    lo, med, hi = (t.n_observed + q for q in quantiles(res, (0.025, 0.5, 0.975)))
    assert med == pytest.approx(12595, rel=0.01)
    assert lo == pytest.approx(9827, rel=0.01)
    assert hi == pytest.approx(16543, rel=0.01)


def test_dga_spina_bifida_negbin_prior(shared_data: Path) -> None:
    t = table(shared_data, "dga_madigan_york_3lists_example626.csv")
    res = dga(t, delta=1.0, prior="negbin", nb_a=13.14, nb_b=55.17)
    lo, med, hi = (t.n_observed + q for q in quantiles(res, (0.025, 0.5, 0.975)))
    assert med == pytest.approx(731, rel=0.01)
    assert lo == pytest.approx(682, rel=0.01)
    assert hi == pytest.approx(797, rel=0.01)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lcmcr_kosovo_median_within_3_percent(shared_data: Path, seed: int) -> None:
    """The reference settings exactly: one chain, 10,000 burn-in, 1,000 draws at thinning 100."""
    t = table(shared_data, "kosovo_1999_4lists.csv")
    s = LcmcrSettings(
        K=10, a=0.25, b=0.25, burnin=10_000, samples=1000, thin=100, chains=1, seed=seed
    )
    r = lcmcr(t, s)
    med = float(np.median(r.draws))
    # published: medians 10,400-10,600 over seeds 1-3
    assert 10400 * 0.97 <= med <= 10600 * 1.03
    assert r.draws.shape == (1, 1000)


def test_uk_methods_disagree_as_published(shared_data: Path) -> None:
    """README: LCMCR median ~ 20-21k and BIC over all 5-list models ~ 25k, against 11,313."""
    t5 = table(shared_data, "uk_modern_slavery_2013_5lists.csv")
    best, fits = select_by_ic(t5, "bic")
    assert len(fits) == 6212
    assert best.N == pytest.approx(25_000, rel=0.03)
    assert table(shared_data, "uk_modern_slavery_2013_4lists.csv").n_observed == 2428
    # the posterior mixes slowly on these data: 4 chains of 310,000 iterations
    s = LcmcrSettings(K=10, burnin=10_000, samples=1000, thin=1200, chains=4, seed=1)
    med = float(np.median(lcmcr(t5, s).draws))
    assert 20_000 * 0.9 <= med <= 21_000 * 1.1
