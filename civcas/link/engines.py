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
    """Spark local mode (2 cores) by default; ``CIVCAS_SPARK_MASTER`` (e.g. ``yarn``,
    ``spark://host:7077``) for a cluster, whose memory and partitions then come from
    spark-submit or spark-defaults.conf (docs/link.md, "Scaling out: Spark").

    The Python workers run civcas's feature functions (spark_pipeline.py): in local
    mode they are this interpreter, so that civcas imports there as here; on a cluster
    civcas must be installed on the executors (``PYSPARK_PYTHON``)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingExtraError("pyspark", "spark") from None
    import os
    import sys

    from splink.backends.spark import similarity_jar_location

    master = os.environ.get("CIVCAS_SPARK_MASTER")
    builder = (
        SparkSession.builder.appName("civcas-link")
        .config("spark.ui.enabled", "false")
        # batches of records for the feature functions: each batch normalises its
        # distinct names once, so bigger batches repeat less work
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "50000")
        .config("spark.jars", similarity_jar_location())
    )
    if master:
        return builder.master(master).getOrCreate()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        builder.master("local[2]")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .getOrCreate()
    )


def _spark_api(lineage: str = "persist") -> Any:
    """Splink's SparkAPI; checkpoints (spark_pipeline.py cuts its plans with them) in
    ``CIVCAS_SPARK_CHECKPOINTS`` (a cluster: a path on HDFS or S3 every executor sees).
    ``lineage``: how Splink cuts the plans of its intermediate tables (``checkpoint``:
    written out, so that a table Splink drops is not recomputed by a later one)."""
    import os

    spark = spark_session()
    where = os.environ.get("CIVCAS_SPARK_CHECKPOINTS", "/tmp/civcas-spark-checkpoints")
    spark.sparkContext.setCheckpointDir(where)
    from splink import SparkAPI

    return SparkAPI(spark_session=spark, break_lineage_method=lineage)


def to_pandas(sdf: Any) -> Any:
    return sdf.as_pandas_dataframe()
