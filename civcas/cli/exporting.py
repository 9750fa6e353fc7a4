"""`civcas export --format csv|json|geojson|ucdp-ged [filters] -o FILE`."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..io.export import FORMATS, LOSSES
from ..io.export import export as export_records
from .common import build_filter, filter_options, get_store, handle_errors


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Output format.")
@filter_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default="-",
    help="Output file (default: stdout).",
)
@click.pass_context
@handle_errors
def export(ctx: click.Context, fmt: str, output: str, **kw: Any) -> None:
    """Export the matching incidents (what each format leaves out: docs/io.md)."""
    f = build_filter(kw)
    store = get_store(ctx)
    if output == "-":
        n = export_records(store, fmt, f, sys.stdout)
    else:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            n = export_records(store, fmt, f, fh)
    if output != "-":
        click.echo(f"wrote {n:,} incidents to {output} ({fmt}). Left out: {LOSSES[fmt]}", err=True)
