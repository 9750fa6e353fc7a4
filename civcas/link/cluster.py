"""Pairs -> people, honouring clerical decisions and facts that cannot both be true.

Connected components would let a chain of model links join two records a reviewer said
are different people, or a woman and a man, or deaths a year apart: a record that says
little (a common name, no date) links to two people and joins them. So a component that
holds a rejected pair or such a conflict (``Conflicts``) is rebuilt from its links, the
most probable first, and a link is skipped when its two clusters could not be one
person. Accepted pairs are joined first and never undone; deleting a decision undoes its
merge on the next run. Components with neither stay as they are (scipy, in C).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

MALE, FEMALE = 1, 2  # bits of Conflicts.sex


@dataclass
class Conflicts:
    """Per record: sex as bits (``MALE``, ``FEMALE``, 0 unknown), age in years, date of
    death in days and identity number as a code (NaN unknown). One person's records
    cannot hold both sexes, ages further apart than ``age_base + age_slope * age`` (at
    most ``max_age_gap``: a child's age is known to a year or two, an old man's is a
    guess), dates further apart than ``max_days``, or two identity numbers.

    ``unique``: per record a bit for its list when that list names each person once
    (a register: civcas link --unique), else 0; one person holds at most one record of
    such a list."""

    sex: np.ndarray
    age: np.ndarray
    dod: np.ndarray
    max_age_gap: float
    max_days: float
    age_base: float = np.inf
    age_slope: float = 0.0
    ids: np.ndarray | None = None
    unique: np.ndarray | None = None

    def fields(self) -> list[tuple[np.ndarray, float, float, float]]:
        """(values, base gap, slope, cap): allowed spread = min(base + slope * top, cap)."""
        out = [(self.age, self.age_base, self.age_slope, self.max_age_gap),
               (self.dod, self.max_days, 0.0, self.max_days)]  # fmt: skip
        if self.ids is not None:
            out.append((self.ids, 0.0, 0.0, 0.0))
        return out

    def spans(
        self, labels: np.ndarray, n_groups: int
    ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray, float, float, float]]]:
        """Per group: its sex bits, and (lowest, highest, gap rule) of each field."""
        sex = np.zeros(n_groups, dtype=np.int64)
        np.bitwise_or.at(sex, labels, self.sex.astype(np.int64))
        ranges = []
        for values, base, slope, cap in self.fields():
            lo, hi = np.full(n_groups, np.inf), np.full(n_groups, -np.inf)
            known = ~np.isnan(values)
            np.minimum.at(lo, labels[known], values[known])
            np.maximum.at(hi, labels[known], values[known])
            ranges.append((lo, hi, base, slope, cap))
        return sex, ranges

    def groups_in_conflict(self, labels: np.ndarray, n_groups: int) -> np.ndarray:
        sex, ranges = self.spans(labels, n_groups)
        bad = sex == MALE | FEMALE
        for lo, hi, base, slope, cap in ranges:
            bad |= hi - lo > _allowed(hi, base, slope, cap)
        if self.unique is not None:
            member = np.flatnonzero(self.unique)
            seen = labels[member] * 64 + np.log2(self.unique[member]).astype(np.int64)
            uniq, count = np.unique(seen, return_counts=True)
            bad[uniq[count > 1] // 64] = True
        return bad

    def merges_in_conflict(self, labels: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether joining groups ``a[i]`` and ``b[i]`` (labels) would make a conflict."""
        sex, ranges = self.spans(labels, int(labels.max()) + 1 if len(labels) else 0)
        bad = (sex[a] | sex[b]) == MALE | FEMALE
        for lo, hi, base, slope, cap in ranges:
            top = np.fmax(hi[a], hi[b])
            bad |= top - np.fmin(lo[a], lo[b]) > _allowed(top, base, slope, cap)
        if self.unique is not None:
            held = np.zeros(len(sex), dtype=np.int64)
            np.bitwise_or.at(held, labels, self.unique.astype(np.int64))
            bad |= (held[a] & held[b]) != 0
        return bad


def _allowed(top: np.ndarray, base: float, slope: float, cap: float) -> np.ndarray:
    """The spread a group may have, given its highest value (unknown: -inf)."""
    if slope == 0:
        return np.full(len(top), min(base, cap))
    with np.errstate(invalid="ignore"):
        return np.minimum(base + slope * np.abs(top), cap)


class _Clusters:
    def __init__(self, n: int, conflicts: Conflicts | None) -> None:
        self.parent = np.arange(n)
        self.cannot: dict[int, set[int]] = {}
        self.conflicts = conflicts
        if conflicts is not None:  # per root: sex bits, each field's range (lo, hi)
            self.sex = conflicts.sex.astype(np.int64)
            self.ranges = [((v.astype(float), v.astype(float).copy()), base, slope, cap)
                           for v, base, slope, cap in conflicts.fields()]  # fmt: skip
            self.unique = (conflicts.unique if conflicts.unique is not None
                           else np.zeros(n)).astype(np.int64)  # fmt: skip

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

    def _conflict(self, ra: int, rb: int) -> bool:
        assert self.conflicts is not None
        # a conflict the union would create: a cluster a reviewer made with both sexes,
        # or with a wide spread, does not bar every later link
        both = MALE | FEMALE
        if self.sex[ra] | self.sex[rb] == both and both not in (self.sex[ra], self.sex[rb]):
            return True
        if self.unique[ra] & self.unique[rb]:
            return True
        for (lo, hi), base, slope, cap in self.ranges:
            lo_a, hi_a, lo_b, hi_b = lo[ra], hi[ra], lo[rb], hi[rb]
            # NaN (unknown) compares False: no conflict
            span = max(hi_a - lo_b, hi_b - lo_a)
            gap = min(base + slope * abs(max(hi_a, hi_b)), cap) if slope else min(base, cap)
            if span > gap and span > hi_a - lo_a and span > hi_b - lo_b:
                return True
        return False

    def union(self, a: int, b: int, *, check: bool = True) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if check and self.conflicts is not None and self._conflict(ra, rb):
            return False
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
        if self.conflicts is not None:
            self.sex[rb] |= self.sex[ra]
            self.unique[rb] |= self.unique[ra]
            for (lo, hi), *_ in self.ranges:
                lo[rb], hi[rb] = _lo(lo[ra], lo[rb]), _hi(hi[ra], hi[rb])
        return True


def _lo(a: float, b: float) -> float:
    """min with NaN as unknown (a != a: a is NaN)."""
    return b if a != a or b < a else a


def _hi(a: float, b: float) -> float:
    return b if a != a or b > a else a


def cluster_pairs(
    ids: Sequence[str],
    pairs_l: np.ndarray,
    pairs_r: np.ndarray,
    prob: np.ndarray,
    threshold: float,
    accepted: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
    conflicts: Conflicts | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster labels (index of a root record) and each record's best link probability,
    for pairs and decisions given by record id."""
    idx = {u: i for i, u in enumerate(ids)}

    def at(pairs: Iterable[tuple[str, str]]) -> list[tuple[int, int]]:
        return [(idx[a], idx[b]) for a, b in pairs if a in idx and b in idx]

    keep = prob >= threshold
    count = int(keep.sum())
    li = np.fromiter((idx[u] for u in pairs_l[keep]), dtype=np.int64, count=count)
    ri = np.fromiter((idx[u] for u in pairs_r[keep]), dtype=np.int64, count=count)
    return cluster_positions(
        len(ids), li, ri, prob[keep], threshold, at(accepted), at(rejected), conflicts
    )


def cluster_positions(
    n: int,
    li: np.ndarray,
    ri: np.ndarray,
    prob: np.ndarray,
    threshold: float,
    accepted: Iterable[tuple[int, int]] = (),
    rejected: Iterable[tuple[int, int]] = (),
    conflicts: Conflicts | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`cluster_pairs`, with records given by position (0 to ``n`` - 1): a
    million scored pairs need no id lookups."""
    c = _Clusters(n, conflicts)
    best = np.full(n, np.nan)
    for a, b in rejected:
        c.forbid(a, b)
    for a, b in accepted:
        if c.union(a, b, check=False):
            best[a] = best[b] = 1.0
    keep = prob >= threshold
    li, ri, kept = li[keep], ri[keep], prob[keep]
    labels, roots = _components(c.parent, li, ri)
    n_groups = int(labels.max()) + 1 if n else 0
    redo = np.zeros(n_groups, dtype=bool)
    if c.cannot:
        redo[labels[list(c.cannot)]] = True
    if conflicts is not None:
        redo |= conflicts.groups_in_conflict(labels, n_groups)
    plain = ~redo[labels[li]]
    for side in (li[plain], ri[plain]):
        np.fmax.at(best, side, kept[plain])
    if not redo.any():
        return roots, best
    # the rest: links in order of probability, each checked against decisions and facts
    edges = np.flatnonzero(~plain)
    order = edges[np.argsort(-kept[edges], kind="stable")]
    for a, b, p in zip(li[order].tolist(), ri[order].tolist(), kept[order].tolist(),
                       strict=True):  # fmt: skip
        if c.union(a, b):
            if not best[a] >= p:
                best[a] = p
            if not best[b] >= p:
                best[b] = p
    for i in np.flatnonzero(redo[labels]).tolist():
        roots[i] = c.find(i)
    return roots, best


def _components(parent: np.ndarray, li: np.ndarray, ri: np.ndarray) -> tuple[np.ndarray, ...]:
    """Connected components (scipy, in C) of the unions already in ``parent`` and the
    links: labels, and a root per record (its component's smallest record index)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(parent)
    rows = np.concatenate([li, np.arange(n)])
    cols = np.concatenate([ri, parent])
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    first = np.full(labels.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n))
    return labels, first[labels]


def person_ids(ids: Sequence[str], roots: np.ndarray) -> list[str]:
    """Stable person id: a hash of the smallest record id in the cluster."""
    smallest: dict[int, str] = {}
    for u, r in zip(ids, roots.tolist(), strict=True):
        if r not in smallest or u < smallest[r]:
            smallest[r] = u
    names = {r: "P" + hashlib.sha1(u.encode()).hexdigest()[:12] for r, u in smallest.items()}
    return [names[r] for r in roots.tolist()]
