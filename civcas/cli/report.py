"""`civcas report`: the self-contained HTML (and PDF) report for a filter."""

from __future__ import annotations

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
@click.option("--title", default=None, help="Title at the top (default: one made from the scope).")
@click.option(
    "--lang",
    type=click.Choice(["en", "ar"]),
    default="en",
    show_default=True,
    help="Language of the edition (ar: Arabic, right to left).",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default="a4",
    show_default=True,
    help="Page size of the printed report.",
)
@click.option(
    "--appendix",
    "full_appendix",
    is_flag=True,
    help="List every incident in the appendix (default: the 25 with the most deaths).",
)
@click.pass_context
@handle_errors
def report(
    ctx: click.Context,
    output: Path,
    pdf: bool,
    title: str | None,
    lang: str,
    paper: str,
    full_appendix: bool,
    **kw: Any,
) -> None:
    """Title and credit, headline, charts, map, tables, methodology, the largest incidents
    (or all: --appendix) and a reproducibility stamp (snapshot and version, no paths)."""
    from ..report.html import build_report

    f = build_filter(kw)
    html = build_report(
        get_store(ctx),
        f,
        title=title,
        lang=lang,
        paper=paper,
        appendix="all" if full_appendix else "largest",
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    click.echo(f"Wrote {output} ({len(html.encode()) / 1e6:.1f} MB)")
    if pdf:
        from ..report.pdf import write_pdf

        out = output.with_suffix(".pdf")
        engine = write_pdf(html, out)
        click.echo(f"Wrote {out} (via {engine})")
