"""`civcas user ...`: prompts, roles, disabling, tokens; bad input exits 1."""

from __future__ import annotations

import json

from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.store import Store
from civcas.workflow import accounts


def test_user_commands(tmp_path):
    db = str(tmp_path / "u.db")
    run = CliRunner().invoke
    r = run(
        cli,
        ["--db", db, "user", "add", "rita", "--role", "researcher"],
        input="a much longer passphrase\na much longer passphrase\n",
    )
    assert r.exit_code == 0, r.output
    store = Store(db)
    assert accounts.authenticate(store, "rita", "a much longer passphrase").role == "researcher"
    assert (
        run(
            cli, ["--db", db, "user", "add", "x", "--role", "boss", "--password", "12345678"]
        ).exit_code
        == 1
    )
    assert (
        run(
            cli, ["--db", db, "user", "add", "y", "--role", "admin", "--password", "short"]
        ).exit_code
        == 1
    )
    assert run(cli, ["--db", db, "user", "set-role", "rita", "reviewer"]).exit_code == 0
    token = run(cli, ["--db", db, "user", "token", "rita"]).output.strip()
    assert accounts.token_actor(store, token).role == "reviewer"  # type: ignore[union-attr]
    assert run(cli, ["--db", db, "user", "disable", "rita"]).exit_code == 0
    assert accounts.token_actor(store, token) is None
    users = json.loads(run(cli, ["--db", db, "user", "list", "--json"]).output)
    assert [(u["name"], u["role"], u["disabled"]) for u in users] == [("rita", "reviewer", True)]
    assert "password" not in json.dumps(users)
    assert run(cli, ["--db", db, "user", "disable", "nobody"]).exit_code == 1
    log = json.loads(run(cli, ["--db", db, "audit", "log", "--json"]).output)
    assert [r["action"] for r in log] == [
        "user.add",
        "user.set_role",
        "token.create",
        "user.disable",
    ]
