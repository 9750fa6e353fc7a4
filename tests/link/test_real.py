"""Linkage on slices of the real lists (../shared/data; skipped when absent).

Slices are chosen by a hash of the truth id, from the benchmark's held-out half
(benchmarks/bench_link_real.half), so the figures are not the ones rules were tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the benchmarks package
from benchmarks import bench_link_real as real  # noqa: E402

pytestmark = pytest.mark.skipif(not real.available(), reason="../shared/data not present")


def _slice(path: Path, n: int) -> pd.DataFrame:
    m = pd.read_csv(path, dtype=str, keep_default_na=False)
    ids = sorted({i for i in m["id"] if real.half(i) == "held"})[:n]
    return m[m["id"].isin(set(ids))]


def test_scorer_counts_pairs_by_truth() -> None:
    cl = pd.Series(["a", "a", "b", "b", "c"])
    truth = pd.Series(["1", "1", "2", "3", ""])
    s = real.pair_scores(cl, truth, pd.Series(["dev"] * 5))["all"]
    assert (s["right"], s["linked_pairs"], s["true_pairs"]) == (1, 2, 1)
    assert s["precision"] == 0.5 and s["recall"] == 1.0


def test_ministry_releases_slice(tmp_path: Path) -> None:
    """2024-04 against 2024-08 on 1,500 held-out ids: pairwise F1 by id."""
    apr, aug = _slice(real.MOH_APR, 1500), None
    aug = pd.read_csv(real.MOH_AUG, dtype=str, keep_default_na=False)
    aug = aug[aug["id"].isin(set(apr["id"]))]
    p4, t4 = real.moh_file(real.MOH_APR, "a", tmp_path / "a.csv", apr)
    p8, t8 = real.moh_file(real.MOH_AUG, "b", tmp_path / "b.csv", aug)
    df, info = real.read([p4, p8])
    truth = pd.concat([t4["truth"], t8["truth"]], ignore_index=True)
    got = real.run_linkers(df, ("civcas",))["civcas"]
    s = real.pair_scores(got["clusters"], truth, truth.map(real.half))["all"]
    assert s["f1"] >= 0.9, s


def test_airwars_against_the_ministry_slice(tmp_path: Path) -> None:
    """Airwars Gaza records whose ministry id is in the held-out half, against those
    ministry records and 3,000 others: pairwise F1 by id (full run: BENCHMARKS.md)."""
    aw = pd.read_csv(real.AIRWARS, dtype=str, keep_default_na=False)
    moh = pd.read_csv(real.MOH_AUG, dtype=str, keep_default_na=False)
    ids = sorted({i for i in aw["moh_id"] if i and real.half(i) == "held"} & set(moh["id"]))[:600]
    aw = aw[aw["moh_id"].isin(set(ids))]
    others = moh[~moh["id"].isin(set(aw["moh_id"]))].sample(3000, random_state=1)
    moh = pd.concat([moh[moh["id"].isin(set(ids))], others], ignore_index=True)
    pa, ta = real.airwars_file(tmp_path / "a.csv", aw)
    pm, tm = real.moh_file(real.MOH_AUG, "m", tmp_path / "m.csv", moh)
    df, _ = real.read([pa, pm])
    truth = pd.concat([ta["truth"], tm["truth"]], ignore_index=True)
    got = real.run_linkers(df, ("civcas", "generic"))
    ours = real.pair_scores(got["civcas"]["clusters"], truth, truth.map(real.half))["all"]
    generic = real.pair_scores(got["generic"]["clusters"], truth, truth.map(real.half))["all"]
    assert ours["f1"] >= 0.75 and ours["f1"] > generic["f1"] + 0.2, (ours, generic)


def test_a_register_weighs_each_pair_against_its_rivals(tmp_path: Path) -> None:
    """The same kind of slice with the release declared a register: each pair is weighed
    against the Airwars record's other candidates in it (registers.py), and the run
    estimates and reports the share of the Airwars list the release holds."""
    from civcas.link.model import ModelSpec
    from civcas.link.pipeline import link_records

    aw = pd.read_csv(real.AIRWARS, dtype=str, keep_default_na=False)
    moh = pd.read_csv(real.MOH_AUG, dtype=str, keep_default_na=False)
    ids = sorted({i for i in aw["moh_id"] if i and real.half(i) == "held"} & set(moh["id"]))
    ids = ids[600:1200]
    aw = aw[aw["moh_id"].isin(set(ids))]
    moh = pd.concat([moh[moh["id"].isin(set(ids))],
                     moh[~moh["id"].isin(set(aw["moh_id"]))].sample(3000, random_state=2)],
                    ignore_index=True)  # fmt: skip
    pa, ta = real.airwars_file(tmp_path / "a.csv", aw)
    pm, tm = real.moh_file(real.MOH_AUG, "m", tmp_path / "m.csv", moh)
    df, _ = real.read([pa, pm])
    truth = pd.concat([ta["truth"], tm["truth"]], ignore_index=True)
    plain = link_records(df)
    declared = link_records(df, spec=ModelSpec(unique_lists=["m"]))
    note = [n for n in declared.notes if n.startswith("register m:")]
    assert note and not [n for n in plain.notes if n.startswith("register")]
    # every Airwars record of the slice has its ministry record in it: most are in
    share = int(note[0].split(": ")[1].split("%")[0])
    assert 60 <= share <= 100, note

    def scores(res: Any) -> dict[str, Any]:
        cl = res.records["person_id"].reset_index(drop=True)
        return real.pair_scores(cl, truth, truth.map(real.half))["all"]

    a, b = scores(plain), scores(declared)
    assert b["precision"] >= 0.98 and b["f1"] > a["f1"], (a, b)


def test_raw_files_read_without_hand_cleaning(tmp_path: Path) -> None:
    """The Airwars list with its age of 334 and the 2024-08 release with its ages of -1."""
    from civcas.link.records import read_lists

    pa, _ = real.airwars_file(tmp_path / "a.csv")
    pm, _ = real.moh_file(real.MOH_AUG, "m", tmp_path / "m.csv")
    df = read_lists([pa, pm])
    report = {(r["field"], r["value"]): r for r in df.attrs["cleaning"]}
    assert report[("age", "334")]["read_as"] == ""
    assert report[("age", "-1")]["rows"] == 425


def test_registers_declared_unique_through_the_cli(tmp_path: Path) -> None:
    """The same held-out slice through `civcas link --unique` on both releases: no person
    holds two records of one release, and the ministry's own duplicates (one person under
    two ids) no longer join two ids."""
    from click.testing import CliRunner

    from civcas.cli.main import cli

    apr = _slice(real.MOH_APR, 1500)
    aug = pd.read_csv(real.MOH_AUG, dtype=str, keep_default_na=False)
    aug = aug[aug["id"].isin(set(apr["id"]))]
    p4, t4 = real.moh_file(real.MOH_APR, "apr", tmp_path / "apr.csv", apr)
    p8, t8 = real.moh_file(real.MOH_AUG, "aug", tmp_path / "aug.csv", aug)
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "link", str(p4), str(p8),
                                   "--unique", "apr", "--unique", "aug", "-o", str(out)])  # fmt: skip
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert not got.duplicated(["person_id", "list"]).any()
    truth = pd.concat([t4["truth"], t8["truth"]], ignore_index=True)
    s = real.pair_scores(got["person_id"], truth, truth.map(real.half))["all"]
    assert s["precision"] >= 0.99 and s["f1"] >= 0.98, s


def test_airwars_list_alone_repeats_joined_siblings_apart(tmp_path: Path) -> None:
    """The Airwars Gaza list deduplicated alone: a girl entered twice in one strike (same
    ministry id, every field equal but the spelling ندى / ندي) is one person; brothers
    with one consonant key (Yaman / Yamen al-Ashqar, 3, two ids) and cousins with one
    given name and two fathers (Adel Ziad / Adel Abdel Aziz Dahleez) stay apart."""
    pa, ta = real.airwars_file(tmp_path / "a.csv")
    df, _ = real.read([pa])
    got = real.run_linkers(df, ("civcas",))["civcas"]["clusters"]
    person = dict(zip(ta["record_id"], got, strict=True))
    by_id = ta[ta["truth"] != ""].groupby("truth")["record_id"].apply(list).to_dict()
    nada = by_id["424522233"]
    assert len(nada) == 2 and person[nada[0]] == person[nada[1]]
    for a, b in (("442840542", "442840534"), ("440711158", "441081775")):
        assert person[by_id[a][0]] != person[by_id[b][0]]
