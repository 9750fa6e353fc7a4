"""What every command shares: the store, the filter options, errors, output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..model.errors import CivcasError, InputError, NotFoundError
from ..model.filters import IncidentFilter

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported when a command needs it
    from ..store.engine import Store

F = TypeVar("F", bound=Callable[..., Any])


def get_store(ctx: click.Context) -> Store:
    from ..store.engine import Store

    obj = ctx.find_root().obj or {}
    if "store" not in obj:
        obj["store"] = Store(obj.get("db"))
        ctx.find_root().obj = obj
    store: Store = obj["store"]
    return store


def filter_options(fn: F) -> F:
    """--from --to --belligerent --governorate --grades --near, shared by every view."""
    opts = [
        click.option("--from", "date_from", metavar="YYYY-MM-DD", help="First date (inclusive)."),
        click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Last date (inclusive)."),
        click.option(
            "--belligerent", metavar="NAME", help="Incidents where NAME is a suspected belligerent."
        ),
        click.option("--governorate", metavar="NAME", help="English or Arabic governorate name."),
        click.option("--grades", metavar="G1,G2", help="Grades to include, e.g. Confirmed,Fair."),
        click.option("--near", metavar="LAT,LON,KM", help="Within KM of a point."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def build_filter(kw: dict[str, Any]) -> IncidentFilter:
    return IncidentFilter.parse(
        date_from=kw.pop("date_from", None),
        date_to=kw.pop("date_to", None),
        belligerent=kw.pop("belligerent", None),
        governorate=kw.pop("governorate", None),
        grades=kw.pop("grades", None),
        near=kw.pop("near", None),
    )


def handle_errors(fn: F) -> F:
    """Library errors become a clear message on stderr and exit 1 (bad input)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (InputError, NotFoundError, CivcasError) as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def print_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))
