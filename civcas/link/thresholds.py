"""The decision points on match probability, apart from the Splink model so that the CLI
can show its defaults without importing Splink."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Thresholds:
    """Explicit decision points on match probability.

    ``match``: pairs at or above are linked (same person). ``review``: pairs in
    [review, match) go to the clerical-review queue; below ``review`` they are dropped.
    ``max_age_gap`` (years) and ``max_days`` (dates of death): one person's records
    cannot be further apart, nor of both sexes; a chain of links that would join such
    records is cut at its weakest link (cluster.py), and the cut pairs join the queue.
    Loose on purpose: real lists give ages by guess and a date of burial or report.
    ``balance``: for estimation, ``match`` is replaced by :func:`balanced_threshold` of
    the scored pairs (the run's result records the value used).
    """

    # 0.8: within 0.0022 of the best pairwise F1 at 20k, 100k and 1M records, on
    # simulations the benchmark does not use (docs/link.md, Thresholds)
    match: float = 0.8
    review: float = 0.5
    predict: float = 0.05  # pairs scored below this are not kept at all
    max_age_gap: float = 15.0
    max_days: float = 60.0
    balance: bool = False


def balanced_threshold(prob: np.ndarray, lowest: float = 0.05, highest: float = 0.99) -> float:
    """The match threshold at which the expected false links equal the expected missed
    links, by the model's own probabilities: sum of (1 - p) above it = sum of p below.

    Why: a threshold that maximises F1 still misses more links than it makes false ones
    (at 0.8, pairwise recall 0.96 and precision 0.99), and for multiple systems
    estimation every missed link splits a person into two, the split-off record looking
    like someone only one list saw: estimates came out 4-7% high. The number of links is
    unbiased for the number of true matches when false links and missed links are equal
    in number (Ding and Fienberg 1994, dual-system estimation with linkage errors), and
    the model's probabilities are calibrated in aggregate (simulation seed 200: their sum
    10,446 against 10,441 true pairs). It ranks worse on F1: it is for estimation.
    """
    p = np.sort(np.asarray(prob, dtype=float))
    if not len(p):
        return highest
    missed = np.concatenate([[0.0], np.cumsum(p)])  # sum of p below position i
    false = np.concatenate([np.cumsum((1 - p)[::-1])[::-1], [0.0]])  # sum of 1 - p from i
    i = int(np.argmin(np.abs(missed - false)))
    return float(np.clip(p[min(i, len(p) - 1)], lowest, highest))
