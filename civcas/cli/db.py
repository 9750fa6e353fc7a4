"""`civcas db upgrade|current`: schema migrations."""

from __future__ import annotations

import click

from ..store.engine import Store
from .common import handle_errors


@click.group("db")
def db() -> None:
    """Database schema: migrate and inspect."""


@db.command("upgrade")
@click.pass_context
@handle_errors
def upgrade(ctx: click.Context) -> None:
    """Apply every pending migration (safe to run again)."""
    store = Store(ctx.find_root().obj.get("db"), upgrade=False)
    store.upgrade()
    click.echo(f"{store.url}: at {', '.join(store.current_revisions())}")


@db.command("current")
@click.pass_context
@handle_errors
def current(ctx: click.Context) -> None:
    """Show the schema revision(s) the database is at."""
    store = Store(ctx.find_root().obj.get("db"), upgrade=False)
    click.echo(", ".join(store.current_revisions()) or "(empty database)")
