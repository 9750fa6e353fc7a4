"""Pairs -> clusters: the fast path (connected components) and the ordered loop that
honours rejected pairs give the same people when no rejection binds."""

from __future__ import annotations

import numpy as np

from civcas.link.cluster import cluster_pairs


def _partition(roots: np.ndarray) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, r in enumerate(roots.tolist()):
        groups.setdefault(r, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def test_components_equal_the_ordered_loop():
    rng = np.random.default_rng(4)
    n = 3000
    ids = [f"r{i:05d}" for i in range(n)] + ["x1", "x2"]  # x1, x2: linked to nothing
    a, b = rng.integers(0, n, 2500), rng.integers(0, n, 2500)
    left = np.array([ids[i] for i in a], dtype=object)
    right = np.array([ids[i] for i in b], dtype=object)
    prob = rng.random(2500)
    accepted = [("r00001", "r00002"), ("r00003", "r00004")]
    fast, best_fast = cluster_pairs(ids, left, right, prob, 0.6, accepted=accepted)
    # a rejected pair that no link touches sends the same input through the loop
    slow, best_slow = cluster_pairs(
        ids, left, right, prob, 0.6, accepted=accepted, rejected=[("x1", "x2")]
    )
    assert _partition(fast) == _partition(slow)
    assert len(_partition(fast)) < n  # links were made
    np.testing.assert_array_equal(best_fast, best_slow)
