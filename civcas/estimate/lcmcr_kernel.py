"""Compiled (numba) blocked Gibbs sampler for LCMCR, one chain per call.

Why compiled: an iteration touches only a few hundred numbers (K classes x J lists x the
observed patterns), so numpy's per-call overhead dominated (~100 us per iteration). A
numba loop does the same work in a few microseconds.

The sampler works on the tabulated data: one multinomial allocation per observed capture
pattern (drawn as conditional binomials), one negative-binomial draw for the number
unobserved, then conjugate draws of lambda, the sticks V and alpha. The random numbers
come from the chain's own generator (:mod:`civcas.estimate.lcmcr_rng`, state passed in as
four seed words; numba's generator, for the one Poisson draw per iteration, is seeded from
the same words), so a chain is reproducible from its seed alone, whichever process runs it.

Exact shortcuts (same distribution, fewer draws): a class with nobody in it has
lambda ~ Beta(1, 1), drawn as one uniform, and V ~ Beta(1, beta), drawn by inversion; a
class whose members are all on list j, or none of them, has lambda_j ~ Beta(1 + m, 1) or
Beta(1, 1 + m), also drawn by inversion.

numba is imported here and in lcmcr_rng only; :mod:`civcas.estimate.lcmcr` imports them
lazily.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .lcmcr_rng import beta_counts, binomial, gamma, uniform

_LAM_EPS = 1e-12
_MAX_RATE = 1e12


_PER_PERSON = 6  # below this many people left, draw each person's class directly


@njit(cache=True)  # type: ignore[misc]
def _multinomial_into(
    st: np.ndarray,
    nc: np.ndarray,
    n: int,
    w: np.ndarray,
    order: np.ndarray,
    suffix: np.ndarray,
    out: np.ndarray,
) -> None:
    """Allocate n people to classes with weights w (not normalised); counts into out.

    Conditional binomials, largest classes first (``order``: classes by decreasing weight,
    roughly), so few people are left for the small classes; the last few people are
    placed one by one. Any order gives the same multinomial distribution.
    """
    K = w.shape[0]
    total = 0.0
    for i in range(K - 1, -1, -1):
        total += w[order[i]]
        suffix[i] = total
    for k in range(K):
        out[k] = 0
    rem = np.int64(n)
    i = 0
    while rem > _PER_PERSON and i < K - 1:
        if suffix[i] <= 0.0:
            break
        k = order[i]
        p = w[k] / suffix[i]
        if p >= 1.0:
            out[k] += rem
            return
        if p > 0.0:
            x = binomial(st, rem, p)
            out[k] += x
            rem -= x
        i += 1
    if rem > 0 and i == K - 1:
        out[order[K - 1]] += rem
        return
    while rem > 0:
        u = uniform(st) * suffix[i]
        acc = 0.0
        last = order[i]
        for j in range(i, K):
            k = order[j]
            if w[k] > 0.0:
                last = k
                acc += w[k]
                if u < acc:
                    break
        out[last] += 1
        rem -= 1


@njit(cache=True)  # type: ignore[misc]
def sample_chain(
    pats: np.ndarray,
    n_p: np.ndarray,
    K: int,
    a: float,
    b: float,
    burnin: int,
    n_keep: int,
    thin: int,
    seed_words: np.ndarray,
) -> np.ndarray:
    """Run one chain; returns the kept draws of N (n_keep,), one every ``thin`` iterations.

    pats: (P, J) 0/1 observed capture patterns; n_p: (P,) their counts (all > 0).
    """
    st = seed_words.copy()
    nc = np.zeros(2)
    np.random.seed(np.uint32(st[0] & np.uint64(0xFFFFFFFF)))
    P, J = pats.shape
    n_obs = 0
    for p in range(P):
        n_obs += n_p[p]
    lam = np.empty((J, K))
    for j in range(J):
        for k in range(K):
            lam[j, k] = min(max(uniform(st), _LAM_EPS), 1.0 - _LAM_EPS)
    alpha = 1.0
    V = np.empty(K)
    for k in range(K - 1):
        V[k] = min(max(uniform(st), 1e-300), 1.0 - _LAM_EPS)
    V[K - 1] = 1.0
    pi = np.empty(K)
    q0 = np.empty(K)
    w = np.empty(K)
    suffix = np.empty(K)
    alloc = np.empty(K, dtype=np.int64)
    m = np.empty(K, dtype=np.int64)
    s = np.empty((J, K), dtype=np.int64)
    out = np.empty(n_keep, dtype=np.int64)
    kept = 0
    total = burnin + n_keep * thin
    for it in range(total):
        # class weights from the sticks
        rest = 1.0
        for k in range(K):
            pi[k] = V[k] * rest
            rest *= 1.0 - V[k]
        order = np.argsort(-pi)
        # (2) number unobserved: NegBin(n_obs, 1 - pi0) as a gamma-Poisson mixture
        pi0 = 0.0
        for k in range(K):
            prod = pi[k]
            for j in range(J):
                prod *= 1.0 - lam[j, k]
            q0[k] = prod
            pi0 += prod
        # capped so that a degenerate state (nearly everyone unseeable) cannot overflow
        rate = min(gamma(st, nc, n_obs) * pi0 / max(1.0 - pi0, 1e-300), _MAX_RATE)
        n0 = np.random.poisson(rate)
        # (1) and (3): allocate observed patterns and the unobserved to classes
        for k in range(K):
            m[k] = 0
            for j in range(J):
                s[j, k] = 0
        for p in range(P):
            for k in range(K):
                prod = pi[k]
                for j in range(J):
                    if pats[p, j]:
                        prod *= lam[j, k]
                    else:
                        prod *= 1.0 - lam[j, k]
                w[k] = prod
            _multinomial_into(st, nc, n_p[p], w, order, suffix, alloc)
            for k in range(K):
                x = alloc[k]
                if x:
                    m[k] += x
                    for j in range(J):
                        if pats[p, j]:
                            s[j, k] += x
        if n0 > 0:
            _multinomial_into(st, nc, n0, q0, order, suffix, alloc)
            for k in range(K):
                m[k] += alloc[k]
        # (4) alpha | V (current sticks), then lambda and V | allocation, alpha
        log_rest = 0.0
        for k in range(K - 1):
            log_rest += math.log1p(-V[k])
        alpha = gamma(st, nc, a + K - 1) / (b - log_rest)
        tail = 0
        for k in range(K - 1, -1, -1):
            mk = m[k]
            if mk == 0:
                for j in range(J):
                    lam[j, k] = min(max(uniform(st), _LAM_EPS), 1.0 - _LAM_EPS)
            else:
                for j in range(J):
                    v = beta_counts(st, nc, s[j, k], mk)
                    lam[j, k] = min(max(v, _LAM_EPS), 1.0 - _LAM_EPS)
            if k < K - 1:
                beta = alpha + tail
                if mk == 0:
                    # Beta(1, beta) by inversion: 1 - V = U^(1/beta)
                    u = 1.0 - uniform(st)  # in (0, 1]
                    v = -math.expm1(math.log(u) / beta)
                else:
                    va = gamma(st, nc, 1.0 + mk)
                    vb = gamma(st, nc, beta)
                    v = va / (va + vb)
                V[k] = min(max(v, 1e-300), 1.0 - _LAM_EPS)
            tail += mk
        if it >= burnin and (it - burnin + 1) % thin == 0:
            out[kept] = n_obs + n0
            kept += 1
    return out
