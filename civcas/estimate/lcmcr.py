"""Bayesian latent-class capture-recapture (Manrique-Vallier 2016), blocked Gibbs sampler.

Two implementations of the same sampler on the tabulated counts (one multinomial draw per
observed pattern, not one draw per person):

- ``numba`` (default when numba is installed, ``civcas[estimate]``): a compiled kernel,
  one chain per call with its own generator seeded from the chain's seed
  (:mod:`civcas.estimate.lcmcr_kernel`, loaded by :mod:`civcas.estimate.lcmcr_build`),
  a few microseconds per iteration;
- ``numpy``: stacked-array chains in plain numpy (:mod:`civcas.estimate.lcmcr_numpy`),
  ~100 us per iteration, kept as the fallback and as an independent check.

How long to run. By default (``samples=None``) the chains run until the bulk effective
sample size of N over all chains reaches ``ess_target`` (400), or until ``max_seconds``:
first a burn-in and ``ess_target / chains`` draws per chain (10 to 250), then rounds
sized from the ESS per draw seen so far (at most doubling the draws each round). The
result says which stop it was. The clock is read between rounds (the burn-in and the
first round always run; a later round is cut to the time left at the speed seen so far).
The draws are reproducible from the seed unless the time limit stopped the run (the
rounds then depend on the machine's speed). With ``samples`` given, the run has the
fixed length of R's LCMCR: each chain runs ``burnin + ceil(samples / chains) * thin``
iterations.

Chains are spread over worker processes. With the numba engine every chain gets its own
seed, spawned from the user's seed (``SeedSequence(seed).spawn(chains)``), and carries its
whole state between rounds, so the draws of chain i depend only on (seed, i) and the
rounds, not on the number of workers.
"""

from __future__ import annotations

import importlib.util
import math
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model.errors import InputError, MissingExtraError
from .convergence import ess_bulk, rhat
from .lcmcr_numpy import run_chains
from .tables import CaptureTable

if TYPE_CHECKING:
    from concurrent.futures import Executor

ENGINES = ("auto", "numba", "numpy")
STOP_ESS = "effective sample size target reached"
STOP_TIME = "time limit reached before the effective sample size target"
STOP_FIXED = "fixed number of draws"


@dataclass(frozen=True)
class LcmcrSettings:
    K: int = 10
    a: float = 0.25
    b: float = 0.25
    burnin: int = 10_000
    samples: int | None = None  # None: run until ess_target (or max_seconds)
    thin: int = 100
    chains: int = 4
    workers: int | None = None
    seed: int = 1
    engine: str = "auto"
    ess_target: float = 400.0
    max_seconds: float = 300.0


def resolve_engine(engine: str) -> str:
    """The engine to run: "auto" means numba when it is installed, numpy otherwise."""
    if engine not in ENGINES:
        raise InputError(f"unknown LCMCR engine {engine!r}: choose {', '.join(ENGINES)}")
    if engine == "numpy":
        return engine
    if importlib.util.find_spec("numba") is None:
        if engine == "numba":
            raise MissingExtraError("numba", "estimate")
        return "numpy"
    return "numba"


def observed_patterns(counts: np.ndarray, J: int) -> tuple[np.ndarray, np.ndarray]:
    """(P, J) 0/1 patterns with a non-zero count, and those counts."""
    w = np.arange(2**J)
    pats = (w[:, None] >> np.arange(J)[None, :]) & 1
    obs = np.flatnonzero(counts > 0)
    obs = obs[obs > 0]
    return np.ascontiguousarray(pats[obs], dtype=np.int64), np.ascontiguousarray(
        counts[obs], dtype=np.int64
    )


def chain_seeds(seed: int, chains: int) -> list[np.ndarray]:
    """Four uint64 words per chain, spawned from the user's seed."""
    return [ss.generate_state(4, np.uint64) for ss in np.random.SeedSequence(seed).spawn(chains)]


@dataclass
class Chain:
    """One compiled chain between rounds: its sampler state and generator."""

    state: np.ndarray  # float64, lcmcr_kernel.state_size(J, K)
    st: np.ndarray  # uint64[4]


def new_state(seed_words: np.ndarray) -> np.ndarray:
    """Generator state (xoshiro256**) from 4 uint64 words, e.g. from :func:`chain_seeds`."""
    st = np.asarray(seed_words, dtype=np.uint64).copy()
    if not st.any():
        st[0] = np.uint64(0x9E3779B97F4A7C15)
    return st


def new_chain(J: int, K: int, seed_words: np.ndarray) -> Chain:
    from .lcmcr_build import kernel

    st = new_state(seed_words)
    state = np.empty(J * K + 2 * K + 1)
    kernel()[0].init_state(st, state, J, K)
    return Chain(state, st)


def advance(
    pats: np.ndarray,
    n_p: np.ndarray,
    K: int,
    a: float,
    b: float,
    chain: Chain,
    burnin: int,
    n_keep: int,
    thin: int,
) -> tuple[Chain, np.ndarray]:
    """Run a chain on: ``burnin`` iterations, then ``n_keep`` draws of N every ``thin``."""
    from .lcmcr_build import kernel

    out = np.empty(n_keep, dtype=np.int64)
    kernel()[0].run_chain(pats, n_p, K, a, b, chain.state, chain.st, burnin, n_keep, thin, out)
    return chain, out


def run_chain(
    counts: np.ndarray,
    J: int,
    K: int,
    a: float,
    b: float,
    burnin: int,
    n_keep: int,
    thin: int,
    seed_words: np.ndarray,
) -> np.ndarray:
    """One chain from its seed with the compiled sampler; returns its n_keep draws of N."""
    pats, n_p = observed_patterns(counts, J)
    return advance(pats, n_p, K, a, b, new_chain(J, K, seed_words), burnin, n_keep, thin)[1]


def _advance_job(args: tuple[Any, ...]) -> tuple[Chain, np.ndarray]:
    return advance(*args)


def _worker(args: tuple[Any, ...]) -> np.ndarray:
    return run_chains(*args)


@dataclass
class LcmcrResult:
    draws: np.ndarray  # (chains, draws) of N
    rhat: float
    ess: float
    settings: LcmcrSettings
    engine: str = "numpy"
    stopped: str = STOP_FIXED
    iterations: int = 0  # per chain, burn-in included
    seconds: float = 0.0
    kernel: str = ""  # "ahead-of-time" or "jit" for the numba engine


def _check(s: LcmcrSettings) -> None:
    for name in ("K", "chains", "thin"):
        if getattr(s, name) < 1:
            raise InputError(f"LCMCR setting {name} must be at least 1, got {getattr(s, name)}")
    if s.samples is not None and s.samples < 1:
        raise InputError(f"LCMCR setting samples must be at least 1, got {s.samples}")
    if s.burnin < 0:
        raise InputError(f"LCMCR burn-in must be 0 or more, got {s.burnin}")
    if not s.ess_target > 0 or not s.max_seconds > 0:
        raise InputError("the ESS target and the time limit must be positive")


def lcmcr(table: CaptureTable, settings: LcmcrSettings | None = None) -> LcmcrResult:
    s = settings or LcmcrSettings()
    _check(s)
    engine = resolve_engine(s.engine)
    workers = s.workers if s.workers is not None else min(s.chains, os.cpu_count() or 1)
    workers = max(1, min(workers, s.chains))
    t0 = time.perf_counter()
    if engine == "numba":
        r = _run_compiled(table, s, workers, t0)
    else:
        per_chain = math.ceil((s.samples or 1000) / s.chains)
        draws = _run_numpy(table, s, per_chain, workers)
        r = LcmcrResult(draws, rhat(draws), ess_bulk(draws), s, engine)
        r.iterations = s.burnin + per_chain * s.thin
        if s.samples is None:  # no resumable chains in numpy: R's length, and say so
            r.stopped = STOP_FIXED + " (the numpy engine does not run to an ESS target)"
    r.seconds = time.perf_counter() - t0
    return r


def _first_round(s: LcmcrSettings) -> int:
    """Draws per chain in the first round: the target's share, between 10 and 250."""
    return max(10, min(math.ceil(s.ess_target / s.chains), 250))


def _next_round(have: int, ess: float, s: LcmcrSettings) -> int:
    """Draws per chain to add: enough for the target at the ESS per draw seen so far, with
    10% to spare, at least a tenth and at most as many as the chains already hold."""
    if not ess > 0:
        return have
    need = math.ceil(have * (1.1 * s.ess_target / ess - 1.0))
    return max(math.ceil(have / 10), min(need, have))


def _run_compiled(table: CaptureTable, s: LcmcrSettings, workers: int, t0: float) -> LcmcrResult:
    from .lcmcr_build import kernel

    _, how = kernel()  # load (or build) once here, so forked workers inherit it
    pats, n_p = observed_patterns(table.counts, table.J)
    chains = [new_chain(table.J, s.K, sw) for sw in chain_seeds(s.seed, s.chains)]
    fixed = s.samples is not None
    n_keep = math.ceil(s.samples / s.chains) if s.samples else _first_round(s)
    pool: Executor | None = None
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=workers)
    parts: list[np.ndarray] = []
    burnin, iters = s.burnin, 0
    try:
        while True:
            jobs = [(pats, n_p, s.K, s.a, s.b, c, burnin, n_keep, s.thin) for c in chains]
            done = list(pool.map(_advance_job, jobs)) if pool else [_advance_job(j) for j in jobs]
            chains = [c for c, _ in done]
            parts.append(np.vstack([d for _, d in done]))
            iters += burnin + n_keep * s.thin
            burnin = 0
            draws = np.hstack(parts)
            r_hat, ess = rhat(draws), ess_bulk(draws)
            if fixed:
                stopped = STOP_FIXED
                break
            if ess >= s.ess_target:
                stopped = STOP_ESS
                break
            elapsed = time.perf_counter() - t0
            if elapsed >= s.max_seconds:
                stopped = STOP_TIME
                break
            n_keep = _next_round(draws.shape[1], ess, s)
            # the last round is cut to what the time left allows, at the speed seen so far
            fits = int((s.max_seconds - elapsed) / elapsed * draws.shape[1])
            n_keep = max(1, min(n_keep, fits))
    finally:
        if pool is not None:
            pool.shutdown()
    return LcmcrResult(draws, r_hat, ess, s, "numba", stopped, iters, 0.0, how)


def _run_numpy(table: CaptureTable, s: LcmcrSettings, per_chain: int, workers: int) -> np.ndarray:
    seeds = np.random.SeedSequence(s.seed).spawn(workers)
    split = [len(c) for c in np.array_split(np.arange(s.chains), workers)]
    jobs = [
        (table.counts, table.J, s.K, s.a, s.b, s.burnin, per_chain, s.thin, n, seeds[i])
        for i, n in enumerate(split)
        if n
    ]
    if len(jobs) == 1:
        return _worker(jobs[0])
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=len(jobs)) as pool:
        return np.vstack(list(pool.map(_worker, jobs)))


def convergence(draws: np.ndarray) -> tuple[float, float]:
    """Rank-normalised split R-hat and bulk ESS of N over the chains (one chain: its
    halves)."""
    return rhat(draws), ess_bulk(draws)
