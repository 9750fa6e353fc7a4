"""`civcas demo`: load the embedded Raqqa 2017 demo into a fresh database, print the headline."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from sqlalchemy.engine import make_url

from ..io.demo import DEMO_SCOPE, attribution, load_demo
from ..model.filters import IncidentFilter
from ..store.engine import Store, resolve_url
from ..tally import tally
from .common import handle_errors
from .tally import headline, render, scope


def _fresh_sqlite(url: str) -> None:
    """Delete a SQLite file that holds only demo data (or nothing), so the load is fresh."""
    db = make_url(url).database
    if not db or db == ":memory:" or not Path(db).exists():
        return
    store = Store(url, upgrade=False)
    try:
        from sqlalchemy import inspect, text

        if "incident" in inspect(store.engine).get_table_names():
            with store.connect() as conn:
                others = conn.execute(
                    text("SELECT count(*) FROM incident WHERE source_kind != 'airwars'")
                ).scalar_one()
                total = conn.execute(text("SELECT count(*) FROM incident")).scalar_one()
            if others or total > 547:
                raise click.ClickException(
                    f"{db} holds other records ({total:,} incidents); not replacing it. "
                    "Give another database: civcas --db demo.db demo"
                )
    finally:
        store.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)


@click.command("demo")
@click.option("--full", is_flag=True, help="Also print the tables by grade, assessment and month.")
@click.pass_context
@handle_errors
def demo(ctx: click.Context, full: bool) -> None:
    """Load Airwars' 547 Raqqa coalition incidents (Jun–Oct 2017) and print the headline."""
    url = resolve_url((ctx.find_root().obj or {}).get("db"))
    if make_url(url).get_backend_name() == "sqlite":
        _fresh_sqlite(url)
    store = Store(url)
    ctx.find_root().obj = {**(ctx.find_root().obj or {}), "store": store}
    result = load_demo(store)
    console = Console()
    console.print(
        f"Loaded the Raqqa 2017 demo into {url}: {result.inserted:,} inserted, "
        f"{result.unchanged:,} unchanged."
    )
    t = tally(store, IncidentFilter.parse(**DEMO_SCOPE))
    if full:
        render(t, console)  # names the scope itself
    else:
        console.print(f"Scope: {scope(t.filter)}.")
        console.print(f"[bold]{headline(t)}[/bold]")
    console.print(f"[dim]Source: {attribution()['source']}. See civcas/demo/README.md.[/dim]")
