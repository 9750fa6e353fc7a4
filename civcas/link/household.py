"""Pairs from one family killed together: a second model, trained inside the family.

Splink's model multiplies the evidence of each field as if the fields were independent
given "not the same person". For members of one family killed together they are not:
brothers share their father's and grandfather's names, the family name, the date and the
place, so the product of the u probabilities (about 1e-7 for a father's name times
family, day and place) makes two brothers look like one man whatever their given names.
Measured on simulated households (seed 2, 100k records): among pairs of records that
share family name, father's name and a date within 3 days, about half are the same person
and half are relatives, and the given name then separates them (1% of the same-person
pairs disagree on it, 97% of the relatives do).

So the pairs that share a family name and a date of death within 3 days (or the same
place when a date is missing) are scored again by a latent-class model fitted by EM on
exactly those pairs: two classes (same person, relatives), with the comparison levels of
the given, father's and grandfather's names, sex and age as conditionally independent
evidence *within the family*, and whether the places agree (a family name shared with
someone killed elsewhere on the same days is not a family group). No truth is used: EM finds the split, started from the
Splink model's m probabilities (same person) and from "relatives share the father and
grandfather but not the given name" (the other class). Pairs outside these family groups
keep Splink's probability.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .training import name_level

LEARN_SAME = ("given",)
FIELDS = ("given", "father", "grandfather", "age", "place")
N_LEVELS = {"given": 4, "father": 5, "grandfather": 5, "age": 6, "place": 3}


def _name_levels(fl: pd.DataFrame, fr: pd.DataFrame, part: str) -> np.ndarray:
    """0 null, 1 same key (any spelling), 2 one edit, 3 (father/grandfather: chain shifted
    by a dropped name) then else: model._name_part's levels with "same spelling" and
    "same key" as one (the two differ by script, which says nothing about kinship)."""
    shift = part != "given"
    out = np.empty(len(fl), dtype=np.int8)
    cols = zip(fl[part], fr[part], fl[f"{part}_sp"], fr[f"{part}_sp"], fl["father"],
               fr["grandfather"], fl["grandfather"], fr["father"], strict=True)  # fmt: skip
    for i, (a, b, c, d, f_l, g_r, g_l, f_r) in enumerate(cols):
        lv = name_level(a, b, c, d)
        if lv == 4 and shift:
            lv = 4 if (f_l is not None and f_l == g_r) or (g_l is not None and g_l == f_r) else 5
        out[i] = max(lv - 1, 1) if lv else 0
    return out


def _levels(fl: pd.DataFrame, fr: pd.DataFrame) -> np.ndarray:
    lv = np.zeros((len(fl), len(FIELDS)), dtype=np.int8)
    for j, part in enumerate(("given", "father", "grandfather")):
        lv[:, j] = _name_levels(fl, fr, part)
    d = np.abs(fl["age"].to_numpy(dtype=float) - fr["age"].to_numpy(dtype=float))
    age = np.searchsorted(np.array([0, 1, 3, 6]), d, side="left") + 1
    lv[:, 3] = np.where(np.isnan(d), 0, age)
    pl, pr = fl["place"].to_numpy(dtype=object), fr["place"].to_numpy(dtype=object)
    known = pd.notna(pl) & pd.notna(pr)
    lv[:, 4] = np.where(known, np.where(pl == pr, 1, 2), 0)
    return lv


def _norm(p: np.ndarray) -> np.ndarray:
    p = np.asarray(p, dtype=float).copy()
    p[0] = 0.0
    p = p / p.sum()
    p[0] = 1.0  # level 0 (null) carries no evidence in any class
    return p


def start(model: dict[str, Any], same_place: float) -> list[list[np.ndarray]]:
    """Level probabilities per class (same person, relative, stranger) and field.

    Same person: the Splink model's m (recording errors do not depend on the family).
    Stranger: the Splink model's u (random pairs), and ``same_place`` for the place.
    Relative (a starting point; EM moves it): shares father, grandfather and place,
    not the given name.
    """
    comps = {c.get("output_column_name"): c for c in model.get("comparisons", [])}

    def probs(part: str, key: str) -> list[float] | None:
        levels = [lv for lv in comps.get(part, {}).get("comparison_levels", [])
                  if not lv.get("is_null_level")]  # fmt: skip
        ps = [lv.get(key) for lv in levels]
        if not ps or not all(isinstance(x, int | float) and x > 0 for x in ps):
            return None
        if part in ("given", "father", "grandfather"):
            ps = [ps[0] + ps[1], *ps[2:]]  # same spelling + same key
        return ps if len(ps) == N_LEVELS[part] - 1 else None

    default = {
        "given": ([0.95, 0.03, 0.02], [0.02, 0.02, 0.96]),
        "father": ([0.9, 0.03, 0.05, 0.02], [0.02, 0.03, 0.02, 0.93]),
        "grandfather": ([0.9, 0.03, 0.05, 0.02], [0.02, 0.03, 0.02, 0.93]),
        "age": ([0.48, 0.19, 0.29, 0.03, 0.01], [0.02, 0.03, 0.06, 0.1, 0.79]),
    }
    relative = {
        "given": [0.05, 0.05, 0.9],
        "father": [0.8, 0.03, 0.07, 0.1],
        "grandfather": [0.8, 0.03, 0.07, 0.1],
        "age": [0.05, 0.1, 0.15, 0.2, 0.5],
        "place": [0.9, 0.1],
    }
    classes: list[list[np.ndarray]] = [[], [], []]
    for part in FIELDS:
        if part == "place":
            same, rel, strange = [0.85, 0.15], relative["place"], [same_place, 1 - same_place]
        else:
            same = probs(part, "m_probability") or default[part][0]
            strange = probs(part, "u_probability") or default[part][1]
            rel = relative[part]
        for c, p in zip(classes, (same, rel, strange), strict=True):
            c.append(_norm(np.r_[1.0, p]))
    return classes


def _log_lik(lv: np.ndarray, params: list[list[np.ndarray]], prior: np.ndarray) -> np.ndarray:
    ll = np.tile(np.log(prior), (len(lv), 1))
    for c, fields in enumerate(params):
        for j, p in enumerate(fields):
            ll[:, c] += np.log(p[lv[:, j]])
    return ll


def _responsibilities(ll: np.ndarray) -> np.ndarray:
    ll = ll - ll.max(axis=1, keepdims=True)
    r = np.exp(ll)
    return r / r.sum(axis=1, keepdims=True)


def fit_em(
    lv: np.ndarray, params: list[list[np.ndarray]], iters: int = 50
) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    """EM over three classes. Fixed: the same-person class's name and age levels and the
    stranger class's name and age levels (both from the Splink model); learnt: the class
    shares, everything about relatives, and place for same person and strangers."""
    prior = np.array([0.5, 0.3, 0.2])
    learn_same = {FIELDS.index(f) for f in LEARN_SAME}
    place = FIELDS.index("place")
    for _ in range(iters):
        r = _responsibilities(_log_lik(lv, params, prior))
        prior = np.clip(r.mean(axis=0), 1e-4, None)
        prior /= prior.sum()
        for c in range(3):
            for j in range(lv.shape[1]):
                if c == 2 or (c == 0 and j not in learn_same) and j != place:
                    continue
                k = len(params[c][j])
                cnt = np.bincount(lv[:, j], weights=r[:, c], minlength=k)[:k] + 0.5
                params[c][j] = _norm(cnt)
    return prior, params


def posterior(lv: np.ndarray, params: list[list[np.ndarray]], prior: np.ndarray) -> np.ndarray:
    """Probability of the same-person class."""
    return _responsibilities(_log_lik(lv, params, prior))[:, 0]


def family_pairs(fl: pd.DataFrame, fr: pd.DataFrame) -> np.ndarray:
    """Same family key and a date within 3 days, or same place when a date is missing."""
    fam = (fl["family"].to_numpy(dtype=object) == fr["family"].to_numpy(dtype=object)) & pd.notna(
        fl["family"].to_numpy(dtype=object)
    )
    dl, dr = fl["dod"].to_numpy(dtype=float), fr["dod"].to_numpy(dtype=float)
    near = np.abs(dl - dr) <= 3
    pl, pr = fl["place"].to_numpy(dtype=object), fr["place"].to_numpy(dtype=object)
    nodate = (np.isnan(dl) | np.isnan(dr)) & (pl == pr) & pd.notna(pl)
    return np.asarray(fam & (near | nodate), dtype=bool)


_COLS = ["unique_id", "given", "given_sp", "father", "father_sp", "grandfather",
         "grandfather_sp", "family", "sex", "age", "dod", "place"]  # fmt: skip


def rescore(pairs: pd.DataFrame, feats: pd.DataFrame, model: dict[str, Any]) -> pd.DataFrame:
    """Pairs with ``match_probability`` replaced inside family groups (see module doc)."""
    if len(pairs) == 0 or "family" not in feats or feats["family"].isna().all():
        return pairs
    f = feats[_COLS].set_index("unique_id")
    fl = f.reindex(pairs["unique_id_l"].to_numpy())
    fr = f.reindex(pairs["unique_id_r"].to_numpy())
    fl, fr = (x.astype(object).where(x.notna(), None) for x in (fl, fr))
    for x in (fl, fr):
        x["age"] = x["age"].astype(float)
        x["dod"] = x["dod"].astype(float)
    grp = family_pairs(fl, fr)
    if grp.sum() < 200:  # too few to fit two classes
        return pairs
    gl, gr = fl[grp], fr[grp]
    lv = _levels(gl, gr)
    share = feats["place"].dropna().value_counts(normalize=True).to_numpy()
    params = start(model, float(np.clip((share**2).sum(), 1e-4, 0.5)))
    prior, params = fit_em(lv, params)
    out = pairs.copy()
    prob = out["match_probability"].to_numpy(dtype=float).copy()
    prob[grp] = posterior(lv, params, prior)
    out["match_probability"] = prob
    return out
