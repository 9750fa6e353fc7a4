"""One linkage run: features -> Splink (train or load) -> scored pairs -> people."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model.errors import ConfigError
from .cluster import FEMALE, MALE, Conflicts, cluster_positions, person_ids
from .draws import draw_people
from .engines import db_api
from .household import rescore
from .model import (
    SAME_FAMILY_LEVELS,
    ModelSpec,
    civcas_settings,
    date_windows,
    dateless_blocking,
    generic_settings,
    generic_training_blocks,
    recall_blocking,
)
from .normalise import fold_dentals
from .records import base_features, features
from .registers import register_posterior
from .thresholds import Thresholds
from .training import patch_name_m

SPLINK_COLUMNS = [
    "unique_id", "list", "given", "given_sp", "father", "father_sp", "grandfather",
    "grandfather_sp", "family", "family_sp", "sex", "age", "dod", "dod_wa", "dod_wb", "place",
    "incident", "given_n", "father_n", "grandfather_n", "given_f", "father_f", "grandfather_f",
]  # fmt: skip


@dataclass
class LinkResult:
    """Records with ``person_id`` and ``match_probability``; pairs; the model used."""

    records: pd.DataFrame
    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability (>= thresholds.predict)
    model: dict[str, Any]
    thresholds: Thresholds
    review: pd.DataFrame = field(default_factory=pd.DataFrame)
    # for estimation (thresholds.draws): one row of person labels per draw (draws.py)
    draws: np.ndarray | None = None
    # what the reader parsed or blanked (records.read_lists), one entry per field and value
    cleaning: list[dict[str, Any]] = field(default_factory=list)
    # what the run had to decide for itself (a training rule that found no pairs...)
    notes: list[str] = field(default_factory=list)

    @property
    def people(self) -> int:
        return int(self.records["person_id"].nunique())


def _train(
    linker: Any, blocks: list[Any], deterministic: list[Any], n: int, notes: list[str] | None = None
) -> None:
    """u by random sampling, m by EM on the given blocks (see training.py for why).

    A rule that finds no pairs (a list without the columns it needs: FEBRL has no
    father's name or sex) does not stop the run: the prior falls back to the next
    rule, then to 1 / n; an EM block to the next; what was done is added to ``notes``."""
    notes = notes if notes is not None else []
    prior_set = False
    for rule in [deterministic, *([r] for r in deterministic)] if deterministic else []:
        try:
            linker.training.estimate_probability_two_random_records_match(rule, recall=0.6)
        except Exception as exc:  # no pairs, or a rule Splink cannot use on this list
            notes.append(f"prior: rules {_rule_names(rule)} found no usable pairs ({_short(exc)})")
            continue
        prior_set = True
        break
    if not prior_set:
        linker._settings_obj._probability_two_random_records_match = min(0.5, 1.0 / max(n, 2))
        notes.append(f"prior: set to 1/{n} records (no deterministic rule found pairs)")
    # 2M random pairs from 50k records: with 1M (and 250k-pair EM blocks) F1 at 1M
    # records moved by 0.0005 on seed 10 and fell by 0.0023 on seed 3, for 2-3 s
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6 if n > 50_000 else 1e6, seed=1)
    # EM on a sample of each block: a common name's block grows as n^2
    max_pairs = 5e5 if n > 300_000 else 1e6
    trained = 0
    for block in blocks:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block, max_pairs=max_pairs
            )
        except Exception as exc:
            notes.append(f"training: EM on {_rule_names([block])} failed ({_short(exc)}); "
                         "left out")  # fmt: skip
            continue
        trained += 1
    if blocks and not trained:
        notes.append("training: no EM block found pairs: m probabilities are Splink's "
                     "defaults, then the pseudo-labelled estimates (training.py)")  # fmt: skip


def _rule_names(rules: list[Any]) -> str:
    out = []
    for r in rules:
        try:
            out.append(r.get_blocking_rule("duckdb").blocking_rule_sql)
        except Exception:
            out.append(str(r))
    return "; ".join(out)


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"


JOINT_U_PAIRS = 1e7


def _joint_u(sdf: Any, model: dict[str, Any]) -> dict[str, Any]:
    """u for the joint family + date + place comparison again, on more random pairs.

    Its agreeing levels are rare among random pairs (about 1 in 10^6), so the u sample
    that serves every comparison (2M pairs) sees each of them a few times or not at all,
    and the weights moved by whole bits from one list to the next: on simulation seed
    10 (1M records) pairwise F1 was 0.961 with the u of its own sample and 0.968 with
    those of seed 3's. Its same-family levels alone are cheap to compute (no edit
    distances), so they get 10M pairs: 2 s at 1M records, and 0.968 on seed 10 (20k and
    100k records: unchanged to 0.001).
    """
    from splink import Linker

    comp = next((c for c in model["comparisons"]
                 if c.get("output_column_name") == "family_incident"), None)  # fmt: skip
    if comp is None:
        return model
    levels = comp["comparison_levels"]
    same = [i for i, lv in enumerate(levels) if lv.get("label_for_charts") in SAME_FAMILY_LEVELS]
    # the null level, the same-family levels and else: no edit distances to compute
    cut = {**comp, "comparison_levels": [levels[0], *(levels[i] for i in same), levels[-1]]}
    only = Linker(sdf, {**model, "comparisons": [cut]}, log_level=logging.ERROR)
    only.training.estimate_u_using_random_sampling(max_pairs=JOINT_U_PAIRS, seed=2)
    fresh = only.misc.save_model_to_json()["comparisons"][0]["comparison_levels"][1:-1]
    for i, new in zip(same, fresh, strict=True):
        if isinstance(new.get("u_probability"), float):
            levels[i]["u_probability"] = new["u_probability"]
    # Splink's term-frequency adjustment of every same-family level is log2(u / tf),
    # with u taken from the level that is a plain exact match on the family key,
    # "family only" (same family, dates over 30 days apart): about one random pair in
    # 40,000 shares a family that way, against one in 400 sharing it at all, so every
    # same-family pair lost 7 bits (Airwars Gaza against the ministry's list: 0.69 for
    # a pair Splink's own weights put at 0.997). Its u is set to the chance that two
    # random records share a family key, which is what the adjustment divides by tf.
    only = next((i for i in same if levels[i].get("label_for_charts") == "family only"), None)
    share = sum(float(levels[i].get("u_probability") or 0) for i in same)
    if only is not None and share > 0:
        levels[only]["u_probability"] = share
    return model


def score_pairs(
    frame: pd.DataFrame,
    settings: Any,
    *,
    blocks: list[Any],
    deterministic: list[Any],
    engine: str = "duckdb",
    model: dict[str, Any] | str | Path | None = None,
    predict_threshold: float = 0.05,
    patch: Any = None,
    notes: list[str] | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Train (or load) a Splink model on ``frame`` and score the blocked pairs.

    The callers give Splink each record's row position as its ``unique_id``: the pairs
    come back as positions, which the family model and the clustering index directly
    (record ids as strings cost seconds of lookups per million pairs)."""
    from splink import Linker

    api = db_api(engine)
    if engine == "spark":
        table: Any = _spark_frame(api, frame)
    else:
        table = frame
    sdf = api.register(table)
    if model is not None:
        loaded = json.loads(Path(model).read_text()) if isinstance(model, str | Path) else model
        loaded = model_for_dialect(loaded, "spark" if engine == "spark" else "duckdb")
        linker = Linker(sdf, loaded, log_level=logging.ERROR)
    else:
        linker = Linker(sdf, settings, log_level=logging.ERROR)
        _train(linker, blocks, deterministic, len(frame), notes)
        saved = _joint_u(sdf, linker.misc.save_model_to_json())
        linker = Linker(sdf, patch(saved) if patch else saved, log_level=logging.ERROR)
    pred = linker.inference.predict(threshold_match_probability=predict_threshold)
    pairs = pred.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_probability"]]
    trained = linker.misc.save_model_to_json()
    return pairs, trained


def model_for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A saved model's SQL is in the dialect it was trained in: translate it (sqlglot)."""
    import copy

    import sqlglot

    source = model.get("sql_dialect") or "duckdb"
    if source == dialect:
        return model
    model = copy.deepcopy(model)

    def tr(sql: str) -> str:
        if sql.strip().upper() == "ELSE":
            return sql
        return sqlglot.transpile(sql, read=source, write=dialect)[0]

    for comp in model.get("comparisons", []):
        for lv in comp.get("comparison_levels", []):
            if "sql_condition" in lv:
                lv["sql_condition"] = tr(lv["sql_condition"])
    for br in model.get("blocking_rules_to_generate_predictions", []):
        if isinstance(br, dict) and "blocking_rule" in br:
            br["blocking_rule"] = tr(br["blocking_rule"])
            br["sql_dialect"] = dialect
    model["sql_dialect"] = dialect
    return model


def _spark_frame(api: Any, frame: pd.DataFrame) -> Any:
    """Explicit schema: numbers stay numbers even when a column is mostly empty."""
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    numeric = {"age", "dod", "dod_wa", "dod_wb", "given_n", "father_n", "grandfather_n"}

    def kind(c: str) -> Any:
        if c == "unique_id":  # row positions (score_pairs)
            return LongType()
        return DoubleType() if c in numeric else StringType()

    schema = StructType([StructField(c, kind(c), True) for c in frame.columns])
    rows = frame.astype(object).where(frame.notna(), None)
    for c in frame.columns:
        if c not in numeric and c != "unique_id":
            rows[c] = [None if v is None else str(v) for v in rows[c]]
    return api.spark.createDataFrame(rows.values.tolist(), schema=schema)


def _with_windows(feats: pd.DataFrame) -> pd.DataFrame:
    dod = feats["dod"].astype(float)
    for col, win in zip(("dod_wa", "dod_wb"), date_windows(dod), strict=True):
        feats[col] = win.astype(object).where(win.notna(), None)
    return feats


def _with_name_stats(feats: pd.DataFrame) -> pd.DataFrame:
    """Each name key's count (for model.rare_form) and its dental fold
    (normalise.fold_dentals): the civcas model's columns, not the generic one's."""
    counts = key_counts(feats)
    for part in ("given", "father", "grandfather"):
        feats[f"{part}_n"] = feats[part].map(counts).astype(float)
        keys = feats[part].dropna().unique()
        feats[f"{part}_f"] = feats[part].map(dict(zip(keys, map(fold_dentals, keys), strict=True)))
    return feats


def key_counts(feats: pd.DataFrame) -> pd.Series:
    """How often each name key occurs, in any part of a name chain."""
    parts = ("given", "father", "grandfather", "family")
    return pd.concat([feats[p] for p in parts], ignore_index=True).value_counts()


def _decision_sets(
    decisions: Iterable[tuple[str, str, str]],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    acc, rej = [], []
    for a, b, d in decisions:
        (acc if d == "accept" else rej).append((a, b))
    return acc, rej


def link_records(
    df: pd.DataFrame,
    *,
    engine: str = "duckdb",
    thresholds: Thresholds | None = None,
    decisions: Iterable[tuple[str, str, str]] = (),
    model: dict[str, Any] | str | Path | None = None,
    spec: ModelSpec | None = None,
) -> LinkResult:
    """Link and deduplicate person records (civcas columns, see records.py).

    ``decisions`` are (unique_id_a, unique_id_b, "accept"|"reject") from clerical
    review: they override the model both ways.
    """
    thresholds = thresholds or Thresholds()
    feats = _with_name_stats(_with_windows(features(df)))
    unique = _unique_bits(feats, spec.unique_lists if spec else [])
    # the incident code is not compared by default: on the Airwars Gaza list, records of
    # one incident are mostly a family killed together, and "same incident" linked them
    spec = spec or ModelSpec()
    if thresholds.draws:
        spec = replace(spec, blocking=spec.blocking + recall_blocking())
    if feats["dod"].isna().groupby(feats["list"]).all().any():  # a list without dates
        spec = replace(spec, blocking=spec.blocking + dateless_blocking())
    if feats["id_number"].notna().any() and "id_number" not in spec.extra_exact:
        # identity numbers: the same number is strong evidence, two numbers block a
        # link (_conflicts); records that have none are compared on the rest
        spec = replace(spec, extra_exact=[*spec.extra_exact, "id_number"],
                       blocking=[*spec.blocking, ["id_number"]])  # fmt: skip
    frame = feats[SPLINK_COLUMNS].copy()
    for c in spec.extra_exact + spec.extra_string:
        if c == "id_number":
            frame[c] = feats["id_number"].to_numpy()
            continue
        frame[c] = df[c].replace("", None).to_numpy() if c in df.columns else None
    from splink import block_on

    empty = {c for c in ("father", "grandfather", "sex", "age") if frame[c].isna().all()}
    if frame["family"].isna().all() and frame["dod"].isna().all():
        empty.add("family_incident")
    spec.skip |= empty
    decisions = list(decisions)
    acc, _ = _decision_sets(decisions)
    frame["unique_id"] = np.arange(len(frame), dtype=np.int64)  # see score_pairs
    notes: list[str] = []
    # name chains (given, father, grandfather, family: Arabic naming) share their parts
    # within a family: there a given or father's name that differs is a contradiction,
    # and so are names that differ within one list (training.CONTRADICTIONS,
    # same_list_other_family). Lists of given + family names only (FEBRL) have typos,
    # swaps and nicknames instead, and siblings do not share a chain: not applied.
    chains = bool(feats["father"].notna().mean() >= CHAIN_SHARE)
    # a training block on columns no record has cannot find pairs: left out up front
    present = {c for c in frame.columns if frame[c].notna().any()}
    blocks = [b for b in spec.training_blocks if set(b) <= present]
    if len(blocks) < len(spec.training_blocks):
        notes.append(f"training: blocks on empty columns left out: "
                     f"{[b for b in spec.training_blocks if not set(b) <= present]}")  # fmt: skip
    default_blocks = [
        b for b in (["given", "family"], ["given", "father", "sex"]) if set(b) <= present
    ]
    if not blocks and len(default_blocks) < 2:
        notes.append("training: EM on given + father + sex left out (the lists have no "
                     "father's name or no sex); given + family only")  # fmt: skip
    deterministic = [r for r in spec.deterministic if set(r) <= present]
    if len(deterministic) < len(spec.deterministic):
        notes.append(f"prior: rules on empty columns left out: "
                     f"{[r for r in spec.deterministic if not set(r) <= present]}")  # fmt: skip
    pairs, trained = score_pairs(
        frame,
        civcas_settings(spec),
        blocks=[block_on(*c) for c in (blocks or default_blocks)],
        deterministic=[block_on(*c) for c in deterministic],
        engine=engine,
        model=model,
        predict_threshold=thresholds.predict,
        patch=lambda m: patch_name_m(m, frame, _positions(feats, acc)[0], contradictions=chains),
        notes=notes,
    )
    # pairs from one family killed together: rescored within the family (household.py)
    pairs = rescore(pairs, feats, trained)
    pairs = pairs[pairs["match_probability"] >= thresholds.predict]
    apart = np.zeros((0, 2), dtype=np.int64)
    if chains:
        # two records of one list that cannot be one person are kept apart in the
        # clustering too: otherwise a record of another list that resembles both (the
        # ministry's Knadah and Knazai Isalam Yousef Abumaeliq, 8, in both releases)
        # joins them through itself
        bad = same_list_other_family(feats, pairs)
        apart = pairs.loc[bad, ["unique_id_l", "unique_id_r"]].to_numpy(dtype=np.int64)
        pairs = pairs[~bad]
    # a record without a name (a placeholder, or none given) is not linked by the model
    # alone: sex, age, date and place are what everyone killed together shares (the
    # Airwars Gaza list's two "Sister in law of Rushdiyya Toutah" were one person); the
    # same identity number still links it, and its pairs stay in the review queue
    nameless = _nameless_pairs(feats, pairs, frame[spec.extra_exact + spec.extra_string])
    apart = np.concatenate(
        [apart, pairs.loc[nameless, ["unique_id_l", "unique_id_r"]].to_numpy(dtype=np.int64)]
    )
    if unique is not None:  # never a link inside a register, nor a pair to review there
        li, ri = pairs["unique_id_l"].to_numpy(), pairs["unique_id_r"].to_numpy()
        inside = (unique[li] & unique[ri]) != 0
        repeats = pairs[inside & (pairs["match_probability"].to_numpy() >= thresholds.match)]
        pairs = pairs[~inside]
        # a register holds each person once: a pair's probability is weighed against
        # the record's other candidates there (registers.py)
        lam = float(trained.get("probability_two_random_records_match", 0.0))
        pairs, shares = register_posterior(pairs, feats["list"].to_numpy(), unique, lam, repeats)
        notes += [f"register {r}: {share:.0%} of {x}'s records estimated to be in it"
                  for (x, r), share in shares.items()]  # fmt: skip
    pairs = pairs.reset_index(drop=True)
    result = _assemble(df, feats, pairs, trained, thresholds, decisions, apart=apart,
                       unique=unique)  # fmt: skip
    result.notes = notes
    return result


def _nameless_pairs(
    feats: pd.DataFrame, pairs: pd.DataFrame, identifying: pd.DataFrame | None = None
) -> np.ndarray:
    """Pairs with a record that has no name key at all and that share no identity
    number, nor a value of any ``identifying`` column (a spec's extra columns: FEBRL's
    social security number)."""
    keys = feats[["given", "father", "grandfather", "family"]]
    nameless = keys.isna().all(axis=1).to_numpy()
    li = pairs["unique_id_l"].to_numpy(dtype=np.int64)
    ri = pairs["unique_id_r"].to_numpy(dtype=np.int64)
    columns = [feats["id_number"]]
    if identifying is not None:
        columns += [identifying[c] for c in identifying.columns]
    shared = np.zeros(len(li), dtype=bool)
    for col in columns:
        values = col.to_numpy(dtype=object)
        shared |= pd.notna(values[li]) & (values[li] == values[ri])
    return np.asarray((nameless[li] | nameless[ri]) & ~shared, dtype=bool)


# the share of records with a father's name from which a list is taken to name people by
# chains (given, father, grandfather, family)
CHAIN_SHARE = 0.2


def same_list_other_family(feats: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray:
    """Pairs of records of one list that cannot be one person: family names that differ
    outright (keys neither equal nor one edit apart), or given names whose keys differ.

    Across lists a family name may change (a married woman under her husband's family
    in the press, her father's in a register: on the Airwars Gaza list against the
    ministry's, about one true pair in ten), so the model cannot weigh it hard; within
    one list it does not (on that run, 817 of 965 wrong links were inside the
    ministry's own list, among them "Suad Muhammad Muhammad Zamil" with "... Anan").
    Given names one edit apart within one list were brothers and sisters killed
    together far more often than one person typed twice (the Airwars Gaza list, dev
    half: Jinan / Banan, Muhannad / Muhammad, Rand / Rawand, Mushir / Mishal Nasser
    Mahmoud, Moamen / Mamoun Amin Jabara al-Agha)."""
    from .training import _dl1, prefixed

    li = pairs["unique_id_l"].to_numpy(dtype=np.int64)
    ri = pairs["unique_id_r"].to_numpy(dtype=np.int64)
    lists = feats["list"].to_numpy(dtype=object)
    same = lists[li] == lists[ri]
    out = np.zeros(len(pairs), dtype=bool)
    if not same.any():
        return out
    # given names spelt differently in Arabic script: one list's clerk writes one
    # person's name one way; the consonant key joins Yaman / Yamen (يمان / يامن), Karam /
    # Kareem (كرم / كريم), Rand / Rawand, whom the Airwars Gaza list (dev half) has as
    # brothers and sisters killed together, with two ministry ids
    at = np.flatnonzero(same)
    spelt = feats["given_sp"].to_numpy(dtype=object)
    sl, sr = spelt[li[at]], spelt[ri[at]]
    out[at] = [isinstance(a, str) and isinstance(b, str) and a[:3] == b[:3] == "ar:" and a != b
               for a, b in zip(sl, sr, strict=True)]  # fmt: skip
    # a father's name that differs outright (not one edit apart, not the grandfather's
    # name of the other record: a dropped name shifts the chain): cousins who share a
    # given name after their grandfather (Adel Ziad / Adel Abdel Aziz Dahleez, 4, one
    # strike; Muhammad Samir / Muhammad Hani Ramadan al-Hassi: Airwars Gaza, dev half)
    fa, gf = feats["father"].to_numpy(dtype=object), feats["grandfather"].to_numpy(dtype=object)
    fl, fr = fa[li], fa[ri]
    shifted = ((fl == gf[ri]) & pd.notna(fl)) | ((gf[li] == fr) & pd.notna(fr))
    parts = [("family", True, None), ("given", False, None), ("father", True, shifted)]
    for part, loose, excuse in parts:
        key = feats[part].to_numpy(dtype=object)
        kl, kr = key[li], key[ri]
        cand = same & pd.notna(kl) & pd.notna(kr) & (kl != kr)
        if excuse is not None:
            cand &= ~excuse
        if not loose:
            out |= cand
            continue
        seen: dict[tuple[str, str], bool] = {}
        for k in np.flatnonzero(cand):
            pair = (kl[k], kr[k])
            if pair not in seen:
                seen[pair] = not _dl1(*pair) and not (part == "family" and prefixed(*pair))
            out[k] |= seen[pair]
    return out


def _positions(feats: pd.DataFrame, *groups: list[tuple[str, str]]) -> list[list[tuple[int, int]]]:
    """Each group of pairs of record ids as row positions in ``feats`` (the pairs whose
    records are present); one lookup table for all the groups."""
    if not any(groups):
        return [[] for _ in groups]
    at = {u: i for i, u in enumerate(feats["unique_id"].tolist())}
    return [[(at[a], at[b]) for a, b in g if a in at and b in at] for g in groups]


def _assemble(
    df: pd.DataFrame,
    feats: pd.DataFrame,
    pairs: pd.DataFrame,
    trained: dict[str, Any],
    thresholds: Thresholds,
    decisions: Iterable[tuple[str, str, str]],
    *,
    cut_conflicts: bool = True,
    apart: np.ndarray | None = None,
    unique: np.ndarray | None = None,
) -> LinkResult:
    """People from scored ``pairs`` (records by row position in ``feats``, as
    score_pairs returns them); the result's pairs and queue carry record ids.
    ``apart``: pairs of positions that may not end in one cluster, as a reviewer's
    rejection (but not shown as decisions)."""
    ids = feats["unique_id"].to_numpy(dtype=object)
    acc, rej = _decision_sets(decisions)
    acc_at, rej_at = _positions(feats, acc, rej)
    if apart is not None and len(apart):
        rej_at = rej_at + [(int(a), int(b)) for a, b in apart.tolist()]
    li = pairs["unique_id_l"].to_numpy(dtype=np.int64)
    ri = pairs["unique_id_r"].to_numpy(dtype=np.int64)
    p = pairs["match_probability"].to_numpy(dtype=float)
    conflicts = _conflicts(feats, thresholds, unique) if cut_conflicts else None
    roots, best = cluster_positions(
        len(ids),
        li,
        ri,
        p,
        thresholds.match,
        accepted=acc_at,
        rejected=rej_at,
        conflicts=conflicts,
    )
    draws = None
    if thresholds.draws:
        draws = draw_people(roots, li, ri, p, thresholds.match, draws=thresholds.draws,
                            conflicts=conflicts, accepted=acc_at, rejected=rej_at)  # fmt: skip
    out = df.copy()
    out["unique_id"] = ids
    out["person_id"] = person_ids(ids, roots)
    out["match_probability"] = np.round(best, 6)
    named = pairs.assign(unique_id_l=ids[li], unique_id_r=ids[ri])
    # the band, and links the clustering cut (cluster.py): their records stayed apart
    band = named[(p >= thresholds.review) & ((p < thresholds.match) | (roots[li] != roots[ri]))]
    decided = {tuple(sorted(d)) for d in acc + rej}
    if decided:
        keys = zip(band["unique_id_l"], band["unique_id_r"], strict=True)
        band = band[[tuple(sorted(k)) not in decided for k in keys]]
    review = band.sort_values("match_probability") if len(band) else band
    return LinkResult(out, named, trained, thresholds, review.reset_index(drop=True), draws)


def _unique_bits(feats: pd.DataFrame, lists: list[str]) -> np.ndarray | None:
    """Per record the bit of its list when the list is declared to name each person
    once (ModelSpec.unique_lists), else 0; None when no list is."""
    if not lists:
        return None
    present = set(feats["list"].dropna().astype(str))
    missing = sorted(set(lists) - present)
    if missing:
        raise ConfigError(f"unique lists {missing} are not among the lists linked "
                          f"({', '.join(sorted(present))}): give a list's name as in "
                          "its `list` column, or its file name without .csv")  # fmt: skip
    if len(set(lists)) > 62:
        raise ConfigError("at most 62 lists can be declared unique in one run")
    bit = {name: 1 << k for k, name in enumerate(sorted(set(lists)))}
    return feats["list"].astype(str).map(bit).fillna(0).to_numpy(dtype=np.int64)


def _conflicts(
    feats: pd.DataFrame, thresholds: Thresholds, unique: np.ndarray | None = None
) -> Conflicts:
    sex = feats["sex"].map({"male": MALE, "female": FEMALE}).fillna(0)
    ids = None
    if "id_number" in feats and feats["id_number"].notna().any():
        codes, _ = pd.factorize(feats["id_number"])
        ids = np.where(codes < 0, np.nan, codes.astype(float))
    return Conflicts(
        sex.to_numpy(dtype=np.int8),
        feats["age"].to_numpy(dtype=float),
        feats["dod"].to_numpy(dtype=float),
        thresholds.max_age_gap,
        thresholds.max_days,
        thresholds.age_base,
        thresholds.age_slope,
        ids,
        unique,
    )


def generic_frame(df: pd.DataFrame, feats: pd.DataFrame) -> pd.DataFrame:
    """What a general-purpose setup sees: the raw name's first and last word (``feats``:
    records.base_features with date windows; no name keys, it does not use them)."""
    name = df["name"].where(df["name"].str.strip() != "", df["name_ar"]).fillna("")
    words = name.str.lower().str.split()
    return pd.DataFrame(
        {
            "unique_id": feats["unique_id"],
            "list": feats["list"],
            "first_name": words.str[0],
            "surname": words.str[-1].where(words.str.len() > 1),
            "sex": feats["sex"],
            "age": feats["age"],
            "dod": feats["dod"],
            "dod_wa": feats["dod_wa"],
            "dod_wb": feats["dod_wb"],
            "place_raw": df["place"].str.lower().replace("", None),
        }
    ).replace({np.nan: None})


def link_generic(
    df: pd.DataFrame, *, engine: str = "duckdb", thresholds: Thresholds | None = None
) -> LinkResult:
    """The baseline: Splink with generic name comparisons on the same data."""
    from splink import block_on

    thresholds = thresholds or Thresholds()
    feats = _with_windows(base_features(df))
    frame = generic_frame(df, feats)
    frame["unique_id"] = np.arange(len(frame), dtype=np.int64)  # see score_pairs
    pairs, trained = score_pairs(
        frame,
        generic_settings(),
        blocks=generic_training_blocks(),
        deterministic=[block_on("first_name", "surname", "dod")],
        engine=engine,
        predict_threshold=thresholds.predict,
    )
    # connected components, as a general-purpose setup clusters
    return _assemble(df, feats, pairs, trained, thresholds, (), cut_conflicts=False)
