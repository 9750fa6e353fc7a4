"""`civcas link`, `link-eval`, `link-review`, `simulate-lists`: thin adapters over civcas.link."""

from __future__ import annotations

from pathlib import Path

import click

from ..link.thresholds import Thresholds
from .common import get_store, handle_errors, print_json


def _thresholds(threshold: float, review: float, draws: int = 0) -> Thresholds:
    if not 0 < review <= threshold < 1:
        raise click.UsageError("need 0 < --review-threshold <= --threshold < 1")
    return Thresholds(match=threshold, review=review, draws=draws)


@click.command("link")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True
)
@click.option("--threshold", type=float, default=Thresholds.match, show_default=True,
              help="Match probability at or above which two records are one person.")  # fmt: skip
@click.option("--review-threshold", type=float, default=Thresholds.review, show_default=True,
              help="Pairs from here up to --threshold go to the review queue.")  # fmt: skip
@click.option("--for-estimation", is_flag=True,
              help="Also write draws of the uncertain links (columns person_id_draw_1...), "
                   "with wider blocking, for civcas estimate --linked: intervals that carry "
                   "the linkage's uncertainty (see docs/link.md).")  # fmt: skip
@click.option("--draws", type=click.IntRange(2, 200), default=20, show_default=True,
              help="With --for-estimation: how many linkage draws.")  # fmt: skip
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False),
              help="JSON/YAML {civcas column: your column}.")  # fmt: skip
@click.option("--model", type=click.Path(exists=True, dir_okay=False),
              help="A trained model JSON (from a previous OUT.model.json) instead of training.")  # fmt: skip
@click.option("--from-db", is_flag=True, help="Link the victims already in the record.")
@click.option(
    "--incidents", is_flag=True, help="Cluster incidents across sources instead (with --from-db)."
)
@click.option("--days", type=int, default=1, show_default=True, help="Incidents: date tolerance.")
@click.option(
    "--km", type=float, default=2.0, show_default=True, help="Incidents: distance tolerance."
)
@click.option("--spec", "spec", type=click.Path(exists=True, dir_okay=False),
              help="A linkage spec (YAML/JSON): extra columns and their comparison, "
                   "blocking keys, training blocks, mapping (docs/link.md).")  # fmt: skip
@click.option("--strict", is_flag=True,
              help="Refuse a file with ages, dates or sexes that are not plain values "
                   "(default: parse them or leave them blank, and report which).")  # fmt: skip
@click.option("--unique", "unique", multiple=True, metavar="LIST",
              help="A list that names each person once (a register's release): none of "
                   "its records are linked to each other, directly or through another "
                   "list's record. By the list's name (its `list` column, or the file name "
                   "without .csv); repeat for several.")  # fmt: skip
@click.option("-o", "--out", type=click.Path(dir_okay=False), help="Output CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@click.pass_context
@handle_errors
def link(ctx: click.Context, files: tuple[str, ...], engine: str, threshold: float,
         review_threshold: float, for_estimation: bool, draws: int, mapping: str | None, model: str | None, from_db: bool,
         incidents: bool, days: int, km: float, spec: str | None, strict: bool,
         unique: tuple[str, ...], out: str | None, as_json: bool) -> None:  # fmt: skip
    """Link person records across lists and within a list: FILE... -> OUT with person_id.

    Default columns: record_id, list, name, name_ar, sex, age, date_of_death, place.
    Reviewed decisions in the database are obeyed; the uncertain pairs become the review
    queue (civcas link-review list).
    """
    from ..link import run
    from ..model.errors import CivcasError

    if spec and ctx.get_parameter_source("threshold") == click.core.ParameterSource.DEFAULT:
        from ..link.specfile import load_spec

        threshold = load_spec(spec).threshold or threshold  # the spec's, unless given here
        review_threshold = min(review_threshold, threshold)
    th = _thresholds(threshold, review_threshold, draws if for_estimation else 0)
    if for_estimation and not out:
        raise click.UsageError("--for-estimation writes its draws to a CSV: give -o OUT")
    if incidents:
        from ..link.incidents import cluster_store_incidents

        summary = cluster_store_incidents(get_store(ctx), days=days, km=km, out=out)
        print_json(summary) if as_json else click.echo(
            f"{summary['incidents']} incidents -> {summary['clusters']} events; "
            f"{summary['merged']} merged, {summary['review']} for review")  # fmt: skip
        return
    if from_db and unique:
        raise click.UsageError("--unique names lists among FILE...; the record's victims "
                               "are one list per source (link them without --unique)")  # fmt: skip
    if from_db:
        result = run.link_from_db(get_store(ctx), engine=engine, thresholds=th, out=out)
    else:
        if not files or not out:
            raise click.UsageError("give FILE... and -o OUT (or --from-db)")
        try:
            result = run.link_files(list(files), out, get_store(ctx), engine=engine,
                                    thresholds=th, mapping=mapping, model=model, strict=strict,
                                    spec=spec, unique=unique)  # fmt: skip
        except (CivcasError, click.ClickException):
            raise
        except Exception as exc:  # no traceback reaches a user: say what failed
            raise CivcasError(
                f"linking failed: {type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
                " (if the files are as documented, this is a bug: please report it with the "
                "command and the files' header lines)") from exc  # fmt: skip
    summary = run.summary(result, out)
    if as_json:
        print_json(summary)
    else:
        from ..link.records import cleaning_summary

        for line in [*cleaning_summary(result.cleaning), *result.notes]:
            click.echo(line, err=True)
        click.echo(f"{summary['records']} records -> {summary['people']} people; "
                   f"{summary['review_pairs']} pairs to review (civcas link-review list)")  # fmt: skip


@click.command("link-eval")
@click.argument("output", type=click.Path(exists=True, dir_okay=False))
@click.option("--truth", required=True, help="Column with the true person id.")
@click.option("--predicted", default="person_id", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def link_eval(output: str, truth: str, predicted: str, as_json: bool) -> None:
    """Pairwise and cluster precision, recall and F1 of a linked file against the truth."""
    from ..link.run import evaluate_file

    s = evaluate_file(output, truth, predicted)
    if as_json:
        print_json(s.as_dict())
        return
    click.echo(f"records {s.records}, predicted people {s.predicted_people}, true {s.true_people}")
    click.echo(
        f"pairwise  precision {s.pairwise_precision:.4f}  recall {s.pairwise_recall:.4f}  F1 {s.pairwise_f1:.4f}"
    )
    click.echo(
        f"cluster   precision {s.cluster_precision:.4f}  recall {s.cluster_recall:.4f}  F1 {s.cluster_f1:.4f}"
    )


@click.group("link-review")
def review() -> None:
    """The clerical-review queue: list uncertain pairs, accept or reject them."""


@review.command("list")
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def review_list(ctx: click.Context, limit: int, as_json: bool) -> None:
    from ..store.linkage import review_queue

    rows = review_queue(get_store(ctx), limit)
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("nothing to review")
    for r in rows:
        a, b = r["a"], r["b"]
        click.echo(f"{r['match_probability']:.3f}  {r['uid_a']}  |  {r['uid_b']}")
        click.echo(
            f"       {a['name'] or ''} {a['name_ar'] or ''} {a['sex'] or ''} {a['age'] or ''} {a['date_of_death'] or ''} {a['place'] or ''}"
        )
        click.echo(
            f"       {b['name'] or ''} {b['name_ar'] or ''} {b['sex'] or ''} {b['age'] or ''} {b['date_of_death'] or ''} {b['place'] or ''}"
        )


def _decide(decision: str):  # type: ignore[no-untyped-def]
    @click.argument("record_a")
    @click.argument("record_b")
    @click.option("--reviewer", help="Who decided.")
    @click.option("--note", help="Why.")
    @click.pass_context
    @handle_errors
    def cmd(
        ctx: click.Context, record_a: str, record_b: str, reviewer: str | None, note: str | None
    ) -> None:
        from ..store.linkage import record_decision

        record_decision(get_store(ctx), record_a, record_b, decision, reviewer, note)
        click.echo(f"{decision}ed: {record_a} / {record_b} (applies from the next link run)")

    cmd.__doc__ = f"{decision.capitalize()} a pair (ids as LIST:RECORD_ID, shown by `list`)."
    return cmd


review.command("accept")(_decide("accept"))
review.command("reject")(_decide("reject"))


@review.command("undo")
@click.argument("record_a")
@click.argument("record_b")
@click.pass_context
@handle_errors
def review_undo(ctx: click.Context, record_a: str, record_b: str) -> None:
    """Withdraw a decision (reverses its merge or split on the next run)."""
    from ..store.linkage import undo_decision

    undo_decision(get_store(ctx), record_a, record_b)
    click.echo(f"decision withdrawn: {record_a} / {record_b}")


@click.command("simulate-lists")
@click.option("--people", type=int, default=10_000, show_default=True, help="True population size.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("-o", "--out-dir", type=click.Path(file_okay=False), required=True)
@handle_errors
def simulate_lists(people: int, seed: int, out_dir: str) -> None:
    """Simulated victim lists with known truth (column true_id) for validation."""
    from ..link.simulate import simulate_lists as sim
    from ..link.simulate import write_lists

    s = sim(people, seed=seed)
    paths = write_lists(s, Path(out_dir))
    click.echo(f"{len(s.records)} records of {s.observed_people} people (population {people}) "
               f"in {len(paths)} lists: {', '.join(str(p) for p in paths)}")  # fmt: skip
