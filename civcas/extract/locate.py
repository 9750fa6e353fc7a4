"""Locate one place *name* (not a text): the gazetteer plus the coalition's spellings.

A strike release names its place on its own ("Near Mar'a, ..."): :func:`locate_name`
looks the whole name up, first in ``data/coalition_places.csv`` (the coalition's
spellings that GeoNames does not index: "Al Shadaddi", "Kobani", "Hit"; a few places
GeoNames lacks, with hand-entered approximate points, flagged as such), then in the
shipped gazetteer (exact folded name, with and without its article). A name the two do
not know, or one naming several places ("Al Hasakah and Dayr Az Zawr"), is not located:
the caller lists it.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from .build_gazetteer import fold
from .gazetteer import DATA, Place, load_gazetteer

_COUNTRY = {"syria": "SY", "iraq": "IQ", "sy": "SY", "iq": "IQ"}
_ARTICLES = ("al ", "el ", "ar ", "as ", "ash ", "ad ", "az ", "at ", "an ")
_SEVERAL = re.compile(r"\s(?:and|&|/)\s|,")


def country_code(country: str | None) -> str | None:
    if not country:
        return None
    return _COUNTRY.get(country.strip().lower())


@lru_cache(maxsize=1)
def coalition_spellings() -> dict[tuple[str, str], Place | None]:
    """(folded spelling, country code) -> place (None: known, deliberately unlocated)."""
    g = load_gazetteer()
    by_name: dict[str, Place] = {}
    for p in g.places:
        by_name.setdefault(p.name, p)
    lines = (DATA / "coalition_places.csv").read_text(encoding="utf-8").splitlines()
    out: dict[tuple[str, str], Place | None] = {}
    for row in csv.DictReader(line for line in lines if not line.startswith("#")):
        key = (fold(row["spelling"]), row["country"])
        if row["place"]:
            place = by_name.get(row["place"])
            if place is None:
                raise ValueError(f"coalition_places.csv: no gazetteer place {row['place']!r}")
            out[key] = place
        elif row["lat"] and row["lon"]:
            out[key] = Place(
                row["spelling"],
                float(row["lat"]),
                float(row["lon"]),
                row["country"],
                row["governorate"] or None,
                "town",
                0,
                None,
                row["source"],
            )
        else:
            out[key] = None
    return out


def _candidates(key: str) -> list[Place]:
    g = load_gazetteer()
    idx = g.index.get(key)
    if idx is None:
        for art in _ARTICLES:
            if key.startswith(art) and (idx := g.index.get(key[len(art) :])):
                break
    return [g.places[i] for i in idx or []]


def locate_name(name: str | None, country: str | None = None) -> Place | None:
    """The place a name stands for, preferring the given country; None when unknown."""
    if not name or not name.strip():
        return None
    key = fold(name)
    if _SEVERAL.search(key):
        return None
    cc = country_code(country)
    spellings = coalition_spellings()
    for c in (cc, "SY", "IQ"):
        if c and (key, c) in spellings:
            return spellings[(key, c)]
    cands = [p for p in _candidates(key) if p.precision != "neighbourhood"]
    if not cands:
        return None
    towns = [p for p in cands if p.precision == "town"] or cands
    local = [p for p in towns if p.country == cc] or towns
    return max(local, key=lambda p: p.population)
