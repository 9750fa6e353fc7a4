"""The decision points on match probability, apart from the Splink model so that the CLI
can show its defaults without importing Splink."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Thresholds:
    """Explicit decision points on match probability.

    ``match``: pairs at or above are linked (same person). ``review``: pairs in
    [review, match) go to the clerical-review queue; below ``review`` they are dropped.
    """

    # 0.85: near the best pairwise F1 at every size tried, on simulations the benchmark
    # does not use (docs/link.md, Thresholds): the best threshold rises with the size of
    # the lists (0.75 at 20k records, 0.85 at 100k, 0.9 at 1M)
    match: float = 0.85
    review: float = 0.5
    predict: float = 0.05  # pairs scored below this are not kept at all
