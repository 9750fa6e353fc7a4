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
exactly those pairs: three classes (same person, relatives, strangers), with the levels
of the given, father's and grandfather's names, age and place as conditionally
independent evidence *within the family*. No truth is used: EM finds the split, started
from the Splink model's m probabilities (same person), its u probabilities (strangers,
kept fixed) and "relatives share the father and grandfather but not the given name".
Pairs outside these family groups keep Splink's probability.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .training import name_level

LEARN_SAME = ("given",)
FIELDS = ("given", "father", "grandfather", "age", "place")
N_LEVELS = {"given": 6, "father": 7, "grandfather": 7, "age": 6, "place": 3}


class _Coded:
    """The features the family model reads, as integer codes and floats (fast to gather
    for a million pairs): name keys share one vocabulary (so a father's name compares
    with a grandfather's), places another; -1 is missing."""

    def __init__(self, feats: pd.DataFrame) -> None:
        parts = ("given", "father", "grandfather", "family")
        codes, self.vocab = pd.factorize(pd.concat([feats[p] for p in parts], ignore_index=True))
        n = len(feats)
        self.key = {p: codes[k * n : (k + 1) * n] for k, p in enumerate(parts)}
        self.count = np.bincount(codes[codes >= 0], minlength=len(self.vocab)).astype(float)
        self.place = pd.factorize(feats["place"])[0]
        self.age = feats["age"].to_numpy(dtype=float)
        self.dod = feats["dod"].to_numpy(dtype=float)


def _name_levels(c: _Coded, li: np.ndarray, ri: np.ndarray, part: str) -> np.ndarray:
    """0 null, 1 same key (any spelling), 2 same key with t/d/z as one, 3 one edit with
    one form rare, 4 one edit, 5 (father/grandfather: chain shifted by a dropped name)
    then else: model._name_part's levels with "same spelling" and "same key" as one (the
    two differ by script, which says nothing about kinship)."""
    kl, kr = c.key[part][li], c.key[part][ri]
    other = 5 if part == "given" else 6
    out = np.where((kl < 0) | (kr < 0), 0, np.where(kl == kr, 1, other))
    todo = np.flatnonzero(out > 1)
    if len(todo):  # one edit apart (3+ letters), as model._dl1: per distinct pair of keys
        pair = kl[todo].astype(np.int64) * len(c.vocab) + kr[todo]
        uniq, inv = np.unique(pair, return_inverse=True)
        vocab, n, count = c.vocab, len(c.vocab), c.count
        level = np.array(
            [
                name_level(vocab[u // n], vocab[u % n], None, None, count[u // n], count[u % n])
                for u in uniq.tolist()
            ],  # fmt: skip
            dtype=np.int8,
        )[inv]
        for lv in (3, 4, 5):  # name_level's fold, rare one edit, one edit
            out[todo[level == lv]] = lv - 1
    if part != "given":
        fl, gr = c.key["father"][li], c.key["grandfather"][ri]
        gl, fr = c.key["grandfather"][li], c.key["father"][ri]
        shifted = ((fl >= 0) & (fl == gr)) | ((gl >= 0) & (gl == fr))
        out[(out == 6) & shifted] = 5
    return out.astype(np.int8)


def _levels(c: _Coded, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
    lv = np.zeros((len(li), len(FIELDS)), dtype=np.int8)
    for j, part in enumerate(("given", "father", "grandfather")):
        lv[:, j] = _name_levels(c, li, ri, part)
    d = np.abs(c.age[li] - c.age[ri])
    age = np.searchsorted(np.array([0, 1, 3, 6]), d, side="left") + 1
    lv[:, 3] = np.where(np.isnan(d), 0, age)
    pl, pr = c.place[li], c.place[ri]
    lv[:, 4] = np.where((pl >= 0) & (pr >= 0), np.where(pl == pr, 1, 2), 0)
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
        "given": ([0.94, 0.01, 0.015, 0.015, 0.02], [0.02, 0.01, 0.002, 0.018, 0.95]),
        "father": ([0.89, 0.01, 0.015, 0.015, 0.05, 0.02], [0.02, 0.01, 0.003, 0.027, 0.02, 0.92]),
        "grandfather": (
            [0.89, 0.01, 0.015, 0.015, 0.05, 0.02],
            [0.02, 0.01, 0.003, 0.027, 0.02, 0.92],
        ),
        "age": ([0.48, 0.19, 0.29, 0.03, 0.01], [0.02, 0.03, 0.06, 0.1, 0.79]),
    }
    relative = {
        "given": [0.05, 0.01, 0.005, 0.045, 0.89],
        "father": [0.8, 0.01, 0.003, 0.027, 0.07, 0.09],
        "grandfather": [0.8, 0.01, 0.003, 0.027, 0.07, 0.09],
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


def _log_lik(
    lv: np.ndarray,
    params: list[list[np.ndarray]],
    prior: np.ndarray,
    tf: np.ndarray | None = None,
) -> np.ndarray:
    """Log-likelihood per class. ``tf``: for strangers, the chance that two random
    records share this pair's given-name key (its frequency), used instead of the
    average where the given names agree: two strangers called Muhammad are common."""
    ll = np.tile(np.log(prior), (len(lv), 1))
    for c, fields in enumerate(params):
        for j, p in enumerate(fields):
            ll[:, c] += np.log(p)[lv[:, j]]
    if tf is not None:
        agree = lv[:, 0] == 1
        ll[agree, 2] += np.log(tf[agree]) - np.log(params[2][0][1])
    return ll


def _responsibilities(ll: np.ndarray) -> np.ndarray:
    ll = ll - ll.max(axis=1, keepdims=True)
    r = np.exp(ll)
    return r / r.sum(axis=1, keepdims=True)


def fit_em(
    lv: np.ndarray, params: list[list[np.ndarray]], tf: np.ndarray, iters: int = 50
) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    """EM over three classes. Fixed: the same-person class's father, grandfather and age
    levels (Splink's m) and everything about strangers (Splink's u; the random-pair rate
    of the same place). Learnt: the class shares, everything about relatives, and the
    same-person class's given-name and place levels."""
    # a million pairs have a few thousand distinct patterns (levels and given-name
    # frequency): EM on those, weighted
    tf_code, tf_values = pd.factorize(tf)
    code = tf_code.astype(np.int64)
    for j in range(lv.shape[1]):  # levels are < 8: three bits each
        code = (code << 3) | lv[:, j].astype(np.int64)
    _, first, weight = np.unique(code, return_index=True, return_counts=True)
    lv, tf = lv[first], np.asarray(tf_values)[tf_code[first]]
    prior = np.array([0.5, 0.3, 0.2])
    learn_same = {FIELDS.index(f) for f in LEARN_SAME}
    place = FIELDS.index("place")
    for _ in range(iters):
        r = _responsibilities(_log_lik(lv, params, prior, tf)) * weight[:, None]
        prior = np.clip(r.sum(axis=0) / weight.sum(), 1e-4, None)
        prior /= prior.sum()
        for c in range(3):
            for j in range(lv.shape[1]):
                learnt = c == 1 or (c == 0 and (j in learn_same or j == place))
                if not learnt:
                    continue
                k = len(params[c][j])
                cnt = np.bincount(lv[:, j], weights=r[:, c], minlength=k)[:k] + 0.5
                params[c][j] = _norm(cnt)
    return prior, params


def posterior(
    lv: np.ndarray, params: list[list[np.ndarray]], prior: np.ndarray, tf: np.ndarray
) -> np.ndarray:
    """Probability of the same-person class."""
    return _responsibilities(_log_lik(lv, params, prior, tf))[:, 0]


def family_pairs(c: _Coded, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
    """Same family key, a date within 3 days and the place equal or missing (or the same
    place when a date is missing). Pairs at two different places are left to Splink (at
    1M records a common family key on the same days at two places is mostly strangers)
    unless they also share the father's name: one place has several names (Palmyra /
    تدمر, Tabaqah / الثورة), and brothers recorded under two of them were one man."""
    fl, fr = c.key["family"][li], c.key["family"][ri]
    dl, dr = c.dod[li], c.dod[ri]
    pl, pr = c.place[li], c.place[ri]
    near = np.abs(dl - dr) <= 3
    same_place = (pl >= 0) & (pl == pr)
    place_ok = same_place | (pl < 0) | (pr < 0)
    fa_l, fa_r = c.key["father"][li], c.key["father"][ri]
    same_father = (fa_l >= 0) & (fa_l == fa_r)
    nodate = (np.isnan(dl) | np.isnan(dr)) & same_place
    family = (fl >= 0) & (fl == fr)
    return np.asarray(family & ((near & (place_ok | same_father)) | nodate), dtype=bool)


def rescore(pairs: pd.DataFrame, feats: pd.DataFrame, model: dict[str, Any]) -> pd.DataFrame:
    """Pairs with ``match_probability`` replaced inside family groups (see module doc).
    ``pairs``: records by row position in ``feats``."""
    if len(pairs) == 0 or "family" not in feats or feats["family"].isna().all():
        return pairs
    c = _Coded(feats)
    li = pairs["unique_id_l"].to_numpy(dtype=np.int64)
    ri = pairs["unique_id_r"].to_numpy(dtype=np.int64)
    grp = family_pairs(c, li, ri)
    if grp.sum() < 200:  # too few to fit the classes
        return pairs
    lv = _levels(c, li[grp], ri[grp])
    share = feats["place"].dropna().value_counts(normalize=True).to_numpy()
    params = start(model, float(np.clip((share**2).sum(), 1e-4, 0.5)))
    given = c.key["given"]
    freq = np.bincount(given[given >= 0], minlength=len(c.vocab)) / max(1, (given >= 0).sum())
    tf = np.clip(freq[np.maximum(given[li[grp]], 0)], 1e-6, 1.0)
    prior, params = fit_em(lv, params, tf)
    given = FIELDS.index("given")
    if params[1][given][1] >= params[0][given][1]:
        # EM swapped the classes' meaning: "relatives" agree on the given name at least
        # as often as "one person" does. Seen on a list deduplicated alone with few
        # repeats (the Airwars Gaza list: 2 in 1,000 family pairs are one person, and
        # relatives came out sharing the given name 95% of the time, so that two
        # records identical in every field fell from 0.999 to below 0.05). Such a fit
        # says nothing about kinship: Splink's probabilities stand.
        return pairs
    out = pairs.copy()
    prob = out["match_probability"].to_numpy(dtype=float).copy()
    # the family model only lowers a probability: its class shares are those of the
    # family groups, so it cannot say how many strangers of a big list could share a
    # common given and family name on those days; Splink's weights (against random
    # pairs, with the list's prior) can
    prob[grp] = np.minimum(prob[grp], posterior(lv, params, prior, tf))
    out["match_probability"] = prob
    return out
