"""Families killed together: the simulator's households and the within-family model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from civcas.link.household import rescore
from civcas.link.normalise import normalise_arabic, place_key, skeleton
from civcas.link.simulate import simulate_population


def test_simulated_households_share_father_and_not_given_names():
    pop = simulate_population(6000, np.random.default_rng(4))
    # children of one father in one incident: same father, grandfather, family, day, place
    kids = pop[pop["grand_en"] != ""].groupby(["incident", "father_en", "family_en"])
    shared = 0
    for _, g in kids:
        if len(g) < 2:
            continue
        assert g["date_of_death"].nunique() == 1 and g["place_idx"].nunique() == 1
        shared += 1
    assert shared > 50  # brothers and sisters killed together are common
    # no two children of one father (same incident) share a given name
    for _, g in pop.groupby(["incident", "father_ar", "grand_ar", "family_ar", "sex"]):
        names = [normalise_arabic(a) for a in g["given_ar"]]
        if len(g) > 1 and g["grand_ar"].iloc[0]:
            assert len(set(names)) == len(names), g[["given_en", "father_en", "family_en"]]
    # deaths spread over years and many places
    assert pop["place_idx"].nunique() > 300
    assert pd.to_datetime(pop["date_of_death"]).dt.year.nunique() == 6


def _feats(rows: list[tuple]) -> pd.DataFrame:
    cols = ["unique_id", "given", "given_sp", "father", "father_sp", "grandfather",
            "grandfather_sp", "family", "sex", "age", "dod", "place"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def test_within_family_model_separates_brothers_from_one_person():
    rng = np.random.default_rng(0)
    rows, same, brothers = [], [], []
    given = [f"g{i}" for i in range(40)]
    for h in range(400):
        fam, father, grand, day, place = f"fam{h}", f"f{h % 37}", f"gf{h % 23}", 17000 + h, f"p{h}"
        a, b = rng.choice(given, 2, replace=False)
        for who, g, age in (("a", a, 10 + h % 20), ("b", b, 30 + h % 20)):
            for copy, sp in ((1, "la"), (2, "ar")):
                rows.append((f"{h}{who}{copy}", g, f"{sp}:{g}", father, f"{sp}:{father}", grand,
                             f"{sp}:{grand}", fam, "male", float(age), float(day), place))  # fmt: skip
            same.append((f"{h}{who}1", f"{h}{who}2"))
        brothers += [(f"{h}a1", f"{h}b1"), (f"{h}a1", f"{h}b2"), (f"{h}a2", f"{h}b1")]
    feats = _feats(rows)
    # Splink's independent fields score everyone in a household as one person
    at = {u: i for i, u in enumerate(feats["unique_id"])}  # rescore takes row positions
    pairs = pd.DataFrame([(at[a], at[b]) for a, b in same + brothers],
                         columns=["unique_id_l", "unique_id_r"])  # fmt: skip
    pairs["match_probability"] = 0.999
    model = {"comparisons": []}
    out = rescore(pairs, feats, model)
    p = out["match_probability"].to_numpy()
    assert (p[: len(same)] > 0.9).mean() > 0.95
    assert (p[len(same) :] < 0.5).mean() > 0.95
    # the family model only lowers a probability
    low = pairs.assign(match_probability=0.3)
    assert (rescore(low, feats, model)["match_probability"] <= 0.3 + 1e-12).all()


def test_long_vowel_names_have_their_own_keys():
    assert len({skeleton(w) for w in ["Mahmoud", "Mahmud", "Mahmood", "محمود"]}) == 1
    assert skeleton("Mahmoud") != skeleton("Muhammad") == skeleton("محمد") == skeleton("Mhd")
    assert skeleton("Hussein") == skeleton("حسين") != skeleton("Hasan") == skeleton("حسن")
    assert skeleton("Mahdi") == skeleton("مهدي") != skeleton("Mhd")
    assert skeleton("Alaa") == skeleton("علاء") != skeleton("Ali") == skeleton("علي")


def test_place_keys_agree_across_scripts_for_written_variants():
    assert place_key("Ar Raqqah") == place_key("الرقة") == place_key("Raqqa")
    assert place_key("Ma'arat al-Nu'man") == place_key("معرة النعمان")
    assert place_key("Kafr Nabl") == place_key("كفرنبل")
    assert place_key("Al Fardous (Aleppo)") == place_key("حي الفردوس")
    assert place_key("Homs") != place_key("Hama")
