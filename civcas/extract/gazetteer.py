"""An offline gazetteer of Syria and Iraq, read from files shipped in ``data/``.

Names are looked up as word n-grams (fast, no giant regex). A name that several places
share is resolved by the other places mentioned in the same text (same governorate) and
by country; when that cannot decide, the match is flagged ``ambiguous`` with every
candidate listed.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .build_gazetteer import fold
from .numbers import normalise_ar

DATA = Path(__file__).parent / "data"
_WORD_EN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+(?:['’‘-][A-Za-z]+)*")
_WORD_AR = re.compile(r"[\u0621-\u064a]+")
_PREFIX_EN = ("al ", "el ", "ar ", "as ", "ash ", "ad ", "az ", "at ", "an ", "ad ")
# Latin alternate names that are ordinary English words or too short to trust
_STOP_EN = {"tell", "bab", "city", "ali", "hit", "most", "mar", "sin", "ras", "rasm", "tal",
            "arab", "state", "syria", "iraq", "qaryat", "kafr", "saba", "jadida", "sur"}  # fmt: skip


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    country: str
    governorate: str | None
    precision: str
    population: int = 0
    name_ar: str | None = None
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "name_ar": self.name_ar, "lat": self.lat, "lon": self.lon,
            "country": self.country, "governorate": self.governorate,
            "precision": self.precision, "source": self.source,
        }  # fmt: skip


@dataclass
class PlaceMatch:
    start: int
    end: int
    text: str
    candidates: list[Place]
    chosen: Place | None = None
    ambiguous: bool = False
    notes: list[str] = field(default_factory=list)


class Gazetteer:
    def __init__(self, places: list[Place], names: dict[str, list[int]]) -> None:
        self.places = places
        self.index = names
        self.max_words = max((k.count(" ") + 1 for k in names), default=1)

    def find(self, text: str, lang: str = "en") -> list[PlaceMatch]:
        """Every place name in ``text``, longest match first, then disambiguated."""
        if lang == "ar":
            tokens = [
                (m.start(), m.end(), normalise_ar(m.group())) for m in _WORD_AR.finditer(text)
            ]
        else:
            tokens = [(m.start(), m.end(), m.group()) for m in _WORD_EN.finditer(text)]
            folded = [_fold_cached(t[2]) for t in tokens]
            caps = [t[2][:1].isupper() for t in tokens]
        out: list[PlaceMatch] = []
        i = 0
        while i < len(tokens):
            hit = None
            if lang == "en" and not caps[i]:
                i += 1
                continue
            for n in range(min(self.max_words, len(tokens) - i), 0, -1):
                group = tokens[i : i + n]
                if lang == "ar":
                    keys = self._keys(" ".join(t[2] for t in group), lang)
                else:
                    k = " ".join(folded[i : i + n])
                    keys = [k] if len(k) >= 4 and k not in _STOP_EN else []
                for key in keys:
                    if key in self.index:
                        hit = (n, key)
                        break
                if hit:
                    break
            if hit is None:
                i += 1
                continue
            n, key = hit
            start, end = tokens[i][0], tokens[i + n - 1][1]
            cands = [self.places[j] for j in self.index[key]]
            out.append(PlaceMatch(start, end, text[start:end], cands))
            i += n
        _resolve(out, text)
        return out

    @staticmethod
    def _keys(phrase: str, lang: str) -> list[str]:
        if lang == "ar":
            keys = [phrase]
            if len(phrase) > 3 and phrase[0] in "وبلف":
                keys.append(phrase[1:])
            return keys
        k = fold(phrase)
        if len(k) < 4 or k in _STOP_EN:
            return []
        return [k]


@lru_cache(maxsize=50_000)
def _fold_cached(word: str) -> str:
    return fold(word)


def _resolve(matches: list[PlaceMatch], text: str) -> None:
    lowered = text.lower()
    country = "IQ" if ("iraq" in lowered or "العراق" in text) and "syria" not in lowered else "SY"
    has_raqqa = any(
        c.governorate == "Raqqa" and c.precision != "neighbourhood"
        for m in matches
        for c in m.candidates
    )
    for m in matches:
        cands = m.candidates
        if any(c.precision == "neighbourhood" for c in cands) and not has_raqqa:
            m.notes.append("Raqqa neighbourhood name, but Raqqa is not mentioned")
            cands = [c for c in cands if c.precision != "neighbourhood"]
            if not cands:
                continue
        if len({(c.governorate, c.country) for c in cands}) <= 1:
            m.chosen = max(cands, key=_rank)
            continue
        near = sorted(
            (abs(o.start - m.start), o.candidates[0].governorate)
            for o in matches
            if o is not m and len({c.governorate for c in o.candidates}) == 1
        )
        cand_govs = {c.governorate for c in cands}
        best_gov = next((g for _, g in near if g in cand_govs), None)
        same_gov = [c for c in cands if c.governorate == best_gov]
        pool = same_gov or [c for c in cands if c.country == country] or cands
        pool.sort(key=_rank, reverse=True)
        if len({c.governorate for c in pool}) == 1 or pool[0].population > 10 * max(
            pool[1].population, 1
        ):
            m.chosen = pool[0]
            m.notes.append("resolved by context" if same_gov else "resolved by population")
        else:
            m.chosen = pool[0]
            m.ambiguous = True
            m.notes.append("ambiguous: " + "; ".join(f"{c.name} ({c.governorate})" for c in pool))


def _rank(p: Place) -> tuple[int, int]:
    order = {"neighbourhood": 3, "town": 2, "governorate": 1}
    return (p.population, order.get(p.precision, 0))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    data = json.loads((DATA / "places.json").read_text(encoding="utf-8"))
    places: list[Place] = []
    names: dict[str, list[int]] = {}

    def add(key: str, idx: int) -> None:
        lst = names.setdefault(key, [])
        if idx not in lst:
            lst.append(idx)

    for p in data["places"]:
        ar = p["names_ar"][0] if p["names_ar"] else None
        place = Place(p["name"], p["lat"], p["lon"], p["country"], p.get("governorate"),
                      p["precision"], p.get("population", 0), ar, p.get("source", ""))  # fmt: skip
        idx = len(places)
        places.append(place)
        for n in p["names"]:
            if len(n) >= 4 and n not in _STOP_EN:
                add(n, idx)
                for pre in _PREFIX_EN:
                    if n.startswith(pre) and len(n) - len(pre) >= 4:
                        add(n[len(pre) :], idx)
        for n in p["names_ar"]:
            add(normalise_ar(n), idx)
            if " " in n and n.startswith("ال"):  # "البو كمال" is also written "البوكمال"
                add(normalise_ar(n).replace(" ", ""), idx)
    lines = (DATA / "raqqa_neighbourhoods.csv").read_text(encoding="utf-8").splitlines()
    for row in csv.DictReader(line for line in lines if not line.startswith("#")):
        idx = len(places)
        ars = row["names_ar"].split("|")
        places.append(Place(row["name"], float(row["lat"]), float(row["lon"]), "SY", "Raqqa",
                            "neighbourhood", 0, ars[0], "Airwars-derived centroid"))  # fmt: skip
        for n in row["names"].split("|") + [row["name"]]:
            add(fold(n), idx)
        for n in ars:
            add(normalise_ar(n), idx)
    return Gazetteer(places, names)
