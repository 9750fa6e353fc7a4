"""What the CLI calls: link files or the victims in the record, with stored decisions."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..io.csvsafe import safe_frame  # formula-safe text cells
from ..store.engine import Store
from .evaluate import Scores, evaluate
from .model import ModelSpec
from .pipeline import LinkResult, link_records
from .records import COLUMNS, load_mapping, read_lists
from .spark_pipeline import SparkLinkResult
from .specfile import load_spec
from .thresholds import Thresholds

OUTPUT_EXTRA = ["person_id", "match_probability"]


def _with_draws(frame: pd.DataFrame, result: LinkResult) -> pd.DataFrame:
    if result.draws is None:
        return frame
    from ..estimate.tables import DRAW_PREFIX  # what civcas estimate --linked reads

    cols = {f"{DRAW_PREFIX}{k + 1}": row for k, row in enumerate(result.draws)}
    return pd.concat([frame, pd.DataFrame(cols, index=frame.index)], axis=1)


def link_and_store(
    df: pd.DataFrame,
    store: Store | None,
    *,
    engine: str = "duckdb",
    thresholds: Thresholds | None = None,
    model: str | Path | None = None,
    spec: ModelSpec | None = None,
) -> LinkResult:
    """Link with the stored decisions, then save people, review queue and model."""
    from ..store import linkage

    thresholds = thresholds or Thresholds()
    decisions = linkage.load_decisions(store) if store else []
    result = link_records(
        df, engine=engine, thresholds=thresholds, decisions=decisions, model=model, spec=spec
    )
    if store is not None:
        linkage.save_run(store, result.records, result.review, result.model, engine=engine,
                         threshold_match=result.thresholds.match,
                         threshold_review=result.thresholds.review)  # fmt: skip
    return result


def link_files(
    paths: Sequence[str | Path],
    out: str | Path,
    store: Store | None,
    *,
    engine: str = "duckdb",
    thresholds: Thresholds | None = None,
    mapping: str | Path | None = None,
    model: str | Path | None = None,
    strict: bool = False,
    spec: str | Path | None = None,
    unique: Sequence[str] = (),
) -> LinkResult | SparkLinkResult:
    """Read CSV lists, link them, write OUT (input columns + person_id, match_probability)
    and OUT's model next to it (``OUT.model.json``). Messy ages, dates and sexes are
    parsed or blanked (``result.cleaning`` says which, by value); ``strict``: refused.
    ``unique``: lists that name each person once (added to the spec's unique_lists).
    ``engine="spark"``: the records stay in Spark (:func:`link_files_spark`)."""
    import json

    if engine == "spark":
        return link_files_spark(paths, out, store, thresholds=thresholds, mapping=mapping,
                                model=model, strict=strict, spec=spec, unique=unique)  # fmt: skip

    frames: list[pd.DataFrame] = []  # every original column of every file, in input order
    spec_file = load_spec(spec) if spec else None
    columns = {**(spec_file.mapping if spec_file else {}), **load_mapping(mapping)}
    df = read_lists(paths, columns, originals=frames, strict=strict)
    model_spec = None
    if spec_file is not None:
        model_spec = spec_file.spec
        if thresholds is None and spec_file.threshold is not None:
            thresholds = Thresholds(match=spec_file.threshold)
        missing = [c for c in spec_file.extra_columns if not all(c in f.columns for f in frames)]
        if missing:
            from ..model.errors import ConfigError

            raise ConfigError(f"{spec}: columns {missing} are not in every file")
        every = pd.concat(frames, ignore_index=True)
        for c in spec_file.extra_columns:
            df[c] = every[c].fillna("").astype(str).to_numpy()
    if unique:
        model_spec = model_spec or ModelSpec()
        model_spec.unique_lists = sorted({*model_spec.unique_lists, *unique})
    result = link_and_store(df, store, engine=engine, thresholds=thresholds, model=model,
                            spec=model_spec)  # fmt: skip
    result.cleaning = list(df.attrs.get("cleaning", []))
    original = pd.concat(frames, ignore_index=True)
    for col in OUTPUT_EXTRA:
        original[col] = result.records[col].to_numpy()
    safe_frame(_with_draws(original, result)).to_csv(out, index=False)
    Path(str(out) + ".model.json").write_text(json.dumps(result.model, indent=1))
    return result


def link_files_spark(
    paths: Sequence[str | Path],
    out: str | Path,
    store: Store | None,
    *,
    thresholds: Thresholds | None = None,
    mapping: str | Path | None = None,
    model: str | Path | None = None,
    strict: bool = False,
    spec: str | Path | None = None,
    unique: Sequence[str] = (),
) -> SparkLinkResult:
    """link_files with Spark from reading to writing (spark_pipeline.py). Reviewed
    decisions in the record and draws for estimation need every pair on one machine:
    refused, with what to use instead; the run is not saved in the record."""
    from ..model.errors import ConfigError
    from .spark_pipeline import link_files_spark as run_spark

    if thresholds is not None and thresholds.draws:
        raise ConfigError("--for-estimation (linkage draws) is not available with "
                          "--engine spark: use --engine duckdb")  # fmt: skip
    if store is not None:
        from ..store import linkage

        try:
            decided = len(linkage.load_decisions(store))
        except Exception:  # no database, or one without the linkage tables: none
            decided = 0
        if decided:
            raise ConfigError(f"the record holds {decided} reviewed decisions (civcas "
                              "link-review), which --engine spark does not apply: use "
                              "--engine duckdb, or withdraw them (link-review undo)")  # fmt: skip
    spec_file = load_spec(spec) if spec else None
    if unique or (spec_file is not None and spec_file.spec.unique_lists):
        raise ConfigError("--unique / a spec's unique_lists (lists that name each person "
                          "once) are not applied by --engine spark: use --engine duckdb")  # fmt: skip
    columns = {**(spec_file.mapping if spec_file else {}), **load_mapping(mapping)}
    if spec_file is not None and thresholds is None and spec_file.threshold is not None:
        thresholds = Thresholds(match=spec_file.threshold)
    return run_spark(paths, out, thresholds=thresholds, mapping=columns, model=model,
                     spec=spec_file.spec if spec_file else None,
                     extra_columns=spec_file.extra_columns if spec_file else (),
                     strict=strict)  # fmt: skip


def link_from_db(store: Store, *, engine: str = "duckdb", thresholds: Thresholds | None = None,
                 out: str | Path | None = None) -> LinkResult:  # fmt: skip
    from ..model.errors import ConfigError, NotFoundError

    if engine == "spark":
        raise ConfigError("--from-db links the record's victims in memory: use --engine duckdb "
                          "(--engine spark reads CSV files)")  # fmt: skip
    from ..store.linkage import victims_frame

    df = victims_frame(store)
    if df.empty:
        raise NotFoundError("no victims in the record to link: import victim lists first")
    result = link_and_store(df, store, engine=engine, thresholds=thresholds)
    if out:
        frame = _with_draws(result.records[[*COLUMNS, "incident", *OUTPUT_EXTRA]], result)
        safe_frame(frame).to_csv(out, index=False)
    return result


def summary(result: LinkResult | SparkLinkResult, out: str | Path | None) -> dict[str, object]:
    """What `civcas link` prints, from either engine's result."""
    if isinstance(result, SparkLinkResult):  # counts: the records stay in Spark
        records, review = result.records, result.review_pairs
    else:
        records, review = len(result.records), len(result.review)
    return {"records": records, "people": result.people, "review_pairs": review,
            "threshold": result.thresholds.match, "draws": result.thresholds.draws,
            "out": str(out) if out else None, "cleaned": result.cleaning, "notes": result.notes}  # fmt: skip


def evaluate_file(path: str | Path, truth: str, predicted: str = "person_id") -> Scores:
    from ..model.errors import InputError

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in (truth, predicted) if c not in df.columns]
    if missing:
        raise InputError(f"missing columns {missing} (found {list(df.columns)})", str(path))
    return evaluate(df[predicted], df[truth])
