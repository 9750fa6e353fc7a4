"""Name pools for the simulator: real name frequencies, English with Arabic.

Derived from the Airwars Syria victims list and the Airwars Gaza victims list (see
``data/README.md``): only given names and family names with their counts, no person's
full name and no other field. A fresh clone has no ../shared, so the derived table ships
in ``data/name_frequencies.csv``; :func:`build_name_table` rebuilds it.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

from .normalise import normalise_arabic
from .vocabulary import NAME_GROWTH, NAME_TABLE, PLACE_TABLE

SYRIA = Path("syrian-archive-airwars/derived/airwars_syria_victims.csv")
GAZA = Path("airwars-gaza-data/data/victims.csv")
SYRIA_INCIDENTS = Path("syrian-archive-airwars/derived/airwars_syria_incidents.csv")


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
