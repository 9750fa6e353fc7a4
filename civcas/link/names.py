"""Name pools for the simulator: real name frequencies, English with Arabic.

Derived from the Airwars Syria victims list and the Airwars Gaza victims list (see
``data/README.md``): only given names and family names with their counts, no person's
full name and no other field. A fresh clone has no ../shared, so the derived table ships
in ``data/name_frequencies.csv``; :func:`build_name_table` rebuilds it.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .normalise import normalise_arabic

DATA = Path(__file__).parent / "data"
NAME_TABLE = DATA / "name_frequencies.csv"
NAME_GROWTH = DATA / "name_growth.json"
SYRIA = Path("syrian-archive-airwars/derived/airwars_syria_victims.csv")
GAZA = Path("airwars-gaza-data/data/victims.csv")
SYRIA_INCIDENTS = Path("syrian-archive-airwars/derived/airwars_syria_incidents.csv")
PLACE_TABLE = DATA / "place_frequencies.csv"


_PREFIXES = {"abu", "umm", "um", "bin", "ibn", "bint", "al", "el", "abd", "abdul", "abdel"}


def _pairs(en: str, ar: str) -> list[tuple[str, str]] | None:
    e, a = en.split(), ar.split()
    if len(e) < 2 or len(e) != len(a) or any(ch.isdigit() for ch in en + ar):
        return None
    if any(not w[:1].isalpha() for w in e) or "of" in {w.lower() for w in e}:
        return None
    return list(zip(e, a, strict=True))


def build_name_table(shared_data: Path, out: Path = NAME_TABLE, min_count: int = 2) -> Path:
    """Count aligned (English, Arabic) given and family names in the two victim lists.

    A name is counted once per incident it appears in, not once per victim: victims come
    in families, and per-victim counts would make the families that happened to be hit
    (twenty Kashkos in one strike) look like the commonest families of the population.
    A name is kept when at least ``min_count`` victims bear it (as before the per-incident
    count), so the vocabulary is unchanged.
    """
    victim_rows: list[tuple[str, str, str, str]] = []
    rows: list[tuple[str, str, str, str]] = []
    with open(shared_data / SYRIA, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows.append(
                ("s" + r["code"], r["name_original"], r["name_local"], r["gender_original"])
            )
    with open(shared_data / GAZA, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            g = {"m": "male", "f": "female"}.get(r["gender"], "")
            rows.append(("g" + r["incident_id"], r["name_en"], r["name_ar"], g))
    for incident, en, ar, sex in rows:
        pairs = _pairs(en or "", ar or "")
        if not pairs:
            continue
        pairs = [(e, a) for e, a in pairs if e.lower().strip("-") not in _PREFIXES]
        if len(pairs) < 2:
            continue
        names = [(f"given_{sex}", *pairs[0])] if sex in ("male", "female") else []
        names += [("given_male", *mid) for mid in pairs[1:-1]]
        names.append(("family", *pairs[-1]))
        victim_rows += [(incident, *name) for name in names]
    # each name counted once per incident: a strike that kills twenty of one family
    # (brothers sharing their father's name) is one family, not twenty
    counts = Counter(key[1:] for key in set(victim_rows))
    victims = Counter(key[1:] for key in victim_rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kind", "name_en", "name_ar", "count"])
        # ties in a fixed order (by name): the simulator samples by position in this file
        ordered = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1], kv[0][2]))
        for (kind, en, ar), n in ordered:
            if victims[(kind, en, ar)] >= min_count:
                w.writerow([kind, en, ar, n])
    # how often a new name turns up, for the simulator's open vocabulary: per kind, how
    # many names were seen in 1, 2, 3... incidents (all names, also those not shipped; a
    # name is its normalised Arabic, so Ahmed and Ahmad are one)
    seen = {(inc, kind, normalise_arabic(ar)) for inc, kind, _en, ar in victim_rows}
    per_name = Counter((kind, ar) for _inc, kind, ar in seen)
    hist: dict[str, Counter[int]] = {}
    for (kind, _ar), n in per_name.items():
        hist.setdefault(kind, Counter())[n] += 1
    growth = {k: {str(c): m for c, m in sorted(h.items())} for k, h in sorted(hist.items())}
    (out.parent / NAME_GROWTH.name).write_text(json.dumps(growth, indent=1) + "\n")
    return out


def build_place_table(shared_data: Path, out: Path = PLACE_TABLE, min_count: int = 2) -> Path:
    """Count incident locations (English with Arabic) in the Airwars Syria incidents.

    The first part of ``location_en`` / ``location_ar`` (before a comma) is the place;
    names with digits or slashes (roads, 'Street 48') are left out, direction marks are
    stripped, and two English spellings of one Arabic name (Al Bab, Al-Bab) are one place
    (the commoner spelling). Places seen in fewer than ``min_count`` incidents are dropped.
    """
    counts: Counter[tuple[str, str]] = Counter()
    with open(shared_data / SYRIA_INCIDENTS, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            en = (r["location_en"] or "").split(",")[0].strip()
            ar = re.split("[,\u060c]", r["location_ar"] or "")[0]
            ar = re.sub("[\u200e\u200f\u200b]", "", ar).strip()
            if not en or not ar or re.search("[0-9/\u0660-\u0669]", en + ar):
                continue
            counts[(en, ar)] += 1
    by_ar: dict[str, Counter[str]] = {}
    for (en, ar), n in counts.items():
        by_ar.setdefault(ar, Counter())[en] += n
    rows = [(c.most_common(1)[0][0], ar, sum(c.values())) for ar, c in by_ar.items()]
    seen: set[str] = set()
    kept = []
    for en, ar, n in sorted(rows, key=lambda r: -r[2]):
        if n >= min_count and en.lower() not in seen:
            seen.add(en.lower())
            kept.append((en, ar, n))
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name_en", "name_ar", "count"])
        w.writerows(kept)
    return out


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
