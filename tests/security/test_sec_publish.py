"""Issue 15: publication changes only with the publish permission, whatever the route.

The attack: a researcher (who may edit and link, but not publish) changes what the public
sees by another door than the publish button: marking an unpublished incident a duplicate
of a published one (its sources, victims and interview links go public), marking a
published incident a duplicate of an unpublished one (it vanishes from the public record),
a ``published`` field sent to the edit form or the JSON API, a create request carrying
``published``, a draft's acceptance, or a re-import that puts a reviewer's unpublished
incident back online.

Each route is replayed through the library (PermissionDenied) and through the real app
(``create_app``, a logged-in session with its CSRF token); the published state is read back
from the database, never inferred from a status code. A reviewer (publish permission) does
the same through the same routes and succeeds.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select
from wf_helpers import ADMIN, PASSWORD

from civcas.model.errors import InputError, NotFoundError
from civcas.store import Store
from civcas.store import drafts as store_drafts
from civcas.store.schema import incident
from civcas.web import create_app
from civcas.workflow import Actor, PermissionDenied, editing, interviews, protected

# ---- the world ---------------------------------------------------------------------------

HIDDEN_SOURCE = "https://example.org/unpublished-lead-U1"
HIDDEN_VICTIM = "Unpublished Victim Name U1"


@pytest.fixture
def world(store: Store, users: dict[str, Actor]) -> Store:
    """T0..T5 published (seeded); U1, U2 unpublished, U1 with a source, a victim and a
    consented interview that must not go public by a side door."""
    for code in ("U1", "U2"):
        editing.create(store, ADMIN, {"location_en": f"Hidden {code}"}, code=code)
    editing.add_child(store, ADMIN, "U1", "source", {"url": HIDDEN_SOURCE})
    editing.add_child(store, ADMIN, "U1", "victim", {"name": HIDDEN_VICTIM})
    interviews.add(
        store, ADMIN, {"code": "IV-U1", "consent": "yes", "date": "2017-07-02"}, incidents=["U1"]
    )
    return store


def published(store: Store, code: str) -> bool | None:
    """The stored published flag; None when the incident no longer exists under ``code``."""
    try:
        inc = editing.get(store, ADMIN, code)
    except NotFoundError:
        return None
    if inc["code"] != code:  # the code is now an alias of another incident
        return None
    return bool(inc["published"])


def public_text(store: Store, code: str) -> str:
    """Everything the public sees of one incident (JSON), or '' when it is not public."""
    c = TestClient(create_app(store, cache_ttl=0))
    r = c.get(f"/api/incidents/{code}")
    return r.text if r.status_code == 200 else ""


def source_urls(store: Store, code: str) -> set[str]:
    return {s["url"] for s in editing.get(store, ADMIN, code)["sources"]}


def login(store: Store, name: str) -> tuple[TestClient, str]:
    c = TestClient(create_app(store, cache_ttl=0))
    r = c.post("/api/workflow/login", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return c, str(r.json()["csrf"])


# ---- the library -------------------------------------------------------------------------


def test_library_publish_and_unpublish_need_the_permission(world, users):
    r, v = users["researcher"], users["reviewer"]
    with pytest.raises(PermissionDenied):
        editing.publish(world, r, "U1", True)
    with pytest.raises(PermissionDenied):
        editing.publish(world, r, "T3", False)
    assert published(world, "U1") is False and published(world, "T3") is True
    editing.publish(world, v, "U1", True)
    editing.publish(world, v, "T3", False)
    assert published(world, "U1") is True and published(world, "T3") is False


@pytest.mark.parametrize("value", [True, False, "1", "true", 1])
def test_library_edit_cannot_set_published(world, users, value):
    """``published`` is no editable field, for anyone: the publish route is the way."""
    for who in (users["researcher"], users["reviewer"]):
        for code in ("U1", "T3"):
            with pytest.raises((InputError, PermissionDenied)):
                editing.edit(world, who, code, {"published": value}, expected_version=None)
    assert published(world, "U1") is False and published(world, "T3") is True


def test_library_create_is_never_published(world, users):
    for who in (users["contributor"], users["researcher"], users["reviewer"], users["admin"]):
        with pytest.raises(InputError):
            editing.create(world, who, {"location_en": "x", "published": True}, code=f"P-{who}")
        inc = editing.create(world, who, {"location_en": "x"})
        assert published(world, inc["code"]) is False


def test_library_duplicate_into_published_is_a_publication(world, users):
    """U1 (unpublished) merged into T0 (published): U1's source, victim and interview
    would appear on the public record. A researcher is refused and nothing moves."""
    with pytest.raises(PermissionDenied):
        editing.mark_duplicate(world, users["researcher"], "U1", "T0", "same strike")
    assert published(world, "U1") is False
    assert HIDDEN_SOURCE in source_urls(world, "U1")
    assert HIDDEN_SOURCE not in source_urls(world, "T0")
    assert HIDDEN_SOURCE not in public_text(world, "T0")
    assert protected.public_interviews(world) == []
    # a reviewer may: the content is now public under T0
    editing.mark_duplicate(world, users["reviewer"], "U1", "T0", "same strike")
    assert published(world, "U1") is None and published(world, "T0") is True
    assert HIDDEN_SOURCE in public_text(world, "T0")
    assert len(protected.public_interviews(world)) == 1


def test_library_duplicate_into_unpublished_is_an_unpublication(world, users):
    """T3 (published) merged into U2 (unpublished): T3 would vanish from the public record."""
    before = public_text(world, "T3")
    assert before
    with pytest.raises(PermissionDenied):
        editing.mark_duplicate(world, users["researcher"], "T3", "U2", "same strike")
    assert published(world, "T3") is True and public_text(world, "T3") == before
    editing.mark_duplicate(world, users["reviewer"], "T3", "U2", "same strike")
    assert published(world, "T3") is None and published(world, "U2") is False
    assert public_text(world, "T3") == ""


def test_library_duplicate_within_one_state_stays_a_researchers_job(world, users):
    """Merging two published (or two unpublished) incidents hides and reveals nothing:
    every record stays as public as it was, so the link permission is enough."""
    r = users["researcher"]
    editing.mark_duplicate(world, r, "T5", "T4", "same strike")
    assert published(world, "T5") is None and published(world, "T4") is True
    assert "https://example.org/5" in public_text(world, "T4")
    editing.mark_duplicate(world, r, "U1", "U2", "same strike")
    assert published(world, "U1") is None and published(world, "U2") is False
    assert HIDDEN_SOURCE not in public_text(world, "U2")


def test_the_single_gate(users):
    """The one check every route goes through: a change of state needs publish."""
    r, v = users["researcher"], users["reviewer"]
    for before, after in ((False, True), (True, False)):
        with pytest.raises(PermissionDenied):
            editing.check_publication(r, "X", before, after)
        editing.check_publication(v, "X", before, after)
    editing.check_publication(r, "X", True, True)
    editing.check_publication(r, "X", False, False)


# ---- the real app, a logged-in session with its CSRF token ---------------------------------


def _api(path: str, body: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    return ("api", f"/api/workflow/incidents/{path}", body)


def _page(path: str, data: dict[str, str]) -> tuple[str, str, dict[str, Any]]:
    return ("page", f"/work/incidents/{path}", data)


# (what, request, the incident whose published state it tries to change, wanted state)
ATTEMPTS: dict[str, tuple[tuple[str, str, dict[str, Any]], str, bool]] = {
    "api publish": (_api("U1/publish", {}), "U1", True),
    "api unpublish": (_api("T3/unpublish", {}), "T3", False),
    "page publish": (_page("U1/publish", {"published": "1"}), "U1", True),
    "page unpublish": (_page("T3/publish", {"published": "0"}), "T3", False),
    "api duplicate into published": (
        _api("U1/duplicate", {"keep": "T0", "reason": "same"}),
        "U1",
        True,
    ),
    "api duplicate into unpublished": (
        _api("T3/duplicate", {"keep": "U2", "reason": "same"}),
        "T3",
        False,
    ),
    "page duplicate into published": (
        _page("U1/duplicate", {"keep": "T0", "reason": "same"}),
        "U1",
        True,
    ),
    "page duplicate into unpublished": (
        _page("T3/duplicate", {"keep": "U2", "reason": "same"}),
        "T3",
        False,
    ),
}
EDITS: dict[str, tuple[tuple[str, str, dict[str, Any]], str]] = {
    "api edit publishes": (_api("U1/edit", {"changes": {"published": True}}), "U1"),
    "api edit unpublishes": (_api("T3/edit", {"changes": {"published": False}}), "T3"),
    "page edit publishes": (_page("U1/edit", {"published": "1"}), "U1"),
    "page edit unpublishes": (_page("T3/edit", {"published": "0"}), "T3"),
}


def _send(c: TestClient, csrf: str, req: tuple[str, str, dict[str, Any]]) -> Any:
    kind, path, body = req
    if kind == "api":
        return c.post(path, json=body, headers={"X-CSRF-Token": csrf})
    return c.post(path, data={**body, "csrf_token": csrf}, follow_redirects=False)


def _public_state(store: Store, code: str) -> tuple[bool | None, bool, str]:
    """The incident's flag, whether U1's source is public on T0, the incident's public JSON."""
    return (
        published(store, code),
        HIDDEN_SOURCE in public_text(store, "T0"),
        public_text(store, code),
    )


@pytest.mark.parametrize("what", list(ATTEMPTS))
def test_web_researcher_is_refused(world, users, what):
    req, code, _want = ATTEMPTS[what]
    before = _public_state(world, code)
    c, csrf = login(world, users["researcher"].name)
    r = _send(c, csrf, req)
    assert r.status_code == 403, (what, r.status_code, r.text[:300])
    assert _public_state(world, code) == before
    assert protected.public_interviews(world) == []


@pytest.mark.parametrize("what", list(ATTEMPTS))
def test_web_reviewer_succeeds(world, users, what):
    req, code, want = ATTEMPTS[what]
    c, csrf = login(world, users["reviewer"].name)
    r = _send(c, csrf, req)
    assert r.status_code in (200, 303), (what, r.status_code, r.text[:300])
    if "duplicate" in what:
        assert published(world, code) is None  # merged away
        assert (HIDDEN_SOURCE in public_text(world, "T0")) is want
    else:
        assert published(world, code) is want


@pytest.mark.parametrize("what", list(EDITS))
@pytest.mark.parametrize("role", ["researcher", "reviewer"])
def test_web_edit_never_changes_published(world, users, what, role):
    req, code = EDITS[what]
    before = published(world, code)
    c, csrf = login(world, users[role].name)
    r = _send(c, csrf, req)
    # refused: 403 by role, or a field the edit does not take (422 names it, issue 24)
    assert r.status_code in (400, 403, 422), (what, r.status_code, r.text[:300])
    assert published(world, code) is before


@pytest.mark.parametrize("role", ["contributor", "researcher"])
def test_web_create_is_never_published(world, users, role):
    c, csrf = login(world, users[role].name)
    r = c.post(
        "/api/workflow/incidents",
        json={"fields": {"location_en": "x", "published": True}, "code": "NEW-API"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 422 and r.json()["error"]["parameter"] == "published"
    assert published(world, "NEW-API") is None
    r = c.post(
        "/work/incidents",
        data={"location_en": "x", "published": "1", "code": "NEW-PAGE", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert published(world, "NEW-PAGE") is False
    assert TestClient(create_app(world, cache_ttl=0)).get("/incidents/NEW-PAGE").status_code == 404


def test_web_accepting_a_draft_publishes_nothing(world, users):
    def codes() -> list[tuple[str, bool]]:
        with world.connect() as conn:
            rows = conn.execute(select(incident.c.code, incident.c.published)).all()
        return sorted((str(a), bool(b)) for a, b in rows)

    did = store_drafts.add_draft(
        world, {"source_id": "d1", "place": "Raqqa", "killed_min": 9, "killed_max": 9}
    )
    before = codes()
    c, csrf = login(world, users["researcher"].name)
    r = c.post(
        f"/work/drafts/{did}",
        data={"decision": "accepted", "into": "new", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert store_drafts.get_draft(world, did)["status"] == "accepted"
    after = codes()
    # the draft became a new incident, unpublished; nothing that existed changed state
    new = [c for c in after if c not in before]
    assert len(new) == 1 and new[0][1] is False
    assert len(after) == len(before) + 1
    assert set(before) <= set(after)


# ---- a re-import through the CLI --------------------------------------------------------

MAPPING = """source_kind: field-reports
id: Report no
code_prefix: ""
columns:
  location_en: Place
  killed_min: Killed (min)
  killed_max: Killed (max)
"""


def _write_csv(path: Path, killed_max: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Report no", "Place", "Killed (min)", "Killed (max)"])
        w.writerow(["FR-1", "Al-Mishlab", 3, killed_max])
        w.writerow(["FR-2", "Al-Sinaa", 1, 1])


def test_cli_reimport_does_not_republish(store, users, tmp_path):
    """A reviewer unpublished FR-1 (say its page put a witness at risk); the next import
    of the source file, with the row changed, updates its figures and keeps it hidden."""
    from civcas.cli.main import cli

    data, mapping = tmp_path / "reports.csv", tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    db = store.url
    run = CliRunner()

    def imp() -> None:
        res = run.invoke(cli, ["--db", db, "import", "csv", str(data), "--mapping", str(mapping)])
        assert res.exit_code == 0, res.output

    _write_csv(data, 5)
    imp()
    assert published(store, "FR-1") is True
    editing.publish(store, users["reviewer"], "FR-1", False, reason="endangers a witness")
    _write_csv(data, 8)
    imp()
    inc = editing.get(store, ADMIN, "FR-1")
    assert inc["killed_max"] == 8  # the update itself went through
    assert published(store, "FR-1") is False
    assert public_text(store, "FR-1") == ""
    assert published(store, "FR-2") is True


def test_no_other_route_writes_incident_rows():
    """The gate holds only if every write to an incident row outside store/ (the importer
    and restore, run with the database's own authority) goes through editing: ``_bump``
    for updates (it checks publication) and ``create`` (never published). A new module
    that updates ``incident`` directly fails here and must use them."""
    root = Path(__file__).resolve().parents[2] / "civcas"
    pattern = re.compile(r"bump_incident\(|\b(?:s|schema)\.incident\b|update\(incident\)")
    hits = []
    for p in sorted(root.rglob("*.py")):
        if p.relative_to(root).parts[0] == "store":
            continue
        for line in p.read_text(encoding="utf-8").splitlines():
            if pattern.search(line):
                hits.append((str(p.relative_to(root)), line.strip()))
    assert hits == [
        (
            "workflow/editing.py",
            'if not sw.bump_incident(conn, row["id"], expected_version, values):',
        ),
        ("workflow/editing.py", 'row["id"] = sw.insert_row(conn, s.incident, row)'),
    ]
