"""Pairs -> clusters: connected components where nothing binds; where a rejected pair or
a conflict (both sexes, ages or dates too far apart) sits in a component, its links are
replayed strongest first and the links that would join what cannot be one person cut."""

from __future__ import annotations

import numpy as np

from civcas.link.cluster import FEMALE, MALE, Conflicts, cluster_pairs


def _partition(roots: np.ndarray) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, r in enumerate(roots.tolist()):
        groups.setdefault(r, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def _random_graph(seed: int, n: int = 3000, m: int = 2500):
    rng = np.random.default_rng(seed)
    ids = [f"r{i:05d}" for i in range(n)]
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    left = np.array([ids[i] for i in a], dtype=object)
    right = np.array([ids[i] for i in b], dtype=object)
    return rng, ids, left, right, rng.random(m)


def test_replayed_components_equal_connected_components_when_nothing_binds():
    _, ids, left, right, prob = _random_graph(4)
    accepted = [("r00001", "r00002"), ("r00003", "r00004")]
    fast, best_fast = cluster_pairs(ids, left, right, prob, 0.6, accepted=accepted)
    groups = sorted(_partition(fast), key=len, reverse=True)
    assert len(groups) < len(ids)  # links were made
    # a rejected pair between two different people sends both their components through
    # the ordered replay; nothing joins them, so the people must not change
    a, b = min(groups[0]), min(groups[1])
    slow, best_slow = cluster_pairs(
        ids, left, right, prob, 0.6, accepted=accepted, rejected=[(ids[a], ids[b])]
    )
    assert _partition(fast) == _partition(slow)
    np.testing.assert_array_equal(best_fast, best_slow)
    # the same with conflicts that no cluster holds (every record the same sex and age)
    n = len(ids)
    same = Conflicts(np.full(n, MALE, np.int8), np.full(n, 30.0), np.full(n, np.nan), 10, 30)
    quiet, _ = cluster_pairs(ids, left, right, prob, 0.6, accepted=accepted, conflicts=same)
    assert _partition(quiet) == _partition(fast)


def test_a_chain_through_a_record_that_says_little_is_cut_at_its_weakest_link():
    ids = ["man", "unknown", "woman", "later"]
    sex = np.array([MALE, 0, FEMALE, MALE], np.int8)
    age = np.array([30.0, np.nan, 32.0, 31.0])
    dod = np.array([100.0, 101.0, 100.0, 400.0])
    c = Conflicts(sex, age, dod, max_age_gap=15, max_days=60)
    left = np.array(["man", "unknown", "woman"], dtype=object)
    right = np.array(["unknown", "woman", "later"], dtype=object)
    prob = np.array([0.95, 0.9, 0.99])
    plain, _ = cluster_pairs(ids, left, right, prob, 0.8)
    assert _partition(plain) == {frozenset({0, 1, 2, 3})}
    roots, best = cluster_pairs(ids, left, right, prob, 0.8, conflicts=c)
    # woman-later (0.99) would put a year between two dates: cut; man-unknown (0.95)
    # joins; unknown-woman (0.9) would put both sexes in one cluster: cut
    assert _partition(roots) == {frozenset({0, 1}), frozenset({2}), frozenset({3})}
    assert best[0] == best[1] == 0.95 and np.isnan(best[2]) and np.isnan(best[3])
    # a reviewer's accept wins over the facts (the record may be wrong)
    forced, _ = cluster_pairs(ids, left, right, prob, 0.8, accepted=[("man", "woman")],
                              conflicts=c)  # fmt: skip
    assert frozenset({0, 1, 2}) in _partition(forced)


def test_no_cluster_made_by_the_model_holds_a_conflict():
    rng, ids, left, right, prob = _random_graph(5, n=2000, m=2400)
    n = len(ids)
    sex = rng.choice(np.array([0, MALE, FEMALE], np.int8), n, p=[0.3, 0.5, 0.2])
    age = np.where(rng.random(n) < 0.4, np.nan, rng.integers(0, 80, n).astype(float))
    dod = np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 400, n).astype(float))
    c = Conflicts(sex, age, dod, max_age_gap=15, max_days=60)
    roots, _ = cluster_pairs(ids, left, right, prob, 0.5, conflicts=c)
    plain, _ = cluster_pairs(ids, left, right, prob, 0.5)
    cut = _partition(roots)
    assert len(cut) > len(_partition(plain))  # some chains were cut
    for group in cut:
        g = np.array(sorted(group))
        assert not ({MALE, FEMALE} <= set(sex[g].tolist()))
        for values, gap in ((age[g], 15), (dod[g], 60)):
            known = values[~np.isnan(values)]
            assert len(known) == 0 or known.max() - known.min() <= gap
    # every cut cluster lies inside one connected component
    comp = {i: k for k, grp in enumerate(_partition(plain)) for i in grp}
    assert all(len({comp[i] for i in grp}) == 1 for grp in cut)
