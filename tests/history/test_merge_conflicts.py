"""The conflict queue: listed and resolved from the CLI, the JSON API and the page.

Taking the source's value is an edit (the chain has it, the publication gate applies)
and hands the field back to the source: the next import updates it again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from merge_helpers import by_code, import_source, write_source
from wf_helpers import ADMIN, PASSWORD

from civcas.cli.main import cli
from civcas.store import Store
from civcas.store import workflow as sw
from civcas.web import create_app
from civcas.workflow import Actor, accounts, audit, conflicts, editing

RITA = Actor("rita", "reviewer")
REX = Actor("rex", "researcher")


def _revise(killed: list[int], grade: str) -> Any:
    def change(recs: list[dict[str, Any]]) -> None:
        cs = by_code(recs, "CS1611")
        cs["killed"] = killed
        cs["grade"] = grade

    return change


@pytest.fixture
def queued(tmp_path: Path) -> tuple[Store, str]:
    """CS1611 with killed_max and grade set by people, then a source revising both."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    store = Store(url)
    import_source(store, write_source(tmp_path / "a.json.gz"))
    accounts.add_user(store, ADMIN, "rita", "reviewer", PASSWORD)
    accounts.add_user(store, ADMIN, "rex", "researcher", PASSWORD)
    editing.edit(store, REX, "CS1611", {"killed_max": 50}, expected_version=None, reason="morgue")
    editing.grade(store, REX, "CS1611", "Confirmed", "conceded")
    res = import_source(store, write_source(tmp_path / "b.json.gz", _revise([28, 45], "Weak")))
    assert res.conflicts == 2
    return store, url


def _ids(store: Store) -> dict[str, int]:
    return {c["field"]: c["id"] for c in conflicts.list_conflicts(store, RITA)}


def test_cli_lists_and_resolves(queued: tuple[Store, str], tmp_path: Path) -> None:
    store, url = queued
    run = CliRunner()
    out = run.invoke(cli, ["--db", url, "conflicts", "list", "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert {(r["code"], r["field"], r["source_value"], r["team_value"]) for r in rows} == {
        ("CS1611", "killed_max", 45, 50),
        ("CS1611", "grade", "Weak", "Confirmed"),
    }
    assert {r["set_by"] for r in rows} == {"rex"} and "morgue" in {r["why"] for r in rows}
    ids = _ids(store)
    out = run.invoke(
        cli,
        ["--db", url, "conflicts", "resolve", str(ids["killed_max"]), "--keep", "source",
         "--reason", "the morgue count was revised"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    out = run.invoke(
        cli, ["--db", url, "conflicts", "resolve", str(ids["grade"]), "--keep", "team"]
    )
    assert out.exit_code == 0, out.output
    again = run.invoke(
        cli, ["--db", url, "conflicts", "resolve", str(ids["grade"]), "--keep", "team"]
    )
    assert again.exit_code != 0 and "already resolved" in again.output
    inc = editing.get(store, RITA, "CS1611")
    assert inc["killed_max"] == 45 and inc["grade"] == "Confirmed"
    assert conflicts.list_conflicts(store, RITA) == []
    actions = [r["action"] for r in audit.log(store, entity="incident", key="CS1611")]
    assert actions[-2:] == ["conflict.take_source", "conflict.keep_team"]
    assert audit.verify(store).ok
    # killed_max comes from the source again: the next revision of the source applies
    import_source(store, write_source(tmp_path / "c.json.gz", _revise([28, 46], "Fair")))
    inc = editing.get(store, RITA, "CS1611")
    assert inc["killed_max"] == 46  # the source's
    assert inc["grade"] == "Confirmed"  # still the team's, and a new conflict for it
    assert [(c["field"], c["source_value"]) for c in conflicts.list_conflicts(store, RITA)] == [
        ("grade", "Fair")
    ]


def _login(c: TestClient, name: str) -> str:
    r = c.post("/api/workflow/login", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return str(r.json()["csrf"])


def test_api_and_page(queued: tuple[Store, str]) -> None:
    store, _ = queued
    app = create_app(store, cache_ttl=0)
    ids = _ids(store)
    # a researcher may read the queue, not resolve it
    rc = TestClient(app)
    csrf = _login(rc, "rex")
    assert rc.get("/api/workflow/conflicts").status_code == 200
    r = rc.post(
        f"/api/workflow/conflicts/{ids['grade']}/resolve",
        json={"keep": "source"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 403
    assert rc.get("/work/conflicts").status_code == 403
    # the public nothing
    assert TestClient(app).get("/api/workflow/conflicts").status_code == 401
    # a reviewer: the JSON API
    c = TestClient(app)
    csrf = _login(c, "rita")
    listed = c.get("/api/workflow/conflicts").json()
    assert {x["field"] for x in listed} == {"killed_max", "grade"}
    r = c.post(f"/api/workflow/conflicts/{ids['grade']}/resolve", json={"keep": "source"})
    assert r.status_code == 403  # no CSRF token
    r = c.post(
        f"/api/workflow/conflicts/{ids['grade']}/resolve",
        json={"keep": "source", "reason": "Airwars downgraded it"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "took_source"
    assert editing.get(store, RITA, "CS1611")["grade"] == "Weak"
    bad = c.post(
        f"/api/workflow/conflicts/{ids['killed_max']}/resolve",
        json={"keep": "both"},
        headers={"X-CSRF-Token": csrf},
    )
    assert bad.status_code == 400
    # the page: one open conflict, its form carries the CSRF token, no inline script
    page = c.get("/work/conflicts")
    assert page.status_code == 200
    html = page.text
    assert f'id="conflict-{ids["killed_max"]}"' in html
    assert f'id="conflict-{ids["grade"]}"' not in html
    assert f'name="csrf_token" value="{csrf}"' in html
    assert "<script" not in html and "style=" not in html and "<style" not in html
    assert "content-security-policy" in {k.lower() for k in page.headers}
    r = c.post(
        f"/work/conflicts/{ids['killed_max']}/resolve",
        data={"keep": "team"},
        follow_redirects=False,
    )
    assert r.status_code == 403  # no CSRF token
    r = c.post(
        f"/work/conflicts/{ids['killed_max']}/resolve",
        data={"keep": "team", "reason": "the morgue list", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "No open conflicts" in c.get("/work/conflicts").text
    every = c.get("/work/conflicts?show=all").text
    assert re.search(r"kept_team \(rita: the morgue list\)", every)
    assert editing.get(store, RITA, "CS1611")["killed_max"] == 50
    with store.connect() as conn:
        assert sw.incident_row(conn, "CS1611") is not None
    assert audit.verify(store).ok
