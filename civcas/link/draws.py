"""Draws of who is who, so that an estimate can carry the linkage's uncertainty.

One clustering hides how unsure it is: multiple systems estimation reads every missed
link as a person only one list saw, and intervals about 1% wide missed the true size
although the estimators were right on the true links (docs/link.md, End to end). Each
draw re-decides the uncertain links with the model's probabilities, starting from the
clustering at the match threshold: a link inside a cluster is kept with its probability
(a cluster splits only if its kept links no longer join it) unless the model is sure of
it (0.95 or more: kept in every draw), and two clusters joined by a weaker pair merge
with that pair's probability. A cluster's merge probabilities are scaled to sum to at
most one (it is one person: at most one of the candidates can be right), and pairs
whose merge would join records that cannot be one person
(cluster.Conflicts) are never merged. Reviewed pairs are not drawn: accepted ones are
always joined, rejected ones never linked directly. Estimating on each draw and
combining (civcas.estimate.estimate_linkages) is multiple imputation of the linkage, a
cheap stand-in for a joint model of linkage and population size (Sadinle 2018).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .cluster import Conflicts


def draw_people(
    roots: np.ndarray,
    li: np.ndarray,
    ri: np.ndarray,
    prob: np.ndarray,
    threshold: float,
    *,
    draws: int,
    seed: int = 1,
    conflicts: Conflicts | None = None,
    accepted: Sequence[tuple[int, int]] = (),
    rejected: Sequence[tuple[int, int]] = (),
    sure: float = 0.95,
) -> np.ndarray:
    """``draws`` clusterings (rows) of the n records (columns, person labels per row).

    ``roots``: each record's cluster at ``threshold`` (cluster.cluster_positions);
    ``li``, ``ri``, ``prob``: the scored pairs by row position. Links at ``sure`` or
    above are never dropped: the model understates them (simulation seed 200: pairs
    scored 0.95-0.99 were true 99.1% of the time, against 97.7% on average by the
    model), and dropping them by its figure split people at random, which LCMCR reads as
    a class the lists rarely see (seeds 200-207, sigma 0: LCMCR covered in 4 of 8 with
    every link drawn, 7 of 8 with this; log-linear 8 and 7, DGA 8 and 7).
    """
    n = len(roots)
    li, ri = np.asarray(li, dtype=np.int64), np.asarray(ri, dtype=np.int64)
    p = np.asarray(prob, dtype=float).copy()
    if len(rejected):
        key = lambda a, b: np.minimum(a, b) * n + np.maximum(a, b)  # noqa: E731
        rej = np.array(rejected, dtype=np.int64).reshape(-1, 2)
        p[np.isin(key(li, ri), key(rej[:, 0], rej[:, 1]))] = 0.0
    inside = (roots[li] == roots[ri]) & (p >= threshold)
    acc = np.array(accepted, dtype=np.int64).reshape(-1, 2)
    wl = np.concatenate([li[inside], acc[:, 0]])
    wr = np.concatenate([ri[inside], acc[:, 1]])
    wp = np.concatenate([np.where(p[inside] >= sure, 1.0, p[inside]), np.ones(len(acc))])
    a, b, q = _merges(roots, li, ri, p, threshold, conflicts)  # a, b: the pair's records
    rng = np.random.default_rng(seed)
    out = np.empty((draws, n), dtype=np.int64)
    for k in range(draws):
        keep = rng.random(len(wp)) < wp
        join = rng.random(len(q)) < q
        left = np.concatenate([wl[keep], a[join]])
        right = np.concatenate([wr[keep], b[join]])
        graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n))
        out[k] = connected_components(graph, directed=False)[1]
    return out


def _merges(
    roots: np.ndarray,
    li: np.ndarray,
    ri: np.ndarray,
    p: np.ndarray,
    threshold: float,
    conflicts: Conflicts | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair of clusters a weaker pair joins: that pair's two records (the strongest
    pair between the clusters: a draw that splits a cluster merges the part it names)
    and the merge probability."""
    n = len(roots)
    weak = np.flatnonzero((roots[li] != roots[ri]) & (p < threshold) & (p > 0))
    code = np.minimum(roots[li], roots[ri])[weak] * n + np.maximum(roots[li], roots[ri])[weak]
    order = np.lexsort((-p[weak], code))  # per pair of clusters, its strongest pair first
    code, weak = code[order], weak[order]
    strongest = weak[np.r_[True, code[1:] != code[:-1]]]
    a, b, q = li[strongest], ri[strongest], p[strongest]
    ra, rb = roots[a], roots[b]
    if conflicts is not None:
        ok = ~conflicts.merges_in_conflict(roots, ra, rb)
        a, b, q, ra, rb = a[ok], b[ok], q[ok], ra[ok], rb[ok]
    mass = np.bincount(np.concatenate([ra, rb]), weights=np.concatenate([q, q]), minlength=n)
    scale = 1 / np.maximum(mass, 1.0)
    return a, b, q * np.minimum(scale[ra], scale[rb])
