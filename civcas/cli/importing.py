"""`civcas import KIND PATH`: one importer per sub-command, all-or-nothing by default."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..io.importers import import_file
from ..io.pipeline import ImportResult
from .common import get_store, handle_errors, print_json


def _total(kind: str, path: Path) -> int | None:
    """Rows to expect, for the progress bar (a quick line count; None when unknown)."""
    try:
        if kind == "airwars-archive":
            from ..io.airwars import count_cases

            return count_cases(path)
        if path.suffix.lower() == ".csv":
            with path.open("rb") as fh:
                return max(
                    sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1, 0
                )
    except Exception:  # noqa: BLE001 - a bar without a total is fine
        return None
    return None


def summary(result: ImportResult, console: Console) -> None:
    console.print(
        f"[bold]{result.path}[/bold]: {result.rows_read:,} rows read · "
        f"[green]{result.inserted:,} inserted[/green] · {result.updated:,} updated · "
        f"{result.unchanged:,} unchanged · [red]{result.rejected:,} rejected[/red]"
    )
    if result.reject_file:
        console.print(f"Rejected rows written to {result.reject_file}")
    for field, values in sorted(result.unmapped.items()):
        shown = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        head = ", ".join(f"{v!r} ×{n}" for v, n in shown[:8])
        more = f" … and {len(shown) - 8} more" if len(shown) > 8 else ""
        console.print(
            f"[yellow]not mapped[/yellow] {field}: {sum(values.values()):,} values ({head}{more})"
        )


def _run(ctx: click.Context, kind: str, path: str, as_json: bool, **kw: Any) -> None:
    p = Path(path)
    console = Console(stderr=True)
    with Progress(
        TextColumn(f"importing {kind}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=as_json,
        transient=True,
        # no refresh thread: a single-threaded process may fork the import's reader
        # process (civcas/io/worker.py); the bar is redrawn from advance() instead
        auto_refresh=False,
    ) as bar:
        task = bar.add_task(kind, total=_total(kind, p))
        seen = [0]
        drawn = [time.monotonic()]

        def advance(n: int) -> None:  # counted every 500 rows, redrawn 10 times a second
            seen[0] += n
            if seen[0] >= 500:
                bar.advance(task, seen[0])
                seen[0] = 0
                if time.monotonic() - drawn[0] >= 0.1:
                    bar.refresh()
                    drawn[0] = time.monotonic()

        result = import_file(get_store(ctx), kind, p, progress=advance, **kw)
        bar.advance(task, seen[0])
    if as_json:
        print_json(result.to_json())
    else:
        summary(result, Console())


def _common(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")(fn)
    fn = click.option(
        "--reject-file",
        "reject_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Where --skip-invalid writes the bad rows (default: FILE.rejects.csv).",
    )(fn)
    fn = click.option(
        "--skip-invalid",
        is_flag=True,
        help="Import the good rows; write bad ones to a reject file.",
    )(fn)
    return fn


@click.group("import")
def import_group() -> None:
    """Import a file (all-or-nothing unless --skip-invalid). Re-importing changes nothing."""


def _simple(kind: str, arg: str, help_text: str, exists_dir: bool = False) -> None:
    @import_group.command(kind, help=help_text)
    @click.argument(
        arg, type=click.Path(exists=True, file_okay=not exists_dir, dir_okay=exists_dir)
    )
    @_common
    @click.pass_context
    @handle_errors
    def cmd(ctx: click.Context, as_json: bool, **kw: Any) -> None:
        _run(ctx, kind, kw.pop(arg.lower()), as_json, **kw)


_simple(
    "airwars-archive",
    "DIR",
    "Airwars archive directory (data/cases-summary.json, cases/NNNN/data.json).",
    True,
)
_simple("ibc", "FILE", "Iraq Body Count incidents CSV (ibc-incidents.csv).")
_simple("civcas-json", "FILE", "civcas's own JSON export (civcas export --format json).")

_ACTORS_HELP = (
    "YAML file of actor -> belligerent rules per country and period, tried before"
    " civcas's own (civcas/io/mappings/actors.yaml; docs/io.md)."
)


def _events(kind: str, help_text: str) -> None:
    """An importer of conflict-event exports: a FILE and the optional actor rules."""

    @import_group.command(kind, help=help_text)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option(
        "--actors", type=click.Path(exists=True, dir_okay=False, path_type=Path), help=_ACTORS_HELP
    )
    @_common
    @click.pass_context
    @handle_errors
    def cmd(ctx: click.Context, file: str, as_json: bool, **kw: Any) -> None:
        _run(ctx, kind, file, as_json, **kw)


_events("ucdp-ged", "UCDP GED events CSV (GED codebook columns).")
_events("acled", "ACLED events, CSV or XLSX (ACLED codebook columns, any case).")


@import_group.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--mapping",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON/YAML column mapping (see docs/io.md).",
)
@_common
@click.pass_context
@handle_errors
def import_csv(ctx: click.Context, file: str, as_json: bool, **kw: Any) -> None:
    """Any CSV or XLSX file, through a column mapping."""
    _run(ctx, "csv", file, as_json, **kw)


@import_group.command("strike-releases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON/YAML column mapping for another release CSV (see docs/strikes.md).",
)
@click.option("--party", default=None, help="Who declared the strikes (default: US-led Coalition).")
@click.option(
    "--lag-days",
    type=int,
    default=None,
    help="The strikes of a release are those of this many days before its date (default 1).",
)
@click.option("--skip-invalid", is_flag=True, help="Import the good rows; list the bad ones.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@handle_errors
def import_strike_releases_cmd(ctx: click.Context, file: Path, as_json: bool, **kw: Any) -> None:
    """A belligerent's strike releases ("Near PLACE, N strikes ..." lines), as strike reports."""
    from .strikes import run_import

    run_import(get_store(ctx), file, as_json, **kw)
