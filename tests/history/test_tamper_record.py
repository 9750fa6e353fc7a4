"""Changes made by SQL behind civcas's back (issue 16): each kind of field of each record
table, deleted rows of each child table, a deleted incident, an added one, a deleted tail
of the chain, an altered revision. Before issue 16, ``civcas audit verify`` passed all of
them (it checked only the revisions' own links); now it exits 1 and names each one:
record code, table and field, in ``--json`` and one line each without.

The record is made the way a team makes it: seeded records taken into the chain, then
edits, a statement, a victim, an interview with a witness, a duplicate marked (an alias)
and an evidence file attached to a source, all through civcas's own functions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from wf_helpers import seed_incidents

from civcas.cli.main import cli
from civcas.store import Store
from civcas.workflow import Actor, audit, editing, evidence, interviews

R = Actor("rita", "researcher")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "evidence"))
    s = Store(f"sqlite:///{tmp_path / 'tamper.db'}")
    seed_incidents(s, 4)
    editing.edit(s, R, "T1", {"killed_max": 9}, expected_version=None, reason="hospital list")
    editing.add_child(s, R, "T1", "statement", {"belligerent": "US-led Coalition", "text": "ok"})
    editing.add_child(s, R, "T1", "victim", {"name": "Added by the team"})
    interviews.add(
        s,
        R,
        {"code": "IV1", "witness_name": "A witness", "witness_contact": "+000", "consent": "yes"},
        incidents=["T1"],
    )
    editing.mark_duplicate(s, R, "T3", "T2", "same strike")
    f = tmp_path / "photo.jpg"
    f.write_bytes(b"a photograph")
    with s.connect() as conn:
        sid = conn.execute(
            text(
                "SELECT s.id FROM source s JOIN incident i ON i.id = s.incident_id"
                " WHERE i.code = 'T1'"
            )
        ).scalar_one()
    evidence.add(s, R, f, source_id=sid)
    return s


def _verify(store: Store) -> tuple[int, list[dict[str, Any]], str]:
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", store.url, "audit", "verify", "--json"])
    problems = json.loads(res.stdout)["problems"] if res.stdout.strip() else []
    plain = runner.invoke(cli, ["--db", store.url, "audit", "verify"])
    assert plain.exit_code == res.exit_code
    return res.exit_code, problems, plain.output


def _sql(store: Store, *statements: str) -> None:
    with store.begin() as conn:
        for st in statements:
            conn.execute(text(st))


T1 = "(SELECT id FROM incident WHERE code = 'T1')"
T2 = "(SELECT id FROM incident WHERE code = 'T2')"

# (what is tampered with, SQL, expected (code, table, field) among the problems)
CASES: list[tuple[str, list[str], tuple[str | None, str, str]]] = [
    (
        "incident count",
        [f"UPDATE incident SET killed_max = 3 WHERE id = {T1}"],
        ("T1", "incident", "killed_max"),
    ),
    (
        "incident text",
        [f"UPDATE incident SET summary = 'nothing' WHERE id = {T2}"],
        ("T2", "incident", "summary"),
    ),
    (
        "incident grade",
        [f"UPDATE incident SET grade = 'Weak' WHERE id = {T2}"],
        ("T2", "incident", "grade"),
    ),
    (
        "incident published",
        [f"UPDATE incident SET published = 0 WHERE id = {T1}"],
        ("T1", "incident", "published"),
    ),
    (
        "victim name",
        ["UPDATE victim SET name = 'Someone else' WHERE name = 'Added by the team'"],
        ("T1", "victim", "name"),
    ),
    (
        "victim age",
        [f"UPDATE victim SET age = 40 WHERE incident_id = {T2}"],
        ("T2", "victim", "age"),
    ),
    (
        "witness field",
        ["UPDATE wf_interview SET witness_name = 'Nobody' WHERE code = 'IV1'"],
        ("IV1", "wf_interview", "witness_name"),
    ),
    (
        "witness contact",
        ["UPDATE wf_interview SET witness_contact = NULL WHERE code = 'IV1'"],
        ("IV1", "wf_interview", "witness_contact"),
    ),
    (
        "assessment",
        [f"UPDATE incident_belligerent SET assessment = 'credible' WHERE incident_id = {T2}"],
        ("T2", "incident_belligerent", "assessment"),
    ),
    (
        "source url",
        [f"UPDATE source SET url = 'https://elsewhere.example' WHERE incident_id = {T1}"],
        ("T1", "source", "url"),
    ),
    (
        "statement text",
        [f"UPDATE statement SET text = 'denied' WHERE incident_id = {T1}"],
        ("T1", "statement", "text"),
    ),
    (
        "deleted victim",
        ["DELETE FROM victim WHERE name = 'Added by the team'"],
        ("T1", "victim", "*"),
    ),
    ("deleted source", [f"DELETE FROM source WHERE incident_id = {T2}"], ("T2", "source", "*")),
    (
        "deleted assessment",
        [f"DELETE FROM incident_belligerent WHERE incident_id = {T1}"],
        ("T1", "incident_belligerent", "*"),
    ),
    (
        "deleted statement",
        [f"DELETE FROM statement WHERE incident_id = {T1}"],
        ("T1", "statement", "*"),
    ),
    (
        "deleted alias",
        [f"DELETE FROM incident_alias WHERE incident_id = {T2}"],
        ("T2", "incident_alias", "*"),
    ),
    (
        "deleted interview link",
        ["DELETE FROM wf_interview_link"],
        ("T1", "wf_interview_link", "interview_id"),
    ),
    (
        "detached evidence",
        ["UPDATE wf_evidence SET source_id = NULL"],
        ("T1", "source", "evidence"),
    ),
    (
        "deleted incident",
        [
            f"DELETE FROM victim WHERE incident_id = {T2}",
            f"DELETE FROM source WHERE incident_id = {T2}",
            f"DELETE FROM incident_belligerent WHERE incident_id = {T2}",
            f"DELETE FROM incident_alias WHERE incident_id = {T2}",
            f"DELETE FROM incident WHERE id = {T2}",
        ],
        ("T2", "incident", "*"),
    ),
    (
        "deleted interview",
        ["DELETE FROM wf_interview_link", "DELETE FROM wf_interview"],
        ("IV1", "wf_interview", "*"),
    ),
    (
        "added incident",
        [
            "INSERT INTO incident (code, source_kind, source_id, content_hash,"
            " date_precision, location_precision, strike_type, named_victims,"
            " published, version) VALUES ('FAKE', 'test', 'x', 'h', 'day',"
            " 'unknown', 'unknown', 0, 1, 1)"
        ],
        ("FAKE", "incident", "*"),
    ),
    (
        "altered revision",
        ["UPDATE wf_revision SET reason = 'covered up' WHERE seq = 2"],
        ("2", "wf_revision", "hash"),
    ),
    ("deleted revision", ["DELETE FROM wf_revision WHERE seq = 3"], ("3", "wf_revision", "seq")),
]


def test_the_untouched_record_verifies(store):
    code, problems, out = _verify(store)
    assert code == 0, problems
    assert problems == [] and "audit chain OK" in out


@pytest.mark.parametrize("what,sql,expected", CASES, ids=[c[0] for c in CASES])
def test_tampering_is_named(store, what, sql, expected):
    _sql(store, *sql)
    code, problems, out = _verify(store)
    assert code == 1, (what, out)
    named = {(p["code"], p["table"], p["field"]) for p in problems}
    assert expected in named, (what, problems)
    for p in problems:
        assert set(p) >= {"code", "table", "field", "problem"}
    # one line per problem without --json, naming the table and field (or the revision)
    lines = [ln for ln in out.splitlines() if ln and "BROKEN" not in ln]
    assert len(lines) == len(problems), out
    c, t, f = expected
    want = f"revision {c}" if t == "wf_revision" else f"{t}.{f} of {c}"
    assert any(ln.startswith(want) for ln in lines), out


def test_a_deleted_tail_of_the_chain_is_named(store):
    with store.connect() as conn:
        last = conn.execute(text("SELECT max(seq) FROM wf_revision")).scalar_one()
    # the last two revisions (the duplicate marking's and the evidence's) are cut off;
    # their records are then older than the chain says: both kinds of problem show
    _sql(store, f"DELETE FROM wf_revision WHERE seq > {last - 2}")
    code, problems, out = _verify(store)
    assert code == 1
    tail = [p for p in problems if p["table"] == "wf_revision"]
    assert tail and "missing tail" in tail[0]["problem"], problems
    assert str(last) in tail[0]["problem"]


def test_a_deleted_tail_with_its_head_and_records_reverted_needs_a_checkpoint(store, tmp_path):
    """The most careful tamperer cuts the tail, rewrites the head row, and puts the
    records back as they were: nothing inside the database shows it any more. A
    checkpoint kept outside does."""
    runner = CliRunner()
    cp = tmp_path / "cp.json"
    editing.edit(store, R, "T0", {"summary": "later work"}, expected_version=None)
    res = runner.invoke(cli, ["--db", store.url, "audit", "checkpoint", "--out", str(cp)])
    assert res.exit_code == 0, res.output
    with store.connect() as conn:
        last = conn.execute(text("SELECT max(seq) FROM wf_revision")).scalar_one()
    _sql(
        store,
        f"DELETE FROM wf_revision WHERE seq = {last}",
        f"UPDATE history_head SET seq = {last - 1},"
        f" hash = (SELECT hash FROM wf_revision WHERE seq = {last - 1})",
        "UPDATE incident SET summary = NULL WHERE code = 'T0'",
    )
    res = runner.invoke(cli, ["--db", store.url, "audit", "verify"])
    assert res.exit_code == 0, res.output  # invisible from inside
    res = runner.invoke(cli, ["--db", store.url, "audit", "verify", "--checkpoint", str(cp)])
    assert res.exit_code == 1 and "was cut" in res.output, res.output


def test_changes_through_civcas_stay_verified(store):
    """Every person's change carries the new state: a real edit of each kind verifies."""
    editing.edit(store, R, "T2", {"summary": "revised"}, expected_version=None)
    editing.grade(store, R, "T2", "Fair", "two sources")
    editing.add_child(store, R, "T0", "source", {"url": "https://example.org/new"})
    with store.connect() as conn:
        vid = conn.execute(text("SELECT min(id) FROM victim")).scalar_one()
        aid = conn.execute(text("SELECT min(id) FROM incident_belligerent")).scalar_one()
        code = conn.execute(
            text(
                f"SELECT code FROM incident WHERE id = (SELECT incident_id FROM victim"
                f" WHERE id = {vid})"
            )
        ).scalar_one()
        acode = conn.execute(
            text(
                f"SELECT code FROM incident WHERE id = (SELECT incident_id FROM"
                f" incident_belligerent WHERE id = {aid})"
            )
        ).scalar_one()
    editing.edit_child(store, R, code, "victim", vid, {"age": 33})
    editing.edit_child(store, R, acode, "assessment", aid, {"assessment": "credible"})
    editing.delete_child(store, R, code, "victim", vid)
    interviews.add(store, R, {"code": "IV2", "witness_name": "B"}, incidents=["T0", "T1"])
    rep = audit.verify(store)
    assert rep.ok, rep.problems


def test_imported_records_are_named_too(tmp_path, monkeypatch):
    """Records written by an import (the demo's 547, through civcas's import path) and
    never edited: the import's revision holds their hashes and keeps their states, so a
    SQL change to one names its field."""
    from civcas.io.demo import load_demo

    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "evidence"))
    s = Store(f"sqlite:///{tmp_path / 'demo.db'}")
    load_demo(s)
    code, problems, _ = _verify(s)
    assert code == 0, problems[:5]
    with s.connect() as conn:
        inc = conn.execute(
            text(
                "SELECT i.code, v.id FROM incident i JOIN victim v ON v.incident_id = i.id"
                " ORDER BY i.id LIMIT 1"
            )
        ).one()
    _sql(
        s,
        f"UPDATE incident SET killed_max = 999 WHERE code = '{inc[0]}'",
        f"UPDATE victim SET name = 'Someone else' WHERE id = {inc[1]}",
    )
    code, problems, _ = _verify(s)
    named = {(p["code"], p["table"], p["field"]) for p in problems}
    assert code == 1
    assert {(inc[0], "incident", "killed_max"), (inc[0], "victim", "name")} <= named, problems


def test_verify_while_people_edit_reports_nothing(store):
    """Edits commit while verify reads: a record may look newer than the chain the first
    pass read; the re-check under the writers' lock must not report it."""
    import threading

    stop = threading.Event()
    errors: list[BaseException] = []

    def edit() -> None:
        i = 0
        try:
            while not stop.is_set():
                i += 1
                editing.edit(store, R, f"T{i % 3}", {"summary": f"e{i}"}, expected_version=None)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    t = threading.Thread(target=edit)
    t.start()
    try:
        reports = [audit.verify(store) for _ in range(8)]
    finally:
        stop.set()
        t.join()
    assert not errors, errors
    assert all(r.ok for r in reports), [r.problems for r in reports if not r.ok]
