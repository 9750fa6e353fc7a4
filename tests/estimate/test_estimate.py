"""Estimation on data with a known answer, bad input, the CLI and stored estimates."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.optimize import minimize

from civcas.cli.main import cli
from civcas.estimate import (
    CaptureTable,
    LcmcrSettings,
    capture_table_from_records,
    dga,
    enumerate_models,
    estimate,
    estimate_strata,
    fit_model,
    lcmcr,
    parse_model,
    profile_ci,
    read_overlap_csv,
    select_by_ic,
    table_warnings,
)
from civcas.estimate.dga import decomposable_graphs, quantiles
from civcas.estimate.models import design
from civcas.model.errors import CivcasError, InputError


def simulate(
    N: int,
    probs: np.ndarray,
    rng: np.random.Generator,
    depend: tuple[int, int, float] | None = None,
) -> CaptureTable:
    """N people, independent captures with probabilities ``probs`` (one row per class
    of a mixture when 2-D). ``depend`` = (i, j, p): list j catches those on i with p."""
    probs = np.atleast_2d(probs)
    cls = rng.integers(0, len(probs), size=N)
    caught = rng.random((N, probs.shape[1])) < probs[cls]
    if depend:
        i, j, p = depend
        caught[:, j] = np.where(caught[:, i], rng.random(N) < p, caught[:, j])
    w = (caught * (1 << np.arange(probs.shape[1]))).sum(axis=1)
    counts = np.bincount(w, minlength=2 ** probs.shape[1])
    counts[0] = 0
    return CaptureTable(tuple("ABCDE"[: probs.shape[1]]), counts.astype(np.int64))


def test_newton_fit_agrees_with_a_generic_optimiser() -> None:
    t = simulate(
        6000, np.array([0.3, 0.4, 0.25, 0.35]), np.random.default_rng(7), depend=(0, 1, 0.7)
    )
    m = parse_model("A*B + C*D", t.lists)
    fit = fit_model(t, m)
    X = design(t.J, m)
    y = t.counts[1:].astype(float)

    def nll(b: np.ndarray) -> tuple[float, np.ndarray]:
        mu = np.exp(X @ b)
        return float(mu.sum() - y @ (X @ b)), X.T @ (mu - y)

    b0 = np.zeros(X.shape[1])
    b0[0] = np.log(y.mean())
    ref = minimize(nll, b0, jac=True, method="BFGS", options={"gtol": 1e-9, "maxiter": 5000})
    assert fit.N == pytest.approx(t.n_observed + np.exp(ref.x[0]), rel=1e-5)


def test_right_model_recovers_truth_and_wrong_model_does_not() -> None:
    """Positive dependence between A and B biases independence low; A*B corrects it."""
    N = 20000
    t = simulate(N, np.array([0.2, 0.15, 0.25, 0.2]), np.random.default_rng(11), depend=(0, 1, 0.6))
    wrong = fit_model(t, ())
    right = fit_model(t, parse_model("A*B", t.lists))
    assert wrong.N < 0.85 * N  # the failure the test is able to see
    assert right.N == pytest.approx(N, rel=0.05)
    lo, hi = profile_ci(t, right.model)
    assert lo < N < hi
    best, _ = select_by_ic(t, "bic")
    assert 0b0011 in best.model  # A*B found by the search


def test_profile_interval_coverage_on_independent_lists() -> None:
    rng = np.random.default_rng(2024)
    N, covered = 3000, 0
    for _ in range(40):
        t = simulate(N, np.array([0.2, 0.3, 0.25]), rng)
        lo, hi = profile_ci(t, ())
        covered += lo <= N <= hi
    assert covered >= 34  # nominal 95%: 38 expected; < 34 has probability ~ 1%


def test_lcmcr_on_heterogeneous_population() -> None:
    N = 5000
    probs = np.array([[0.5, 0.45, 0.55, 0.5], [0.1, 0.12, 0.08, 0.1]])
    t = simulate(N, probs, np.random.default_rng(3))
    r = lcmcr(t, LcmcrSettings(K=5, burnin=2000, samples=800, thin=5, chains=2, workers=1))
    lo, hi = np.quantile(r.draws, [0.025, 0.975])
    assert lo < N < hi
    assert fit_model(t, ()).N < lo  # independence misses the heterogeneity


def test_dga_covers_truth_on_independent_lists() -> None:
    N = 4000
    t = simulate(N, np.array([0.3, 0.2, 0.25, 0.3]), np.random.default_rng(9))
    d = dga(t)
    lo, med, hi = (t.n_observed + q for q in quantiles(d, (0.025, 0.5, 0.975)))
    assert lo < N < hi
    assert med == pytest.approx(N, rel=0.08)


def test_model_counts() -> None:
    assert [len(decomposable_graphs(j)) for j in (3, 4, 5)] == [8, 61, 822]
    assert len(enumerate_models(3)) == 8  # graphs on 3 vertices
    assert len(enumerate_models(6, 2)) == 2**15  # J = 6: every pairwise model


def test_nonexistent_mle_is_refused() -> None:
    # saturated 3-list model with an observed zero cell (B and C only): no finite MLE
    t = CaptureTable(("A", "B", "C"), np.array([0, 40, 30, 12, 25, 8, 0, 5]))
    m = parse_model("A*B + A*C + B*C", t.lists)
    assert not fit_model(t, m).exists
    with pytest.raises(CivcasError, match="does not exist"):
        estimate(t, "loglinear", model="A*B + A*C + B*C")
    best, fits = select_by_ic(t, "aic")
    assert best.exists and best.model != m


def test_empty_overlap_is_fixed_at_minus_infinity() -> None:
    # A and C never overlap: the A*C term is fixed at -inf and its cells left out
    t = CaptureTable(("A", "B", "C"), np.array([0, 50, 60, 20, 40, 0, 15, 0]))
    fit = fit_model(t, parse_model("A*C + B", t.lists))
    assert fit.exists and fit.dropped == (0b101,)
    assert fit.mu[0b101 - 1] == 0 and fit.mu[0b111 - 1] == 0


def test_warnings_in_plain_words() -> None:
    t = CaptureTable(("A", "B", "C"), np.array([0, 500, 400, 1, 300, 2, 1, 0]))
    text = " ".join(table_warnings(t))
    assert "nearly disjoint" in text and "too few overlaps" in text


def test_capture_table_from_records_and_strata() -> None:
    rows = [
        {"person_id": "p1", "list": "A", "month": "2017-06"},
        {"person_id": "p1", "list": "B", "month": "2017-06"},
        {"person_id": "p2", "list": "B", "month": "2017-07"},
        {"person_id": "p3", "list": "C", "month": None},
        {"person_id": "p3", "list": "X", "month": None},  # list not asked for
    ]
    tabs = capture_table_from_records(rows, ["A", "B", "C"], "month")
    assert set(tabs) == {"2017-06", "2017-07", "unknown"}
    assert tabs["2017-06"].counts[0b011] == 1
    assert tabs["unknown"].counts[0b100] == 1
    pd = pytest.importorskip("pandas")
    whole = capture_table_from_records(pd.DataFrame(rows), ["A", "B", "C"])[None]
    assert whole.n_observed == 3


def test_stratified_combination_sums_draws() -> None:
    rng = np.random.default_rng(5)
    tabs = {
        "north": simulate(4000, np.array([0.3, 0.35, 0.3]), rng),
        "south": simulate(2000, np.array([0.25, 0.3, 0.35]), rng),
        "tiny": CaptureTable(("A", "B", "C"), np.array([0, 3, 2, 1, 1, 0, 0, 0])),
    }
    res = estimate_strata(tabs, "dga")
    assert res["strata"][2]["too_sparse"]
    assert any("tiny" in w for w in res["warnings"])
    assert res["ci95"][0] < 6000 < res["ci95"][1]
    loglin = estimate_strata(tabs, "loglinear", model="A + B + C", bootstrap=100)
    assert loglin["N"] == pytest.approx(sum(s["N"] for s in loglin["strata"][:2]) + 7, rel=1e-9)


# --- bad input -------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "t.csv"
    p.write_text(text)
    return p


def test_non_binary_list_column(tmp_path: Path) -> None:
    p = write(tmp_path, "A,B,count\n1,0,5\n0,2,3\n1,1,4\n")
    with pytest.raises(InputError) as e:
        read_overlap_csv(p)
    msg = str(e.value)
    assert "row 3" in msg and "'B'" in msg and "0 or 1" in msg and str(p) in msg


def test_negative_count(tmp_path: Path) -> None:
    p = write(tmp_path, "A,B,count\n1,0,5\n0,1,-3\n1,1,4\n")
    with pytest.raises(InputError, match=r"row 3: field 'count' = '-3'"):
        read_overlap_csv(p)


def test_missing_count_column(tmp_path: Path) -> None:
    p = write(tmp_path, "A,B,n\n1,0,5\n0,1,3\n1,1,4\n")
    with pytest.raises(InputError, match="no 'count' column"):
        read_overlap_csv(p)


def test_cli_bad_input_exit_1(tmp_path: Path) -> None:
    p = write(tmp_path, "A,B,count\n1,0,5\n0,1,x\n1,1,4\n")
    r = CliRunner().invoke(cli, ["estimate", str(p)])
    assert r.exit_code == 1
    assert "count" in r.output and "row 3" in r.output


# --- CLI and store ---------------------------------------------------------------------

CSV = "A,B,C,count\n1,0,0,320\n0,1,0,410\n0,0,1,280\n1,1,0,95\n1,0,1,60\n0,1,1,88\n1,1,1,21\n"


def test_cli_json_and_save(tmp_path: Path, db_url: str) -> None:
    p = write(tmp_path, CSV)
    runner = CliRunner()
    r = runner.invoke(cli, ["--db", db_url, "estimate", str(p), "--json", "--save", "test run"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    for key in ("method", "n_observed", "N", "ci95", "model", "n_missing"):
        assert key in out
    assert out["n_observed"] == 1274
    assert out["ci95"][0] < out["N"] < out["ci95"][1]
    assert out["N"] == pytest.approx(out["n_observed"] + out["n_missing"])
    r = runner.invoke(cli, ["--db", db_url, "estimate", str(p), "--method", "dga", "--json"])
    d = json.loads(r.output)
    assert {"quantiles", "rhat", "ess"} <= set(d)

    from civcas.store import Store
    from civcas.store.estimates import latest_estimate, save_estimate

    store = Store(db_url)
    latest = latest_estimate(store)
    assert latest is not None and latest["label"] == "test run"
    assert latest["N"] == pytest.approx(out["N"]) and latest["method"] == "loglinear"
    assert latest["ci95"] == pytest.approx(out["ci95"])
    new_id = save_estimate(store, d, "dga run")
    assert latest_estimate(store)["id"] == new_id  # type: ignore[index]
    store.dispose()


def test_latest_estimate_none(tmp_path: Path) -> None:
    from civcas.store import Store
    from civcas.store.estimates import latest_estimate

    assert latest_estimate(Store(str(tmp_path / "e.db"))) is None


def test_from_db_without_linked_records(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "x.db"), "estimate", "--from-db", "--lists", "A,B,C"]
    )
    assert r.exit_code == 1
    assert "civcas link --from-db" in r.output


def test_cli_plot(tmp_path: Path) -> None:
    p = write(tmp_path, CSV)
    png = tmp_path / "p.png"
    r = CliRunner().invoke(cli, ["estimate", str(p), "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_from_db_reads_linked_people(tmp_path: Path, db_url: str) -> None:
    """--from-db on person_record rows as the linkage task writes them (latest run only)."""
    linkage = pytest.importorskip("civcas.store.linkage")
    from datetime import date

    from civcas.store import Store

    store = Store(db_url)
    rng = np.random.default_rng(1)
    rows = []
    n = 0
    for person in range(900):
        gov = "Raqqa" if person % 3 else "Deir ez-Zor"
        for lst, p in (("A", 0.5), ("B", 0.4), ("C", 0.45)):
            if rng.random() < p:
                n += 1
                rows.append(
                    dict(
                        run_id=2,
                        person_id=f"p{person}",
                        record_id=f"{lst}{person}",
                        list=lst,
                        unique_id=f"{lst}-{person}",
                        date_of_death=date(2017, 6 + person % 2, 1),
                        place=gov,
                    )
                )
    # an older linkage run that must be ignored
    rows.append(
        dict(
            run_id=1,
            person_id="old",
            record_id="x",
            list="A",
            unique_id="x",
            date_of_death=None,
            place=None,
        )
    )
    with store.begin() as conn:
        conn.execute(linkage.person_record.delete())
        conn.execute(linkage.person_record.insert(), rows)
    seen = len({r["person_id"] for r in rows if r["run_id"] == 2})
    runner = CliRunner()
    r = runner.invoke(
        cli,
        [
            "--db",
            db_url,
            "estimate",
            "--from-db",
            "--lists",
            "A,B,C",
            "--json",
            "--model",
            "A + B + C",
        ],
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["n_observed"] == seen
    assert out["ci95"][0] < 900 < out["ci95"][1]
    r = runner.invoke(
        cli,
        [
            "--db",
            db_url,
            "estimate",
            "--from-db",
            "--lists",
            "A,B,C",
            "--stratify",
            "governorate",
            "--method",
            "dga",
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    strata = {s["stratum"] for s in json.loads(r.output)["strata"]}
    assert strata == {"Raqqa", "Deir ez-Zor"}
    store.dispose()
