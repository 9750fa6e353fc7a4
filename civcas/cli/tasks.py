"""`civcas tasks ...`: volunteer micro-tasks (issue 21), a thin adapter over civcas.tasks."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from .common import get_store, handle_errors, print_json

KIND = click.Choice(["report", "locate", "same-person", "image"])


def _actor():  # type: ignore[no-untyped-def]
    from .workflow import _actor as cli_actor

    return cli_actor()


@contextmanager
def _out(path: str | None) -> Any:
    if path is None or path == "-":
        yield sys.stdout
        return
    from ..store.engine import private_dirs

    p = Path(path)
    private_dirs(p.parent.resolve())
    with open(p, "w", encoding="utf-8", newline="", opener=_private) as fh:
        yield fh


def _private(path: str, flags: int) -> int:
    import os

    return os.open(path, flags, 0o600)


@click.group("tasks")
def tasks() -> None:
    """Volunteer micro-tasks: items, answers, consensus, invitations."""


def _campaign_opts(fn: Any) -> Any:
    fn = click.option("--campaign", help="Campaign name (default: the kind).")(fn)
    fn = click.option("--k", "k", default=3, show_default=True, help="Answers per item.")(fn)
    fn = click.option(
        "--k-max", default=7, show_default=True, help="Answers per item at most, on disagreement."
    )(fn)
    fn = click.option(
        "--agreement",
        default=0.75,
        show_default=True,
        help="Share of the most common answer that ends an item.",
    )(fn)
    return fn


def _add(ctx: click.Context, kind: str, campaign: str | None, k: int, k_max: int,
         agreement: float, items: list[Any], as_json: bool) -> None:  # fmt: skip
    from ..tasks import service

    store, who = get_store(ctx), _actor()
    name = campaign or kind
    service.ensure_campaign(store, who, name, kind, k=k, k_max=k_max, agreement_share=agreement)
    res = service.add_items(store, who, name, items)
    gold = sum(1 for i in items if i.gold is not None)
    if as_json:
        print_json({"campaign": name, **res, "gold": gold})
    else:
        click.echo(
            f"{name}: {res['added']} items added, {res['skipped']} already there"
            f" ({gold} with a gold answer)"
        )


@tasks.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", type=KIND, required=True)
@_campaign_opts
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def import_cmd(ctx: click.Context, file: str, kind: str, campaign: str | None, k: int,
               k_max: int, agreement: float, as_json: bool) -> None:  # fmt: skip
    """Items from a CSV: item_id, the item's fields, optional gold."""
    from ..tasks import items

    _add(ctx, kind, campaign, k, k_max, agreement, items.read_csv_file(file, kind), as_json)


@tasks.command("build")
@click.option("--kind", type=KIND, required=True)
@_campaign_opts
@click.option("--images", type=click.Path(exists=True, file_okay=False), help="kind image.")
@click.option("--include-unpublished", is_flag=True, help="kind locate: unpublished too.")
@click.option("--limit", default=5000, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def build_cmd(ctx: click.Context, kind: str, campaign: str | None, k: int, k_max: int,
              agreement: float, images: str | None, include_unpublished: bool, limit: int,
              as_json: bool) -> None:  # fmt: skip
    """Items from the record: draft reports, incidents to locate, review pairs, images."""
    from ..tasks import items

    built = items.build(
        get_store(ctx), kind, images=images, include_unpublished=include_unpublished, limit=limit
    )
    _add(ctx, kind, campaign, k, k_max, agreement, built, as_json)


@tasks.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """Campaigns with their progress."""
    from ..tasks import progress

    rows = progress.overview(get_store(ctx), _actor())
    if as_json:
        print_json(rows)
        return
    for r in rows:
        click.echo(
            f"{r['name']:<24} {r['kind']:<12} {r['done']}/{r['items']} done, "
            f"{r['answers']} answers, k={r['k']}..{r['k_max']} [{r['status']}]"
        )


@tasks.command("consensus")
@click.option("--kind", type=KIND, required=True)
@click.option("--campaign")
@click.option("--method", type=click.Choice(["ds", "one-coin", "mv"]), default="ds",
              show_default=True, help="Dawid-Skene, one-coin, or majority vote.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write CSV here.")
@click.pass_context
@handle_errors
def consensus_cmd(ctx: click.Context, kind: str, campaign: str | None, method: str,
                  as_json: bool, out: str | None) -> None:  # fmt: skip
    """One row per item: item_id, answer, confidence, n_answers."""
    from ..tasks import export, service

    rows, _ = service.consensus(get_store(ctx), _actor(), kind, campaign, method)
    if as_json:
        print_json([r.row() for r in rows])
        return
    with _out(out) as fh:
        export.write_consensus(fh, rows)


@tasks.command("answers")
@click.option("--kind", type=KIND)
@click.option("--campaign")
@click.option("--out", type=click.Path(dir_okay=False), help="CSV file (default: stdout).")
@click.pass_context
@handle_errors
def answers_cmd(
    ctx: click.Context, kind: str | None, campaign: str | None, out: str | None
) -> None:
    """Every answer as CSV."""
    from ..tasks import export, service

    rows = service.answers(get_store(ctx), _actor(), kind, campaign)
    fh: IO[str]
    with _out(out) as fh:
        export.write_answers(fh, rows)


@tasks.command("reliability")
@click.option("--kind", type=KIND, required=True)
@click.option("--campaign")
@click.option("--out", type=click.Path(dir_okay=False), help="CSV file (default: stdout).")
@click.pass_context
@handle_errors
def reliability_cmd(ctx: click.Context, kind: str, campaign: str | None, out: str | None) -> None:
    """Each volunteer's answers, gold accuracy and estimated accuracy, as CSV."""
    from ..tasks import export, service

    _, rel = service.consensus(get_store(ctx), _actor(), kind, campaign)
    with _out(out) as fh:
        export.write_reliability(fh, rel)


@tasks.command("invite")
@click.option("--days", default=14, show_default=True)
@click.option("--uses", default=1, show_default=True)
@click.option("--label", default="")
@click.pass_context
@handle_errors
def invite_cmd(ctx: click.Context, days: int, uses: int, label: str) -> None:
    """An invitation: send the link; whoever opens it signs up as a volunteer."""
    from ..tasks import volunteers

    inv = volunteers.invite(get_store(ctx), _actor(), days=days, uses=uses, label=label)
    click.echo(f"/tasks/join/{inv['token']}")
    click.echo(f"(valid until {inv['expires_at']}, {uses} sign-up(s); prefix your server's URL)")


@tasks.command("suggest")
@click.option("--kind", type=KIND, required=True)
@click.option("--campaign")
@click.pass_context
@handle_errors
def suggest_cmd(ctx: click.Context, kind: str, campaign: str | None) -> None:
    """Turn finished items' consensus into suggestions a reviewer accepts or rejects."""
    from ..tasks import service

    n = service.suggest(get_store(ctx), _actor(), kind, campaign)
    click.echo(f"{n} new suggestion(s); see `civcas tasks suggestions` or /work/tasks")


@tasks.command("suggestions")
@click.option("--state", type=click.Choice(["pending", "accepted", "rejected", "all"]),
              default="pending", show_default=True)  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def suggestions_cmd(ctx: click.Context, state: str, as_json: bool) -> None:
    """Consensus suggestions waiting for a decision (or decided: --state)."""
    from ..tasks import service

    rows = service.list_suggestions(get_store(ctx), _actor(), None if state == "all" else state)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        click.echo(
            f"{r['id']:>5} {r['campaign']}/{r['item_id']} -> {r['answer']}"
            f" (confidence {r['confidence']}, {r['n_answers']} answers) [{r['state']}]"
        )


@tasks.command("accept")
@click.argument("suggestion_id", type=int)
@click.option("--reason", default="")
@click.pass_context
@handle_errors
def accept_cmd(ctx: click.Context, suggestion_id: int, reason: str) -> None:
    """Accept a consensus into the record (an audited change)."""
    from ..tasks import service

    r = service.decide(get_store(ctx), _actor(), suggestion_id, accept=True, reason=reason)
    click.echo(f"accepted {r['campaign']}/{r['item_id']}: {r['answer']}")


@tasks.command("reject")
@click.argument("suggestion_id", type=int)
@click.option("--reason", default="")
@click.pass_context
@handle_errors
def reject_cmd(ctx: click.Context, suggestion_id: int, reason: str) -> None:
    """Reject a consensus (the record is not changed; the decision is audited)."""
    from ..tasks import service

    r = service.decide(get_store(ctx), _actor(), suggestion_id, accept=False, reason=reason)
    click.echo(f"rejected {r['campaign']}/{r['item_id']}")
