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
) -> LinkResult:
    """Read CSV lists, link them, write OUT (input columns + person_id, match_probability)
    and OUT's model next to it (``OUT.model.json``). Messy ages, dates and sexes are
    parsed or blanked (``result.cleaning`` says which, by value); ``strict``: refused.
    ``unique``: lists that name each person once (added to the spec's unique_lists)."""
    import json

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


def link_from_db(store: Store, *, engine: str = "duckdb", thresholds: Thresholds | None = None,
                 out: str | Path | None = None) -> LinkResult:  # fmt: skip
    from ..model.errors import NotFoundError
    from ..store.linkage import victims_frame

    df = victims_frame(store)
    if df.empty:
        raise NotFoundError("no victims in the record to link: import victim lists first")
    result = link_and_store(df, store, engine=engine, thresholds=thresholds)
    if out:
        frame = _with_draws(result.records[[*COLUMNS, "incident", *OUTPUT_EXTRA]], result)
        safe_frame(frame).to_csv(out, index=False)
    return result


def evaluate_file(path: str | Path, truth: str, predicted: str = "person_id") -> Scores:
    from ..model.errors import InputError

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in (truth, predicted) if c not in df.columns]
    if missing:
        raise InputError(f"missing columns {missing} (found {list(df.columns)})", str(path))
    return evaluate(df[predicted], df[truth])
