"""Editing with optimistic concurrency, grading, duplicates, publication, the audit chain."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from civcas.model import IncidentFilter, InputError, NotFoundError
from civcas.store import Store, queries
from civcas.tally import tally
from civcas.workflow import PermissionDenied, audit, editing


def test_second_editor_gets_conflict_with_both_versions(store, users):
    a, b = users["researcher"], users["reviewer"]
    seen = editing.get(store, a, "T1")["version"]
    editing.edit(store, a, "T1", {"killed_max": "9"}, expected_version=seen, reason="recount")
    with pytest.raises(editing.EditConflict) as exc:
        editing.edit(store, b, "T1", {"killed_max": "4"}, expected_version=seen)
    err = exc.value
    assert err.mine["killed_max"] == 4 and err.mine["version"] == seen
    assert err.theirs["killed_max"] == 9 and err.theirs["version"] == seen + 1
    body = err.to_json()
    assert body["mine"]["killed_max"] == 4 and body["theirs"]["killed_max"] == 9
    # nothing was overwritten
    assert queries.get_incident(store, "T1")["killed_max"] == 9


def test_edits_keep_tally_and_queries_working(store, users):
    r = users["researcher"]
    before = tally(store).to_json()
    editing.edit(
        store,
        r,
        "T2",
        {"killed_min": 20, "killed_max": 30, "date_start": "2017-10-05"},
        expected_version=1,
    )
    after = tally(store).to_json()
    assert after["killed_min"] == before["killed_min"] - 2 + 20
    assert "2017-10" in after["by_month"]
    assert after["snapshot_sha256"] != before["snapshot_sha256"]
    assert queries.list_incidents(store, IncidentFilter(date_from=None))  # still lists


def test_bad_values_are_named(store, users):
    with pytest.raises(InputError) as exc:
        editing.edit(
            store,
            users["researcher"],
            "T1",
            {"killed_min": "-3", "strike_type": "laser", "nope": 1},
            expected_version=None,
        )
    fields = {p.field for p in exc.value.problems}
    assert fields == {"killed_min", "strike_type", "nope"}
    with pytest.raises(InputError):
        editing.edit(
            store,
            users["researcher"],
            "T1",
            {"killed_min": 50, "killed_max": 2},
            expected_version=None,
        )


def test_grade_needs_a_reason_and_role(store, users):
    with pytest.raises(InputError):
        editing.grade(store, users["researcher"], "T1", "Fair", " ")
    with pytest.raises(PermissionDenied):
        editing.grade(store, users["contributor"], "T1", "Fair", "two sources")
    out = editing.grade(store, users["researcher"], "T1", "confirmed", "coalition accepted")
    assert out["grade"] == "Confirmed" and out["grade_reason"] == "coalition accepted"


def test_create_children_publish_flow(store, users):
    c, r, v = users["contributor"], users["researcher"], users["reviewer"]
    inc = editing.create(
        store,
        c,
        {"date_start": "2017-08-01", "location_en": "Raqqa", "killed_min": 3, "killed_max": 5},
    )
    code = inc["code"]
    assert not inc["published"]
    # contributors see their own submission, not others'
    assert code in editing.own_submissions(store, c)
    editing.add_child(store, c, code, "source", {"url": "https://a.example", "type": "ngo"})
    with pytest.raises(PermissionDenied):
        editing.add_child(store, c, code, "victim", {"name": "X"})
    with pytest.raises(NotFoundError):
        editing.get(store, users["public"], code)
    editing.add_child(store, r, code, "source", {"url": "https://b.example"})
    editing.add_child(store, r, code, "victim", {"name": "Ahmad", "sex": "male", "age": 7})
    editing.add_child(
        store,
        r,
        code,
        "assessment",
        {
            "belligerent": "US-led Coalition",
            "assessment": "credible",
            "deaths_conceded_min": 1,
            "deaths_conceded_max": 2,
        },
    )
    editing.add_child(
        store,
        r,
        code,
        "statement",
        {"belligerent": "US-led Coalition", "text": "We assess one strike."},
    )
    editing.grade(store, r, code, "Fair", "two credible sources")
    with pytest.raises(PermissionDenied):
        editing.publish(store, r, code)
    before = tally(store).to_json()
    editing.publish(store, v, code)
    full = editing.get(store, users["public"], code)
    assert len(full["sources"]) == 2 and full["named_victims"] == 1
    assert full["assessment"] == "credible" and full["conceded_max"] == 2
    after = tally(store).to_json()
    assert after["incidents"] == before["incidents"] + 1
    assert after["killed_max"] == before["killed_max"] + 5
    hist = editing.history(store, r, code)
    assert [h["action"] for h in hist][:2] == ["incident.create", "source.add"]
    assert hist[-1]["action"] == "incident.publish" and hist[-1]["actor"] == v.name


def test_mark_duplicate_keeps_aliases_and_sources(store, users):
    r = users["researcher"]
    with pytest.raises(InputError):
        editing.mark_duplicate(store, r, "T3", "T0", "")
    editing.mark_duplicate(store, r, "T3", "T0", "same strike, two reports")
    kept = queries.get_incident(store, "T3")  # the old code still finds it, as an alias
    assert kept["code"] == "T0" and "T3" in kept["aliases"]
    assert sorted(s["url"] for s in kept["sources"]) == [
        "https://example.org/0",
        "https://example.org/3",
    ]
    assert {v["name"] for v in kept["victims"]} == {"Victim 0", "Victim 3"}
    assert audit.verify(store).ok


def test_tampering_names_the_revision(store, users):
    r = users["researcher"]
    for i in range(3):
        editing.edit(store, r, "T1", {"summary": f"s{i}"}, expected_version=None, reason="x")
    rep = audit.verify(store)
    assert rep.ok and rep.revisions == 1 + 4 + 3  # seed baseline, four users added, three edits
    with store.begin() as conn:
        conn.execute(text("UPDATE wf_revision SET reason = 'covered up' WHERE seq = 6"))
    rep = audit.verify(store)
    assert not rep.ok
    assert [p["seq"] for p in rep.problems] == [6]


def test_deleting_a_revision_is_detected(store, users):
    r = users["researcher"]
    for i in range(3):
        editing.edit(store, r, "T1", {"summary": f"s{i}"}, expected_version=None)
    with store.begin() as conn:
        conn.execute(text("DELETE FROM wf_revision WHERE seq = 5"))
    rep = audit.verify(store)
    assert not rep.ok and rep.problems[0]["seq"] == 5


def test_audit_cli_names_tampered_revision(tmp_path, store, users):
    from click.testing import CliRunner

    from civcas.cli.main import cli

    editing.edit(store, users["researcher"], "T1", {"summary": "a"}, expected_version=None)
    runner = CliRunner()
    ok = runner.invoke(cli, ["--db", store.url, "audit", "verify"])
    assert ok.exit_code == 0, ok.output
    with store.begin() as conn:
        conn.execute(text("UPDATE wf_revision SET after = '{}' WHERE seq = 5"))
    bad = runner.invoke(cli, ["--db", store.url, "audit", "verify"])
    assert bad.exit_code == 1 and "revision 5" in bad.output
    log = runner.invoke(cli, ["--db", store.url, "audit", "log", "--user", "rese_user", "--json"])
    assert log.exit_code == 0 and '"incident.edit"' in log.output


def test_edit_on_postgres(db_url, users_factory=None):
    s = Store(db_url)
    from wf_helpers import ADMIN, seed_incidents

    seed_incidents(s, 3)
    from civcas.workflow import Actor

    r = Actor("r", "researcher")
    editing.edit(s, r, "T1", {"killed_max": 7}, expected_version=1)
    with pytest.raises(editing.EditConflict):
        editing.edit(s, r, "T1", {"killed_max": 8}, expected_version=1)
    editing.mark_duplicate(s, r, "T2", "T0", "dup")
    editing.grade(s, ADMIN, "T0", "Fair", "reason")
    assert audit.verify(s).ok and audit.verify(s).revisions == 5  # seed, edit, merge (two), grade
    s.dispose()


def test_concurrent_writers_keep_one_chain(db_url):
    """Several threads (as several server workers would) write at once: the chain stays
    one unbroken line and every incident's last revision names its current version."""
    import threading

    from wf_helpers import seed_incidents

    from civcas.workflow import Actor

    s = Store(db_url)
    seed_incidents(s, 4)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        who = Actor(f"w{i}", "researcher")
        try:
            for n in range(8):
                editing.edit(
                    s, who, f"T{(i + n) % 4}", {"summary": f"{i}/{n}"}, expected_version=None
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    rep = audit.verify(s)
    assert rep.ok and rep.revisions == 1 + 32  # the seed baseline, the edits
    for code in ("T0", "T1", "T2", "T3"):
        hist = editing.history(s, Actor("r", "researcher"), code)
        assert hist[-1]["after"]["version"] == queries.get_incident(s, code)["version"]
        versions = [h["after"]["version"] for h in hist]
        assert versions == list(range(2, 2 + len(hist)))  # no lost or doubled update
    s.dispose()


def test_delete_child_updates_counts(store, users):
    r = users["researcher"]
    inc = editing.get(store, r, "T1")
    assert inc["named_victims"] == 1
    editing.delete_child(store, r, "T1", "victim", inc["victims"][0]["id"], reason="not a victim")
    after = editing.get(store, r, "T1")
    assert after["victims"] == [] and after["named_victims"] == 0
    assert after["version"] == inc["version"] + 1
    with pytest.raises(NotFoundError):  # a record of another incident
        other = editing.get(store, r, "T2")["sources"][0]["id"]
        editing.delete_child(store, r, "T1", "source", other)
