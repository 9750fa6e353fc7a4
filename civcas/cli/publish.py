"""`civcas publish --static DIR` and `civcas verify-site DIR`: the public side as a
signed static site, and its check (civcas.publish; docs/publish.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .common import build_filter, filter_options, get_store, handle_errors, print_json


@click.command("publish")
@click.option(
    "--static",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to publish into (created; a second run rewrites only what changed).",
)
@filter_options
@click.option(
    "--lang", "langs", default="en,ar", show_default=True, help="Languages, first at the root."
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Where the site will be served (recorded in the manifest).",
)
@click.option(
    "--downloads/--no-downloads",
    default=True,
    show_default=True,
    help="Rebuild the CSV/GeoJSON/JSON downloads (--no-downloads keeps the last build's).",
)
@click.option(
    "--checkpoint", "make_checkpoint", is_flag=True, help="Sign a new audit checkpoint first."
)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes for incident pages (default: the cores, at most 4).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.pass_context
@handle_errors
def publish(
    ctx: click.Context,
    out: Path,
    langs: str,
    base_url: str | None,
    downloads: bool,
    make_checkpoint: bool,
    processes: int | None,
    as_json: bool,
    **kw: Any,
) -> None:
    """Publish dashboard, map, incidents, victims, methodology and downloads as files any
    web server can serve, with a signed manifest.json."""
    from ..model.errors import InputError
    from ..model.urls import check_url
    from ..publish import publish_static

    f = build_filter(kw)
    chosen = tuple(x.strip() for x in langs.split(",") if x.strip())
    if not chosen:
        raise InputError("--lang: give at least one language")
    if base_url is not None:
        check_url(base_url)
    say = None if as_json else (lambda m: click.echo(m, err=True))
    try:
        rep = publish_static(
            get_store(ctx),
            out,
            f,
            langs=chosen,
            base_url=base_url,
            downloads=downloads,
            make_checkpoint=make_checkpoint,
            processes=processes,
            progress=say,
        )
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    if as_json:
        print_json(rep.to_json())
        return
    click.echo(
        f"{rep.out}: {rep.files:,} files ({rep.written:,} written, {rep.unchanged:,} unchanged,"
        f" {rep.removed:,} removed); {rep.incidents_rendered:,} of {rep.incidents:,} incident"
        f" pages rendered; snapshot {rep.snapshot[:16]}…; signed by key {rep.fingerprint}"
    )
    if rep.checkpoint_seq is None:
        click.echo(
            "note: no signed audit checkpoint yet (civcas audit checkpoint, or --checkpoint)",
            err=True,
        )


@click.command("verify-site")
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--key",
    "key",
    default=None,
    metavar="PUBLIC_KEY",
    help="The publisher's public key (base64, or a file holding it, a PEM key, or a manifest).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@handle_errors
def verify_site_cmd(site: Path, key: str | None, as_json: bool) -> None:
    """Check every file of a published site against its signed manifest (exit 1 on any
    difference, naming each file)."""
    from ..publish import verify_site
    from ..workflow.keys import load_public

    pub = load_public(key) if key else None
    rep = verify_site(site, pub)
    if as_json:
        print_json(rep.to_json())
    else:
        for rel in rep.changed:
            click.echo(f"changed: {rel}")
        for rel in rep.missing:
            click.echo(f"missing: {rel}")
        for rel in rep.extra:
            click.echo(f"extra: {rel}")
        for p in rep.problems:
            click.echo(f"problem: {p}")
        verdict = "OK" if rep.ok else "FAILED"
        click.echo(f"{verdict}: {rep.files:,} files checked; signed by key {rep.fingerprint}")
        if key is None and rep.signature_ok:
            click.echo(
                "compare this fingerprint with the one the publisher announces elsewhere "
                "(or pass --key): anyone can sign a site with a key of their own"
            )
    sys.exit(0 if rep.ok else 1)
