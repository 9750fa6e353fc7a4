"""CS1611 in the Airwars archive (../shared; skipped without it): a researcher's
killed_max with a reason, an added victim and an added source with an evidence file
survive a re-import of a revised copy of the archive (CS1611's figures revised, one case
removed, one new); the disagreement is queued."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from wf_helpers import ADMIN

from civcas.io.importers import import_file
from civcas.store import Store
from civcas.store import schema as s
from civcas.store import workflow as sw
from civcas.workflow import Actor, conflicts, editing, evidence

ARCHIVE = Path(__file__).resolve().parents[3] / "shared" / "data" / "syrian-archive-airwars"
KILLED_MIN, KILLED_MAX = "مدنيون قتلى — حد أدنى", "مدنيون قتلى — حد أعلى"

pytestmark = pytest.mark.skipif(
    not (ARCHIVE / "data" / "cases-summary.json").is_file(), reason="../shared is absent"
)


def _archive(dest: Path, numbers: list[int], change: Any = None) -> Path:
    """A small archive of the real one's cases ``numbers`` (their full case files)."""
    summary = json.loads((ARCHIVE / "data" / "cases-summary.json").read_text("utf-8"))
    cases = [c for c in summary["cases"] if int(c["number"]) in numbers]
    (dest / "data").mkdir(parents=True)
    shutil.copy(ARCHIVE / "data" / "field-dictionary.json", dest / "data")
    for c in cases:
        full = ARCHIVE / c["path"] / "data.json"
        record = json.loads(full.read_text("utf-8")) if full.is_file() else None
        if change is not None:
            change(c["code"], c, record)
        if record is not None:  # (some cases have a summary row only)
            (dest / c["path"]).mkdir(parents=True)
            (dest / c["path"] / "data.json").write_text(json.dumps(record, ensure_ascii=False))
    summary["cases"] = cases
    summary["total"] = len(cases)
    (dest / "data" / "cases-summary.json").write_text(json.dumps(summary, ensure_ascii=False))
    return dest


def test_cs1611_survives_a_revised_archive(tmp_path: Path) -> None:
    first = list(range(4020, 4032))  # CS1611 is case 4026
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    res = import_file(store, "airwars-archive", _archive(tmp_path / "v1", first))
    assert res.inserted == len(first)
    rex = Actor("rex", "researcher")
    editing.edit(
        store, rex, "CS1611", {"killed_max": 50}, expected_version=None, reason="hospital list"
    )
    vic = editing.add_child(store, rex, "CS1611", "victim", {"name": "Team Named Victim"})
    src = editing.add_child(store, rex, "CS1611", "source", {"url": "https://example.org/r"})
    f = tmp_path / "capture.html"
    f.write_text("<p>capture</p>")
    ev = evidence.add(store, ADMIN, f, source_id=src["id"])

    def revise(code: str, case: dict[str, Any], record: dict[str, Any] | None) -> None:
        if code == "CS1611":
            assert record is not None
            record["incident"][KILLED_MIN], record["incident"][KILLED_MAX] = 30, 45
            case["killed_min"], case["killed_max"] = 30, 45

    second = [n for n in first if n != 4021] + [4032]  # one case gone, one new
    res = import_file(store, "airwars-archive", _archive(tmp_path / "v2", second, revise))
    assert (res.inserted, res.withdrawn, res.conflicts) == (1, 1, 1)
    with store.connect() as conn:
        cs = sw.incident_row(conn, "CS1611")
        assert cs is not None
        assert (cs["killed_min"], cs["killed_max"]) == (30, 50)
        vids = [v["id"] for v in sw.child_rows(conn, s.victim, cs["id"])]
        assert vic["id"] in vids and len(vids) > 1
        assert src["id"] in [x["id"] for x in sw.child_rows(conn, s.source, cs["id"])]
        got = conn.execute(
            select(sw.wf_evidence.c.source_id).where(sw.wf_evidence.c.id == ev["id"])
        ).scalar_one()
        assert got == src["id"]
        gone = conn.execute(
            select(s.incident.c.withdrawn_import_id).where(s.incident.c.source_id == "4021")
        ).scalar_one()
        assert gone is not None
    queue = conflicts.list_conflicts(store, rex)
    assert [(q["code"], q["field"], q["source_value"], q["team_value"]) for q in queue] == [
        ("CS1611", "killed_max", 45, 50)
    ]
    store.dispose()
