"""Validation lists with known truth: a population, then organisations' lists of it.

The error models (all documented in docs/link.md, each a probability in ``ListProfile``):
- capture: each person has a visibility v ~ LogNormal(0, sigma); list k records the person
  with probability 1 - exp(-rate_k * v) (heterogeneous capture, correlated across lists);
- script: Latin only, Arabic only, or both;
- spelling (Latin and Arabic, separately): words respelt as real lists respelt them
  (``spelling_changes``: the same person's name in two Gaza Ministry of Health releases,
  and in the Airwars Gaza list against the ministry's). A respelt record has 1, 2 or 3
  words replaced, as many as measured; a word is chosen among the name's words with
  observed variants (weighted by how often each was seen respelt) and replaced by one
  of its variants with the observed frequencies. Each list follows one source's rates
  and variants (``ListProfile.spelling``: a hospital's list like the ministry's register
  between releases, the others like a media-based list against the register); the rate
  per record comes from the measured rate per pair of writings. No rule of our own and
  nothing of the linker (normalise, records, names) is used; no separate typos either
  (the real changes include the typing slips);
- dropped name parts: father's or grandfather's name left out;
- age: missing, off by 1-3 years, or rounded to 5 years;
- date of death: missing or off by 1-3 days; place: missing or Arabic script only;
- sex missing; a record entered twice in the same list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from .name_growth import NameSeating
from .spelling_changes import SpellingChanges
from .spelling_changes import load as load_spelling
from .vocabulary import NAME_TABLE, PLACE_TABLE, load_growth, load_places, load_pools

# Deaths per year in the Airwars Syria victims list (killed, named), 2014-2019: the
# conflict's own profile, used to spread incident dates over its years.
YEAR_WEIGHTS = {2014: 98, 2015: 1637, 2016: 4522, 2017: 4880, 2018: 2036, 2019: 1419}


@dataclass
class ListProfile:
    """One organisation's list: how often it captures people and how it records them."""

    name: str
    rate: float
    latin_only: float = 0.3
    arabic_only: float = 0.2
    # whose measured spelling changes the list's records follow: "airwars_moh" (a list
    # built from media and family reports) or "moh_releases" (a register rewriting itself)
    spelling: str = "airwars_moh"
    # probability that a record's Latin / Arabic name is respelt; None: the measured rate
    translit: float | None = None
    arabic_variant: float | None = None
    drop_part: float = 0.15
    age_missing: float = 0.2
    age_error: float = 0.2
    age_rounded: float = 0.1
    date_missing: float = 0.05
    date_error: float = 0.15
    place_missing: float = 0.1
    place_arabic: float = 0.2
    sex_missing: float = 0.05
    duplicate: float = 0.02


DEFAULT_LISTS = [
    ListProfile("monitor", 0.9, latin_only=0.5, arabic_only=0.05),
    ListProfile(
        "hospital", 0.5, latin_only=0.1, arabic_only=0.6, age_error=0.1, spelling="moh_releases"
    ),  # fmt: skip
    ListProfile("family", 0.35, latin_only=0.2, arabic_only=0.5, drop_part=0.3, date_error=0.3),
    ListProfile("news", 0.25, latin_only=0.7, arabic_only=0.0, age_missing=0.5),
]


@dataclass
class Simulation:
    population: pd.DataFrame
    records: pd.DataFrame
    lists: list[ListProfile] = field(default_factory=list)

    @property
    def observed_people(self) -> int:
        return int(self.records["true_id"].nunique())


def _incident_days(n_inc: int, rng: np.random.Generator) -> np.ndarray:
    """Days since 2014-01-01 of each incident, spread over the years as in YEAR_WEIGHTS."""
    years = np.array(list(YEAR_WEIGHTS))
    w = np.array(list(YEAR_WEIGHTS.values()), dtype=float)
    yr = rng.choice(years, size=n_inc, p=w / w.sum())
    first = np.array([(date(int(y), 1, 1) - date(2014, 1, 1)).days for y in years])
    return first[np.searchsorted(years, yr)] + rng.integers(0, 365, n_inc)


@dataclass
class _Household:
    """The family of one incident: the father's names (as pool indexes) and age, who of
    them has been killed, and the given names already taken (normalised Arabic) by sex."""

    father: int
    grand: int
    family: int
    father_age: float
    father_killed: bool = False
    mother_killed: bool = False
    sibs: dict[str, set[str]] = field(default_factory=lambda: {"male": set(), "female": set()})
    kids: dict[str, set[str]] = field(default_factory=lambda: {"male": set(), "female": set()})


def simulate_population(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """People killed in incidents, in households (see docs/link.md, Simulated lists).

    Incidents (sizes geometric, mean 3) happen at one place (drawn with the weights of
    the real incident locations, ``data/place_frequencies.csv``) on one day (spread over
    2014-2019 as the real deaths are). 70% of an incident's victims belong to one
    household: a father (given name F, his father G, a family name), his wife (her own
    father and family name), their children (father F, grandfather G, the family name;
    siblings never share a given name) and the father's brothers and sisters (father G).
    The other 30% are unrelated people with their own names. Names come from an open
    vocabulary: the real names, then new ones as often as the victim lists meet them
    (name_growth.py).
    """
    pools = load_pools(NAME_TABLE)
    places, place_w = load_places(PLACE_TABLE)
    sizes = rng.geometric(1 / 3, size=n)  # people per incident, mean 3
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), n)) + 1]
    n_inc = len(sizes)
    inc_day = _incident_days(n_inc, rng)
    inc_place = rng.choice(len(places), size=n_inc, p=place_w)
    growth = load_growth()
    male, female, fam = (
        NameSeating(pools[k], growth[k], rng) for k in ("given_male", "given_female", "family")
    )
    u = iter(rng.random(8 * n + 64).tolist())
    ages = iter(rng.normal(38, 15, n + 8).tolist())
    cols: dict[str, list] = {k: [] for k in ("incident", "sex", "given", "father", "grand",
                                             "family", "age")}  # fmt: skip

    def person(inc: int, sex: str, g: int, fa: int, gr: int, fm: int, age: float) -> None:
        for k, v in zip(cols, (inc, sex, g, fa, gr, fm, age), strict=True):
            cols[k].append(v)

    for inc, size in enumerate(sizes.tolist()):
        hh: _Household | None = None
        for _ in range(size):
            if next(u) >= 0.7:  # unrelated: own names, 60% male, 35% children
                sex = "male" if next(u) < 0.6 else "female"
                age = next(u) * 18 if next(u) < 0.35 else next(ages)
                person(inc, sex, (male if sex == "male" else female)(), male(), male(), fam(), age)
                continue
            if hh is None:
                hh = _Household(male(), male(), fam(), 22 + 45 * next(u))
                # no brother of the father, and no son, is named after him
                hh.sibs["male"].add(male.ident[hh.father])
                hh.kids["male"].add(male.ident[hh.father])
            r = next(u)
            if r < 0.15 and not hh.father_killed:
                hh.father_killed = True
                person(inc, "male", hh.father, hh.grand, male(), hh.family, hh.father_age)
            elif r < 0.30 and not hh.mother_killed:
                hh.mother_killed = True
                age = max(16.0, hh.father_age - 3 - 6 * next(u))
                person(inc, "female", female(), male(), male(), fam(), age)
            elif r < 0.42:  # the father's brother or sister
                sex = "male" if next(u) < 0.5 else "female"
                draw = male if sex == "male" else female
                g = draw(hh.sibs[sex])
                hh.sibs[sex].add(draw.ident[g])
                age = hh.father_age + 15 * (next(u) - 0.5)
                person(inc, sex, g, hh.grand, male(), hh.family, age)
            else:  # a child of the father (any age up to his age - 18)
                sex = "male" if next(u) < 0.5 else "female"
                draw = male if sex == "male" else female
                g = draw(hh.kids[sex])
                hh.kids[sex].add(draw.ident[g])
                age = next(u) * max(1.0, hh.father_age - 18)
                person(inc, sex, g, hh.father, hh.grand, hh.family, age)
    sex = np.array(cols["sex"][:n], dtype=object)
    is_male = sex == "male"
    has_gr = rng.random(n) < 0.4
    incident = np.array(cols["incident"][:n])

    def names(idx: np.ndarray, seating: NameSeating) -> tuple[np.ndarray, np.ndarray]:
        return np.array(seating.en, dtype=object)[idx], np.array(seating.ar, dtype=object)[idx]

    gi = np.array(cols["given"][:n])
    (me, ma) = names(np.where(is_male, gi, 0), male)
    (fe, fa) = names(np.where(is_male, 0, gi), female)
    given_en, given_ar = np.where(is_male, me, fe), np.where(is_male, ma, fa)
    fa_en, fa_ar = names(np.array(cols["father"][:n]), male)
    gr_en, gr_ar = names(np.array(cols["grand"][:n]), male)
    fm_en, fm_ar = names(np.array(cols["family"][:n]), fam)
    start = date(2014, 1, 1)
    age = np.clip(np.array(cols["age"][:n]), 0, 95)
    return pd.DataFrame(
        {
            "true_id": [f"T{i:07d}" for i in range(n)],
            "incident": incident,
            "sex": sex,
            "given_en": given_en, "given_ar": given_ar,
            "father_en": fa_en, "father_ar": fa_ar,
            "grand_en": np.where(has_gr, gr_en, ""), "grand_ar": np.where(has_gr, gr_ar, ""),
            "family_en": fm_en, "family_ar": fm_ar,
            "age": age.astype(int),
            "date_of_death": [start + timedelta(days=int(d)) for d in inc_day[incident]],
            "place_idx": inc_place[incident],
        }
    )  # fmt: skip


def respell(
    words: list[str], script: str, source: str, table: SpellingChanges, rng: np.random.Generator
) -> list[str]:
    """The name's words with some respelt as the source's lists respelt them: as many
    words as measured (fewer when fewer have observed variants), each chosen with the
    weight of how often it was seen respelt, replaced by an observed variant."""
    found = [table.of(source, script, w) for w in words]
    idx = [i for i, v in enumerate(found) if v]
    if not idx:
        return words
    sizes, freq = table.words_respelt(source, script)
    k = min(len(idx), int(rng.choice(sizes, p=np.array(freq) / sum(freq))))
    weight = np.array([sum(found[i][1]) for i in idx])  # type: ignore[index]
    out = list(words)
    for i in rng.choice(idx, size=k, replace=False, p=weight / weight.sum()).tolist():
        variants, counts = found[i]  # type: ignore[misc]
        c = np.array(counts)
        out[i] = variants[int(rng.choice(len(variants), p=c / c.sum()))]
    return out


def _record(
    person: dict[str, object],
    prof: ListProfile,
    rng: np.random.Generator,
    places: list[tuple[str, str]],
    spelling: SpellingChanges,
) -> dict[str, object]:
    parts = ["given", "father", "grand", "family"]
    if rng.random() < prof.drop_part:
        parts.remove(str(rng.choice(["father", "grand"])))
    en = [str(person[f"{p}_en"]) for p in parts if person[f"{p}_en"]]
    ar = [str(person[f"{p}_ar"]) for p in parts if person[f"{p}_ar"]]
    src = prof.spelling
    latin_rate = spelling.record_rate(src, "latin") if prof.translit is None else prof.translit
    arabic_rate = (
        spelling.record_rate(src, "ar") if prof.arabic_variant is None else prof.arabic_variant
    )
    if rng.random() < latin_rate:
        en = respell(en, "latin", src, spelling, rng)
    if rng.random() < arabic_rate:
        ar = respell(ar, "ar", src, spelling, rng)
    name_ar = " ".join(ar)
    script = rng.random()
    name = " ".join(en)
    if script < prof.latin_only:
        name_ar = ""
    elif script < prof.latin_only + prof.arabic_only:
        name = ""
    age: object = int(person["age"])
    r = rng.random()
    if r < prof.age_missing:
        age = ""
    elif r < prof.age_missing + prof.age_error:
        age = max(0, int(person["age"]) + int(rng.choice([-3, -2, -1, 1, 2, 3])))
    elif r < prof.age_missing + prof.age_error + prof.age_rounded:
        age = int(round(int(person["age"]) / 5) * 5)
    dod: object = person["date_of_death"]
    r = rng.random()
    if r < prof.date_missing:
        dod = ""
    elif r < prof.date_missing + prof.date_error:
        dod = dod + timedelta(days=int(rng.choice([-3, -2, -1, 1, 2, 3])))  # type: ignore[operator]
    pen, par = places[int(person["place_idx"])]
    r = rng.random()
    place = (
        ""
        if r < prof.place_missing
        else (par if r < prof.place_missing + prof.place_arabic else pen)
    )
    sex = "" if rng.random() < prof.sex_missing else person["sex"]
    return {"name": name, "name_ar": name_ar, "sex": sex, "age": age,
            "date_of_death": str(dod), "place": place, "true_id": person["true_id"]}  # fmt: skip


def simulate_lists(
    n_people: int, seed: int = 1, lists: list[ListProfile] | None = None, sigma: float = 0.8
) -> Simulation:
    """Draw a population and record it on several lists (see module docstring)."""
    rng = np.random.default_rng(seed)
    lists = lists or DEFAULT_LISTS
    pop = simulate_population(n_people, rng)
    places = load_places(PLACE_TABLE)[0]
    spelling = load_spelling()
    visibility = rng.lognormal(0.0, sigma, n_people)
    rows: list[dict[str, object]] = []
    for prof in lists:
        caught = np.flatnonzero(rng.random(n_people) < 1 - np.exp(-prof.rate * visibility))
        dup = caught[rng.random(len(caught)) < prof.duplicate]
        people = pop.iloc[np.concatenate([caught, dup])].to_dict("records")
        start = len(rows)
        for person in people:
            rows.append(_record(person, prof, rng, places, spelling))
        for k, row in enumerate(rows[start:]):
            row["record_id"] = f"{prof.name}-{k + 1:07d}"
            row["list"] = prof.name
    cols = [
        "record_id",
        "list",
        "name",
        "name_ar",
        "sex",
        "age",
        "date_of_death",
        "place",
        "true_id",
    ]
    return Simulation(pop, pd.DataFrame(rows)[cols], lists)


def write_lists(sim: Simulation, out_dir: Path) -> list[Path]:
    """One CSV per list (with the truth column ``true_id``) and population.json."""
    import json

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, part in sim.records.groupby("list", sort=False):
        path = out_dir / f"{name}.csv"
        part.to_csv(path, index=False)
        paths.append(path)
    (out_dir / "population.json").write_text(
        json.dumps(
            {
                "population_size": len(sim.population),
                "observed_people": sim.observed_people,
                "records": len(sim.records),
                "lists": [p.__dict__ for p in sim.lists],
            },
            indent=2,
        )  # fmt: skip
    )
    return paths
