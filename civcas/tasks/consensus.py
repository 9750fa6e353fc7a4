"""Combining several volunteers' answers into one (pure numpy; no database).

- :func:`dawid_skene`: the EM of Dawid & Skene (1979): each volunteer has a confusion
  matrix (the chance of answering l when the truth is k), each class a prior; the E-step
  gives each item a posterior over classes, the M-step re-estimates the matrices from
  those posteriors. Gold items keep their known class throughout. Written to follow
  crowd-kit's ``DawidSkene`` step for step (start from majority-vote shares, matrices
  clipped at 1e-10 and normalised over the labels a volunteer used, stop when the
  evidence lower bound per answer gains less than ``tol``), so the two agree on the same
  answers; tests/tasks compares them on a saved fixture.
- ``one_coin=True``: one accuracy per volunteer instead of a matrix (crowd-kit's
  ``OneCoinDawidSkene``): steadier with few answers per volunteer.
- :func:`majority_vote`: the baseline.
- :func:`weighted_median` for numbers (weights = volunteers' reliability), with an
  interval: the weighted quartiles.
- :func:`geometric_median` for points (Weiszfeld's iteration on a local plane), with the
  agreement radius: the distance within which the weighted majority of points lie.

Why Dawid–Skene: a third of spammers answering at random, or adversaries answering the
opposite, outvote honest volunteers on items where they happen to be the majority;
weighting each answer by how its author answers elsewhere (and on gold items) undoes that.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

EPS = 1e-10


@dataclass
class Labels:
    """Answers as integer codes: answer j was given by ``worker[j]`` to ``item[j]``."""

    item: np.ndarray  # int, 0..n_items-1
    worker: np.ndarray  # int, 0..n_workers-1
    label: np.ndarray  # int, 0..n_classes-1
    n_items: int
    n_workers: int
    n_classes: int


def encode(
    triples: Sequence[tuple[str, str, str]],
) -> tuple[Labels, list[str], list[str], list[str]]:
    """(item, worker, label) strings -> codes, and the item, worker and class names
    (each in order of first appearance; classes sorted)."""
    items: dict[str, int] = {}
    workers: dict[str, int] = {}
    classes = sorted({t[2] for t in triples})
    cidx = {c: i for i, c in enumerate(classes)}
    it, wk, lb = [], [], []
    for i, w, label in triples:
        it.append(items.setdefault(i, len(items)))
        wk.append(workers.setdefault(w, len(workers)))
        lb.append(cidx[label])
    lab = Labels(
        np.asarray(it, dtype=np.int64),
        np.asarray(wk, dtype=np.int64),
        np.asarray(lb, dtype=np.int64),
        len(items),
        len(workers),
        len(classes),
    )
    return lab, list(items), list(workers), classes


def vote_shares(lab: Labels, weights: np.ndarray | None = None) -> np.ndarray:
    """Per item, the (weighted) share of answers for each class."""
    w = np.ones(len(lab.item)) if weights is None else weights
    counts = np.zeros((lab.n_items, lab.n_classes))
    np.add.at(counts, (lab.item, lab.label), w)
    total = counts.sum(axis=1, keepdims=True)
    total[total == 0] = 1.0
    return counts / total


def majority_vote(lab: Labels) -> np.ndarray:
    """Per item, the class most answers gave (ties: the first class)."""
    return np.argmax(vote_shares(lab), axis=1)


@dataclass
class DSResult:
    posteriors: np.ndarray  # (items, classes)
    priors: np.ndarray  # (classes,)
    confusion: np.ndarray  # (workers, observed, true): P(answer l | truth k)
    iterations: int
    elbo: float

    @property
    def labels(self) -> np.ndarray:
        return np.argmax(self.posteriors, axis=1)

    def accuracy(self) -> np.ndarray:
        """Each worker's expected share of right answers under the estimated priors."""
        diag = np.diagonal(self.confusion, axis1=1, axis2=2)  # (workers, classes)
        return np.asarray(diag @ self.priors)


def _clamp_gold(post: np.ndarray, gold: dict[int, int]) -> np.ndarray:
    for i, k in gold.items():
        post[i, :] = 0.0
        post[i, k] = 1.0
    return post


def _m_step(lab: Labels, post: np.ndarray, used: np.ndarray) -> np.ndarray:
    """Confusion matrices from the posteriors (the volunteers' answers weighted by them)."""
    err = np.zeros((lab.n_workers, lab.n_classes, lab.n_classes))
    np.add.at(err, (lab.worker, lab.label), post[lab.item])
    err = np.where(used[:, :, None], np.maximum(err, EPS), 0.0)
    total = err.sum(axis=1, keepdims=True)
    total[total == 0] = 1.0
    return np.asarray(err / total)


def _one_coin_m_step(lab: Labels, post: np.ndarray, used: np.ndarray) -> np.ndarray:
    """One accuracy per worker: the mean posterior of the class they answered."""
    hit = post[lab.item, lab.label]
    skill = np.zeros(lab.n_workers)
    n = np.zeros(lab.n_workers)
    np.add.at(skill, lab.worker, hit)
    np.add.at(n, lab.worker, 1.0)
    skill = skill / np.maximum(n, 1.0)
    k = lab.n_classes
    other = (1.0 - skill) / max(k - 1, 1)
    err = np.repeat(other[:, None, None], k, axis=1).repeat(k, axis=2)
    idx = np.arange(k)
    err[:, idx, idx] = skill[:, None]
    err = np.clip(err, EPS, 1.0 - EPS)
    return np.asarray(np.where(used[:, :, None], err, 0.0))


def _e_step(lab: Labels, priors: np.ndarray, err: np.ndarray) -> np.ndarray:
    logp = np.zeros((lab.n_items, lab.n_classes))
    with np.errstate(divide="ignore"):
        np.add.at(logp, lab.item, np.log(err[lab.worker, lab.label]))
    logp += np.log(np.maximum(priors, EPS))
    logp -= logp.max(axis=1, keepdims=True)
    p = np.exp(logp)
    return np.asarray(p / p.sum(axis=1, keepdims=True))


def _elbo(lab: Labels, post: np.ndarray, priors: np.ndarray, err: np.ndarray) -> float:
    with np.errstate(divide="ignore"):
        per_answer = np.log(err[lab.worker, lab.label]) + np.log(np.maximum(priors, EPS))
    joint = float(np.sum(post[lab.item] * per_answer))
    q = np.maximum(post, EPS)
    entropy = -float(np.sum(np.log(q) * q))
    return (joint + entropy) / max(len(lab.item), 1)


def dawid_skene(
    lab: Labels,
    *,
    gold: dict[int, int] | None = None,
    one_coin: bool = False,
    n_iter: int = 100,
    tol: float = 1e-5,
) -> DSResult:
    """Fit Dawid–Skene by EM. ``gold``: item code -> known class code."""
    if len(lab.item) == 0:
        return DSResult(
            np.zeros((0, lab.n_classes)),
            np.zeros(lab.n_classes),
            np.zeros((lab.n_workers, lab.n_classes, lab.n_classes)),
            0,
            0.0,
        )
    used = np.zeros((lab.n_workers, lab.n_classes), dtype=bool)
    used[lab.worker, lab.label] = True
    step = _one_coin_m_step if one_coin else _m_step
    post = vote_shares(lab)
    if gold:
        post = _clamp_gold(post, gold)
    priors = post.mean(axis=0)
    err = step(lab, post, used)
    loss = -math.inf
    it = 0
    for _ in range(n_iter):
        it += 1
        post = _e_step(lab, priors, err)
        if gold:
            post = _clamp_gold(post, gold)
        priors = post.mean(axis=0)
        err = step(lab, post, used)
        new = _elbo(lab, post, priors, err)
        if new - loss < tol:
            loss = new
            break
        loss = new
    return DSResult(post, priors, err, it, loss)


# ---- numbers ---------------------------------------------------------------------------


def weighted_quantile(values: ArrayLike, weights: ArrayLike, q: float) -> float:
    """The smallest value at which the cumulative weight reaches ``q`` of the total
    (the lower weighted quantile; for q=0.5 with equal weights, the lower median)."""
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if len(v) == 0:
        return math.nan
    w = np.where(w > 0, w, 0.0)
    if w.sum() == 0:
        w = np.ones_like(v)
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cum = np.cumsum(w) / w.sum()
    return float(v[int(np.searchsorted(cum, q - 1e-12))])


@dataclass
class NumberConsensus:
    value: float
    low: float  # weighted 25th percentile
    high: float  # weighted 75th percentile
    agreement: float  # weight share of answers within the interval


def weighted_median(values: ArrayLike, weights: ArrayLike) -> NumberConsensus:
    """A number that weighted half of the answers are at or below: robust to a few wild
    answers (one volunteer typing 1000 for 10 moves a mean, not this)."""
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    mid = weighted_quantile(v, w, 0.5)
    low = weighted_quantile(v, w, 0.25)
    high = weighted_quantile(v, w, 0.75)
    ww = np.where(w > 0, w, 0.0)
    tot = ww.sum() or 1.0
    inside = float(ww[(v >= low) & (v <= high)].sum() / tot) if len(v) else 0.0
    return NumberConsensus(mid, low, high, inside)


# ---- points ----------------------------------------------------------------------------

EARTH_KM = 6371.0088


def _to_plane(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    """Kilometres east and north of (lat0, lon0): exact enough within a city."""
    x = np.radians(lon - lon0) * EARTH_KM * math.cos(math.radians(lat0))
    y = np.radians(lat - lat0) * EARTH_KM
    return np.column_stack([x, y])


@dataclass
class PointConsensus:
    lat: float
    lon: float
    radius_km: float  # the distance within which the weighted majority of points lie
    agreement: float  # weight share within ``agree_km`` of the centre


def geometric_median(
    points: Sequence[tuple[float, float]],
    weights: Sequence[float] | None = None,
    *,
    agree_km: float = 1.0,
    n_iter: int = 200,
) -> PointConsensus:
    """The point that minimises the weighted sum of distances (Weiszfeld): a third of
    the pins dropped far away do not pull it, unlike the mean."""
    pts = np.asarray(points, dtype=float)
    w = np.ones(len(pts)) if weights is None else np.asarray(weights, dtype=float)
    w = np.where(w > 0, w, 0.0)
    if w.sum() == 0:
        w = np.ones(len(pts))
    lat0, lon0 = float(np.median(pts[:, 0])), float(np.median(pts[:, 1]))
    xy = _to_plane(pts[:, 0], pts[:, 1], lat0, lon0)
    c = np.average(xy, axis=0, weights=w)
    for _ in range(n_iter):
        d = np.linalg.norm(xy - c, axis=1)
        if np.any(d < 1e-9):  # at a data point: Weiszfeld's step is undefined there
            at = d < 1e-9
            others = ~at
            if not others.any():
                break
            r = (w[others, None] * (xy[others] - c) / d[others, None]).sum(axis=0)
            if np.linalg.norm(r) <= w[at].sum():
                break  # the data point is the median
        inv = w / np.maximum(d, 1e-9)
        new = (xy * inv[:, None]).sum(axis=0) / inv.sum()
        if np.linalg.norm(new - c) < 1e-7:
            c = new
            break
        c = new
    d = np.linalg.norm(xy - c, axis=1)
    lat = lat0 + math.degrees(c[1] / EARTH_KM)
    lon = lon0 + math.degrees(c[0] / (EARTH_KM * math.cos(math.radians(lat0))))
    radius = weighted_quantile(d, w, 0.5)
    agreement = float(w[d <= agree_km].sum() / w.sum())
    return PointConsensus(lat, lon, radius, agreement)


__all__ = [
    "DSResult",
    "Labels",
    "NumberConsensus",
    "PointConsensus",
    "dawid_skene",
    "encode",
    "geometric_median",
    "majority_vote",
    "vote_shares",
    "weighted_median",
    "weighted_quantile",
]
