"""Linkage for estimation: draws of the uncertain links, and estimates combined over them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.estimate import CaptureTable, estimate, estimate_linkages
from civcas.link.cluster import FEMALE, MALE, Conflicts
from civcas.link.draws import draw_people

N_DRAWS = 4000


def _together(draws: np.ndarray, a: int, b: int) -> float:
    return float((draws[:, a] == draws[:, b]).mean())


def test_draws_keep_and_merge_links_with_their_probabilities():
    # at threshold 0.85 records 0-1 are one cluster (their pair: 0.9), the others alone;
    # 2-3 have a weaker pair (0.3); 4 has two candidates, 5 at 0.8 and 6 at 0.6 (4 is one
    # person: at most one can be right, so their chances are scaled to sum to 1)
    roots = np.array([0, 0, 2, 3, 4, 5, 6])
    li, ri = np.array([0, 2, 4, 4]), np.array([1, 3, 5, 6])
    p = np.array([0.9, 0.3, 0.8, 0.6])
    d = draw_people(roots, li, ri, p, 0.85, draws=N_DRAWS)
    assert d.shape == (N_DRAWS, 7)
    tol = 4 / np.sqrt(N_DRAWS)
    assert abs(_together(d, 0, 1) - 0.9) < tol
    assert abs(_together(d, 2, 3) - 0.3) < tol
    assert abs(_together(d, 4, 5) - 0.8 / 1.4) < tol
    assert abs(_together(d, 4, 6) - 0.6 / 1.4) < tol
    assert _together(d, 0, 2) == 0.0  # no pair, no merge
    # a merge joins the records of the pair that suggests it, also when the draw splits
    # their cluster: 2's pair is with 1, so 2 never joins 0 alone
    split = draw_people(np.array([0, 0, 2]), np.array([0, 1]), np.array([1, 2]),
                        np.array([0.9, 0.5]), 0.85, draws=N_DRAWS)  # fmt: skip
    apart = split[:, 0] != split[:, 1]
    assert apart.any() and not (split[apart, 2] == split[apart, 0]).any()
    assert abs(_together(split, 1, 2) - 0.5) < tol
    # a link the model is sure of (0.95 or more) is kept in every draw
    sure = draw_people(roots, li, ri, np.array([0.97, 0.3, 0.8, 0.6]), 0.85, draws=500)
    assert _together(sure, 0, 1) == 1.0
    # the same seed gives the same draws
    assert (draw_people(roots, li, ri, p, 0.85, draws=N_DRAWS) == d).all()


def test_draws_never_merge_what_cannot_be_one_person_and_obey_review():
    roots = np.arange(4)
    li, ri, p = np.array([0, 2]), np.array([1, 3]), np.array([0.5, 0.5])
    conflicts = Conflicts(
        sex=np.array([MALE, FEMALE, MALE, MALE], dtype=np.int8),
        age=np.full(4, np.nan),
        dod=np.full(4, np.nan),
        max_age_gap=15.0,
        max_days=60.0,
    )
    d = draw_people(roots, li, ri, p, 0.8, draws=500, conflicts=conflicts)
    assert _together(d, 0, 1) == 0.0  # a man and a woman
    assert 0.35 < _together(d, 2, 3) < 0.65
    # a reviewer's decisions are not drawn
    d = draw_people(roots, li, ri, p, 0.8, draws=200, accepted=[(0, 3)], rejected=[(2, 3)])
    assert _together(d, 0, 3) == 1.0
    assert _together(d, 2, 3) == 0.0


def _table(n11: int, n10: int, n01: int) -> CaptureTable:
    return CaptureTable(("A", "B"), np.array([0, n10, n01, n11], dtype=np.int64))


def test_estimate_over_identical_draws_is_the_single_estimate():
    t = _table(300, 400, 500)
    one = estimate(t, "loglinear")
    both = estimate_linkages([t, t, t], "loglinear")
    assert abs(both["N"] - one["N"]) < 1e-6 * one["N"]
    # no spread between the draws: the interval is the single one (normal on log N)
    assert abs(both["ci95"][0] - one["ci95"][0]) < 0.01 * one["N"]
    assert both["linkage_draws"]["draws"] == 3


def test_estimate_over_differing_draws_widens_the_interval():
    # linkages that disagree on 20 matches of 300 (Lincoln-Petersen N = n1 * n2 / m)
    tables = [_table(300 + k, 400 - k, 500 - k) for k in (-20, -10, 0, 10, 20)]
    single = [estimate(t, "loglinear") for t in tables]
    combined = estimate_linkages(tables, "loglinear")
    assert min(s["N"] for s in single) < combined["N"] < max(s["N"] for s in single)
    width = combined["ci95"][1] - combined["ci95"][0]
    assert width > max(s["ci95"][1] - s["ci95"][0] for s in single)
    assert combined["ci95"][0] < min(s["N"] for s in single)
    assert combined["ci95"][1] > max(s["N"] for s in single)
    # Bayesian methods pool the posterior draws of every linkage (DGA: 3 lists or more)
    three = [
        CaptureTable(("A", "B", "C"), np.array([0, 300, 280, 90 + k, 260, 80, 85, 30 + k]))
        for k in (-10, 0, 10)
    ]
    dga = estimate_linkages(three, "dga")
    assert len(dga["_draws"]) == 3 * 4000
    assert dga["ci95"][0] < dga["N"] < dga["ci95"][1]


def test_cli_link_for_estimation_then_estimate_linked(tmp_path):
    run = CliRunner()
    res = run.invoke(
        cli, ["simulate-lists", "--people", "3000", "--seed", "6", "-o", str(tmp_path / "sim")]
    )
    assert res.exit_code == 0, res.output
    files = sorted(str(p) for p in (tmp_path / "sim").glob("*.csv"))
    db = str(tmp_path / "c.db")
    res = run.invoke(cli, ["--db", db, "link", *files, "--for-estimation"])
    assert res.exit_code == 2 and "-o OUT" in res.output
    out = tmp_path / "linked.csv"
    args = ["--db", db, "link", *files, "-o", str(out), "--json", "--for-estimation"]
    res = run.invoke(cli, [*args, "--draws", "5"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["draws"] == 5
    linked = pd.read_csv(out, dtype=str)
    draws = [c for c in linked.columns if c.startswith("person_id_draw_")]
    assert draws == [f"person_id_draw_{k}" for k in range(1, 6)]
    people = [linked[c].nunique() for c in draws]
    assert len(set(people)) > 1  # the draws differ
    res = run.invoke(cli, ["estimate", str(out), "--linked", "--json"])
    assert res.exit_code == 0, res.output
    combined = json.loads(res.output)
    assert combined["linkage_draws"]["draws"] == 5
    assert combined["linkage_draws"]["observed"] == [min(people), max(people)]
    assert "Rubin" in combined["ci_method"]
    res = run.invoke(cli, ["estimate", str(out), "--linked", "--plot", str(tmp_path / "n.png")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "n.png").stat().st_size > 1000
    # the linked file without its draws: one linkage, the usual estimate
    linked.drop(columns=draws).to_csv(tmp_path / "plain.csv", index=False)
    res = run.invoke(cli, ["estimate", str(tmp_path / "plain.csv"), "--linked", "--json"])
    assert res.exit_code == 0, res.output
    plain = json.loads(res.output)
    assert "linkage_draws" not in plain and plain["n_observed"] == linked["person_id"].nunique()
    # not linked records: the file and what is missing are named
    linked.drop(columns=["person_id"]).to_csv(tmp_path / "bad.csv", index=False)
    res = run.invoke(cli, ["estimate", str(tmp_path / "bad.csv"), "--linked"])
    assert res.exit_code != 0
    assert "bad.csv" in res.output and "person_id" in res.output
