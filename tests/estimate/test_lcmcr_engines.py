"""The compiled LCMCR sampler against an exact posterior and against the numpy sampler."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy.special import gammaln

from civcas.estimate import CaptureTable, LcmcrSettings, lcmcr, read_overlap_csv
from civcas.estimate.lcmcr import (
    advance,
    chain_seeds,
    new_chain,
    new_state,
    observed_patterns,
    resolve_engine,
    run_chain,
)
from civcas.estimate.lcmcr_rng import beta_counts, binomial, gamma, normal, poisson
from civcas.model.errors import InputError

numba = pytest.importorskip("numba")


def mcse(draws: np.ndarray, prob: float) -> float:
    """Monte Carlo standard error of a posterior quantile (ArviZ), chains x draws."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import arviz as az

        return float(az.mcse(draws.astype(np.float64), method="quantile", prob=prob))


def exact_one_class_posterior(t: CaptureTable, upto: int) -> tuple[np.ndarray, np.ndarray]:
    """Posterior of N for K = 1 (independent lists, lambda_j ~ Beta(1, 1), p(N) ~ 1/N).

    p(N | data) ~ (1/N) N! / (N - n)! prod_j B(1 + n_j, 1 + N - n_j), on a grid of N.
    """
    n = t.n_observed
    nj = t.list_totals().astype(np.float64)
    N = np.arange(n, upto, dtype=np.float64)
    logp = -np.log(N) + gammaln(N + 1) - gammaln(N - n + 1)
    for m in nj:
        logp += gammaln(1 + m) + gammaln(1 + N - m) - gammaln(N + 2)
    p = np.exp(logp - logp.max())
    return N, p / p.sum()


def quantile_of(N: np.ndarray, p: np.ndarray, q: float) -> float:
    return float(N[np.searchsorted(np.cumsum(p), q)])


def simulated(seed: int = 5) -> CaptureTable:
    rng = np.random.default_rng(seed)
    N = 3000
    hard = rng.random(N) < 0.6
    p = np.where(hard[:, None], [0.12, 0.15, 0.1, 0.14], [0.5, 0.45, 0.55, 0.4])
    caught = rng.random((N, 4)) < p
    w = (caught * (1 << np.arange(4))).sum(axis=1)
    counts = np.bincount(w, minlength=16).astype(np.int64)
    counts[0] = 0
    return CaptureTable(("A", "B", "C", "D"), counts)


@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_one_class_matches_exact_posterior(engine: str) -> None:
    t = simulated()
    N, p = exact_one_class_posterior(t, 20_000)
    s = LcmcrSettings(
        K=1, burnin=500, samples=8000, thin=2, chains=4, workers=1, seed=11, engine=engine
    )
    r = lcmcr(t, s)
    assert r.engine == engine
    for q in (0.1, 0.5, 0.9):
        got = float(np.quantile(r.draws, q))
        want = quantile_of(N, p, q)
        assert abs(got - want) <= 4 * mcse(r.draws, q) + 1, (q, got, want)


def test_same_seed_same_draws_whatever_the_workers() -> None:
    t = simulated()
    base = dict(K=5, burnin=200, samples=400, thin=2, chains=4, seed=3)
    one = lcmcr(t, LcmcrSettings(**base, workers=1))  # type: ignore[arg-type]
    two = lcmcr(t, LcmcrSettings(**base, workers=2))  # type: ignore[arg-type]
    np.testing.assert_array_equal(one.draws, two.draws)
    other = lcmcr(t, LcmcrSettings(**{**base, "seed": 4}, workers=1))  # type: ignore[arg-type]
    assert not np.array_equal(one.draws, other.draws)
    # chain i depends only on (seed, i): asking for fewer chains keeps the first ones
    sw = chain_seeds(3, 4)[1]
    alone = run_chain(t.counts, t.J, 5, 0.25, 0.25, 200, 100, 2, sw)
    np.testing.assert_array_equal(alone, one.draws[1])


def test_engine_choice() -> None:
    assert resolve_engine("auto") == "numba"
    with pytest.raises(InputError):
        resolve_engine("fortran")
    with pytest.raises(InputError):
        lcmcr(simulated(), LcmcrSettings(chains=0))


@numba.njit  # type: ignore[misc]
def _draw_many(st: np.ndarray, what: int, x: float, n: int, reps: int):  # type: ignore[no-untyped-def]
    out = np.empty(reps)
    for i in range(reps):
        if what == 0:
            out[i] = gamma(st, x)
        elif what == 1:
            out[i] = binomial(st, n, x)
        elif what == 2:
            out[i] = normal(st)
        else:
            out[i] = poisson(st, x)
    return out


@pytest.mark.parametrize("shape", [0.05, 0.6, 1.0, 3.5, 4400.0])
def test_gamma_draws_follow_the_gamma_law(shape: float) -> None:
    from scipy import stats

    st = new_state(np.random.SeedSequence(1).generate_state(4, np.uint64))
    x = _draw_many(st, 0, shape, 0, 50_000)
    assert stats.kstest(x, stats.gamma(shape).cdf).pvalue > 1e-4


@numba.njit  # type: ignore[misc]
def _betas(st: np.ndarray, s: int, m: int, reps: int):  # type: ignore[no-untyped-def]
    out = np.empty(reps)
    for i in range(reps):
        out[i] = beta_counts(st, s, m)
    return out


@pytest.mark.parametrize(("s", "m"), [(0, 0), (0, 7), (7, 7), (3, 10), (400, 1000)])
def test_lambda_draws_follow_the_beta_law(s: int, m: int) -> None:
    from scipy import stats

    st = new_state(np.random.SeedSequence(3).generate_state(4, np.uint64))
    x = _betas(st, s, m, 50_000)
    assert stats.kstest(x, stats.beta(1 + s, 1 + m - s).cdf).pvalue > 1e-4


@pytest.mark.parametrize(
    ("n", "p"),
    [
        (7, 0.3),
        (60, 0.02),
        (40, 0.97),
        (25, 0.5),
        (20, 0.5),
        (1000, 0.0101),
        (100, 0.85),
        (2000, 0.4),
    ],
)
def test_binomial_draws_follow_the_binomial_law(n: int, p: float) -> None:
    from scipy import stats

    st = new_state(np.random.SeedSequence(2).generate_state(4, np.uint64))
    x = _draw_many(st, 1, p, n, 50_000).astype(np.int64)
    assert _chisquare_pvalue(x, stats.binom(n, p).pmf(np.arange(n + 1))) > 1e-4


def _chisquare_pvalue(x: np.ndarray, pmf: np.ndarray) -> float:
    """Chi-square goodness of fit of integer draws x to pmf over 0..len(pmf)-1 (thin
    cells, and everything beyond, pooled into one)."""
    from scipy import stats

    expected = len(x) * pmf
    keep = expected >= 5
    obs = np.bincount(x, minlength=len(pmf))
    o = np.append(obs[: len(pmf)][keep], obs[: len(pmf)][~keep].sum() + obs[len(pmf) :].sum())
    e = np.append(expected[keep], len(x) - expected[keep].sum())
    if e[-1] < 1e-9:
        o, e = o[:-1], e[:-1]
    e *= o.sum() / e.sum()
    return float(stats.chisquare(o, e).pvalue)


def test_normal_draws_follow_the_normal_law() -> None:
    from scipy import stats

    st = new_state(np.random.SeedSequence(4).generate_state(4, np.uint64))
    x = _draw_many(st, 2, 0.0, 0, 200_000)
    assert stats.kstest(x, stats.norm.cdf).pvalue > 1e-4
    # the ziggurat's tail (beyond 3.654) and wedges: tail mass as the law says
    tail = float(np.mean(np.abs(x) > 3.0))
    assert abs(tail - 2 * stats.norm.sf(3.0)) < 5 * np.sqrt(2 * stats.norm.sf(3.0) / len(x))


@pytest.mark.parametrize("lam", [0.0, 0.7, 6.0, 9.99, 10.0, 37.5, 6000.0])
def test_poisson_draws_follow_the_poisson_law(lam: float) -> None:
    from scipy import stats

    st = new_state(np.random.SeedSequence(5).generate_state(4, np.uint64))
    x = _draw_many(st, 3, lam, 0, 50_000).astype(np.int64)
    if lam == 0.0:
        assert not x.any()
        return
    top = int(lam + 12 * np.sqrt(lam) + 12)
    assert _chisquare_pvalue(x, stats.poisson(lam).pmf(np.arange(top))) > 1e-4


TABLES = ["kosovo_1999_4lists.csv", "rcapture_hiv_rome_4lists.csv", "new_orleans_8lists.csv"]


@pytest.mark.shared
@pytest.mark.parametrize("name", TABLES)
def test_compiled_and_numpy_samplers_agree(shared_data: Path, name: str) -> None:
    t = read_overlap_csv(shared_data / "mse" / name)[None]
    common = dict(K=10, burnin=3000, chains=4, workers=1, seed=21)
    fast = lcmcr(t, LcmcrSettings(**common, samples=8000, thin=20, engine="numba"))  # type: ignore[arg-type]
    slow = lcmcr(t, LcmcrSettings(**common, samples=2000, thin=10, engine="numpy"))  # type: ignore[arg-type]
    for q in (0.25, 0.5, 0.75):
        a, b = np.quantile(fast.draws, q), np.quantile(slow.draws, q)
        tol = 4 * np.hypot(mcse(fast.draws, q), mcse(slow.draws, q))
        assert abs(a - b) <= tol, (q, a, b, tol)


def test_a_chain_in_pieces_is_the_same_chain() -> None:
    t = simulated()
    pats, n_p = observed_patterns(t.counts, t.J)
    sw = chain_seeds(8, 1)[0]
    whole = advance(pats, n_p, 6, 0.25, 0.25, new_chain(t.J, 6, sw), 300, 60, 5)[1]
    c = new_chain(t.J, 6, sw)
    c, first = advance(pats, n_p, 6, 0.25, 0.25, c, 300, 25, 5)
    c, rest = advance(pats, n_p, 6, 0.25, 0.25, c, 0, 35, 5)
    np.testing.assert_array_equal(np.concatenate([first, rest]), whole)


def test_ahead_of_time_module_and_jit_give_the_same_draws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from civcas.estimate import lcmcr_build, lcmcr_kernel

    fn, how = lcmcr_build.kernel()
    if how != "ahead-of-time":
        pytest.skip("no C compiler: the ahead-of-time module could not be built")
    assert fn is not lcmcr_kernel
    t = simulated()
    args = (t.counts, t.J, 7, 0.25, 0.25, 200, 100, 3, chain_seeds(5, 1)[0])
    aot = run_chain(*args)
    monkeypatch.setattr(lcmcr_build, "_loaded", (lcmcr_kernel, "jit"))
    np.testing.assert_array_equal(run_chain(*args), aot)


def test_default_run_stops_at_the_ess_target_and_says_so() -> None:
    from civcas.estimate.convergence import ess_bulk
    from civcas.estimate.lcmcr import STOP_ESS, STOP_TIME

    t = simulated()
    s = LcmcrSettings(K=5, burnin=500, thin=5, chains=2, workers=1, seed=2, ess_target=300)
    r = lcmcr(t, s)
    assert r.stopped == STOP_ESS
    assert r.ess >= 300 and r.ess == ess_bulk(r.draws)
    assert r.iterations == 500 + r.draws.shape[1] * 5
    again = lcmcr(t, s)  # reproducible: the rounds depend on the draws only
    np.testing.assert_array_equal(again.draws, r.draws)
    short = lcmcr(t, LcmcrSettings(K=5, burnin=500, thin=5, chains=2, workers=1, seed=2,
                                   ess_target=1e9, max_seconds=0.2))  # fmt: skip
    assert short.stopped == STOP_TIME and short.ess < 1e9


def test_one_chain_has_a_split_rhat_and_no_convergence_warning() -> None:
    from civcas.estimate import estimate

    t = simulated()
    s = LcmcrSettings(K=5, burnin=1000, thin=5, chains=1, seed=3)
    res = estimate(t, "lcmcr", lcmcr_settings=s)
    assert res["rhat"] is not None and res["rhat"] < 1.05
    assert res["ess"] >= 400
    assert res["run"]["stopped"].startswith("effective sample size target")
    assert not [w for w in res["warnings"] if "converged" in w]
