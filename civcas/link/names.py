"""Name pools for the simulator: real name frequencies, English with Arabic.

Derived from the Airwars Syria victims list and the Airwars Gaza victims list (see
``data/README.md``): only given names and family names with their counts, no person's
full name and no other field. A fresh clone has no ../shared, so the derived table ships
in ``data/name_frequencies.csv``; :func:`build_name_table` rebuilds it.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"
NAME_TABLE = DATA / "name_frequencies.csv"
SYRIA = Path("syrian-archive-airwars/derived/airwars_syria_victims.csv")
GAZA = Path("airwars-gaza-data/data/victims.csv")


_PREFIXES = {"abu", "umm", "um", "bin", "ibn", "bint", "al", "el", "abd", "abdul", "abdel"}


def _pairs(en: str, ar: str) -> list[tuple[str, str]] | None:
    e, a = en.split(), ar.split()
    if len(e) < 2 or len(e) != len(a) or any(ch.isdigit() for ch in en + ar):
        return None
    if any(not w[:1].isalpha() for w in e) or "of" in {w.lower() for w in e}:
        return None
    return list(zip(e, a, strict=True))


def build_name_table(shared_data: Path, out: Path = NAME_TABLE, min_count: int = 2) -> Path:
    """Count aligned (English, Arabic) given and family names in the two victim lists."""
    counts: Counter[tuple[str, str, str]] = Counter()
    rows: list[tuple[str, str, str]] = []
    with open(shared_data / SYRIA, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows.append((r["name_original"], r["name_local"], r["gender_original"]))
    with open(shared_data / GAZA, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            g = {"m": "male", "f": "female"}.get(r["gender"], "")
            rows.append((r["name_en"], r["name_ar"], g))
    for en, ar, sex in rows:
        pairs = _pairs(en or "", ar or "")
        if not pairs:
            continue
        pairs = [(e, a) for e, a in pairs if e.lower().strip("-") not in _PREFIXES]
        if len(pairs) < 2:
            continue
        if sex in ("male", "female"):
            counts[(f"given_{sex}", *pairs[0])] += 1
        for mid in pairs[1:-1]:
            counts[("given_male", *mid)] += 1
        counts[("family", *pairs[-1])] += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kind", "name_en", "name_ar", "count"])
        for (kind, en, ar), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1])):
            if n >= min_count:
                w.writerow([kind, en, ar, n])
    return out


@dataclass
class NamePool:
    """Names of one kind with sampling weights."""

    en: np.ndarray
    ar: np.ndarray
    p: np.ndarray

    def sample(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        idx = rng.choice(len(self.en), size=n, p=self.p)
        return self.en[idx], self.ar[idx]


def load_pools(path: Path = NAME_TABLE) -> dict[str, NamePool]:
    data: dict[str, list[tuple[str, str, int]]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            data.setdefault(r["kind"], []).append((r["name_en"], r["name_ar"], int(r["count"])))
    pools = {}
    for kind, items in data.items():
        counts = np.array([c for _, _, c in items], dtype=float)
        pools[kind] = NamePool(
            en=np.array([e for e, _, _ in items], dtype=object),
            ar=np.array([a for _, a, _ in items], dtype=object),
            p=counts / counts.sum(),
        )
    return pools
