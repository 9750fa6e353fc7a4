"""The decision points on match probability, apart from the Splink model so that the CLI
can show its defaults without importing Splink."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Thresholds:
    """Explicit decision points on match probability.

    ``match``: pairs at or above are linked (same person). ``review``: pairs in
    [review, match) go to the clerical-review queue; below ``review`` they are dropped.
    ``max_age_gap`` (years, reached by ``age_base + age_slope * age``) and ``max_days``
    (dates of death): one person's records cannot be further apart, nor of both sexes,
    nor carry two identity numbers (column ``id_number``); a chain of links that would join such
    records is cut at its weakest link (cluster.py), and the cut pairs join the queue.
    Loose on purpose: real lists give ages by guess and a date of burial or report.
    ``draws``: for estimation, how many draws of the uncertain links to make around the
    clustering at ``match`` (draws.py; 0: none), with wider blocking
    (model.recall_blocking): the result's ``draws`` feed
    civcas.estimate.estimate_linkages.
    """

    # 0.8: within 0.0022 of the best pairwise F1 at 20k, 100k and 1M records, on
    # simulations the benchmark does not use (docs/link.md, Thresholds)
    match: float = 0.8
    review: float = 0.5
    predict: float = 0.05  # pairs scored below this are not kept at all
    max_age_gap: float = 15.0
    max_days: float = 60.0
    # ages: the allowed spread grows with age, base + slope * the older age, up to
    # max_age_gap: 5 years at 8, 6.75 at 15 ("Muhannad ... Abu Qouta, 15" is not
    # "Muhannad ... Abu Qouta, 8"), 13 at 40. Not tuned (set from how ages are given).
    age_base: float = 3.0
    age_slope: float = 0.25
    draws: int = 0
