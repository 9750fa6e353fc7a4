"""Compiled (numba) blocked Gibbs sampler for LCMCR, one chain per call.

Why compiled: an iteration touches only a few hundred numbers (K classes x J lists x the
observed patterns), so numpy's per-call overhead dominated (~100 us per iteration). A
numba loop does the same work in a few microseconds.

The sampler works on the tabulated data: one multinomial allocation per observed capture
pattern (drawn as conditional binomials), one negative-binomial draw for the number
unobserved, then conjugate draws of lambda, the sticks V and alpha. The random numbers
come from the chain's own generator (:mod:`civcas.estimate.lcmcr_rng`, four uint64 words
of state), and the chain's whole state (lambda, V, alpha, the class order, the generator)
lives in two arrays the caller owns: a chain can run in pieces, in any process, and gives
the same draws as in one piece.

Exact shortcuts (same distribution, fewer draws): a class with nobody in it has
lambda ~ Beta(1, 1), drawn as one uniform, and V ~ Beta(1, beta), drawn by inversion; a
class whose members are all on list j, or none of them, has lambda_j ~ Beta(1 + m, 1) or
Beta(1, 1 + m), also drawn by inversion. The class weights of every pattern come from
one table of products per class (2^J entries, built by doubling) when that is cheaper than
the J products per pattern.

numba is imported here and in lcmcr_rng only; :mod:`civcas.estimate.lcmcr_build` loads
these functions compiled ahead of time (no numba import) or, failing that, from numba's
cache.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .lcmcr_rng import beta_counts, binomial, gamma, poisson, uniform

_LAM_EPS = 1e-12
_MAX_RATE = 1e12
_PER_PERSON = 6  # below this many people left, draw each person's class directly

# layout of the float state: lambda (J x K, row-major), V (K), alpha, class order (K)
INIT_SIG = "void(u8[::1], f8[::1], i8, i8)"
RUN_SIG = "void(i8[:, ::1], i8[::1], i8, f8, f8, f8[::1], u8[::1], i8, i8, i8, i8[::1])"


def state_size(J: int, K: int) -> int:
    return J * K + 2 * K + 1


@njit(cache=True, error_model="numpy")  # type: ignore[misc]
def init_state(st: np.ndarray, state: np.ndarray, J: int, K: int) -> None:
    """A chain's starting point: lambda and V uniform, alpha 1, classes in index order."""
    for i in range(J * K):
        state[i] = min(max(uniform(st), _LAM_EPS), 1.0 - _LAM_EPS)
    for k in range(K - 1):
        state[J * K + k] = min(max(uniform(st), 1e-300), 1.0 - _LAM_EPS)
    state[J * K + K - 1] = 1.0
    state[J * K + K] = 1.0
    for k in range(K):
        state[J * K + K + 1 + k] = k


@njit(inline="always", error_model="numpy")  # type: ignore[misc]
def _multinomial_into(
    st: np.ndarray,
    n: int | np.int64,
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


@njit(cache=True, error_model="numpy")  # type: ignore[misc]
def run_chain(
    pats: np.ndarray,
    n_p: np.ndarray,
    K: int,
    a: float,
    b: float,
    state: np.ndarray,
    st: np.ndarray,
    burnin: int,
    n_keep: int,
    thin: int,
    out: np.ndarray,
) -> None:
    """Advance one chain ``burnin + n_keep * thin`` iterations; keep N every ``thin`` after
    the burn-in, in out[:n_keep]. ``state`` (see :func:`init_state`) and the generator
    ``st`` are updated in place, so the next call continues the chain.

    pats: (P, J) 0/1 observed capture patterns; n_p: (P,) their counts (all > 0).
    """
    P, J = pats.shape
    JK = J * K
    n_obs = 0
    for p in range(P):
        n_obs += n_p[p]
    lam = state[:JK].reshape((J, K))
    V = state[JK : JK + K]
    alpha = state[JK + K]
    order = np.empty(K, dtype=np.int64)
    for k in range(K):
        order[k] = np.int64(state[JK + K + 1 + k])
    pi = np.empty(K)
    q0 = np.empty(K)
    w = np.empty(K)
    suffix = np.empty(K)
    alloc = np.empty(K, dtype=np.int64)
    m = np.empty(K, dtype=np.int64)
    s = np.empty((J, K), dtype=np.int64)
    C = 1 << J
    use_table = 2 * C < P * J  # products per class by doubling, or J per pattern
    tab = np.empty((C, K)) if use_table else np.empty((1, K))
    allocs = np.empty((P, K), dtype=np.int64)  # observed people by pattern and class
    code = np.zeros(P, dtype=np.int64)
    for p in range(P):
        for j in range(J):
            if pats[p, j]:
                code[p] |= 1 << j
    kept = 0
    total = burnin + n_keep * thin
    for it in range(total):
        # class weights from the sticks; classes by decreasing weight (insertion sort
        # from last iteration's order: nearly sorted already)
        rest = 1.0
        for k in range(K):
            pi[k] = V[k] * rest
            rest *= 1.0 - V[k]
        for i in range(1, K):
            o = order[i]
            v = pi[o]
            h = i - 1
            while h >= 0 and pi[order[h]] < v:
                order[h + 1] = order[h]
                h -= 1
            order[h + 1] = o
        # (2) number unobserved: NegBin(n_obs, 1 - pi0) as a gamma-Poisson mixture
        pi0 = 0.0
        if use_table:
            for k in range(K):
                tab[0, k] = pi[k]
            size = 1
            for j in range(J):
                for c in range(size):
                    for k in range(K):
                        t = tab[c, k]
                        lj = lam[j, k]
                        tab[c + size, k] = t * lj
                        tab[c, k] = t * (1.0 - lj)
                size *= 2
            for k in range(K):
                q0[k] = tab[0, k]
                pi0 += q0[k]
        else:
            for k in range(K):
                prod = pi[k]
                for j in range(J):
                    prod *= 1.0 - lam[j, k]
                q0[k] = prod
                pi0 += prod
        # capped so that a degenerate state (nearly everyone unseeable) cannot overflow
        rate = min(gamma(st, n_obs) * pi0 / max(1.0 - pi0, 1e-300), _MAX_RATE)
        n0 = poisson(st, rate)
        # (1) and (3): allocate observed patterns and the unobserved to classes
        for k in range(K):
            m[k] = 0
            for j in range(J):
                s[j, k] = 0
        for p in range(P):
            if use_table:
                wp = tab[code[p]]
            else:
                wp = w
                for k in range(K):
                    prod = pi[k]
                    for j in range(J):
                        if pats[p, j]:
                            prod *= lam[j, k]
                        else:
                            prod *= 1.0 - lam[j, k]
                    w[k] = prod
            _multinomial_into(st, n_p[p], wp, order, suffix, allocs[p])
        # class sizes and list counts from the allocation (no branch per person)
        for p in range(P):
            for k in range(K):
                m[k] += allocs[p, k]
        for j in range(J):
            for p in range(P):
                if pats[p, j]:
                    for k in range(K):
                        s[j, k] += allocs[p, k]
        if n0 > 0:
            _multinomial_into(st, n0, q0, order, suffix, alloc)
            for k in range(K):
                m[k] += alloc[k]
        # (4) alpha | V (current sticks), then lambda and V | allocation, alpha
        log_rest = 0.0
        for k in range(K - 1):
            log_rest += math.log1p(-V[k])
        alpha = gamma(st, a + K - 1) / (b - log_rest)
        tail = 0
        for k in range(K - 1, -1, -1):
            mk = m[k]
            if mk == 0:
                for j in range(J):
                    lam[j, k] = min(max(uniform(st), _LAM_EPS), 1.0 - _LAM_EPS)
            else:
                for j in range(J):
                    v = beta_counts(st, s[j, k], mk)
                    lam[j, k] = min(max(v, _LAM_EPS), 1.0 - _LAM_EPS)
            if k < K - 1:
                beta = alpha + tail
                if mk == 0:
                    # Beta(1, beta) by inversion: 1 - V = U^(1/beta)
                    u = 1.0 - uniform(st)  # in (0, 1]
                    v = -math.expm1(math.log(u) / beta)
                else:
                    va = gamma(st, 1.0 + mk)
                    vb = gamma(st, beta)
                    v = va / (va + vb)
                V[k] = min(max(v, 1e-300), 1.0 - _LAM_EPS)
            tail += mk
        if it >= burnin and (it - burnin + 1) % thin == 0:
            out[kept] = n_obs + n0
            kept += 1
    state[JK + K] = alpha
    for k in range(K):
        state[JK + K + 1 + k] = order[k]
