"""The commands end to end: simulate-lists -> link -> link-eval -> link-review; Spark small."""

from __future__ import annotations

import json

import pandas as pd
from click.testing import CliRunner

from civcas.cli.main import cli


def test_simulate_link_eval_review(tmp_path):
    run = CliRunner()
    db = str(tmp_path / "c.db")
    res = run.invoke(
        cli, ["simulate-lists", "--people", "800", "--seed", "5", "-o", str(tmp_path / "sim")]
    )
    assert res.exit_code == 0, res.output
    files = sorted(str(p) for p in (tmp_path / "sim").glob("*.csv"))
    assert len(files) == 4
    out = tmp_path / "out.csv"
    res = run.invoke(cli, ["--db", db, "link", *files, "-o", str(out), "--json"])
    assert res.exit_code == 0, res.output
    linked = pd.read_csv(out, dtype=str, keep_default_na=False)
    originals = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])
    assert len(linked) == len(originals)
    assert {"person_id", "match_probability", "true_id"} <= set(linked.columns)
    assert (tmp_path / "out.csv.model.json").exists()
    model = json.loads((tmp_path / "out.csv.model.json").read_text())
    assert model["link_type"] == "dedupe_only" and model["comparisons"]
    res = run.invoke(cli, ["link-eval", str(out), "--truth", "true_id", "--json"])
    assert res.exit_code == 0, res.output
    scores = json.loads(res.output)
    assert scores["pairwise_f1"] > 0.85  # small lists; accuracy is measured in test_accuracy
    res = run.invoke(cli, ["--db", db, "link-review", "list", "--json"])
    assert res.exit_code == 0, res.output
    queue = json.loads(res.output)
    if queue:
        a, b = queue[0]["uid_a"], queue[0]["uid_b"]
        res = run.invoke(cli, ["--db", db, "link-review", "reject", a, b, "--reviewer", "t"])
        assert res.exit_code == 0, res.output
        res = run.invoke(cli, ["--db", db, "link-review", "list", "--json"])
        assert all((q["uid_a"], q["uid_b"]) != (a, b) for q in json.loads(res.output))
    # a saved model is reused without training
    out2 = tmp_path / "out2.csv"
    res = run.invoke(
        cli,
        [
            "--db",
            db,
            "link",
            *files,
            "-o",
            str(out2),
            "--model",
            str(tmp_path / "out.csv.model.json"),
        ],
    )
    assert res.exit_code == 0, res.output


def test_link_eval_missing_truth_column(tmp_path):
    p = tmp_path / "o.csv"
    p.write_text("record_id,person_id\n1,a\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["link-eval", str(p), "--truth", "true_id"])
    assert res.exit_code == 1 and "o.csv" in res.output and "true_id" in res.output
