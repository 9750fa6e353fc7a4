"""`civcas link --engine spark`: the records stay in Spark from the CSVs to the people.

The DuckDB path (pipeline.link_records) reads the lists into pandas on one machine; that
is fine to a few million records. This path is for more: Spark reads each list, civcas's
own feature functions (records.features, the name normaliser, the placeholder rules)
run on the executors through ``mapInPandas``, name-key counts are a Spark ``groupBy``,
Splink's SparkAPI trains (pipeline._train, _joint_u: the same training) and scores,
Splink clusters in Spark (connected components), and Spark writes the output. What
reaches the driver is bounded, whatever the number of records: aggregates (counts,
the per-list and per-column summaries that choose the rules), the values the reader
changed (distinct ages, dates, sexes it parsed or blanked), and a sample of at most
``LABEL_SAMPLE`` records for the pseudo-labelled m probabilities (training.patch_name_m
samples that many on the DuckDB path too).

What the DuckDB path does that this one does not (docs/link.md, "Scaling out: Spark"):

- the family model (household.rescore) is not applied: pairs keep Splink's probability;
- conflicts (two sexes, ages or dates too far apart, two identity numbers) are applied
  to each pair, not to a whole cluster: a chain of links that joins two conflicting
  records through a third is not cut (cluster.py does cut it);
- reviewed decisions, draws for estimation and ``--from-db`` are refused (use duckdb);
  the run is not saved in the record: the review queue is written next to the output.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.errors import ConfigError, InputError, RowProblem
from .clean import parse_date
from .model import ModelSpec, civcas_settings, dateless_blocking
from .pipeline import CHAIN_SHARE, SPLINK_COLUMNS, _joint_u, _train, model_for_dialect
from .records import COLUMNS, OPTIONAL, _age_cell, _none_str, _sex_cell, by_value, features
from .thresholds import Thresholds

# at most this many records reach the driver, for the pseudo-labelled m probabilities
# (training.patch_name_m samples 300,000 of a bigger frame on the DuckDB path too)
LABEL_SAMPLE = 300_000
_PARTS = ("given", "father", "grandfather", "family")
_NUMERIC = {"age", "dod", "dod_wa", "dod_wb", "given_n", "father_n", "grandfather_n"}
# csvsafe's rules as Java regular expressions: a cell that could be a formula, one
# civcas escaped (an apostrophe more), a plain decimal number
_TRIGGER = r"^'*[=+\-@\t\r]"
_ESCAPED = r"^'+[=+\-@\t\r]"
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_C = "c__"  # prefix of the civcas columns beside a file's own columns


@dataclass
class SparkLinkResult:
    """What a Spark run reports: counts, not frames (the records are in ``out``)."""

    records: int
    people: int
    review_pairs: int
    pairs_scored: int
    model: dict[str, Any]
    thresholds: Thresholds
    out: str
    cleaning: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _log(step: str) -> None:
    """Progress with the time since the run started (logger civcas.link.spark_pipeline)."""
    import logging
    import time

    global _T0
    now = time.monotonic()
    if step == "start":
        _T0 = now
    logging.getLogger(__name__).info("%s: %.1f s", step, now - _T0)


_T0 = 0.0


def _spark_ok(paths: Sequence[str | Path]) -> None:
    for p in paths:
        if not Path(p).is_file():
            raise InputError("no such file", str(p))


def _read_one(
    spark: Any, path: Path, k: int, mapping: dict[str, str], extras: Sequence[str] = ()
) -> Any:
    """One CSV: its own columns (as read, formula escapes undone), the civcas columns
    (prefixed ``c__``, strings, "" for empty), the file's index and each row's number
    in the file (the header is row 1), all computed in Spark."""
    from pyspark.sql import functions as F

    raw = (
        spark.read.option("header", True)
        .option("encoding", "UTF-8")
        .option("escape", '"')
        .option("mode", "PERMISSIVE")
        .csv(str(path))
    )
    raw = raw.toDF(*[c.lstrip("\ufeff") for c in raw.columns])
    own = list(raw.columns)
    raw = raw.select(
        *[
            F.when(F.col(f"`{c}`").rlike(_ESCAPED), F.expr(f"substring(`{c}`, 2)"))
            .otherwise(F.col(f"`{c}`"))
            .alias(c)
            for c in own
        ]
    )
    back = {v: k for k, v in mapping.items()}
    renamed = {back.get(c, c): c for c in own}  # civcas name -> the file's column
    if not {"name", "name_ar", "given"} & set(renamed):
        raise InputError(f"no name column: need name or name_ar (found {own}); "
                         "rename them or pass --mapping", str(path))  # fmt: skip
    raw = _with_row_numbers(raw)
    cols = [*[F.col(f"`{c}`") for c in own], F.lit(k).alias("_file"), F.col("_row")]
    for c in COLUMNS + OPTIONAL:
        if c == "record_id" and c not in renamed:
            value = F.col("_row").cast("string")
        elif c == "list" and c not in renamed:
            value = F.lit(path.stem)
        elif c in renamed:
            value = F.coalesce(F.col(f"`{renamed[c]}`"), F.lit(""))
        else:
            value = F.lit("")
        cols.append(value.alias(_C + c))
    for c in extras:  # a spec's extra columns, by the file's name (as run.link_files)
        if c in own:
            cols.append(F.coalesce(F.col(f"`{c}`"), F.lit("")).alias(_C + c))
    return raw.select(*cols)


def _with_row_numbers(df: Any) -> Any:
    """``_row``: the line of each record in its file (2 = the first after the header),
    from each partition's size (a small collect: one row per partition), not from an
    ordering of the whole file on one executor."""
    from pyspark.sql import functions as F

    df = df.withColumn("_mid", F.monotonically_increasing_id())
    df = df.withColumn("_pid", F.shiftright("_mid", 33)).withColumn(
        "_local", F.col("_mid") - F.shiftleft(F.col("_pid"), 33)
    )
    sizes = sorted((int(r["_pid"]), int(r["count"])) for r in df.groupBy("_pid").count().collect())
    start, offset = 2, F.lit(0).cast("long")
    expr = None
    for pid, n in sizes:
        expr = (F.when(F.col("_pid") == pid, F.lit(start)) if expr is None
                else expr.when(F.col("_pid") == pid, F.lit(start)))  # fmt: skip
        start += n
    offset = expr.otherwise(F.lit(0)) if expr is not None else offset
    return df.withColumn("_row", (offset + F.col("_local")).cast("long")).drop(
        "_mid", "_pid", "_local"
    )


_CLEANERS: dict[str, Any] = {
    "age": (_age_cell, ("number", "empty")),
    "date_of_death": (
        lambda v: _none_str(parse_date(v)),
        ("date", "empty"),
    ),
    "sex": (_sex_cell, ("sex", "empty")),
}
_EXPECTED = {"age": "a number of years 0-130 (without --strict: parsed or blanked)",
             "date_of_death": "a date YYYY-MM-DD", "sex": "m/f, male/female, ذكر/أنثى"}  # fmt: skip


def _changed_values(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Executor side: of distinct (file, field, value) rows, those the reader changes."""
    for b in batches:
        keep = []
        for i, (fld, v) in enumerate(zip(b["field"], b["value"], strict=True)):
            fn, unchanged = _CLEANERS[fld]
            read_as, how = fn(v)
            if how not in unchanged:
                keep.append((i, read_as, how))
        out = b.iloc[[i for i, _, _ in keep]].copy()
        out["read_as"] = [r for _, r, _ in keep]
        out["how"] = [h for _, _, h in keep]
        if len(out):  # an empty frame fails Arrow's conversion (pyspark 4.3)
            yield out


def _cleaning(base: Any, paths: Sequence[Path], *, strict: bool) -> list[dict[str, Any]]:
    """What the reader parsed or blanked, by value (records._clean_fields): computed on
    the distinct values, in Spark; only the changed ones reach the driver."""
    from pyspark.sql import functions as F

    parts = [
        base.groupBy("_file", F.col(_C + c).alias("value"))
        .agg(F.count(F.lit(1)).alias("rows"), F.min("_row").alias("first_row"))
        .withColumn("field", F.lit(c))
        for c in _CLEANERS
    ]
    distinct = parts[0].unionByName(parts[1]).unionByName(parts[2])
    schema = ("_file int, value string, rows long, first_row long, field string, "
              "read_as string, how string")  # fmt: skip
    got = distinct.mapInPandas(_changed_values, schema).limit(10_000).collect()
    report = [{"file": str(paths[r["_file"]]), "field": r["field"], "value": r["value"],
               "read_as": r["read_as"], "how": r["how"], "rows": int(r["rows"]),
               "first_row": int(r["first_row"])} for r in got]  # fmt: skip
    if strict and report:
        problems = [RowProblem(int(str(r["first_row"])), str(r["field"]), r["value"],
                               _EXPECTED[str(r["field"])]) for r in report]  # fmt: skip
        raise InputError(f"{sum(int(str(r['rows'])) for r in report)} bad rows (first row of "
                         "each distinct value shown)", ", ".join(map(str, paths)),
                         sorted(problems, key=lambda p: p.row))  # fmt: skip
    return report


def _check_ids(base: Any, paths: Sequence[Path]) -> None:
    """records.read_list's refusals: duplicate or empty record ids within a file, the
    same list and record id in two files; at most 50 examples reach the driver."""
    from pyspark.sql import functions as F

    rid = F.col(_C + "record_id")
    dup = (base.groupBy("_file", rid.alias("v")).agg(F.count(F.lit(1)).alias("n"),
                                                     F.min("_row").alias("row"))
           .where("n > 1").limit(50).collect())  # fmt: skip
    empty = base.where(F.trim(rid) == "").select("_file", "_row").limit(50).collect()
    problems = {}
    for r in dup:
        problems.setdefault(r["_file"], []).append(RowProblem(int(r["row"]), "record_id",
                                                             r["v"], "a unique id"))  # fmt: skip
    for r in empty:
        problems.setdefault(r["_file"], []).append(
            RowProblem(int(r["_row"]), "record_id", "", "a non-empty id")
        )
    for k, probs in problems.items():
        raise InputError(f"{len(probs)}+ bad rows (first 50 shown)" if len(probs) >= 50
                         else f"{len(probs)} bad rows", str(paths[k]),
                         sorted(probs, key=lambda p: p.row))  # fmt: skip
    uid = F.concat(F.col(_C + "list"), F.lit(":"), rid)
    twice = (base.groupBy(uid.alias("u")).agg(F.countDistinct("_file").alias("f"))
             .where("f > 1").limit(20).collect())  # fmt: skip
    if twice:
        raise InputError(f"the same list and record_id appear in two files: "
                         f"{sorted(r['u'] for r in twice)}", ", ".join(map(str, paths)))  # fmt: skip


def _feature_schema(extras: Sequence[str]) -> str:
    cols = ["unique_id", "list", *(f"{p}{x}" for p in _PARTS for x in ("_sp", "")),
            "sex", "age", "dod", "place", "incident", "id_number",
            "given_f", "father_f", "grandfather_f", *extras]  # fmt: skip
    return ", ".join(f"`{c}` {'double' if c in _NUMERIC else 'string'}" for c in cols)


def _feature_batches(split_any: dict[str, bool], extras: Sequence[str]) -> Any:
    """The executor-side function of mapInPandas: records.features on each batch, after
    the reader's cleaning (records._clean_fields' rules), with the dental fold of each
    name key (normalise.fold_dentals)."""

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from .normalise import fold_dentals

        for b in batches:
            df = b.rename(columns=lambda c: c[len(_C) :] if c.startswith(_C) else c)
            for col, (fn, _) in _CLEANERS.items():
                df[col] = by_value(df[col], lambda s, fn=fn: s.map(lambda v: fn(v)[0]))
            f = features(df)
            for part in _PARTS:
                # records.features takes a split name when any record of the frame has
                # one: the whole data's answer, not this batch's
                if split_any.get(part) and not (df[part] != "").any():
                    f[part] = None
                    f[f"{part}_sp"] = None
            for part in ("given", "father", "grandfather"):
                keys = f[part].dropna().unique()
                f[f"{part}_f"] = f[part].map(dict(zip(keys, map(fold_dentals, keys), strict=True)))
            for c in extras:
                f[c] = df[c].replace("", None).to_numpy()
            cols = _feature_schema(extras).split(", ")
            names = [c.split("`")[1] for c in cols]
            out = f[names].astype(object)
            for c in names:
                if c in _NUMERIC:
                    out[c] = f[c].astype(float)
            if len(out):  # an empty frame fails Arrow's conversion (pyspark 4.3)
                yield out.where(out.notna(), None)

    return run


def spark_features(base: Any, extras: Sequence[str] = ()) -> Any:
    """The columns the civcas model reads (pipeline.SPLINK_COLUMNS and the extras), in
    Spark: records.features on the executors, date windows and name-key counts
    (pipeline._with_windows, _with_name_stats) as Spark expressions and a groupBy."""
    from pyspark.sql import functions as F

    from .model import WINDOW

    split_any = {p: bool(base.where(F.col(_C + p) != "").limit(1).count()) for p in _PARTS}
    civ = base.select(*[c for c in base.columns if c.startswith(_C)])
    feats = civ.mapInPandas(_feature_batches(split_any, extras), _feature_schema(extras))
    feats = feats.withColumn("dod_wa", F.floor(F.col("dod") / WINDOW).cast("double"))
    feats = feats.withColumn(
        "dod_wb", F.floor((F.col("dod") + WINDOW // 2) / WINDOW).cast("double")
    )
    keys = None
    for p in _PARTS:
        one = feats.select(F.col(p).alias("k")).where(F.col("k").isNotNull())
        keys = one if keys is None else keys.unionAll(one)
    assert keys is not None
    counts = keys.groupBy("k").agg(F.count(F.lit(1)).cast("double").alias("n"))
    for p in ("given", "father", "grandfather"):
        c = counts.withColumnRenamed("k", p).withColumnRenamed("n", f"{p}_n")
        feats = feats.join(c, on=p, how="left")
    return feats


def _spark_settings(spec: ModelSpec) -> Any:
    """model.civcas_settings with its blocking rules written as SQL strings (DuckDB's
    dialect: double quotes name columns) marked as DuckDB's, for Splink to translate:
    in Spark's dialect "given" is a string, and the rule compared two constants."""
    from splink.blocking_rule_library import CustomRule

    settings = civcas_settings(spec)
    settings.blocking_rules_to_generate_predictions = [
        CustomRule(r, sql_dialect="duckdb") if isinstance(r, str) else r
        for r in settings.blocking_rules_to_generate_predictions
    ]
    return settings


def _summary(frame: Any) -> dict[str, Any]:
    """One aggregate row: records, non-empty values per column, lists without dates."""
    from pyspark.sql import functions as F

    row = frame.agg(
        F.count(F.lit(1)).alias("n"), *[F.count(F.col(f"`{c}`")).alias(c) for c in frame.columns]
    ).collect()[0]
    lists = frame.groupBy("list").agg(F.count("dod").alias("d")).where("d = 0").limit(1).count()
    return {"n": int(row["n"]), "present": {c: int(row[c]) for c in frame.columns},
            "dateless_list": bool(lists)}  # fmt: skip


def _label_sample(frame: Any, n: int) -> pd.DataFrame:
    """At most LABEL_SAMPLE records, for training.patch_name_m (which samples as many)."""
    from .training import _LABEL_COLUMNS

    cols = [c for c in frame.columns if c in _LABEL_COLUMNS]
    part = frame.select(*cols)
    if n > LABEL_SAMPLE:
        part = part.sample(fraction=min(1.0, 1.2 * LABEL_SAMPLE / n), seed=1)
    pdf = part.limit(LABEL_SAMPLE).toPandas()
    for c in ("age", "dod", "given_n", "father_n", "grandfather_n"):
        if c in pdf:
            pdf[c] = pdf[c].astype(float)
    return pdf


def _pair_rules(
    pairs: Any, feats: Any, th: Thresholds, chains: bool, ids: bool, identifying: Sequence[str] = ()
) -> Any:
    """Columns ``same_list_other_family`` and ``conflict`` on each scored pair, in Spark
    SQL: pipeline.same_list_other_family's rule, and cluster.Conflicts' facts applied to
    the two records of the pair (not to the cluster they would join)."""
    from pyspark.sql import functions as F

    side = feats.select("unique_id", "family", "given", "given_sp", "father", "grandfather",
                        "sex", "age", "dod", "id_number", *identifying)  # fmt: skip
    p = pairs.alias("p")
    p = p.join(side.alias("l"), F.col("p.unique_id_l") == F.col("l.unique_id"), "left")
    p = p.join(side.alias("r"), F.col("p.unique_id_r") == F.col("r.unique_id"), "left")
    other = F.lit(False)
    if chains:

        def differ(part: str) -> Any:
            left, right = F.col(f"l.{part}"), F.col(f"r.{part}")
            return left.isNotNull() & right.isNotNull() & (left != right)

        def no(cond: Any) -> Any:
            return ~F.coalesce(cond, F.lit(False))

        def prefixed(a: Any, b: Any) -> Any:  # model.prefixed: Abd / Abu + the other
            return ((a == F.concat(F.lit("abd"), b)) | (a == F.concat(F.lit("ab"), b))) & (
                F.length(b) >= 2
            )

        fl, fr = F.col("l.family"), F.col("r.family")
        fam_diff = (differ("family") & (F.expr("damerau_levenshtein(l.family, r.family)") > 1)
                    & no(prefixed(fl, fr)) & no(prefixed(fr, fl)))  # fmt: skip
        giv_diff = differ("given")
        sl, sr = F.col("l.given_sp"), F.col("r.given_sp")
        spelt = F.coalesce(sl.startswith("ar:") & sr.startswith("ar:") & (sl != sr), F.lit(False))
        shifted = F.coalesce(F.col("l.father") == F.col("r.grandfather"), F.lit(False)) | (
            F.coalesce(F.col("l.grandfather") == F.col("r.father"), F.lit(False))
        )
        fa_diff = (differ("father") & (F.expr("damerau_levenshtein(l.father, r.father)") > 1)
                   & ~shifted)  # fmt: skip
        # pipeline.same_list_other_family's rules, the same in SQL
        other = (F.col("p.list_l") == F.col("p.list_r")) & (fam_diff | giv_diff | spelt | fa_diff)
    top = F.greatest(F.col("l.age"), F.col("r.age"))
    allowed = F.least(F.lit(th.age_base) + F.lit(th.age_slope) * F.abs(top), F.lit(th.max_age_gap))
    conflict = (
        (F.col("l.sex").isNotNull() & F.col("r.sex").isNotNull()
         & (F.col("l.sex") != F.col("r.sex")))
        | (F.abs(F.col("l.age") - F.col("r.age")) > allowed)
        | (F.abs(F.col("l.dod") - F.col("r.dod")) > F.lit(th.max_days))
    )  # fmt: skip
    if ids:
        conflict = conflict | (
            F.col("l.id_number").isNotNull() & F.col("r.id_number").isNotNull()
            & (F.col("l.id_number") != F.col("r.id_number"))
        )  # fmt: skip

    # pipeline._nameless_pairs: a record without any name key is not linked by the model
    # alone, unless the two share an identity number or a value of a spec's extra column
    def nameless(side: str) -> Any:
        return (F.col(f"{side}.given").isNull() & F.col(f"{side}.father").isNull()
                & F.col(f"{side}.grandfather").isNull() & F.col(f"{side}.family").isNull())  # fmt: skip

    shared = F.lit(False)
    for c in ("id_number", *identifying):
        shared = shared | F.coalesce(F.col(f"l.{c}") == F.col(f"r.{c}"), F.lit(False))
    conflict = conflict | ((nameless("l") | nameless("r")) & ~shared)
    return p.select(
        "p.unique_id_l", "p.unique_id_r", "p.match_probability",
        F.coalesce(other, F.lit(False)).alias("other_family"),
        F.coalesce(conflict, F.lit(False)).alias("conflict"),
    )  # fmt: skip


def _write(df: Any, out: str, order: Sequence[str] = ()) -> None:
    """A CSV file at ``out`` (one task writes it, sorted by ``order``), or a directory
    of part files when ``out`` ends in / or .parquet (for a cluster's storage)."""
    if out.endswith(".parquet"):
        df.write.mode("overwrite").parquet(out)
        return
    opts = {"header": True, "escape": '"', "emptyValue": "", "encoding": "UTF-8"}
    if out.endswith("/"):
        df.write.mode("overwrite").options(**opts).csv(out)
        return
    tmp = tempfile.mkdtemp(prefix="civcas-spark-out-", dir=str(Path(out).resolve().parent))
    try:
        one = df.repartition(1)
        if order:
            one = one.sortWithinPartitions(*order)
        one.drop("_file", "_row").write.mode("overwrite").options(**opts).csv(tmp + "/csv")
        part = next(Path(tmp, "csv").glob("part-*"))
        shutil.move(str(part), out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _side_path(out: str, what: str) -> str:
    """OUT.review.csv beside a CSV file; OUT.review/ or OUT.review.parquet otherwise."""
    if out.endswith("/"):
        return out.rstrip("/") + f".{what}/"
    if out.endswith(".parquet"):
        return out[: -len(".parquet")] + f".{what}.parquet"
    return out + f".{what}.csv"


def _formula_safe(df: Any, columns: Sequence[str]) -> Any:
    """csvsafe.safe_frame in Spark: a column's text cells escaped when one of them could
    be a formula and the column is not all plain numbers (one aggregate decides)."""
    from pyspark.sql import functions as F

    if not columns:
        return df
    aggs = []
    for i, c in enumerate(columns):
        col = F.col(f"`{c}`")
        aggs.append(F.max(col.rlike(_TRIGGER).cast("int")).alias(f"t{i}"))
        aggs.append(F.max(((col != "") & ~col.rlike(_NUMBER)).cast("int")).alias(f"x{i}"))
    row = df.agg(*aggs).collect()[0]
    for i, c in enumerate(columns):
        if row[f"t{i}"] and row[f"x{i}"]:
            col = F.col(f"`{c}`")
            df = df.withColumn(c, F.when(col.rlike(_TRIGGER), F.concat(F.lit("'"), col))
                               .otherwise(col))  # fmt: skip
    return df


def link_files_spark(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    thresholds: Thresholds | None = None,
    mapping: dict[str, str] | None = None,
    model: str | Path | dict[str, Any] | None = None,
    spec: ModelSpec | None = None,
    extra_columns: Sequence[str] = (),
    strict: bool = False,
    api: Any = None,
) -> SparkLinkResult:
    """Read CSV lists with Spark, link them, and write OUT (every input column +
    person_id, match_probability), OUT.model.json and OUT.review.csv (the uncertain
    pairs), all from Spark (see the module doc for what differs from the DuckDB path)."""
    import logging

    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from splink import Linker, block_on

    from .engines import _spark_api
    from .training import patch_name_m

    _log("start")
    thresholds = thresholds or Thresholds()
    if thresholds.draws:
        raise ConfigError("draws for estimation (--for-estimation) need the whole set of pairs "
                          "on one machine: use --engine duckdb")  # fmt: skip
    paths = [Path(p) for p in paths]
    _spark_ok(paths)
    out = str(out)
    # checkpointed, not persisted: Splink drops the connected-components tables once
    # the clusters are made, and with persist the clusters (still lazy) recomputed
    # every iteration of them when written (200k records: hundreds of stages)
    api = api or _spark_api("checkpoint")
    spark = api.spark
    mapping = mapping or {}
    bases = [_read_one(spark, p, k, mapping, extra_columns) for k, p in enumerate(paths)]
    base = bases[0]
    for b in bases[1:]:
        base = base.unionByName(b, allowMissingColumns=True)
    # checkpoints cut the plan: Splink's SQL names its input many times over, and
    # with the reading, cleaning and features inlined in each the analyser ran for
    # minutes on 500 records
    base = base.checkpoint(eager=True)
    _log("read")
    missing = [c for c in extra_columns
               if any(_C + c not in b.columns for b in bases)]  # fmt: skip
    if missing:
        raise ConfigError(f"columns {missing} are not in every file")
    _check_ids(base, paths)
    cleaning = _cleaning(base, paths, strict=strict)
    base = base.withColumn("_uid", F.concat(F.col(_C + "list"), F.lit(":"),
                                            F.col(_C + "record_id")))  # fmt: skip

    spec = spec or ModelSpec()
    extras = [c for c in dict.fromkeys(spec.extra_exact + spec.extra_string) if c != "id_number"]
    feats = spark_features(base, extras).checkpoint(eager=True)
    _log("features")
    info = _summary(feats.drop("unique_id"))
    n, present_n = info["n"], info["present"]
    if info["dateless_list"]:
        spec = replace(spec, blocking=spec.blocking + dateless_blocking())
    ids = present_n.get("id_number", 0) > 0
    if ids and "id_number" not in spec.extra_exact:
        spec = replace(spec, extra_exact=[*spec.extra_exact, "id_number"],
                       blocking=[*spec.blocking, ["id_number"]])  # fmt: skip
    cols = SPLINK_COLUMNS + [
        c for c in spec.extra_exact + spec.extra_string if c not in SPLINK_COLUMNS
    ]
    frame = feats.select(*[c for c in dict.fromkeys(cols) if c in feats.columns])
    present = {c for c, k in present_n.items() if k > 0} | {"unique_id"}
    empty = {c for c in ("father", "grandfather", "sex", "age") if c not in present}
    if "family" not in present and "dod" not in present:
        empty.add("family_incident")
    spec.skip |= empty
    notes: list[str] = []
    chains = n > 0 and present_n.get("father", 0) / n >= CHAIN_SHARE
    blocks = [b for b in spec.training_blocks if set(b) <= present]
    if len(blocks) < len(spec.training_blocks):
        notes.append(f"training: blocks on empty columns left out: "
                     f"{[b for b in spec.training_blocks if not set(b) <= present]}")  # fmt: skip
    default_blocks = [b for b in (["given", "family"], ["given", "father", "sex"])
                      if set(b) <= present]  # fmt: skip
    deterministic = [r for r in spec.deterministic if set(r) <= present]
    if len(deterministic) < len(spec.deterministic):
        notes.append(f"prior: rules on empty columns left out: "
                     f"{[r for r in spec.deterministic if not set(r) <= present]}")  # fmt: skip

    sdf = api.register(frame, table_name="civcas_records")
    if model is not None:
        loaded = json.loads(Path(model).read_text()) if isinstance(model, str | Path) else model
        linker = Linker(sdf, model_for_dialect(loaded, "spark"), log_level=logging.ERROR)
    else:
        linker = Linker(sdf, _spark_settings(spec), log_level=logging.ERROR)
        _log("summary")
        _train(linker, [block_on(*c) for c in (blocks or default_blocks)],
               [block_on(*c) for c in deterministic], n, notes)  # fmt: skip
        saved = _joint_u(sdf, linker.misc.save_model_to_json())
        saved = patch_name_m(saved, _label_sample(frame, n), [], contradictions=chains)
        linker = Linker(sdf, saved, log_level=logging.ERROR)
        _log("trained")
    trained = linker.misc.save_model_to_json()
    pred = linker.inference.predict(threshold_match_probability=thresholds.predict)
    pairs = _pair_rules(pred.as_spark_dataframe(), feats, thresholds, chains, ids, extras)
    pairs = pairs.where(~F.col("other_family")).checkpoint(eager=True)
    _log("scored")
    kept = pairs.where(~F.col("conflict") & (F.col("match_probability") >= thresholds.match))
    kept_sdf = api.register(kept.select("unique_id_l", "unique_id_r", "match_probability"),
                            table_name="civcas_links")  # fmt: skip
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        kept_sdf, threshold_match_probability=thresholds.match
    ).as_spark_dataframe()
    _log("clustered")
    people = clustered.groupBy("cluster_id").agg(F.min("unique_id").alias("first"))
    people = people.select("cluster_id", F.concat(F.lit("P"), F.substring(F.sha1("first"), 1, 12))
                           .alias("person_id"))  # fmt: skip
    person = (
        clustered.select("unique_id", "cluster_id").join(people, "cluster_id").drop("cluster_id")
    )
    best = (kept.select(F.col("unique_id_l").alias("unique_id"), "match_probability")
            .unionAll(kept.select(F.col("unique_id_r").alias("unique_id"), "match_probability"))
            .groupBy("unique_id").agg(F.round(F.max("match_probability"), 6)
                                      .alias("match_probability")))  # fmt: skip
    own = [c for c in base.columns if not c.startswith(_C) and c not in ("_file", "_row", "_uid")]
    result = (base.select(*[F.col(f"`{c}`") for c in own], "_file", "_row", "_uid")
              .join(person.withColumnRenamed("unique_id", "_uid"), "_uid", "left")
              .join(best.withColumnRenamed("unique_id", "_uid"), "_uid", "left"))  # fmt: skip
    result = _formula_safe(result, own).select(*[F.col(f"`{c}`") for c in own], "person_id",
                                               "match_probability", "_file", "_row")  # fmt: skip
    result = result.persist(StorageLevel.MEMORY_AND_DISK)
    _write(result, out, ["_file", "_row"])
    counts = result.agg(F.count(F.lit(1)).alias("n"),
                        F.countDistinct("person_id").alias("p")).collect()[0]  # fmt: skip
    review = pairs.where(
        (F.col("match_probability") >= thresholds.review)
        & ((F.col("match_probability") < thresholds.match) | F.col("conflict"))
    ).select("unique_id_l", "unique_id_r", "match_probability")
    review = review.persist(StorageLevel.MEMORY_AND_DISK)
    _write(review, _side_path(out, "review"), ["match_probability"])
    n_review = review.count()
    n_pairs = pairs.count()
    Path(out.rstrip("/") + ".model.json").write_text(json.dumps(trained, indent=1))
    notes.append("spark: the family model (household.rescore) is not applied, conflicts are "
                 "checked per pair (not per cluster), the run is not saved in the record; "
                 f"the review queue is in {_side_path(out, 'review')}")  # fmt: skip
    for df in (result, review):
        df.unpersist()
    _log("written")
    return SparkLinkResult(
        records=int(counts["n"]), people=int(counts["p"]), review_pairs=n_review,
        pairs_scored=n_pairs, model=trained, thresholds=thresholds, out=out,
        cleaning=cleaning, notes=notes,
    )  # fmt: skip
