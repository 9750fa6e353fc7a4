"""`civcas tally`: documented totals, and each party's deaths vs what it conceded."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table

from ..model.filters import IncidentFilter, parse_grades
from ..model.vocab import LIKELY_GRADES
from ..tally import Tally, tally
from ..tally.calendar import MIN_DATE_SETTING, min_date
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
@click.option(
    "--min-date",
    "min_date_text",
    metavar="YYYY-MM-DD",
    default=None,
    help="Earliest plausible date: earlier (and undated) incidents are counted apart from "
    f"the monthly series and listed (default: {MIN_DATE_SETTING} or 1989-01-01).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@click.pass_context
@handle_errors
def tally_cmd(
    ctx: click.Context, as_json: bool, likely: str | None, min_date_text: str | None, **kw: Any
) -> None:
    """Incidents, killed and injured (Σmin–Σmax) by grade, month and assessment; likely
    deaths against the deaths conceded, per party (one party with --belligerent)."""
    f = build_filter(kw)
    t = tally(
        get_store(ctx),
        f,
        likely_grades=parse_grades(likely) or LIKELY_GRADES,
        min_date=min_date(min_date_text),
    )
    if as_json:
        print_json(t.to_json())
    else:
        render(t, Console())


def n(v: int) -> str:
    return f"{v:,}"


def scope(f: IncidentFilter) -> str:
    """The filter in words: what the figures are about."""
    parts = []
    if f.governorate:
        parts.append(f"{f.governorate} governorate")
    if f.date_from or f.date_to:
        parts.append(f"{f.date_from or 'the first date'} to {f.date_to or 'the last date'}")
    if f.grades:
        parts.append("graded " + " or ".join(g.value for g in f.grades))
    if f.near:
        parts.append(f"within {f.near.km:g} km of {f.near.latitude:g},{f.near.longitude:g}")
    if f.belligerent:
        parts.append(f"incidents where {f.belligerent} is a suspected party")
    return ", ".join(parts) if parts else "all published incidents"


def coverage_sentence(name: str, c: dict[str, Any]) -> str:
    """In words, for how many of its incidents a party's own assessment is known."""
    return (
        f"{name}'s own assessment is known for {n(c['incidents_with_assessment'])} of "
        f"{n(c['incidents_in_scope'])} incidents where it is a suspected party"
    )


def _ratio(r: dict[str, float | None]) -> str:
    if r["min"] is None and r["max"] is None:
        return "n/a (nothing conceded)"
    show = lambda v: "n/a" if v is None else f"{v}×"  # noqa: E731
    return f"{show(r['min'])}–{show(r['max'])}"


def headline(t: Tally) -> str:
    grades = " + ".join(g.value for g in t.likely_grades)
    likely = (
        f"Likely civilian deaths ({grades}): {n(t.likely['killed_min'])}–"
        f"{n(t.likely['killed_max'])} in {n(t.likely['incidents'])} incidents"
    )
    c = t.conceded
    if c is None or t.ratio is None:
        parties = ", ".join(p["belligerent"] for p in t.by_belligerent) or "none"
        return (
            f"{likely}, caused by any party; named victims {n(t.totals['named_victims'])}. "
            "No single party named, so no overall ratio: one party's concessions are "
            f"compared only with its own incidents (per party below; parties that answered: "
            f"{parties})."
        )
    text = (
        f"{likely}; conceded by {c['belligerent']}: {n(c['deaths_min'])}–{n(c['deaths_max'])} "
        f"({n(c['incidents_credible'])} incidents assessed credible); ratio {_ratio(t.ratio)}; "
        f"named victims {n(t.totals['named_victims'])}."
    )
    if c["incidents_with_assessment"] < c["incidents_in_scope"]:
        text += f" {coverage_sentence(c['belligerent'], c)}."
    if len(c.get("parties_matched", [])) > 1:
        text += (
            f" '{c['belligerent']}' matches {len(c['parties_matched'])} parties, compared "
            f"together: {', '.join(c['parties_matched'])}."
        )
    return text


BREAKDOWN_WORDS = {
    "injured": "injured",
    "children_killed": "children killed",
    "women_killed": "women killed",
    "men_killed": "men killed",
}


def render(t: Tally, console: Console) -> None:
    console.print(f"Scope: {scope(t.filter)}.")
    console.print(f"[bold]{headline(t)}[/bold]")
    tot = t.totals
    parts = [f"All matching incidents: {n(tot['incidents'])}"]
    parts.append(f"killed {n(tot['killed_min'])}–{n(tot['killed_max'])}")
    for key, words in BREAKDOWN_WORDS.items():
        b = t.breakdowns[key]
        parts.append(
            f"{words} {n(b['min'])}–{n(b['max'])} (in the {n(b['incidents_with_figure'])} "
            "incidents that give a figure)"
        )
    parts.append(f"with unknown counts {n(tot['incidents_unknown_count'])}")
    console.print(" · ".join(parts))
    render_parties(t, console)
    off = t.off_calendar
    if off["incidents"]:
        codes = ", ".join(i["code"] for i in off["listed"])
        more = off["incidents"] - len(off["listed"])
        console.print(
            f"Not on the monthly calendar: {n(off['incidents'])} incidents "
            f"({n(off['undated'])} undated, {n(off['before_min_date'])} dated before "
            f"{off['min_date']}; killed {n(off['killed_min'])}–{n(off['killed_max'])}): "
            f"{codes}" + (f" and {n(more)} more" if more > 0 else "") + "."
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
                n(v["incidents"]),
                n(v["killed_min"]),
                n(v["killed_max"]),
                n(v["injured_min"]),
                n(v["injured_max"]),
                n(v["incidents_unknown_count"]),
            )
        console.print(table)
    for k, rule in t.rules.items():
        console.print(f"[dim]{k}: {rule}[/dim]")


def render_parties(t: Tally, console: Console) -> None:
    """One comparison per party that answered for any incident, with its coverage in words."""
    if not t.by_belligerent:
        console.print("No party has answered for any of these incidents.")
        return
    table = Table(title="Likely deaths vs deaths conceded, per party (its own incidents)")
    for col in ("party", "likely", "conceded", "ratio", "own assessment known"):
        table.add_column(col, justify="left" if col == "party" else "right")
    for p in t.by_belligerent:
        lk, c = p["likely"], p["conceded"]
        table.add_row(
            p["belligerent"],
            f"{n(lk['killed_min'])}–{n(lk['killed_max'])}",
            f"{n(c['deaths_min'])}–{n(c['deaths_max'])}",
            _ratio(p["ratio_likely_to_conceded"]),
            f"{n(c['incidents_with_assessment'])} of {n(c['incidents_in_scope'])}",
        )
    console.print(table)
    for p in t.by_belligerent:
        pc = p["conceded"]
        if pc["incidents_with_assessment"] < pc["incidents_in_scope"]:
            console.print(f"{coverage_sentence(p['belligerent'], pc)}.")
