"""Placeholders and relational names are never linked on the name; contradictions of
sex, age (tolerance growing with age) and identity number block a link."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civcas.link.cluster import Conflicts
from civcas.link.placeholders import classify
from civcas.link.records import COLUMNS, OPTIONAL, features


@pytest.mark.parametrize(
    ("name", "name_ar", "relation", "number"),
    [
        ("Unnamed victim 3", "", "unnamed", "3"),
        ("Member of the al Saalo family 4", "", "member", "4"),
        ("Child of Mr Ramadhan Sheikh 5", "", "child", "5"),
        ("Child of Tariq Muhammad Al-Maghari", "", "child", ""),
        ("Abdul Salam Siraj's brother", "", "brother", ""),
        ("Sister in law of Rushdiyya Toutah", "أخت رشدية طوطح", "sister", ""),
        ("Fouad Ali Abu Butihan's child (Unnamed)", "", "unnamed", ""),
        ("", "طفل زياد وانتسال", "طفل", ""),
        ("", "زوجة محمد", "زوجة", ""),
        ("", "مجهول الهوية", "unnamed", ""),
        ("", "ابن/نبيلة نصر محمد نوفل", "ابن", ""),
        ("?", "مجهول", "unnamed", ""),
    ],
)
def test_placeholders_in_both_scripts(name, name_ar, relation, number):
    kind = classify(name, name_ar)
    assert kind.placeholder and kind.relation == relation and kind.number == number


def test_relational_name_names_the_relative():
    kind = classify("Son of Mahmoud Nasr Nofal")
    assert kind.relation == "son" and kind.relative == "mahmoud nasr nofal"


@pytest.mark.parametrize(
    ("name", "name_ar"),
    [
        ("Ahmed Abdel Rahman Ahmed Shehab", "أحمد عبدالرحمن أحمد شهاب"),
        ("Nusaybah Abdalrahman", "نسيبة عبدالرحمن"),  # a given name, not "in-law"
        ("Janin Muhammad Salihah", "جنين محمد صالحة"),  # Janin, not "fetus"
        ("Abdul Rahman Abu Hayya and his family", ""),
        ("Sajida Abu Hayya", "زوجة الاسير المحرر ساجدة ابو هيا"),  # the Latin name decides
    ],
)
def test_names_are_names(name, name_ar):
    assert not classify(name, name_ar).placeholder


def _frame(names: list[tuple[str, str]]) -> pd.DataFrame:
    df = pd.DataFrame({"record_id": [str(i) for i in range(len(names))], "list": "x"})
    for c in COLUMNS + OPTIONAL:
        if c not in df:
            df[c] = ""
    df["name"] = [n for n, _ in names]
    df["name_ar"] = [a for _, a in names]
    return df


def test_placeholders_have_no_name_keys():
    f = features(_frame([("Child of Manal 1", ""), ("Child of Manal 2", ""),
                         ("Manal Ahmad", ""), ("", "طفل زياد")]))  # fmt: skip
    for part in ("given", "father", "grandfather", "family"):
        assert f[part].iloc[[0, 1, 3]].isna().all()
    assert f["given"].iloc[2] is not None


def _conflicts(age: list[float], ids: list[float] | None = None) -> Conflicts:
    n = len(age)
    return Conflicts(np.zeros(n, np.int8), np.array(age, float), np.full(n, np.nan), 15.0,
                     60.0, 3.0, 0.25, None if ids is None else np.array(ids, float))  # fmt: skip


def test_age_tolerance_grows_with_age():
    labels = np.array([0, 0, 1, 1, 2, 2])
    c = _conflicts([8, 15, 40, 50, 70, 90])
    # 8 vs 15: 7 years apart, allowed 3 + 0.25 * 15 = 6.75; 40 vs 50: allowed 15 (cap)
    assert c.groups_in_conflict(labels, 3).tolist() == [True, False, True]


def test_two_identity_numbers_conflict():
    labels = np.array([0, 0, 1, 1, 2, 2])
    c = _conflicts([30] * 6, [1, 2, 3, 3, 4, np.nan])
    assert c.groups_in_conflict(labels, 3).tolist() == [True, False, False]


def test_a_nameless_record_is_linked_only_by_an_identity_number():
    from civcas.link.pipeline import _nameless_pairs

    df = _frame([("Sister in law of Rushdiyya Toutah", ""), ("Sister in law of Rushdiyya Toutah", ""),
                 ("", ""), ("Manal Ahmad", ""), ("Manal Ahmad", "")])  # fmt: skip
    df["id_number"] = ["", "", "", "", ""]
    df.loc[[2, 3], "id_number"] = "9001"
    pairs = pd.DataFrame({"unique_id_l": [0, 2, 2, 3], "unique_id_r": [1, 3, 4, 4]})
    # two placeholders; an empty name with the same number; with none; two names
    assert _nameless_pairs(features(df), pairs).tolist() == [True, False, True, False]
    # a spec's extra column the two share (FEBRL's social security number) links them
    ssn = pd.DataFrame({"soc_sec_id": ["123", "123", None, None, None]})
    assert _nameless_pairs(features(df), pairs, ssn).tolist() == [False, False, True, False]
