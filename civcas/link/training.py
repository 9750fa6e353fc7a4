"""Training the civcas model without learning 'died in the same incident'.

EM blocked on date + place (or on anything that keeps family members killed together
in one block) teaches the model that agreeing on date, place and family name is what a
match looks like, and siblings score above 0.99. So:

- u probabilities: random sampling (pairs of random records are nearly all non-matches);
- most m probabilities: EM on a name block (given + family), which keeps out siblings;
- m for the given and family names themselves (which that block cannot estimate) from
  pseudo-labelled pairs found by strict rules that do not use the name being estimated:
  same father, family, sex and date of death with ages within a year (for the given
  name), and same given, father, sex and date with ages within a year (for the family
  name). Siblings rarely share sex and age within a year, so these pairs are nearly all
  true matches. Reviewed ``accept`` decisions are added to both sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd


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


def name_level(key_l: Any, key_r: Any, sp_l: Any, sp_r: Any) -> int:
    """Index of the comparison level (as in model._name_part): 0 null .. 4 else."""
    if key_l is None or key_r is None:
        return 0
    if sp_l is not None and sp_l == sp_r:
        return 1
    if key_l == key_r:
        return 2
    if _dl1(key_l, key_r):
        return 3
    return 4


def pseudo_label_pairs(frame: pd.DataFrame, keys: list[str], limit: int = 200_000) -> pd.DataFrame:
    f = frame[["unique_id", *{*keys, "given", "given_sp", "family", "family_sp", "age"}]]
    f = f.dropna(subset=[*keys, "age"])
    m = f.merge(f, on=keys, suffixes=("_l", "_r"))
    m = m[(m["unique_id_l"] < m["unique_id_r"]) & ((m["age_l"] - m["age_r"]).abs() <= 1)]
    if len(m) > limit:
        m = m.sample(limit, random_state=1)
    return m


def m_from_pairs(pairs: pd.DataFrame, part: str) -> list[float] | None:
    if len(pairs) < 30:
        return None
    levels = [
        name_level(a, b, c, d)
        for a, b, c, d in zip(
            pairs[f"{part}_l"],
            pairs[f"{part}_r"],
            pairs[f"{part}_sp_l"],
            pairs[f"{part}_sp_r"],
            strict=True,
        )  # fmt: skip
    ]
    counts = np.bincount(np.array(levels, dtype=int), minlength=5)[1:].astype(float)
    if counts.sum() == 0:
        return None
    counts += 0.5  # no level is impossible
    return list(counts / counts.sum())


def patch_name_m(
    model: dict[str, Any], frame: pd.DataFrame, accepted: Iterable[tuple[str, str]] = ()
) -> dict[str, Any]:
    """Set m for given and family from pseudo-labels (plus accepted reviewed pairs)."""
    reviewed = _reviewed_pairs(frame, accepted)
    plans = {
        "given": ["father", "family", "dod", "sex"],
    }
    for part, keys in plans.items():
        pairs = pd.concat([pseudo_label_pairs(frame, keys), reviewed], ignore_index=True)
        m = m_from_pairs(pairs, part)
        if m is None:
            continue
        for comp in model["comparisons"]:
            if comp.get("output_column_name") != part:
                continue
            non_null = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
            for lv, mp in zip(non_null, m, strict=True):
                lv["m_probability"] = mp
    return model


def _reviewed_pairs(frame: pd.DataFrame, accepted: Iterable[tuple[str, str]]) -> pd.DataFrame:
    acc = list(accepted)
    if not acc:
        return pd.DataFrame()
    f = frame.set_index("unique_id")
    cols = ["given", "given_sp", "family", "family_sp"]
    left = f.reindex([a for a, _ in acc])[cols].add_suffix("_l").reset_index(drop=True)
    right = f.reindex([b for _, b in acc])[cols].add_suffix("_r").reset_index(drop=True)
    return pd.concat([left, right], axis=1).replace({np.nan: None})
