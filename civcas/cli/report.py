"""`civcas report`: the self-contained HTML (and PDF) report for a filter."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import click

from .common import build_filter, filter_options, get_store, handle_errors


@click.command("report")
@filter_options
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="HTML file to write.",
)
@click.option("--pdf", is_flag=True, help="Also print it to a PDF next to the HTML.")
@click.option("--title", default=None, help="Title at the top of the report.")
@click.pass_context
@handle_errors
def report(ctx: click.Context, output: Path, pdf: bool, title: str | None, **kw: Any) -> None:
    """Headline, charts, map, tables, methodology, appendix and a reproducibility stamp."""
    from ..report.html import build_report

    f = build_filter(kw)
    command = "civcas " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    html = build_report(get_store(ctx), f, command, title=title)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    click.echo(f"Wrote {output} ({len(html.encode()) / 1e6:.1f} MB)")
    if pdf:
        from ..report.pdf import write_pdf

        out = output.with_suffix(".pdf")
        engine = write_pdf(html, out)
        click.echo(f"Wrote {out} (via {engine})")
