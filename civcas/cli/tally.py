"""`civcas tally`: documented totals vs conceded deaths for a filter."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table

from ..model.filters import parse_grades
from ..model.vocab import LIKELY_GRADES
from ..tally import Tally, tally
from .common import build_filter, filter_options, get_store, handle_errors, print_json


@click.command("tally")
@filter_options
@click.option(
    "--likely",
    "likely",
    metavar="G1,G2",
    default=None,
    help="Grades counted as likely (default Confirmed,Fair).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@click.pass_context
@handle_errors
def tally_cmd(ctx: click.Context, as_json: bool, likely: str | None, **kw: Any) -> None:
    """Incidents, killed and injured (Σmin–Σmax) by grade, month and assessment."""
    f = build_filter(kw)
    t = tally(get_store(ctx), f, likely_grades=parse_grades(likely) or LIKELY_GRADES)
    if as_json:
        print_json(t.to_json())
    else:
        render(t, Console())


def headline(t: Tally) -> str:
    r = t.ratio
    ratio = f"{r['min']}×–{r['max']}×" if r["min"] is not None else "n/a (nothing conceded)"
    return (
        f"Likely civilian deaths ({' + '.join(g.value for g in t.likely_grades)}): "
        f"{t.likely['killed_min']:,}–{t.likely['killed_max']:,} in {t.likely['incidents']:,} incidents; "
        f"conceded by {t.belligerent or 'the belligerents'}: {t.conceded['deaths_min']:,}–{t.conceded['deaths_max']:,} "
        f"({t.conceded['incidents_credible']:,} incidents assessed credible); ratio {ratio}; "
        f"named victims {t.totals['named_victims']:,}."
    )


def render(t: Tally, console: Console) -> None:
    console.print(f"[bold]{headline(t)}[/bold]")
    tot = t.totals
    console.print(
        f"All matching incidents: {tot['incidents']:,} · killed {tot['killed_min']:,}–{tot['killed_max']:,} · "
        f"injured {tot['injured_min']:,}–{tot['injured_max']:,} · children killed "
        f"{tot['children_killed_min']:,}–{tot['children_killed_max']:,} · women killed "
        f"{tot['women_killed_min']:,}–{tot['women_killed_max']:,} · with unknown counts "
        f"{tot['incidents_unknown_count']:,}"
    )
    for title, groups in (
        ("By grade", t.by_grade),
        ("By belligerent assessment", t.by_assessment),
        ("By month", t.by_month),
    ):
        table = Table(title=title)
        for col in (
            "",
            "incidents",
            "killed min",
            "killed max",
            "injured min",
            "injured max",
            "unknown count",
        ):
            table.add_column(col, justify="right" if col else "left")
        for key, v in groups.items():
            table.add_row(
                key,
                f"{v['incidents']:,}",
                f"{v['killed_min']:,}",
                f"{v['killed_max']:,}",
                f"{v['injured_min']:,}",
                f"{v['injured_max']:,}",
                f"{v['incidents_unknown_count']:,}",
            )
        console.print(table)
    for k, v in t.rules.items():
        console.print(f"[dim]{k}: {v}[/dim]")
