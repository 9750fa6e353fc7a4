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
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingExtraError("pyspark", "spark") from None
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master("local[2]")
        .appName("civcas-link")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
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
