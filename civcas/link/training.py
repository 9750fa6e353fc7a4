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

from .model import FAMILY_PREFIXES, rare_form
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


def prefixed(a: str, b: str) -> bool:
    """One key is the other with Abd or Abu before it (as model.prefixed)."""
    return any((x == p + y and len(y) >= 2) for p in FAMILY_PREFIXES for x, y in ((a, b), (b, a)))


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


def _none(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else v


# field -> (keys its pseudo-labelled pairs must share, keys that must agree where both
# records have them, how far apart their ages may be: None = age not used). Never the
# field itself. The date is never a required key: one list may have no dates (a
# register against a media list); where both have one, they must be within 3 days.
# The given name: the same age, since brothers killed together share father, family,
# sex and date, and one year apart let enough of them in to make 10% of "matches"
# disagree on the given name (simulation seed 7).
PLANS: dict[str, tuple[list[str], list[str], float | None]] = {
    "given": (["father", "family", "sex"], ["grandfather"], 0),
    "father": (["given", "family", "sex"], ["grandfather"], 1),
    "grandfather": (["given", "father", "family", "sex"], [], 1),
    "family_incident": (["given", "father", "grandfather", "sex"], [], 1),
    "age": (["given", "father", "family"], ["grandfather", "sex"], None),
}
DAYS_WITHIN = 3
_LABEL_COLUMNS = {"unique_id", "list", "sex", "age", "dod", "place", "family", "family_sp",
                  *(f"{p}{x}" for p in ("given", "father", "grandfather")
                    for x in ("", "_sp", "_n", "_f"))}  # fmt: skip
# A given name that differs outright, or is one edit from another common name
# (Muhammad / Mahmoud), is taken as a contradiction where names are chains (the lists
# have fathers' names): its m is set to CONTRADICTION_M, a weight of about -13 bits, so
# brothers and sisters who share the rest of the chain stay apart (ministry 2024-04 <->
# 2024-08, dev half: "Jamal" and "Ali Muhammad Fawzi al-Ghalban" were linked at 0.978;
# pairwise F1 there 0.970 without it, 0.977 with it). The father's name too was tried:
# it cost simulation seed 7 0.05 of F1 (recall 0.95 -> 0.87) and gained nothing on the
# dev halves, so it is not. It costs the pairs where one list wrote another given name.
CONTRADICTIONS = ("given",)
CONTRADICTION_M = 1e-4


def pseudo_label_pairs(
    frame: pd.DataFrame,
    keys: list[str],
    agree: list[str] = (),  # type: ignore[assignment]
    limit: int = 200_000,
    age_within: float | None = 1,
) -> pd.DataFrame:
    """Pairs of records sharing ``keys``, agreeing on ``agree`` where both have it, with
    dates within DAYS_WITHIN days where both have one and ages within ``age_within``;
    every column of ``frame`` as ``<col>_l`` / ``<col>_r``."""
    need = keys + (["age"] if age_within is not None else [])
    f = frame.dropna(subset=need)
    # only keys few records share: one person is on each list once or twice, while a
    # common combination (Muhammad son of Ahmad son of Muhammad) is many people, and
    # their pairs taught the model that matches often disagree on the family name
    most = max(2, frame["list"].nunique() + 1) if "list" in frame.columns else 3
    f = f[f.groupby(keys, sort=False)[keys[0]].transform("size") <= most]
    m = f.merge(f, on=keys, suffixes=("_l", "_r"))
    for k in keys:  # the merge keeps one copy of a key column: restore both sides
        m[f"{k}_l"] = m[f"{k}_r"] = m[k]
    m = m[m["unique_id_l"] < m["unique_id_r"]]
    for c in [*agree, "dod"]:
        a, b = m[f"{c}_l"], m[f"{c}_r"]
        ok = a.isna() | b.isna()
        ok |= (a.astype(float) - b.astype(float)).abs() <= DAYS_WITHIN if c == "dod" else a == b
        m = m[ok]
    if age_within is not None:
        m = m[(m["age_l"].astype(float) - m["age_r"].astype(float)).abs() <= age_within]
    if len(m) > limit:
        m = m.sample(limit, random_state=1)
    return m


def level_counts(
    comparison: dict[str, Any], pairs: pd.DataFrame, dialect: str = "duckdb"
) -> np.ndarray:
    """How many of ``pairs`` fall in each non-null level of a saved Splink comparison,
    by the comparison's own SQL (run in DuckDB on the pairs' _l/_r columns)."""
    import duckdb
    import sqlglot

    levels = comparison["comparison_levels"]
    whens = []
    for i, lv in enumerate(levels):
        sql = lv["sql_condition"]
        if sql.strip().upper() == "ELSE":
            whens.append(f"WHEN TRUE THEN {i}")
            continue
        if dialect != "duckdb":
            sql = sqlglot.transpile(sql, read=dialect, write="duckdb")[0]
        whens.append(f"WHEN {sql} THEN {i}")
    con = duckdb.connect()
    try:
        con.register("p", pairs)
        got = con.execute(f"SELECT CASE {' '.join(whens)} END AS lv FROM p").fetchnumpy()["lv"]
    finally:
        con.close()
    non_null = [i for i, lv in enumerate(levels) if not lv.get("is_null_level")]
    got = np.asarray(got, dtype=float)
    return np.array([(got == i).sum() for i in non_null], dtype=float)


def m_from_counts(counts: np.ndarray) -> list[float] | None:
    if counts.sum() < 30:
        return None
    counts = counts + 0.5  # no level is impossible
    return list(counts / counts.sum())


def patch_name_m(
    model: dict[str, Any],
    frame: pd.DataFrame,
    accepted: Iterable[tuple[str, str]] = (),
    *,
    contradictions: bool = True,
) -> dict[str, Any]:
    """Set m for the name parts, the family + date + place comparison and age from
    pseudo-labels (plus accepted reviewed pairs); a comparison with too few labelled
    pairs keeps its EM estimate (TRAINING_NOTES: how many pairs each rests on)."""
    keep = [c for c in frame.columns if c in _LABEL_COLUMNS]
    frame = frame[keep]  # what the levels' SQL reads: the merges copy less
    reviewed = _reviewed_pairs(frame, accepted)
    if len(frame) > 300_000:  # plenty of labelled pairs in a sample; merges cost time
        frame = frame.sample(300_000, random_state=1)
    comps = {c.get("output_column_name"): c for c in model["comparisons"]}
    dialect = model.get("sql_dialect") or "duckdb"
    used: dict[str, int] = {}
    for part, (keys, agree, age_within) in PLANS.items():
        if part not in comps:
            continue
        if any(k not in frame.columns or frame[k].isna().all() for k in keys):
            keys = []
        labelled = (pseudo_label_pairs(frame, keys, agree, age_within=age_within) if keys
                    else pd.DataFrame())  # fmt: skip
        pairs = pd.concat([labelled, reviewed], ignore_index=True) if len(reviewed) else labelled
        non_null = [lv for lv in comps[part]["comparison_levels"] if not lv.get("is_null_level")]
        counts = level_counts(comps[part], pairs, dialect) if len(pairs) else np.zeros(1)
        m = m_from_counts(counts)
        if m is None:  # too few labelled pairs: the EM estimate, contradictions still set
            m = [float(lv.get("m_probability") or 1.0 / len(non_null)) for lv in non_null]
        else:
            used[part] = int(counts.sum())
        if contradictions and part in CONTRADICTIONS:
            # a name that differs outright (not a variant, a typo or a shifted chain),
            # or is one edit from another common name (Muhammad / Mahmoud, Ahmad /
            # Hamad): brothers and sisters share the rest of the chain, and the product
            # of the other parts' weights (father, grandfather, family: independent by
            # the model's assumption, far from it within a family) outweighed it
            labels = [str(lv.get("label_for_charts") or "") for lv in non_null]
            bad = [k == len(m) - 1 or lab == f"one edit ({part}, 3+ letters)"
                   for k, lab in enumerate(labels)]  # fmt: skip
            keep = sum(mp for mp, b in zip(m, bad, strict=True) if not b)
            share = 1 - CONTRADICTION_M * sum(bad)
            m = [CONTRADICTION_M if b else mp * share / keep for mp, b in zip(m, bad, strict=True)]
        for lv, mp in zip(non_null, m, strict=True):
            lv["m_probability"] = mp
    TRAINING_NOTES.clear()
    TRAINING_NOTES.update(used)
    return model


# how many pseudo-labelled pairs each m of the last patch_name_m rests on (for reports)
TRAINING_NOTES: dict[str, int] = {}


def _reviewed_pairs(frame: pd.DataFrame, accepted: Iterable[tuple[str, str]]) -> pd.DataFrame:
    acc = list(accepted)
    if not acc:
        return pd.DataFrame()
    f = frame.set_index("unique_id")
    cols = [c for c in frame.columns if c != "unique_id"]
    left = f.reindex([a for a, _ in acc])[cols].add_suffix("_l").reset_index(drop=True)
    right = f.reindex([b for _, b in acc])[cols].add_suffix("_r").reset_index(drop=True)
    return pd.concat([left, right], axis=1).replace({np.nan: None})
