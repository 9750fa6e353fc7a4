"""Validation lists with known truth: a population, then organisations' lists of it.

The error models (all documented in docs/link.md, each a probability in ``ListProfile``):
- capture: each person has a visibility v ~ LogNormal(0, sigma); list k records the person
  with probability 1 - exp(-rate_k * v) (heterogeneous capture, correlated across lists);
- script: Latin only, Arabic only, or both;
- transliteration: each Latin word re-spelled with field variants (Muhammad/Mohammed/Mhd,
  Abd al-X/Abdul X/Abdel X/Abdurrahman, al-/el-/none, ou/u, ee/i, doubled letters);
- Arabic spelling: hamza seats dropped, taa marbuta as haa, final yaa as alif maqsura,
  diacritics, tatweel;
- typos: one edit (delete, substitute, transpose, insert) in one word;
- dropped name parts: father's or grandfather's name left out;
- age: missing, off by 1-3 years, or rounded to 5 years;
- date of death: missing or off by 1-3 days; place: missing or Arabic script only;
- sex missing; a record entered twice in the same list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from .names import NAME_TABLE, load_pools

PLACES = [
    ("Raqqa", "الرقة"), ("Tabqa", "الطبقة"), ("Mansoura", "المنصورة"), ("Deir ez-Zor", "دير الزور"),
    ("Mayadin", "الميادين"), ("Albu Kamal", "البوكمال"), ("Hajin", "هجين"), ("Hasakah", "الحسكة"),
    ("Shaddadi", "الشدادي"), ("Manbij", "منبج"), ("Al-Bab", "الباب"), ("Idlib", "إدلب"),
    ("Ma'arat al-Nu'man", "معرة النعمان"), ("Saraqib", "سراقب"), ("Ariha", "أريحا"),
    ("Jisr al-Shughur", "جسر الشغور"), ("Aleppo", "حلب"), ("Atarib", "الأتارب"),
    ("Hama", "حماة"), ("Homs", "حمص"), ("Palmyra", "تدمر"), ("Daraa", "درعا"),
    ("Douma", "دوما"), ("Harasta", "حرستا"), ("Kafr Nabl", "كفرنبل"), ("Khan Shaykhun", "خان شيخون"),
    ("Al-Mishlab", "المشلب"), ("Al-Sabahiya", "الصباحية"), ("Hisham bin Abdulmalik", "هشام بن عبد الملك"),
    ("Al-Bedou", "البدو"), ("Al-Thakana", "الثكنة"), ("Al-Rumaila", "الرميلة"),
]  # fmt: skip


@dataclass
class ListProfile:
    """One organisation's list: how often it captures people and how it records them."""

    name: str
    rate: float
    latin_only: float = 0.3
    arabic_only: float = 0.2
    translit: float = 0.5
    arabic_variant: float = 0.3
    typo: float = 0.1
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
    ListProfile("hospital", 0.5, latin_only=0.1, arabic_only=0.6, age_error=0.1),
    ListProfile("family", 0.35, latin_only=0.2, arabic_only=0.5, drop_part=0.3, date_error=0.3),
    ListProfile("news", 0.25, latin_only=0.7, arabic_only=0.0, typo=0.2, age_missing=0.5),
]


@dataclass
class Simulation:
    population: pd.DataFrame
    records: pd.DataFrame
    lists: list[ListProfile] = field(default_factory=list)

    @property
    def observed_people(self) -> int:
        return int(self.records["true_id"].nunique())


def simulate_population(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """People killed in incidents: families share a family name, date and place."""
    pools = load_pools(NAME_TABLE)
    sizes = rng.geometric(1 / 3, size=n)  # people per incident, mean 3
    incident = np.repeat(np.arange(len(sizes)), sizes)[:n]
    n_inc = int(incident.max()) + 1
    start = date(2016, 1, 1)
    inc_day = rng.integers(0, 730, n_inc)
    inc_place = rng.integers(0, len(PLACES), n_inc)
    fam_en, fam_ar = pools["family"].sample(rng, n_inc)
    own_fam_en, own_fam_ar = pools["family"].sample(rng, n)
    same_family = rng.random(n) < 0.7
    sex = np.where(rng.random(n) < 0.6, "male", "female")
    gm_en, gm_ar = pools["given_male"].sample(rng, n)
    gf_en, gf_ar = pools["given_female"].sample(rng, n)
    fa_en, fa_ar = pools["given_male"].sample(rng, n)
    gr_en, gr_ar = pools["given_male"].sample(rng, n)
    has_gr = rng.random(n) < 0.4
    male = sex == "male"
    given_en, given_ar = np.where(male, gm_en, gf_en), np.where(male, gm_ar, gf_ar)
    family_en = np.where(same_family, fam_en[incident], own_fam_en)
    family_ar = np.where(same_family, fam_ar[incident], own_fam_ar)
    age = np.clip(
        np.where(rng.random(n) < 0.35, rng.integers(0, 18, n), rng.normal(38, 15, n)), 0, 95
    )
    days = inc_day[incident]
    return pd.DataFrame(
        {
            "true_id": [f"T{i:07d}" for i in range(n)],
            "incident": incident,
            "sex": sex,
            "given_en": given_en, "given_ar": given_ar,
            "father_en": fa_en, "father_ar": fa_ar,
            "grand_en": np.where(has_gr, gr_en, ""), "grand_ar": np.where(has_gr, gr_ar, ""),
            "family_en": family_en, "family_ar": family_ar,
            "age": age.astype(int),
            "date_of_death": [start + timedelta(days=int(d)) for d in days],
            "place_idx": inc_place[incident],
        }
    )  # fmt: skip


_MUHAMMAD = ["Muhammad", "Mohammed", "Mohamed", "Mohammad", "Mhd", "Mohamad"]
_SWAPS = [("ou", "u"), ("u", "ou"), ("ee", "i"), ("i", "ee"), ("ei", "ai"), ("ai", "ei"),
          ("ah", "a"), ("q", "k"), ("ss", "s"), ("mm", "m"), ("dd", "d"), ("e", "a"), ("a", "e")]  # fmt: skip
_ABD = re.compile(r"^abd[\s-]*(?:[aeiu]l[\s-]*)?(.+)$", re.I)


def latin_variant(word: str, rng: np.random.Generator) -> str:
    """Re-spell one Latin name word the way another monitor might."""
    if word in _MUHAMMAD:
        return str(rng.choice(_MUHAMMAD))
    m = _ABD.match(word)
    if m and len(m.group(1)) > 2 and word.lower() not in ("abdo", "abdu"):
        rest = m.group(1).lstrip("-").capitalize()
        styles = [f"Abd al-{rest}", f"Abdul{rest.lower()}", f"Abdul {rest}", f"Abdel-{rest}"]
        return str(rng.choice(styles))
    if word.lower().startswith("al-"):
        return str(rng.choice(["el-", "", "Al "])) + word[3:]
    for a, b in rng.permutation(np.array(_SWAPS, dtype=object)):
        if a in word[1:]:
            return word[0] + word[1:].replace(a, b, 1)
    return word


def typo(word: str, rng: np.random.Generator) -> str:
    if len(word) < 3:
        return word
    i = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(0, 4))
    letters = word if not word.isascii() else "abcdefghiklmnorstuy"
    c = letters[int(rng.integers(0, len(letters)))]
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + c + word[i + 1 :]
    if kind == 2:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + c + word[i:]


def arabic_variant(text: str, rng: np.random.Generator) -> str:
    """Spelling variants that change no name: hamza seats, taa marbuta, yaa, marks."""
    choice = int(rng.integers(0, 5))
    if choice == 0:
        return text.replace("أ", "ا").replace("إ", "ا")
    if choice == 1:
        return text.replace("ة", "ه")
    if choice == 2:
        return re.sub("ي(?=\\s|$)", "ى", text)
    if choice == 3:
        return text.replace("م", "مَ", 1)
    return text.replace("ح", "حـ", 1)


def _record(person: pd.Series, prof: ListProfile, rng: np.random.Generator) -> dict[str, object]:
    parts = ["given", "father", "grand", "family"]
    if rng.random() < prof.drop_part:
        parts.remove(str(rng.choice(["father", "grand"])))
    en = [person[f"{p}_en"] for p in parts if person[f"{p}_en"]]
    ar = [person[f"{p}_ar"] for p in parts if person[f"{p}_ar"]]
    if rng.random() < prof.translit:
        en = [latin_variant(w, rng) if rng.random() < 0.6 else w for w in en]
    if rng.random() < prof.typo:
        j = int(rng.integers(0, len(en)))
        en[j] = typo(en[j], rng)
    name_ar = " ".join(ar)
    if rng.random() < prof.arabic_variant:
        name_ar = arabic_variant(name_ar, rng)
    if rng.random() < prof.typo / 2:
        name_ar = typo(name_ar, rng)
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
    pen, par = PLACES[int(person["place_idx"])]
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
    visibility = rng.lognormal(0.0, sigma, n_people)
    rows: list[dict[str, object]] = []
    for prof in lists:
        caught = np.flatnonzero(rng.random(n_people) < 1 - np.exp(-prof.rate * visibility))
        dup = caught[rng.random(len(caught)) < prof.duplicate]
        people = pop.iloc[np.concatenate([caught, dup])]
        start = len(rows)
        for _, person in people.iterrows():
            rows.append(_record(person, prof, rng))
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
