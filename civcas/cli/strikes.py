"""`civcas strikes ...` and `civcas import strike-releases`: thin adapters over
civcas.strikes (declared strikes against alleged incidents, issue 20)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from .common import build_filter, filter_options, get_store, handle_errors, print_json


def run_import(
    store: Any,
    file: Path,
    as_json: bool,
    *,
    mapping: Path | None,
    party: str | None,
    lag_days: int | None,
    skip_invalid: bool,
) -> None:
    from ..io.strike_releases import DEFAULT_LAG_DAYS, DEFAULT_PARTY, load_columns
    from ..strikes import import_strike_releases

    result = import_strike_releases(
        store,
        file,
        columns=load_columns(mapping) if mapping else None,
        party=party or DEFAULT_PARTY,
        lag_days=DEFAULT_LAG_DAYS if lag_days is None else lag_days,
        skip_invalid=skip_invalid,
    )
    if as_json:
        print_json(result.to_json())
        return
    c = Console()
    c.print(
        f"[bold]{result.path}[/bold]: {result.rows_read:,} rows read · "
        f"[green]{result.inserted:,} inserted[/green] · {result.updated:,} updated · "
        f"{result.unchanged:,} unchanged · [red]{result.rejected:,} rejected[/red] · "
        f"{result.duplicates} duplicate rows skipped"
    )
    kept = result.inserted + result.updated + result.unchanged
    c.print(f"located: {result.located:,} of {kept:,} strike reports")
    for place, n in result.unlocated.items():
        c.print(f"[yellow]not located[/yellow] {place!r} ×{n}")
    for d in result.number_disagrees:
        c.print(f"row {d['row']}: number column {d['number']}, the text says {d['read']}")
    for p in result.problems:
        c.print(f"[red]skipped[/red] {p}")


@click.group("strikes")
def strikes() -> None:
    """Declared strikes (the belligerent's releases) against alleged incidents."""


def _settings(kw: dict[str, Any]) -> Any:
    from ..strikes.match import DEFAULT_PARTY, MatchSettings

    any_party = kw.pop("any_party")
    party = kw.pop("party") or DEFAULT_PARTY
    return MatchSettings(party=None if any_party else party, days=kw.pop("days"), km=kw.pop("km"))


def _match_options(fn: Any) -> Any:
    fn = click.option("--km", type=click.FloatRange(0, 1000), default=60.0, show_default=True,
                      help="Distance from the incident, plus its precision radius.")(fn)  # fmt: skip
    fn = click.option("--days", type=click.IntRange(0, 30), default=1, show_default=True,
                      help="Days between the incident and the declared strike day.")(fn)  # fmt: skip
    fn = click.option("--any-party", is_flag=True,
                      help="Every incident and every party's reports (e.g. IBC).")(fn)  # fmt: skip
    fn = click.option("--party", metavar="B", default=None,
                      help="The declaring belligerent (default: US-led Coalition).")(fn)  # fmt: skip
    return filter_options(fn)


@strikes.command("match")
@_match_options
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--save", is_flag=True, help="Store the results as suggestions for review.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the results as CSV (one row per declared strike).")  # fmt: skip
@click.option("--all", "show_all", is_flag=True, help="Unpublished incidents too.")
@click.option(
    "--strike-type",
    "strike_types",
    multiple=True,
    type=click.Choice(
        ["air", "air_or_artillery", "artillery", "drone", "ground", "other", "unknown"]
    ),
    help="Only incidents of this strike type (repeatable), e.g. air for IBC's air strikes.",
)
@click.pass_context
@handle_errors
def match_cmd(
    ctx: click.Context,
    as_json: bool,
    save: bool,
    csv_path: Path | None,
    show_all: bool,
    strike_types: tuple[str, ...],
    **kw: Any,
) -> None:
    """For each alleged incident, the declared strikes near it in space and time.

    --belligerent is taken as --party (the incidents the party is suspected in).
    """
    from dataclasses import replace

    from ..strikes.service import as_json as to_json
    from ..strikes.service import match_store, save_suggestions

    if kw.get("belligerent") and not kw.get("party"):
        kw["party"] = kw["belligerent"]
    settings = _settings(kw)
    f = build_filter(kw)
    if show_all:
        f = replace(f, include_unpublished=True)
    store = get_store(ctx)
    kinds = frozenset(strike_types) if strike_types else None
    results, summary = match_store(store, settings, f, strike_types=kinds)
    if save:
        summary["saved"] = save_suggestions(store, results, settings)
    if csv_path:
        from ..io.strikes_csv import write_matches

        summary["csv_rows"] = write_matches(csv_path, (r.to_json() for r in results))
    if as_json:
        print_json(to_json(results, summary))
        return
    t = Table("code", "date", "place", "suggested", "nearest declared strike")
    for r in results:
        m = r.matches[0] if r.matches else None
        near = f"{m.place}, {m.strikes} strikes, {m.km} km, {m.day_offset:+d} d" if m else ""
        t.add_row(r.incident.code, str(r.incident.date_start or ""), r.incident.place or "",
                  r.suggested.value, near)  # fmt: skip
    Console().print(t)
    Console().print(
        ", ".join(
            f"{k}: {summary[k]}" for k in ("incidents", "declared", "none_declared", "cannot_tell")
        )
    )


@strikes.command("suggestions")
@click.option("--state", type=click.Choice(["pending", "accepted", "rejected", "all"]),
              default="pending", show_default=True)  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def suggestions_cmd(ctx: click.Context, state: str, as_json: bool) -> None:
    """The matcher's stored suggestions."""
    from ..strikes.review import list_suggestions

    rows = list_suggestions(get_store(ctx), None if state == "all" else state)
    if as_json:
        print_json({"suggestions": rows})
        return
    t = Table("id", "code", "date", "suggested", "sets", "state")
    for r in rows:
        t.add_row(str(r["id"]), r["code"], str(r["date"] or ""), r["suggested"],
                  r["status"] or "-", r["state"])  # fmt: skip
    Console().print(t)


def _decide(ctx: click.Context, sid: int, accept: bool, reason: str | None) -> None:
    """Run with the authority of whoever can open the database, as ``cli:<login>``."""
    from ..strikes.review import decide
    from .workflow import _actor

    print_json(decide(get_store(ctx), _actor(), sid, accept=accept, reason=reason))


@strikes.command("accept")
@click.argument("suggestion_id", type=int)
@click.option("--reason", default=None)
@click.pass_context
@handle_errors
def accept_cmd(ctx: click.Context, suggestion_id: int, reason: str | None) -> None:
    """Accept a suggestion: sets the incident's strike status (an audited edit)."""
    _decide(ctx, suggestion_id, True, reason)


@strikes.command("reject")
@click.argument("suggestion_id", type=int)
@click.option("--reason", default=None)
@click.pass_context
@handle_errors
def reject_cmd(ctx: click.Context, suggestion_id: int, reason: str | None) -> None:
    """Reject a suggestion (the incident is not changed)."""
    _decide(ctx, suggestion_id, False, reason)


@strikes.command("unalleged")
@click.option(
    "--party", default=None, help="The declaring belligerent (default: US-led Coalition)."
)
@click.option("--days", type=click.IntRange(0, 30), default=1, show_default=True)
@click.option("--km", type=click.FloatRange(0, 1000), default=60.0, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the list as CSV.")  # fmt: skip
@click.pass_context
@handle_errors
def unalleged_cmd(
    ctx: click.Context,
    party: str | None,
    days: int,
    km: float,
    as_json: bool,
    csv_path: Path | None,
) -> None:
    """Declared strikes with no alleged incident near them (a list to check)."""
    from ..strikes.other import unalleged

    rows = unalleged(get_store(ctx), party=party, days=days, km=km)
    if csv_path:
        from ..io.strikes_csv import write_unalleged

        write_unalleged(csv_path, rows)
    if as_json:
        print_json({"reports": rows})
        return
    t = Table("strike day", "place", "country", "strikes", "line")
    for r in rows:
        t.add_row(
            str(r["strike_date"]), r["place"], r["country"], str(r["strikes"]), r["line"][:90]
        )
    Console().print(t)


@strikes.command("reports")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="First strike day.")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Last strike day.")
@click.option("--party", default=None, help="Only this party's reports.")
@click.option("--unlocated", is_flag=True, help="Only the reports whose place is not located.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def reports_cmd(
    ctx: click.Context,
    date_from: str | None,
    date_to: str | None,
    party: str | None,
    unlocated: bool,
    as_json: bool,
) -> None:
    """The strike reports on record: place, strikes and (count, kind) targets."""
    from ..model.filters import parse_date
    from ..store import strikes as ss

    with get_store(ctx).connect() as conn:
        rows = ss.reports(
            conn,
            party=party,
            start=parse_date(date_from, "--from"),
            end=parse_date(date_to, "--to"),
        )
    if unlocated:
        rows = [r for r in rows if r["latitude"] is None]
    keep = ("release_date", "strike_date", "party", "country", "position", "place_name",
            "located_as", "latitude", "longitude", "strikes", "targets", "line")  # fmt: skip
    out = [{k: r[k] for k in keep} for r in rows]
    if as_json:
        print_json({"reports": out})
        return
    t = Table("strike day", "place", "located as", "strikes", "targets")
    for r in out:
        tg = ", ".join(
            f"{x['action']} {x['count'] if x['count'] is not None else '?'} {x['kind']}"
            for x in r["targets"]
        )
        t.add_row(str(r["strike_date"]), r["place_name"], r["located_as"] or "-",
                  str(r["strikes"]), tg[:80])  # fmt: skip
    Console().print(t)
