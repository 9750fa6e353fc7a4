"""`civcas user|audit|evidence|backup|restore`: thin adapters over civcas.workflow.

Commands run with the authority of whoever can open the database (as the lead's `db`
commands do); revisions name them as ``cli:<login name>``.
"""

from __future__ import annotations

import getpass
import os
import sys

import click

from .common import get_store, handle_errors, print_json


def _actor():  # type: ignore[no-untyped-def]
    from ..workflow.roles import Actor

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = str(os.getuid())
    return Actor(f"cli:{who}", "admin")


@click.group()
def user() -> None:
    """Accounts: add, list, set-role, disable, enable, passwd, token."""


@user.command("add")
@click.argument("name")
@click.option(
    "--role", required=True, help="public, contributor, researcher, reviewer, admin, volunteer"
)
@click.option("--password", default=None, help="Prompted (hidden, twice) when omitted.")
@click.pass_context
@handle_errors
def user_add(ctx: click.Context, name: str, role: str, password: str | None) -> None:
    from ..workflow import accounts

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    u = accounts.add_user(get_store(ctx), _actor(), name, role, password)
    click.echo(f"added {u['name']} ({u['role']})")


@user.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def user_list(ctx: click.Context, as_json: bool) -> None:
    from ..workflow import accounts

    users = accounts.list_users(get_store(ctx), _actor())
    if as_json:
        print_json(users)
        return
    for u in users:
        flag = "  (disabled)" if u["disabled"] else ""
        click.echo(f"{u['name']:<24} {u['role']:<12}{flag}")


@user.command("set-role")
@click.argument("name")
@click.argument("role")
@click.pass_context
@handle_errors
def user_set_role(ctx: click.Context, name: str, role: str) -> None:
    from ..workflow import accounts

    u = accounts.set_role(get_store(ctx), _actor(), name, role)
    click.echo(f"{u['name']} is now {u['role']}")


@user.command("disable")
@click.argument("name")
@click.pass_context
@handle_errors
def user_disable(ctx: click.Context, name: str) -> None:
    from ..workflow import accounts

    accounts.disable(get_store(ctx), _actor(), name)
    click.echo(f"{name} is disabled (sessions and tokens stop working)")


class _TokenGroup(click.Group):
    """`user token NAME` (the older form) still means `user token create NAME`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["create", *args]
        return super().parse_args(ctx, args)


@user.group("token", cls=_TokenGroup)
def user_token() -> None:
    """API tokens: create, list, revoke (send one as `Authorization: Bearer`)."""


@user_token.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
@click.pass_context
@handle_errors
def token_create(ctx: click.Context, name: str, label: str) -> None:
    """Print a new API token for NAME (shown once; only its hash is stored)."""
    from ..workflow import accounts

    click.echo(accounts.create_token(get_store(ctx), _actor(), name, label))


@user_token.command("list")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def token_list(ctx: click.Context, name: str | None, as_json: bool) -> None:
    """Tokens of NAME (or everyone's): id, label, created, last used. Never the secret."""
    from ..workflow import accounts

    rows = accounts.list_tokens(get_store(ctx), _actor(), name)
    if as_json:
        print_json(rows)
        return
    for t in rows:
        state = "revoked" if t["revoked"] else "active"
        click.echo(
            f"{t['id']:>5} {t['user']:<20} {state:<8} created {t['created_at']}"
            f"  last used {t['last_used_at'] or 'never'}  {t['label'] or ''}"
        )


@user_token.command("revoke")
@click.argument("token_id", type=int)
@click.pass_context
@handle_errors
def token_revoke(ctx: click.Context, token_id: int) -> None:
    """Revoke token TOKEN_ID (see `user token list`): refused from the next request."""
    from ..workflow import accounts

    accounts.revoke_token(get_store(ctx), _actor(), token_id)
    click.echo(f"token {token_id} is revoked")


@user.command("passwd")
@click.argument("name")
@click.option("--password", default=None, help="Prompted (hidden, twice) when omitted.")
@click.pass_context
@handle_errors
def user_passwd(ctx: click.Context, name: str, password: str | None) -> None:
    """Set NAME's password (12+ characters, not easy to guess); ends their sessions."""
    from ..workflow import accounts

    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    accounts.change_password(get_store(ctx), _actor(), name, password)
    click.echo(f"password of {name} changed; their sessions are ended")


@user.command("enable")
@click.argument("name")
@click.pass_context
@handle_errors
def user_enable(ctx: click.Context, name: str) -> None:
    """Enable a disabled account again."""
    from ..workflow import accounts

    accounts.enable(get_store(ctx), _actor(), name)
    click.echo(f"{name} is enabled")


@click.group()
def audit() -> None:
    """The audit trail: verify the hash chain, read the log."""


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A signed checkpoint (civcas audit checkpoint --out): prove the chain extends it.",
)
@click.pass_context
@handle_errors
def audit_verify(ctx: click.Context, as_json: bool, checkpoint_file: str | None) -> None:
    """Check the hash chain, then every record against the state the chain holds for it.

    One line per problem (table, field, record); exit 1 when there is any.
    """
    import json as _json

    from ..model.errors import InputError
    from ..workflow import audit as lib

    cp = None
    if checkpoint_file:
        try:
            cp = _json.loads(open(checkpoint_file, encoding="utf-8").read())
        except ValueError as exc:
            raise InputError(f"not a checkpoint: {exc}", checkpoint_file) from exc
        if not isinstance(cp, dict):
            raise InputError("not a checkpoint", checkpoint_file)
    rep = lib.verify(get_store(ctx), checkpoint=cp)
    if as_json:
        print_json(rep.to_json())
    elif rep.ok:
        extra = ""
        if rep.checkpoint:
            extra = f"; extends the checkpoint at revision {rep.checkpoint['seq']}"
        click.echo(f"audit chain OK: {rep.revisions} revisions, {rep.records} records{extra}")
    else:
        for p in rep.problems:
            if p["table"] == "wf_revision":
                where = f"revision {p['seq']}" if p.get("seq") is not None else "the chain"
            else:
                where = f"{p['table']}.{p['field']} of {p['code']}"
            click.secho(f"{where}: {p['problem']}", fg="red", err=True)
        click.secho(f"audit chain BROKEN: {len(rep.problems)} problem(s)", fg="red", err=True)
    if not rep.ok:
        sys.exit(1)


@audit.command("checkpoint")
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None, help="Also save it to this file."
)
@click.pass_context
@handle_errors
def audit_checkpoint(ctx: click.Context, out: str | None) -> None:
    """Sign {seq, chain head, snapshot hash, time} with the installation key and print it.

    Keep checkpoints outside the installation (send them to a partner, publish them):
    `civcas audit verify --checkpoint FILE` later proves the history still extends it.
    """
    import json as _json

    from ..workflow import audit as lib

    doc = lib.make_checkpoint(get_store(ctx))
    text = _json.dumps(doc, indent=2) + "\n"
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    click.echo(text, nl=False)


@audit.command("key")
@click.pass_context
@handle_errors
def audit_key(ctx: click.Context) -> None:
    """Print the installation's public key (give it to whoever restores its backups or
    checks its checkpoints: --trust) and where the private key is (created if missing)."""
    from ..workflow import keys

    store = get_store(ctx)
    path = keys.key_path(store)
    pub = keys.public_b64(keys.load_private(path))
    click.echo(pub)
    click.echo(f"fingerprint {keys.fingerprint(pub)}; private key: {path}", err=True)


@audit.command("baseline")
@click.option("--reason", required=True, help="Why the record as it is now is taken in.")
@click.pass_context
@handle_errors
def audit_baseline(ctx: click.Context, reason: str) -> None:
    """Take the record as it is now into the chain (admin): records from before the
    chain held states. Whatever was changed outside civcas before this is taken in too:
    run `audit verify` first and read what it reports."""
    from ..workflow import audit as lib

    n = lib.baseline(get_store(ctx), _actor(), reason)
    click.echo(f"{n} record(s) taken into the chain" if n else "nothing to take in")


@audit.command("log")
@click.option("--since", metavar="YYYY-MM-DD[THH:MM]", help="Revisions at or after this time.")
@click.option("--user", "user_name", metavar="NAME", help="Only this actor's revisions.")
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def audit_log(
    ctx: click.Context, since: str | None, user_name: str | None, limit: int | None, as_json: bool
) -> None:
    from ..workflow import audit as lib

    rows = lib.log(get_store(ctx), since=since, user=user_name, limit=limit)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        why = f"  ({r['reason']})" if r["reason"] else ""
        click.echo(
            f"{r['seq']:>6} {r['at']} {r['actor']:<16} {r['action']:<20} "
            f"{r['entity']}:{r['entity_key']}{why}"
        )


@click.group()
def evidence() -> None:
    """Evidence files, stored by SHA-256: add, verify."""


@evidence.command("add")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--source-id", type=int, default=None, help="Attach to this source row.")
@click.option("--kind", type=click.Choice(["file", "web_capture"]), default="file")
@click.option("--url", default=None, help="Where a web capture was taken from.")
@click.pass_context
@handle_errors
def evidence_add(
    ctx: click.Context, path: str, source_id: int | None, kind: str, url: str | None
) -> None:
    from ..workflow import evidence as lib

    r = lib.add(get_store(ctx), _actor(), path, source_id=source_id, kind=kind, url=url)
    click.echo(f"{r['sha256']}  {r['original_name']}")


@evidence.command("verify")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handle_errors
def evidence_verify(ctx: click.Context, as_json: bool) -> None:
    from ..workflow import evidence as lib

    rep = lib.verify(get_store(ctx))
    if as_json:
        print_json(rep)
    else:
        for m in rep["missing"]:
            click.secho(f"MISSING   {m['sha256']}  {m['path']}", fg="red", err=True)
        for m in rep["mismatched"]:
            click.secho(
                f"MISMATCH  {m['sha256']}  {m['path']} (now {m['actual']})", fg="red", err=True
            )
        click.echo(
            f"{rep['checked']} evidence files checked in {rep['directory']}: "
            + ("all match" if rep["ok"] else "PROBLEMS FOUND")
        )
    if not rep["ok"]:
        sys.exit(1)


def _passphrase(file: str | None, *, confirm: bool) -> str:
    if file:
        with open(file, encoding="utf-8") as fh:
            text = fh.readline().rstrip("\r\n")
        if not text:
            raise click.BadParameter(f"{file}: the first line (the passphrase) is empty")
        return text
    return str(click.prompt("Backup passphrase", hide_input=True, confirmation_prompt=confirm))


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--encrypt", is_flag=True, help="Encrypt with a passphrase (asked for, twice).")
@click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Encrypt with the passphrase on this file's first line (implies --encrypt).",
)
@click.pass_context
@handle_errors
def backup(ctx: click.Context, file: str, encrypt: bool, passphrase_file: str | None) -> None:
    """Write a consistent backup (database, evidence, manifest of SHA-256 signed with the
    installation key) to FILE; optionally encrypted (it holds witness identities)."""
    from ..workflow import backup as lib

    pw = _passphrase(passphrase_file, confirm=True) if encrypt or passphrase_file else None
    m = lib.backup(get_store(ctx), file, passphrase=pw)
    how = ", encrypted" if pw else ""
    click.echo(
        f"backup written to {file}: {len(m['members'])} members ({m['dialect']}), signed by"
        f" key {m['signature']['public_key']}{how}"
    )


def _size(value: str) -> int:
    """``123``, ``500M``, ``64G``: bytes."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    v = value.strip().upper().removesuffix("B")
    try:
        if v and v[-1] in units:
            return int(float(v[:-1]) * units[v[-1]])
        return int(v)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: expected bytes, or a number with K, M, G or T"
        ) from None


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database contents.")
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Restore even a backup with no incidents (it empties the record).",
)
@click.option(
    "--max-size",
    default="64G",
    show_default=True,
    help="Refuse a backup that unpacks to more than this (K, M, G, T suffixes).",
)
@click.option(
    "--trust",
    multiple=True,
    metavar="PUBLIC_KEY",
    help="Accept a backup signed by this key (base64, or a file holding it): another"
    " installation's. Repeatable.",
)
@click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="The passphrase of an encrypted backup (first line); asked for otherwise.",
)
@click.option(
    "--allow-unsigned",
    is_flag=True,
    help="Restore a backup with no signature (made before signatures). Its hashes are"
    " still checked, but anyone could have written them.",
)
@click.pass_context
@handle_errors
def restore(
    ctx: click.Context,
    file: str,
    yes: bool,
    allow_empty: bool,
    max_size: str,
    trust: tuple[str, ...],
    passphrase_file: str | None,
    allow_unsigned: bool,
) -> None:
    """Verify FILE, then replace the contents of the --db database with it.

    Nothing is written unless the manifest is signed by this installation's key (or a
    --trust key) and every member of FILE is a plain file a backup holds and matches the
    manifest's SHA-256.
    """
    from ..workflow import backup as lib
    from ..workflow import crypt

    limit = _size(max_size)
    store = get_store(ctx)
    if not yes:
        click.confirm(f"Replace everything in {store.url} with {file}?", abort=True)
    pw = None
    if crypt.is_encrypted(file):
        pw = _passphrase(passphrase_file, confirm=False)
    m = lib.restore(
        store,
        file,
        allow_empty=allow_empty,
        max_bytes=limit,
        trust=list(trust),
        passphrase=pw,
        allow_unsigned=allow_unsigned,
    )
    click.echo(f"restored {file} (made {m['created_at']}) into {store.url}")
