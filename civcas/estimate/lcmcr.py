"""Bayesian latent-class capture-recapture (Manrique-Vallier 2016), blocked Gibbs sampler.

Two implementations of the same sampler on the tabulated counts (one multinomial draw per
observed pattern, not one draw per person):

- ``numba`` (default when numba is installed, ``civcas[estimate]``): a compiled kernel,
  one chain per call with its own generator seeded from the chain's seed
  (:mod:`civcas.estimate.lcmcr_kernel`), a few microseconds per iteration;
- ``numpy``: stacked-array chains in plain numpy (:mod:`civcas.estimate.lcmcr_numpy`),
  ~100 us per iteration, kept as the fallback and as an independent check.

Chains are spread over worker processes. With the numba engine every chain gets its own
seed, spawned from the user's seed (``SeedSequence(seed).spawn(chains)``), so the draws of
chain i depend only on (seed, i), not on the number of workers.

Settings: ``samples`` is the number of retained draws over ALL chains together; each chain
runs ``burnin + ceil(samples / chains) * thin`` iterations.
"""

from __future__ import annotations

import math
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model.errors import InputError, MissingExtraError
from .lcmcr_numpy import run_chains
from .tables import CaptureTable

ENGINES = ("auto", "numba", "numpy")


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
    engine: str = "auto"


def resolve_engine(engine: str) -> str:
    """The engine to run: "auto" means numba when it is installed, numpy otherwise."""
    if engine not in ENGINES:
        raise InputError(f"unknown LCMCR engine {engine!r}: choose {', '.join(ENGINES)}")
    if engine == "numpy":
        return engine
    try:
        import numba  # noqa: F401
    except ImportError:
        if engine == "numba":
            raise MissingExtraError("numba", "estimate") from None
        return "numpy"
    return "numba"


def observed_patterns(counts: np.ndarray, J: int) -> tuple[np.ndarray, np.ndarray]:
    """(P, J) 0/1 patterns with a non-zero count, and those counts."""
    w = np.arange(2**J)
    pats = (w[:, None] >> np.arange(J)[None, :]) & 1
    obs = np.flatnonzero(counts > 0)
    obs = obs[obs > 0]
    return np.ascontiguousarray(pats[obs], dtype=np.int64), counts[obs].astype(np.int64)


def chain_seeds(seed: int, chains: int) -> list[np.ndarray]:
    """Four uint64 words per chain, spawned from the user's seed."""
    return [ss.generate_state(4, np.uint64) for ss in np.random.SeedSequence(seed).spawn(chains)]


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
    """One chain with the compiled sampler; returns its n_keep draws of N."""
    from .lcmcr_kernel import sample_chain

    pats, n_p = observed_patterns(counts, J)
    out: np.ndarray = sample_chain(
        pats, n_p, int(K), float(a), float(b), int(burnin), int(n_keep), int(thin), seed_words
    )
    return out


def _numba_worker(args: tuple[Any, ...]) -> np.ndarray:
    return run_chain(*args)


def _worker(args: tuple[Any, ...]) -> np.ndarray:
    return run_chains(*args)


@dataclass
class LcmcrResult:
    draws: np.ndarray  # (chains, draws) of N
    rhat: float
    ess: float
    settings: LcmcrSettings
    engine: str = "numpy"


def lcmcr(table: CaptureTable, settings: LcmcrSettings | None = None) -> LcmcrResult:
    s = settings or LcmcrSettings()
    for name in ("K", "chains", "samples", "thin"):
        if getattr(s, name) < 1:
            raise InputError(f"LCMCR setting {name} must be at least 1, got {getattr(s, name)}")
    if s.burnin < 0:
        raise InputError(f"LCMCR burn-in must be 0 or more, got {s.burnin}")
    engine = resolve_engine(s.engine)
    per_chain = math.ceil(s.samples / s.chains)
    workers = s.workers if s.workers is not None else min(s.chains, os.cpu_count() or 1)
    workers = max(1, min(workers, s.chains))
    if engine == "numba":
        draws = _run_numba(table, s, per_chain, workers)
    else:
        draws = _run_numpy(table, s, per_chain, workers)
    rhat, ess = convergence(draws)
    return LcmcrResult(draws=draws, rhat=rhat, ess=ess, settings=s, engine=engine)


def _run_numba(table: CaptureTable, s: LcmcrSettings, per_chain: int, workers: int) -> np.ndarray:
    seeds = chain_seeds(s.seed, s.chains)
    jobs = [(table.counts, table.J, s.K, s.a, s.b, s.burnin, per_chain, s.thin, sw) for sw in seeds]
    if workers == 1:
        return np.vstack([_numba_worker(j) for j in jobs])
    # compile (or load from numba's cache) once here, so forked workers inherit it
    run_chain(table.counts, table.J, s.K, s.a, s.b, 0, 1, 1, seeds[0])
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return np.vstack(list(pool.map(_numba_worker, jobs)))


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
    with ProcessPoolExecutor(max_workers=len(jobs)) as pool:
        return np.vstack(list(pool.map(_worker, jobs)))


def convergence(draws: np.ndarray) -> tuple[float, float]:
    """Rank-normalised R-hat and bulk ESS (ArviZ) of N over the chains."""
    x = draws.astype(np.float64)
    if x.shape[0] < 2 or x.shape[1] < 4:
        return math.nan, math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import arviz as az

        rhat = float(az.rhat(x))
        ess = float(az.ess(x, method="bulk"))
    return rhat, ess
