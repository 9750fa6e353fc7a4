"""A pair's probability when one of its records is in a register (``--unique``).

Splink scores each pair on its own: with ``lam`` the chance that two records drawn at
random are one person and ``bf`` the pair's Bayes factor, its probability is
``lam*bf / (lam*bf + 1 - lam)``. A register (a list that names each person once, such as
a ministry release) changes the question for a record x of another list: x is at most
one of the register's N records, and one of them with some probability ``pi`` (most
people in a press list are in the ministry's list; ``lam * N`` is far below that). Then

    P(x is k) = (pi/N)*bf_k / ((1 - pi) + (pi/N) * sum_j bf_j),

the sum over x's candidates in the register (a pair blocking never offered has a Bayes
factor near 0, and so has one scored below the prediction threshold). A lone good
candidate gains; candidates that compete for x (two sisters of one chain) share.
``pi`` per (list, register) is the fixed point of ``pi = mean over x of P(x is someone
in the register)``: EM for the mixture's weight. A pair of two registers is given the
lower of its two views. The bipartite models of record linkage (Jaro 1989; Sadinle
2017) make the same assumption; this is its simplest, pair-by-pair form.

Measured on the Airwars Gaza list against the ministry's 2024-08 release, held-out
half, this step alone (everything else equal): F1 0.894 -> 0.914, precision 0.990 ->
0.997; the final figures are in benchmarks/results/link_real.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_ITERATIONS = 200
_TOLERANCE = 1e-9


def register_posterior(
    pairs: pd.DataFrame,
    lists: np.ndarray,
    unique: np.ndarray,
    lam: float,
    repeats: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, dict[tuple[str, str], float]]:
    """``pairs`` (unique_id_l / _r are positions in ``lists``) with the probabilities
    of pairs that touch a register recomputed as above; and ``pi`` per (list, register).

    ``unique``: per record its register's bit, 0 outside registers (pipeline._unique_bits).
    Pairs inside one register are expected to be gone already; ``repeats`` are such
    pairs the model scored as one person (the ministry's release names some people
    twice, under two ids): records joined by them do not compete for x, only the
    better of them counts in the sum (without this, x's match fell to one half)."""
    if not len(pairs) or not 0 < lam < 1:
        return pairs, {}
    entity = np.arange(len(lists))
    if repeats is not None and len(repeats):
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        a, b = repeats["unique_id_l"].to_numpy(), repeats["unique_id_r"].to_numpy()
        graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(lists), len(lists)))
        entity = connected_components(graph, directed=False)[1]
    p = pairs["match_probability"].to_numpy(dtype=float).clip(0.0, 1 - 1e-12)
    odds = p / (1 - p)
    li = pairs["unique_id_l"].to_numpy(dtype=np.int64)
    ri = pairs["unique_id_r"].to_numpy(dtype=np.int64)
    codes, names = pd.factorize(pd.Series(lists).astype(str))
    size = np.bincount(codes, minlength=len(names))
    new_p = np.full(len(p), np.inf)
    shares: dict[tuple[str, str], float] = {}
    for x, k in ((li, ri), (ri, li)):  # x's view of the register k is in
        at = np.flatnonzero(unique[k] != 0)
        if not len(at):
            continue
        xs = x[at]
        view = codes[xs].astype(np.int64) * len(names) + codes[k[at]]
        for v in np.unique(view):
            m = at[view == v]
            x_list, r_list = divmod(int(v), len(names))
            who, inverse = np.unique(x[m], return_inverse=True)
            # the sum of odds per record x, a register's repeats counted once (the best)
            best = pd.Series(odds[m]).groupby([inverse, entity[k[m]]]).max()
            total = np.bincount(best.index.get_level_values(0), weights=best.to_numpy(),
                                minlength=len(who))  # fmt: skip
            pi = _share(total, size[x_list], size[r_list], lam)
            c = pi * (1 - lam) / (size[r_list] * lam)
            post = c * odds[m] / ((1 - pi) + c * total[inverse])
            new_p[m] = np.minimum(new_p[m], post)
            shares[(str(names[x_list]), str(names[r_list]))] = pi
    touched = np.isfinite(new_p)
    return pairs.assign(match_probability=np.where(touched, new_p, p)), shares


def _share(total: np.ndarray, n_list: int, n_register: int, lam: float) -> float:
    """pi: the share of the list's records that are in the register (fixed point)."""
    pi = 0.5
    for _ in range(_ITERATIONS):
        c = pi * (1 - lam) / (n_register * lam)
        new = float((c * total / ((1 - pi) + c * total)).sum()) / n_list
        new = min(max(new, 1e-6), 1 - 1e-6)
        if abs(new - pi) < _TOLERANCE:
            return new
        pi = new
    return pi
