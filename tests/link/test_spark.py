"""The Spark backend (local mode) scores with the same settings and model as DuckDB.

Small on purpose (Spark start-up dominates); the 100k comparison is in the benchmark.
The model is trained once with DuckDB and reused, so both engines score the same model.
"""

from __future__ import annotations

import shutil

import pytest

from civcas.link.evaluate import evaluate
from civcas.link.pipeline import link_records


@pytest.mark.slow
def test_spark_gives_the_same_clusters_as_duckdb(make_sim):
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (Spark needs it)")
    pytest.importorskip("pyspark")
    df = make_sim(250, seed=21)
    duck = link_records(df, engine="duckdb")
    spark = link_records(df, engine="spark", model=duck.model)
    agreement = evaluate(spark.records["person_id"], duck.records["person_id"])
    assert agreement.pairwise_f1 >= 0.995, agreement
