"""`civcas conflicts`: the queue of fields where a re-import disagrees with the team.

civcas conflicts list [--all] [--json]
civcas conflicts resolve ID --keep team|source [--reason R]
"""

from __future__ import annotations

import json
from typing import Any

import click

from .common import get_store, handle_errors, print_json


def _actor():  # type: ignore[no-untyped-def]
    from .workflow import _actor as cli_actor

    return cli_actor()


def _show(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, default=str)


@click.group()
def conflicts() -> None:
    """Where a re-import's value differs from one a person set (docs/history.md)."""


@conflicts.command("list")
@click.option("--all", "show_all", is_flag=True, help="Resolved ones too.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def list_cmd(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """Open conflicts: incident, field, the source's value, the team's, who and why."""
    from ..workflow import conflicts as lib

    rows = lib.list_conflicts(get_store(ctx), _actor(), None if show_all else "open")
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("no open conflicts" if not show_all else "no conflicts")
        return
    for r in rows:
        click.echo(
            f"{r['id']}\t{r['code']}\t{r['field']}\tsource {_show(r['source_value'])}"
            f"\tteam {_show(r['team_value'])}\t{r['set_by'] or '?'}: {r['why'] or '-'}"
            f"\t{r['status']}"
        )


@conflicts.command("resolve")
@click.argument("conflict_id", type=int)
@click.option("--keep", type=click.Choice(["team", "source"]), required=True)
@click.option("--reason", default=None, help="Why (kept in the audit trail).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def resolve_cmd(
    ctx: click.Context, conflict_id: int, keep: str, reason: str | None, as_json: bool
) -> None:
    """Keep the team's value, or take the source's (an edit, in the audit chain)."""
    from ..workflow import conflicts as lib

    row = lib.resolve(get_store(ctx), _actor(), conflict_id, keep, reason)
    if as_json:
        print_json(row)
    else:
        click.echo(f"conflict {row['id']} ({row['code']} {row['field']}): {row['status']}")
