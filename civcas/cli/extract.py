"""`civcas extract` and `civcas extract-eval`: thin adapters over civcas.extract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .common import get_store, handle_errors, print_json


@click.command("extract")
@click.argument("files", nargs=-1, required=True)
@click.option("--text-column", metavar="C", help="CSV column with the report text.")
@click.option("--id-column", metavar="C", help="CSV column with the report id.")
@click.option("--date-column", metavar="C", help="CSV column with the publication date.")
@click.option(
    "--lang", type=click.Choice(["en", "ar"]), help="Force the language (default: detect)."
)
@click.option("--jsonl", is_flag=True, help="One JSON object per report (id, claims, summary).")
@click.option("--into-db", is_flag=True, help="Store claims as draft reports awaiting review.")
@click.option("--km", default=5.0, show_default=True, help="Radius for candidate incidents.")
@click.pass_context
@handle_errors
def extract(ctx: click.Context, files: tuple[str, ...], text_column: str | None, id_column: str | None,
            date_column: str | None, lang: str | None, jsonl: bool, into_db: bool, km: float) -> None:  # fmt: skip
    """Extract casualty claims (date, place, counts, actor, weapon) from report files.

    FILES: .txt, .html, .json, .jsonl or .csv. URLs are recorded, never fetched. A file
    that cannot be read is reported on stderr and the batch goes on.
    """
    from ..extract.extractor import extract_report
    from ..extract.intake import read_sources

    store = get_store(ctx) if into_db else None
    n_ok = n_err = n_drafts = 0
    for src in read_sources(files, text_column, id_column, date_column):
        if src.error:
            n_err += 1
            click.secho(f"{src.path}: {src.error}", fg="yellow", err=True)
            if jsonl:
                click.echo(
                    json.dumps({"id": src.id, "error": src.error, "sha256": src.sha256 or None})
                )
            continue
        try:
            rep = extract_report(src.text, src.published, lang)
        except Exception as exc:  # noqa: BLE001 - one bad report must not stop the batch
            n_err += 1
            error = f"extraction failed: {type(exc).__name__}: {exc}"
            click.secho(f"{src.path}: {error}", fg="yellow", err=True)
            if jsonl:
                click.echo(json.dumps({"id": src.id, "error": error, "sha256": src.sha256}))
            continue
        n_ok += 1
        if store is not None:
            from ..extract.into_db import draft_reports

            n_drafts += len(draft_reports(store, src, rep, km))
        out: dict[str, Any] = {"id": src.id, "source": src.path, "sha256": src.sha256,
                               "url": src.url, **rep.to_json()}  # fmt: skip
        if src.warning:
            out["warning"] = src.warning
        if jsonl:
            click.echo(json.dumps(out, ensure_ascii=False, default=str))
        elif not into_db:
            print_json(out)
    msg = f"{n_ok} report(s) read, {n_err} could not be used"
    if store is not None:
        msg += f"; {n_drafts} draft report(s) stored for review"
    click.echo(msg, err=True)


@click.command("extract-eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Scores as JSON.")
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write predictions (JSONL, FA-KES vocabularies).",
)
@click.option(
    "--half",
    type=click.Choice(["dev", "held-out"]),
    help="Score only one half of the deterministic split.",
)
@handle_errors
def extract_eval(file: Path, as_json: bool, predictions: Path | None, half: str | None) -> None:
    """Score extraction against an annotated CSV in the FA-KES layout.

    Scores are given for the whole file and for its development and held-out halves
    (split by SHA-256 of unit_id; the rules were written looking only at 'dev').
    """
    from ..extract.evaluate import evaluate, public_prediction

    scores, preds = evaluate(file, half)
    if predictions:
        with predictions.open("w", encoding="utf-8") as fh:
            for p in preds:
                fh.write(json.dumps(public_prediction(p), ensure_ascii=False) + "\n")
    if as_json:
        print_json({k: v.to_json() for k, v in scores.items()})
        return
    for name, s in scores.items():
        click.echo(f"== {name} ({s.n} articles)")
        for f, v in s.fields.items():
            click.echo(f"  {f:16s} exact {v['exact']:.1%}   within range {v['within_range']:.1%}")
        click.echo(f"  civilian deaths present: precision {s.presence['precision']:.1%} "
                   f"recall {s.presence['recall']:.1%}")  # fmt: skip
