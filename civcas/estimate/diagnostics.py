"""Warnings in plain words about what the overlaps can and cannot support."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from .tables import CaptureTable

DISJOINT = 0.02  # overlap below 2% of the smaller list
IDENTICAL = 0.90  # overlap above 90% of the larger list
MIN_MULTI = 20  # fewer people than this on two or more lists: too few overlaps
MIN_STRATUM = 30  # strata with fewer observed people are not estimated


def table_warnings(table: CaptureTable) -> list[str]:
    out: list[str] = []
    totals = table.list_totals()
    for j, name in enumerate(table.lists):
        if totals[j] == 0:
            out.append(f"list {name} has nobody on it: drop it, it carries no information.")
    for i, j in combinations(range(table.J), 2):
        ni, nj = int(totals[i]), int(totals[j])
        if ni == 0 or nj == 0:
            continue
        both = table.overlap((1 << i) | (1 << j))
        a, b = table.lists[i], table.lists[j]
        if both < DISJOINT * min(ni, nj):
            out.append(
                f"lists {a} and {b} are nearly disjoint ({both} people on both, of {ni} and "
                f"{nj}): either they cover different parts of the population or the "
                "linkage missed matches; estimates that rely on this pair are fragile."
            )
        elif both > IDENTICAL * max(ni, nj):
            out.append(
                f"lists {a} and {b} are nearly identical ({both} of {ni} and {nj} on both): "
                "they are probably not independent sources (one may copy the other)."
            )
    w = np.arange(2**table.J)
    multi = int(table.counts[np.array([bin(x).count("1") >= 2 for x in w])].sum())
    if multi < MIN_MULTI:
        out.append(
            f"only {multi} people are on two or more lists: too few overlaps to estimate "
            "the unseen reliably; treat any estimate as a rough guide."
        )
    return out


def too_sparse(table: CaptureTable) -> str | None:
    """Why a stratum cannot be estimated on its own, or None when it can."""
    if table.n_observed < MIN_STRATUM:
        return f"only {table.n_observed} people observed (fewer than {MIN_STRATUM})"
    w = np.arange(2**table.J)
    multi = int(table.counts[np.array([bin(x).count("1") >= 2 for x in w])].sum())
    if multi < 5:
        return f"only {multi} people on two or more lists"
    if (table.list_totals() == 0).any():
        return "a list has nobody in this stratum"
    return None


def disagreements(results: Sequence[Mapping[str, Any]]) -> list[str]:
    """Pairs of estimates whose 95% intervals do not overlap."""
    out = []
    for r1, r2 in combinations(results, 2):
        c1: Any = r1.get("ci95") or (None, None)
        c2: Any = r2.get("ci95") or (None, None)
        if None in (*c1, *c2):
            continue
        a1, b1, a2, b2 = float(c1[0]), float(c1[1]), float(c2[0]), float(c2[1])
        if b1 < a2 or b2 < a1:
            out.append(
                f"{r1['method']} (N = {r1['N']:,.0f}, {a1:,.0f}-{b1:,.0f}) and {r2['method']} "
                f"(N = {r2['N']:,.0f}, {a2:,.0f}-{b2:,.0f}) disagree beyond their intervals: "
                "the data do not pin down the total; report the spread, not one number."
            )
    return out
