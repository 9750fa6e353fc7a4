"""Splink backends: DuckDB (default) and Spark local mode, both imported lazily."""

from __future__ import annotations

from typing import Any

from ..model.errors import ConfigError, MissingExtraError

ENGINES = ("duckdb", "spark")
DUCKDB_MEMORY = "1500MB"


def db_api(engine: str = "duckdb", *, threads: int | None = None) -> Any:
    if engine == "duckdb":
        try:
            import duckdb
            from splink import DuckDBAPI
        except ImportError:
            raise MissingExtraError("splink/duckdb", "link") from None
        con = duckdb.connect(":memory:")
        # a bounded buffer pool (DuckDB spills blocking joins to disk past it) and no
        # insertion order to keep: at 1M records the default let peak memory pass 4 GB
        con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
        con.execute("SET preserve_insertion_order = false")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        return DuckDBAPI(con)
    if engine == "spark":
        return _spark_api()
    raise ConfigError(f"unknown engine {engine!r}: use one of {ENGINES}")


def spark_session() -> Any:
    """Spark local mode (2 cores), or the session already running (a cluster's).

    The Python workers run civcas's feature functions (spark_pipeline.py): they are
    this interpreter, so that civcas and its dependencies import there as here."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingExtraError("pyspark", "spark") from None
    import os
    import sys

    from splink.backends.spark import similarity_jar_location

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master("local[2]")
        .appName("civcas-link")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        # batches of records for the feature functions: each batch normalises its
        # distinct names once, so bigger batches repeat less work
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "50000")
        .config("spark.jars", similarity_jar_location())
        .getOrCreate()
    )


def _spark_api() -> Any:
    spark = spark_session()
    spark.sparkContext.setCheckpointDir("/tmp/civcas-spark-checkpoints")
    from splink import SparkAPI

    return SparkAPI(spark_session=spark, break_lineage_method="persist")


def to_pandas(sdf: Any) -> Any:
    return sdf.as_pandas_dataframe()
