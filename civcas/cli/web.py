"""`civcas serve`: the web dashboard and JSON API on one URL."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from ..model.errors import MissingExtraError
from .common import get_store, handle_errors


@click.command("serve")
@click.option(
    "--demo", is_flag=True, help="Serve the embedded Raqqa 2017 demo (a fresh temporary database)."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (each opens its own connections).",
)
@click.option(
    "--basemap",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A local PMTiles file of vector tiles (e.g. an OpenStreetMap extract) drawn under "
    "the map, served from this machine (env CIVCAS_BASEMAP).",
)
@click.pass_context
@handle_errors
def serve(
    ctx: click.Context, demo: bool, host: str, port: int, workers: int, basemap: str | None
) -> None:
    """Serve the public dashboard, pages and JSON API (published incidents only)."""
    try:
        import uvicorn
    except ImportError:
        raise MissingExtraError("uvicorn", "web") from None
    if basemap:
        from ..web.basemap import ENV, BasemapError, read_header

        try:
            found = read_header(basemap)
        except BasemapError as exc:
            raise click.UsageError(str(exc)) from None
        os.environ[ENV] = str(found.path)
        click.echo(f"Basemap: {found.path} (zoom {found.min_zoom}-{found.max_zoom})")
    if demo:
        from ..io.demo import load_demo
        from ..store.engine import Store

        tmp = Path(tempfile.mkdtemp(prefix="civcas-demo-")) / "demo.db"
        url = f"sqlite:///{tmp}"
        result = load_demo(Store(url))
        click.echo(f"Loaded the demo: {result.inserted + result.unchanged} incidents into {tmp}")
    else:
        store = get_store(ctx)
        url = store.url
        store.dispose()
    os.environ["CIVCAS_DB"] = url
    click.echo(f"civcas is serving on http://{host}:{port}  (Ctrl+C to stop)")
    uvicorn.run(
        "civcas.web.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
