"""Pairs -> people, honouring clerical decisions.

Connected components would let a chain of model links join two records a reviewer said
are different people. Here accepted pairs are joined first, then model links from the
most to the least probable, and a link is skipped when it would put a rejected pair in
one cluster. So a decision is never overwritten by the model, and undoing a decision
(deleting it) undoes its merge on the next run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np


class _Clusters:
    def __init__(self, ids: Sequence[str]) -> None:
        self.index = {u: i for i, u in enumerate(ids)}
        self.parent = np.arange(len(ids))
        self.cannot: dict[int, set[int]] = {}

    def find(self, i: int) -> int:
        p = self.parent
        root = i
        while p[root] != root:
            root = p[root]
        while p[i] != root:
            p[i], i = root, p[i]
        return int(root)

    def forbid(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        self.cannot.setdefault(ra, set()).add(rb)
        self.cannot.setdefault(rb, set()).add(ra)

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ca, cb = self.cannot.get(ra), self.cannot.get(rb)
        if ca or cb:
            ca_roots = {self.find(x) for x in (ca or ())}
            if rb in ca_roots:
                return False
            cb_roots = {self.find(x) for x in (cb or ())}
            self.cannot[rb] = ca_roots | cb_roots
            for x in self.cannot[rb]:
                self.cannot.setdefault(x, set()).add(rb)
            self.cannot.pop(ra, None)
        self.parent[ra] = rb
        return True


def cluster_pairs(
    ids: Sequence[str],
    pairs_l: np.ndarray,
    pairs_r: np.ndarray,
    prob: np.ndarray,
    threshold: float,
    accepted: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster labels (index of a root record) and each record's best link probability."""
    c = _Clusters(ids)
    idx = c.index
    best = np.full(len(ids), np.nan)
    for a, b in rejected:
        if a in idx and b in idx:
            c.forbid(idx[a], idx[b])
    for a, b in accepted:
        if a in idx and b in idx and c.union(idx[a], idx[b]):
            best[idx[a]] = best[idx[b]] = 1.0
    keep = prob >= threshold
    li = np.fromiter((idx[u] for u in pairs_l[keep]), dtype=np.int64, count=int(keep.sum()))
    ri = np.fromiter((idx[u] for u in pairs_r[keep]), dtype=np.int64, count=int(keep.sum()))
    if not c.cannot:  # no rejected pair: the clusters are the connected components
        return _components(c.parent, li, ri, prob[keep], best)
    order = np.argsort(-prob[keep], kind="stable")
    for a, b, p in zip(li[order].tolist(), ri[order].tolist(), prob[keep][order].tolist(),
                       strict=True):  # fmt: skip
        if c.union(a, b):
            if not best[a] >= p:
                best[a] = p
            if not best[b] >= p:
                best[b] = p
    roots = np.fromiter((c.find(i) for i in range(len(ids))), dtype=np.int64, count=len(ids))
    return roots, best


def _components(
    parent: np.ndarray, li: np.ndarray, ri: np.ndarray, prob: np.ndarray, best: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Union-find in C (scipy) over the accepted unions already in ``parent`` and the
    model's links: without a rejected pair the order of the unions does not matter."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(parent)
    rows = np.concatenate([li, np.arange(n)])
    cols = np.concatenate([ri, parent])
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    for side in (li, ri):
        np.fmax.at(best, side, prob)
    # a root per cluster: its smallest record index (as stable as the loop's roots)
    first = np.full(labels.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n))
    return first[labels], best


def person_ids(ids: Sequence[str], roots: np.ndarray) -> list[str]:
    """Stable person id: a hash of the smallest record id in the cluster."""
    smallest: dict[int, str] = {}
    for u, r in zip(ids, roots.tolist(), strict=True):
        if r not in smallest or u < smallest[r]:
            smallest[r] = u
    names = {r: "P" + hashlib.sha1(u.encode()).hexdigest()[:12] for r, u in smallest.items()}
    return [names[r] for r in roots.tolist()]
