"""A small, fast random number generator for the compiled LCMCR sampler (numba).

Why not numba's ``np.random``: its gamma and small binomials cost 50-100 ns a draw, the
sampler makes about a hundred of each per iteration, and its state lives outside the
chain (a chain could not be paused in one process and resumed in another). Here:
xoshiro256** for uniforms, the 256-layer ziggurat for normals (Marsaglia & Tsang 2000,
numpy's tables), Marsaglia & Tsang (2000) for gammas, inversion for binomials with a
small mean and Hormann's (1993) BTRS (transformed rejection with squeeze) for the others,
multiplication for Poissons with a small mean and Hormann's (1993) PTRS for the others.

State: ``st`` uint64[4] (xoshiro), nothing else: a chain is fully determined by it.

The samplers are inlined into their callers at numba's level (``inline="always"``): a
call that passes the state array costs a few nanoseconds, and the sampler makes about
two hundred of them per iteration (15% of its time on Kosovo).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_U53 = 1.0 / 9007199254740992.0  # 2^-53
_SMALL_MEAN = 10.0  # binomial by inversion below this mean, BTRS above (BTRS needs >= 10)
# log(k!) - Stirling approximation, k = 0..9 (exact values; a series above)
_TAIL = np.array(
    [
        0.0810614667953272,
        0.0413406959554092,
        0.0276779256849983,
        0.02079067210376509,
        0.0166446911898211,
        0.0138761288230707,
        0.0118967099458917,
        0.0104112652619720,
        0.00925546218271273,
        0.00833056343336287,
    ]
)
_RECIP = np.array([0.0] + [1.0 / x for x in range(1, 129)])  # 1/x: no division in inversion


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 256-layer normal ziggurat on 52-bit integers (numpy's constants)."""
    m1 = 2.0**52
    dn = tn = _ZR
    vn = 0.00492867323399
    q = vn / math.exp(-0.5 * dn * dn)
    ki = np.zeros(256, dtype=np.uint64)
    wi = np.zeros(256)
    fi = np.zeros(256)
    ki[0] = np.uint64(int((dn / q) * m1))
    wi[0], wi[255] = q / m1, dn / m1
    fi[0], fi[255] = 1.0, math.exp(-0.5 * dn * dn)
    for i in range(254, 0, -1):
        dn = math.sqrt(-2.0 * math.log(vn / dn + math.exp(-0.5 * dn * dn)))
        ki[i + 1] = np.uint64(int((dn / tn) * m1))
        tn = dn
        fi[i] = math.exp(-0.5 * dn * dn)
        wi[i] = dn / m1
    return ki, wi, fi


_ZR = 3.6541528853610088  # start of the ziggurat's tail
_INV_ZR = 1.0 / _ZR
_KI, _WI, _FI = _ziggurat_tables()
_M8 = np.uint64(0xFF)
_M52 = np.uint64(0x000FFFFFFFFFFFFF)
_ONE = np.uint64(1)


@njit(inline="always")  # type: ignore[misc]
def _rotl(x: np.uint64, k: int) -> np.uint64:
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True, error_model="numpy")  # type: ignore[misc]
def next_u64(st: np.ndarray) -> np.uint64:
    s0, s1, s2, s3 = st[0], st[1], st[2], st[3]
    result = _rotl(s1 * np.uint64(5), 7) * np.uint64(9)
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    st[0], st[1], st[2], st[3] = s0, s1, s2, s3
    return result


@njit(cache=True, error_model="numpy")  # type: ignore[misc]
def uniform(st: np.ndarray) -> float:
    """Uniform on [0, 1), 53 bits."""
    return float(next_u64(st) >> np.uint64(11)) * _U53


@njit(inline="always", error_model="numpy")  # type: ignore[misc]
def normal(st: np.ndarray) -> float:
    """Standard normal: ziggurat, one 64-bit draw 99% of the time."""
    while True:
        r = next_u64(st)
        idx = np.intp(r & _M8)
        r = r >> np.uint64(8)
        rabs = (r >> _ONE) & _M52
        x = float(rabs) * _WI[idx]
        if r & _ONE:
            x = -x
        if rabs < _KI[idx]:
            return x
        if idx == 0:  # the tail beyond _ZR
            while True:
                xx = -_INV_ZR * math.log1p(-uniform(st))
                yy = -math.log1p(-uniform(st))
                if yy + yy > xx * xx:
                    return -(_ZR + xx) if (rabs >> np.uint64(8)) & _ONE else _ZR + xx
        elif (_FI[idx - 1] - _FI[idx]) * uniform(st) + _FI[idx] < math.exp(-0.5 * x * x):
            return x


@njit(inline="always", error_model="numpy")  # type: ignore[misc]
def gamma(st: np.ndarray, a: float) -> float:
    """Gamma(shape a, scale 1); a > 0."""
    boost = 1.0
    if a < 1.0:
        # Gamma(a) = Gamma(a + 1) * U^(1/a)
        u = 1.0 - uniform(st)  # (0, 1]
        boost = math.exp(math.log(u) / a)
        a += 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = normal(st)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = uniform(st)
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2:
            return d * v * boost
        if u > 0.0 and math.log(u) < 0.5 * x2 + d * (1.0 - v + math.log(v)):
            return d * v * boost


@njit(inline="always", error_model="numpy")  # type: ignore[misc]
def beta_counts(st: np.ndarray, s: int | np.int64, m: int | np.int64) -> float:
    """Beta(1 + s, 1 + m - s), 0 <= s <= m: a rate after s successes in m under a flat prior.

    s = 0 or s = m (common for small latent classes) by inversion, one uniform; otherwise
    as a ratio of two gammas.
    """
    if s == 0:  # Beta(1, 1 + m): 1 - x = U^(1/(1 + m))
        return -math.expm1(math.log(1.0 - uniform(st)) / (1.0 + m))
    if s == m:  # Beta(1 + m, 1): x = U^(1/(1 + m))
        return math.exp(math.log(1.0 - uniform(st)) / (1.0 + m))
    ga = gamma(st, 1.0 + s)
    gb = gamma(st, 1.0 + m - s)
    return float(ga / (ga + gb))


@njit(cache=True, error_model="numpy")  # type: ignore[misc]
def _stirling_tail(k: float) -> float:
    if k <= 9.0:
        return float(_TAIL[int(k)])
    kp1sq = (k + 1.0) * (k + 1.0)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1.0)


@njit(inline="always", error_model="numpy")  # type: ignore[misc]
def _btrs(st: np.ndarray, n: int | np.int64, p: float) -> np.int64:
    """Binomial(n, p) for p <= 0.5 and n p >= 10: Hormann (1993), BTRS."""
    spq = math.sqrt(n * p * (1.0 - p))
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    two_a = 2.0 * a
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    while True:
        u = uniform(st) - 0.5
        v = uniform(st)
        us = 0.5 - abs(u)
        k = math.floor((two_a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return np.int64(k)
        if v <= 0.0:
            continue
        r = p / (1.0 - p)
        alpha = (2.83 + 5.1 / b) * spq
        m = math.floor((n + 1) * p)
        v = math.log(v * alpha / (a / (us * us) + b))
        bound = (
            (m + 0.5) * math.log((m + 1.0) / (r * (n - m + 1.0)))
            + (n + 1.0) * math.log((n - m + 1.0) / (n - k + 1.0))
            + (k + 0.5) * math.log(r * (n - k + 1.0) / (k + 1.0))
            + _stirling_tail(m)
            + _stirling_tail(float(n - m))
            - _stirling_tail(k)
            - _stirling_tail(float(n - k))
        )
        if v <= bound:
            return np.int64(k)


@njit(inline="always", error_model="numpy")  # type: ignore[misc]
def binomial(st: np.ndarray, n: int | np.int64, p: float) -> np.int64:
    """Binomial(n, p): inversion when the mean is small, BTRS otherwise."""
    if n <= 0 or p <= 0.0:
        return np.int64(0)
    if p >= 1.0:
        return np.int64(n)
    flip = p > 0.5
    pp = 1.0 - p if flip else p
    mean = n * pp
    if mean >= _SMALL_MEAN:
        x = _btrs(st, n, pp)
    else:
        u = uniform(st)
        if u < 1.0 - mean:
            # (1 - p)^n >= 1 - n p, so u is below P(X = 0): X = 0 without the exp/log
            x = np.int64(0)
            return n - x if flip else x
        q = 1.0 - pp
        qn = math.exp(n * math.log1p(-pp))
        r = pp / q
        g = r * (n + 1)
        first = True
        while True:
            x = np.int64(0)
            px = qn
            if not first:
                u = uniform(st)
            first = False
            ok = True
            while u > px:
                x += 1
                if x > n:  # rounding can leave u above the whole pmf: start over
                    ok = False
                    break
                u -= px
                px = (g * _RECIP[x] - r) * px if x <= 128 else (g / x - r) * px
            if ok:
                break
    return n - x if flip else x


@njit(inline="always", error_model="numpy")  # type: ignore[misc]
def poisson(st: np.ndarray, lam: float) -> np.int64:
    """Poisson(lam): multiplication below a mean of 10, Hormann's (1993) PTRS above."""
    if lam <= 0.0:
        return np.int64(0)
    if lam < 10.0:
        enlam = math.exp(-lam)
        x = np.int64(0)
        prod = 1.0
        while True:
            prod *= uniform(st)
            if prod > enlam:
                x += 1
            else:
                return x
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = uniform(st) - 0.5
        v = uniform(st)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= vr:
            return np.int64(k)
        if k < 0 or (us < 0.013 and v > us):
            continue
        if v > 0.0 and (
            math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
            <= -lam + k * loglam - math.lgamma(k + 1.0)
        ):
            return np.int64(k)
