"""The Spark path (`civcas link --engine spark`, spark_pipeline.py): clusters that agree
with the DuckDB path, and records that never come back to the driver.

One Spark run on a small simulated list (Spark start-up and Splink's many small jobs
dominate: about two minutes), shared by the tests, with every collect watched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.link.evaluate import evaluate
from civcas.link.run import evaluate_file, link_files

SAMPLE = 40  # the label sample, made small so that a collect of every record shows


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from civcas.link.simulate import simulate_lists, write_lists

    return write_lists(simulate_lists(400, seed=21), tmp_path_factory.mktemp("sim"))


@pytest.fixture(scope="module")
def spark_run(lists: list[Path], tmp_path_factory: pytest.TempPathFactory):
    """The Spark path on the lists, with DataFrame.collect / toPandas / toLocalIterator
    wrapped to record every result of more than SAMPLE rows (the records are
    ~650: the label sample is the largest thing allowed back)."""
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (Spark needs it)")
    pytest.importorskip("pyspark")
    from pyspark.sql.classic.dataframe import DataFrame

    from civcas.link import spark_pipeline

    seen: list[tuple[str, int]] = []
    originals = {name: getattr(DataFrame, name) for name in ("collect", "toPandas")}

    def watch(name: str):  # type: ignore[no-untyped-def]
        def wrapped(self, *a, **k):  # type: ignore[no-untyped-def]
            got = originals[name](self, *a, **k)
            seen.append((name, len(got)))
            return got

        return wrapped

    def refuse(self, *a, **k):  # type: ignore[no-untyped-def]
        seen.append(("toLocalIterator", 10**9))
        raise AssertionError("the Spark path streamed records to the driver")

    mp = pytest.MonkeyPatch()
    mp.setattr(spark_pipeline, "LABEL_SAMPLE", SAMPLE)
    for name in originals:
        mp.setattr(DataFrame, name, watch(name))
    mp.setattr(DataFrame, "toLocalIterator", refuse)
    out = tmp_path_factory.mktemp("spark") / "linked.csv"
    try:
        result = link_files(lists, out, None, engine="spark")
    finally:
        mp.undo()
    return result, out, seen


@pytest.mark.slow
def test_spark_path_agrees_with_duckdb(lists, spark_run, tmp_path):
    result, out, _ = spark_run
    duck_out = tmp_path / "duck.csv"
    duck = link_files(lists, duck_out, None, engine="duckdb")
    spark = pd.read_csv(out, dtype=str, keep_default_na=False)
    originals = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in lists])
    assert len(spark) == len(originals) == result.records == len(duck.records)
    assert list(spark.columns) == [*originals.columns, "person_id", "match_probability"]
    both = pd.read_csv(duck_out, dtype=str).merge(spark, on=["list", "record_id"])
    assert len(both) == len(spark)
    agree = evaluate(both["person_id_y"], both["person_id_x"])
    # The two paths share features, model and training; the Spark path leaves out the
    # family model (household.rescore) and checks conflicts per pair, not per cluster.
    # On lists of this size that changed about one linked pair in twenty (pairwise
    # agreement 0.95 on seed 21, 300 people); a wrong feature column or untrained m
    # probabilities move far more than one in ten.
    assert agree.pairwise_f1 >= 0.9, agree
    truth_spark = evaluate_file(out, "true_id")
    truth_duck = evaluate_file(duck_out, "true_id")
    assert truth_spark.pairwise_f1 >= truth_duck.pairwise_f1 - 0.03, (truth_spark, truth_duck)
    assert Path(str(out) + ".model.json").exists()
    assert Path(str(out) + ".review.csv").exists()


@pytest.mark.slow
def test_spark_path_does_not_collect_the_records(spark_run):
    result, _, seen = spark_run
    assert seen, "the watch saw no collect at all: it is not watching"
    # the label sample came back, and it is the largest thing that did
    assert any(name == "toPandas" and 0 < rows <= SAMPLE for name, rows in seen), seen
    big = [(name, rows) for name, rows in seen if rows > SAMPLE]
    assert not big, f"{result.records} records; collected to the driver: {big}"


def test_spark_refuses_what_it_cannot_do(tmp_path):
    """Refused before Spark starts, with the engine to use, and no traceback."""
    f = tmp_path / "a.csv"
    f.write_text("record_id,name\n1,Ali\n2,Omar\n", encoding="utf-8")
    db = str(tmp_path / "c.db")
    run = CliRunner()
    for args in (["link", "--engine", "spark", "--from-db"],
                 ["link", "--engine", "spark", str(f), "-o", str(tmp_path / "o.csv"),
                  "--for-estimation"]):  # fmt: skip
        res = run.invoke(cli, ["--db", db, *args])
        assert res.exit_code != 0
        assert "--engine duckdb" in res.output, res.output
        assert "Traceback" not in res.output
