"""The simulator's vocabulary tables: loaders only (no name processing of the linker).

The tables (``data/name_frequencies.csv``, ``name_growth.json``, ``place_frequencies.csv``)
are built by :mod:`civcas.link.names`; the simulator reads them through this module, so
that nothing it draws passes through the linker's normaliser.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"
NAME_TABLE = DATA / "name_frequencies.csv"
NAME_GROWTH = DATA / "name_growth.json"
PLACE_TABLE = DATA / "place_frequencies.csv"


def load_places(path: Path = PLACE_TABLE) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Places (English, Arabic) and their sampling weights (share of incidents)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = [(r["name_en"], r["name_ar"], int(r["count"])) for r in csv.DictReader(f)]
    w = np.array([n for _, _, n in rows], dtype=float)
    return [(e, a) for e, a, _ in rows], w / w.sum()


@dataclass
class NamePool:
    """Names of one kind (English with Arabic) and how many incidents each was seen in."""

    en: np.ndarray
    ar: np.ndarray
    count: np.ndarray


def fit_pitman_yor(hist: dict[str, int]) -> tuple[float, float]:
    """Discount d and concentration theta of a Pitman-Yor process, by maximum likelihood
    on how many names were seen once, twice... (the process's exchangeable partition
    probability). d is what makes new names keep coming: the number of distinct names
    grows like n**d, and with d = 0.59 (family names in the victim lists) a list of a
    million people has tens of thousands of families, not the few hundred the shipped
    table holds."""
    from scipy.optimize import minimize
    from scipy.special import gammaln

    sizes = np.array([int(c) for c, m in hist.items() for _ in range(int(m))], dtype=float)
    n, k = float(sizes.sum()), len(sizes)
    i = np.arange(1, k)

    def nll(x: np.ndarray) -> float:
        d = 1 / (1 + math.exp(-x[0]))
        theta = math.exp(x[1]) - d
        ll = np.log(theta + i * d).sum() - (gammaln(theta + n) - gammaln(theta + 1))
        ll += (gammaln(sizes - d) - gammaln(1 - d)).sum()
        return float(-ll)

    x = minimize(nll, np.array([0.0, 1.0]), method="Nelder-Mead").x
    d = 1 / (1 + math.exp(-x[0]))
    return d, math.exp(x[1]) - d


def load_growth(path: Path = NAME_GROWTH) -> dict[str, dict[str, int]]:
    """Per kind of name, how many names were seen in 1, 2, 3... incidents."""
    return {k: {c: int(m) for c, m in h.items()} for k, h in json.loads(path.read_text()).items()}


def load_pools(path: Path = NAME_TABLE) -> dict[str, NamePool]:
    data: dict[str, list[tuple[str, str, int]]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            data.setdefault(r["kind"], []).append((r["name_en"], r["name_ar"], int(r["count"])))
    pools = {}
    for kind, items in data.items():
        pools[kind] = NamePool(
            en=np.array([e for e, _, _ in items], dtype=object),
            ar=np.array([a for _, a, _ in items], dtype=object),
            count=np.array([c for _, _, c in items], dtype=float),
        )
    return pools
