"""A re-import merges: the team's work through the real server survives a changed source.

Replays issue 16's first finding: the demo source (Airwars' Raqqa incidents, CS1611
among them) is imported; a researcher and a reviewer change it through a real uvicorn
(a field edit with a reason, a grade, an added victim, an added source with an evidence
file, a duplicate marking); a changed copy of the source (figures revised, one incident
removed, one new) is imported. Before issue 16 the import put the source's figures back,
deleted the team's victim and source (the evidence lost its source_id), reset the grade
and brought the duplicate back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from merge_helpers import api_client, by_code, import_source, uvicorn_server, write_source
from sqlalchemy import select
from wf_helpers import ADMIN, PASSWORD

from civcas.store import Store
from civcas.store import schema as s
from civcas.store import workflow as sw
from civcas.workflow import Actor, accounts, audit

REVIEWER = Actor("rita", "reviewer")


def _pick(records: list[dict[str, Any]]) -> dict[str, str]:
    """Incidents of the demo with the properties each team change needs."""
    codes = [r["code"] for r in records if r["code"] != "CS1611"]
    graded = [r["code"] for r in records if r.get("grade") == "Fair" and r["code"] != "CS1611"]
    g = graded[0]
    rest = [c for c in codes if c != g]
    return {
        "edit": "CS1611",
        "grade": g,
        "dup": rest[3],
        "keep": rest[4],
        "gone": rest[5],
        "plain": rest[6],
    }


def _incident(store: Store, code: str) -> dict[str, Any] | None:
    with store.connect() as conn:
        return sw.incident_row(conn, code)


def _children(store: Store, table: Any, iid: int) -> list[dict[str, Any]]:
    with store.connect() as conn:
        return sw.child_rows(conn, table, iid)


def test_reimport_keeps_the_teams_work(tmp_path: Path) -> None:
    src1 = write_source(tmp_path / "airwars-1.json.gz")
    url = f"sqlite:///{tmp_path / 'civcas.db'}"
    store = Store(url)
    first = import_source(store, src1)
    assert first.inserted == 547
    accounts.add_user(store, ADMIN, "rita", "reviewer", PASSWORD)
    from merge_helpers import demo_records

    pick = _pick(demo_records()["incidents"])
    cs = _incident(store, "CS1611")
    assert cs is not None and (cs["killed_min"], cs["killed_max"]) == (28, 42)

    # ---- the team's work, through the real server ------------------------------------
    with uvicorn_server(url, tmp_path) as base:
        c = api_client(base, "rita", PASSWORD)
        r = c.post(
            "/api/workflow/incidents/CS1611/edit",
            json={"changes": {"killed_max": 50}, "reason": "hospital records: 50 dead"},
        )
        assert r.status_code == 200, r.text
        r = c.post(
            f"/api/workflow/incidents/{pick['grade']}/grade",
            json={"grade": "Confirmed", "reason": "the coalition accepted it"},
        )
        assert r.status_code == 200, r.text
        r = c.post(
            "/api/workflow/incidents/CS1611/records/victim",
            json={"values": {"name": "Team Victim Name", "sex": "male"}, "reason": "witness"},
        )
        assert r.status_code == 201, r.text
        team_victim = r.json()["id"]
        r = c.post(
            "/api/workflow/incidents/CS1611/records/source",
            json={"values": {"url": "https://example.org/field-report", "type": "ngo"}},
        )
        assert r.status_code == 201, r.text
        team_source = r.json()["id"]
        r = c.post(
            "/api/workflow/evidence",
            files={"file": ("report.pdf", b"%PDF-1.4 field report")},
            data={"source_id": str(team_source)},
        )
        assert r.status_code == 201, r.text
        evidence_id = r.json()["id"]
        r = c.post(
            f"/api/workflow/incidents/{pick['dup']}/duplicate",
            json={"keep": pick["keep"], "reason": "same strike, two reports"},
        )
        assert r.status_code == 200, r.text
        c.close()

    # ---- the source changes: figures revised, one incident removed, one new -----------
    def change(recs: list[dict[str, Any]]) -> None:
        cs = by_code(recs, "CS1611")
        cs["killed"] = [30, 45]  # both ends revised; the team set killed_max
        cs["children_killed"] = [6, 12]
        cs["victims"].append({**cs["victims"][0], "name": "Source Added Name", "order": 99})
        by_code(recs, pick["grade"])["grade"] = "Weak"  # the team graded it Confirmed
        by_code(recs, pick["dup"])["killed"] = [7, 9]  # a duplicate's source row revised
        plain = by_code(recs, pick["plain"])
        plain["killed"] = [(plain["killed"] or [0, 0])[0] or 0, 77]
        recs.remove(by_code(recs, pick["gone"]))
        new = {**by_code(recs, "CS1611"), "code": "CS9999", "source_id": "999999"}
        new["victims"] = []
        recs.append(new)

    src2 = write_source(tmp_path / "airwars-2.json.gz", change)
    second = import_source(store, src2)
    assert second.inserted == 1  # CS9999 (the duplicate did not come back)

    # the team's field edit kept; the source's other revisions applied
    cs = _incident(store, "CS1611")
    assert cs is not None
    assert cs["killed_max"] == 50
    assert cs["killed_min"] == 30
    assert (cs["children_killed_min"], cs["children_killed_max"]) == (6, 12)
    # the team's victim and source kept, the evidence still attached to the source
    victims = _children(store, s.victim, cs["id"])
    assert team_victim in [v["id"] for v in victims]
    assert "Source Added Name" in [v["name"] for v in victims]
    assert team_source in [x["id"] for x in _children(store, s.source, cs["id"])]
    with store.connect() as conn:
        ev = conn.execute(select(sw.wf_evidence).where(sw.wf_evidence.c.id == evidence_id)).one()
    assert ev.source_id == team_source
    # the grade a reviewer set kept
    g = _incident(store, pick["grade"])
    assert g is not None and g["grade"] == "Confirmed"
    assert g["grade_reason"] == "the coalition accepted it"
    # the duplicate stays merged
    assert _incident(store, pick["dup"]) is None
    keep = _incident(store, pick["keep"])
    assert keep is not None
    aliases = [a["alias"] for a in _children(store, s.incident_alias, keep["id"])]
    assert pick["dup"] in aliases
    # a plain source revision applied; the removed incident flagged, not dropped
    plain = _incident(store, pick["plain"])
    assert plain is not None and plain["killed_max"] == 77
    gone = _incident(store, pick["gone"])
    assert gone is not None
    with store.connect() as conn:
        imports = conn.execute(select(s.import_batch.c.id).order_by(s.import_batch.c.id)).scalars()
        second_id = list(imports)[-1]
    assert gone["withdrawn_import_id"] == second_id
    assert _incident(store, "CS9999") is not None

    # each real disagreement is in the conflict queue, none other
    from civcas.workflow import conflicts

    queue = conflicts.list_conflicts(store, REVIEWER)
    got = {(q["code"], q["field"]): (q["source_value"], q["team_value"]) for q in queue}
    assert got == {
        ("CS1611", "killed_max"): (45, 50),
        (pick["grade"], "grade"): ("Weak", "Confirmed"),
    }
    # the import is in the chain, and the chain verifies
    log = audit.log(store, entity="import_batch", key=str(second_id))
    assert len(log) == 1 and log[0]["action"] == "import"
    states = log[0]["states"]
    changed = json.loads(states)["incident"] if isinstance(states, str) else states["incident"]
    assert {"CS1611", "CS9999", pick["gone"], pick["plain"]} <= set(changed)
    assert log[0]["after"]["changed"] == len(changed)
    assert audit.verify(store).ok
    store.dispose()


def test_unchanged_reimport_changes_nothing(tmp_path: Path) -> None:
    src = write_source(tmp_path / "a.json.gz")
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    import_source(store, src)
    again = import_source(store, src)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 547)
    with store.connect() as conn:
        flagged = conn.execute(
            select(s.incident.c.id).where(s.incident.c.withdrawn_import_id.is_not(None))
        ).all()
    assert flagged == []
    from civcas.workflow import conflicts

    assert json.dumps(conflicts.list_conflicts(store, REVIEWER)) == "[]"
    store.dispose()
