"""The `civcas` command: a thin adapter over the library.

Sub-commands are loaded lazily (importing Splink or FastAPI only when asked), listed
here by name -> "module:attribute". Each command module stays small and calls one library
function per command.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import click

from .. import __version__

COMMANDS: dict[str, str] = {
    "import": "civcas.cli.importing:import_group",
    "export": "civcas.cli.exporting:export",
    "tally": "civcas.cli.tally:tally_cmd",
    "demo": "civcas.cli.demo:demo",
    "db": "civcas.cli.db:db",
    "serve": "civcas.cli.web:serve",
    "report": "civcas.cli.report:report",
    "estimate": "civcas.cli.estimate:estimate",
    "link": "civcas.cli.link:link",
    "link-eval": "civcas.cli.link:link_eval",
    "link-review": "civcas.cli.link:review",
    "simulate-lists": "civcas.cli.link:simulate_lists",
    "extract": "civcas.cli.extract:extract",
    "extract-eval": "civcas.cli.extract:extract_eval",
    "user": "civcas.cli.workflow:user",
    "audit": "civcas.cli.workflow:audit",
    "evidence": "civcas.cli.workflow:evidence",
    "backup": "civcas.cli.workflow:backup",
    "restore": "civcas.cli.workflow:restore",
    "conflicts": "civcas.cli.conflicts:conflicts",
    "strikes": "civcas.cli.strikes:strikes",
    "publish": "civcas.cli.publish:publish",
    "verify-site": "civcas.cli.publish:verify_site_cmd",
    "tasks": "civcas.cli.tasks:tasks",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _available(name))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                return None
            raise
        cmd: Any = getattr(mod, attr)
        return cmd  # type: ignore[no-any-return]


def _available(name: str) -> bool:
    module = COMMANDS[name].split(":")[0]
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_url",
    envvar="CIVCAS_DB",
    default=None,
    metavar="URL",
    help="SQLAlchemy URL or SQLite file (default: civcas.db; env CIVCAS_DB).",
)
@click.version_option(__version__, prog_name="civcas")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None) -> None:
    """civcas: civilian-harm monitoring from reports to published figures."""
    ctx.obj = {"db": db_url}


def main() -> None:
    # Everything the command writes (exports, reports, `serve`'s files) is for its owner
    # only: the record holds witness identities. The library also creates its own
    # sensitive files 0600 / folders 0700 whatever the umask; this covers the rest.
    # (Set here, not in the group callback, so that tests invoking ``cli`` in-process
    # do not change the test runner's umask.)
    os.umask(0o077)
    cli(prog_name="civcas")


if __name__ == "__main__":
    main()
