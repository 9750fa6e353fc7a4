"""Training the civcas model without learning 'died in the same incident'.

EM blocked on date + place (or on anything that keeps family members killed together
in one block) teaches the model that agreeing on date, place and family name is what a
match looks like, and siblings score above 0.99. The same happens, more quietly, inside
a given + family name block: brothers killed together called Muhammad al-Hussein are
many, and EM there learnt that a third of "matches" disagree on the father's name and
one in twelve on age by more than six years. So:

- u probabilities: random sampling (pairs of random records are nearly all non-matches);
- m for family name + date + place, grandfather and sex: EM on the name blocks
  (given + family, given + father + sex);
- m for the given name, the father's name and age from pseudo-labelled pairs found by
  strict rules that do not use the field being estimated: same father, family, sex and
  date of death with ages within a year (given name); same given, family, sex and date
  with ages within a year (father); same given, father, family and date (age). Siblings
  rarely share all of these, so the pairs are nearly all true matches. Reviewed
  ``accept`` decisions are added to every set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .model import rare_form
from .normalise import fold_dentals


def _dl1(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1 (one edit or one transposition)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def name_level(key_l: Any, key_r: Any, sp_l: Any, sp_r: Any, n_l: float = 0, n_r: float = 0) -> int:
    """Index of the comparison level (as in model._name_part): 0 null, 1 same spelling,
    2 same key, 3 same key with t/d/z as one, 4 one edit with one form rare, 5 one edit,
    6 else. ``n_l``, ``n_r``: how many records hold each key (model.rare_form)."""
    if key_l is None or key_r is None:
        return 0
    if sp_l is not None and sp_l == sp_r:
        return 1
    if key_l == key_r:
        return 2
    if fold_dentals(key_l) == fold_dentals(key_r):
        return 3
    if max(len(key_l), len(key_r)) >= 3 and _dl1(key_l, key_r):  # as model._dl1
        return 4 if rare_form(n_l, n_r) else 5
    return 6


def _name_levels(pairs: pd.DataFrame, part: str) -> list[int]:
    """Non-null level index per pair, in the order of model._name_part's levels."""
    shift = part in ("father", "grandfather")
    out = []
    cols = [pairs[f"{part}_l"], pairs[f"{part}_r"], pairs[f"{part}_sp_l"], pairs[f"{part}_sp_r"],
            pairs[f"{part}_n_l"], pairs[f"{part}_n_r"],
            pairs["father_l"], pairs["grandfather_r"], pairs["grandfather_l"], pairs["father_r"]]  # fmt: skip
    for a, b, c, d, nl, nr, fl, gr, gl, fr in zip(*cols, strict=True):
        lv = name_level(_none(a), _none(b), _none(c), _none(d), nl, nr)
        if lv == 0:
            continue
        if lv == 6 and shift:  # chain shifted by a dropped name, then else
            lv = (
                6
                if (_none(fl) is not None and fl == gr) or (_none(gl) is not None and gl == fr)
                else 7
            )
        out.append(lv - 1)
    return out


def _age_levels(pairs: pd.DataFrame) -> list[int]:
    """As in model._age: 0, 1, 3, 6 years, else (nulls left out)."""
    d = (pairs["age_l"].astype(float) - pairs["age_r"].astype(float)).abs().dropna().to_numpy()
    return list(np.searchsorted(np.array([0, 1, 3, 6]), d, side="left"))


def _none(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else v


_COLS = ["unique_id", "given", "given_sp", "given_n", "father", "father_sp", "father_n",
         "grandfather", "grandfather_n", "family", "family_sp", "sex", "age", "dod"]  # fmt: skip


def pseudo_label_pairs(
    frame: pd.DataFrame, keys: list[str], limit: int = 200_000, age_within: float | None = 1
) -> pd.DataFrame:
    f = frame[_COLS].dropna(subset=keys + (["age"] if age_within is not None else []))
    m = f.merge(f, on=keys, suffixes=("_l", "_r"))
    for k in keys:  # the merge keeps one copy of a key column: restore both sides
        m[f"{k}_l"] = m[f"{k}_r"] = m[k]
    m = m[m["unique_id_l"] < m["unique_id_r"]]
    if age_within is not None:
        m = m[(m["age_l"].astype(float) - m["age_r"].astype(float)).abs() <= age_within]
    if len(m) > limit:
        m = m.sample(limit, random_state=1)
    return m


def m_from_levels(levels: list[int], n_levels: int) -> list[float] | None:
    if len(levels) < 30:
        return None
    counts = np.bincount(np.array(levels, dtype=int), minlength=n_levels)[:n_levels].astype(float)
    counts += 0.5  # no level is impossible
    return list(counts / counts.sum())


# field -> the keys its pseudo-labelled pairs must share (never the field itself)
PLANS: dict[str, list[str]] = {
    "given": ["father", "family", "dod", "sex"],
    "father": ["given", "family", "dod", "sex"],
    "age": ["given", "father", "family", "dod"],
}


# how far apart the ages of a pseudo-labelled pair may be (None: age not used). For the
# given name, the same age: brothers share father, family, sex and date, and one year
# apart let enough of them in to make 10% of "matches" disagree on the given name.
AGE_WITHIN: dict[str, float | None] = {"given": 0, "father": 1, "age": None}


def patch_name_m(
    model: dict[str, Any], frame: pd.DataFrame, accepted: Iterable[tuple[str, str]] = ()
) -> dict[str, Any]:
    """Set m for given, father and age from pseudo-labels (plus accepted reviewed pairs)."""
    reviewed = _reviewed_pairs(frame, accepted)
    if len(frame) > 300_000:  # plenty of labelled pairs in a sample; merges cost time
        frame = frame.sample(300_000, random_state=1)
    comps = {c.get("output_column_name"): c for c in model["comparisons"]}
    for part, keys in PLANS.items():
        if part not in comps:
            continue
        labelled = pseudo_label_pairs(frame, keys, age_within=AGE_WITHIN[part])
        pairs = pd.concat([labelled, reviewed], ignore_index=True) if len(reviewed) else labelled
        non_null = [lv for lv in comps[part]["comparison_levels"] if not lv.get("is_null_level")]
        levels = _age_levels(pairs) if part == "age" else _name_levels(pairs, part)
        m = m_from_levels(levels, len(non_null))
        if m is None:
            continue
        for lv, mp in zip(non_null, m, strict=True):
            lv["m_probability"] = mp
    return model


def _reviewed_pairs(frame: pd.DataFrame, accepted: Iterable[tuple[str, str]]) -> pd.DataFrame:
    acc = list(accepted)
    if not acc:
        return pd.DataFrame()
    f = frame.set_index("unique_id")
    cols = [c for c in _COLS if c != "unique_id"]
    left = f.reindex([a for a, _ in acc])[cols].add_suffix("_l").reset_index(drop=True)
    right = f.reindex([b for _, b in acc])[cols].add_suffix("_r").reset_index(drop=True)
    return pd.concat([left, right], axis=1).replace({np.nan: None})
