"""Belligerents edited as a structure (issue 24) survive a re-import (issue 16's merge):
an assessment a person changed stays theirs, a party they added stays, a party the
source listed and they removed is not brought back, while the source's other changes
still arrive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from merge_helpers import by_code, import_source, write_source

from civcas.store import Store, queries
from civcas.workflow import Actor, audit, editing

REX = Actor("rex", "researcher")


def _parties(store: Store, code: str) -> list[tuple[str, str, str]]:
    inc = queries.get_incident(store, code)
    return [
        (b["belligerent"], b["assessment"], b["origin"])
        for b in inc["belligerents"]
        if b["withdrawn_import_id"] is None
    ]


def test_edited_belligerents_survive_a_reimport(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    import_source(store, write_source(tmp_path / "a.json.gz"))
    cs = queries.get_incident(store, "CS905")
    (coalition,) = cs["belligerents"]
    editing.edit(
        store,
        REX,
        "CS905",
        {
            "belligerents": [
                {"id": coalition["id"], "assessment": "non_credible"},
                {"belligerent": "Russian Military"},
            ]
        },
        expected_version=None,
        reason="the coalition's later letter",
    )

    def change(recs: list[dict[str, Any]]) -> None:
        r = by_code(recs, "CS905")
        r["killed"] = [2, 3]  # the source's own change, not the person's
        r["belligerents"][0]["assessment"] = "duplicate"  # the source's new word on it
        r["belligerents"].append({"name": "SDF", "role": "suspected", "assessment": "none"})

    res = import_source(store, write_source(tmp_path / "b.json.gz", change))
    assert res.updated >= 1
    after = queries.get_incident(store, "CS905")
    assert (after["killed_min"], after["killed_max"]) == (2, 3)
    parties = _parties(store, "CS905")
    # the person's assessment and their added party are kept; the source's new party arrives
    assert ("US-led Coalition", "non_credible", "team") in parties
    assert ("Russian Military", "none", "team") in parties
    assert [p[0] for p in parties].count("US-led Coalition") == 1
    assert any(p[0] == "SDF" for p in parties)
    # the downloads' belligerents column is the list as it is now, not the source's
    text = "; ".join(p[0] for p in parties)
    assert _column(store, "CS905") == text and "Russian Military" in text
    assert audit.verify(store).ok


def _column(store: Store, code: str) -> Any:
    from sqlalchemy import select

    from civcas.store.schema import incident

    with store.connect() as conn:
        return conn.execute(select(incident.c.belligerents).where(incident.c.code == code)).scalar()


def test_a_removed_party_is_not_brought_back(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'd.db'}")
    import_source(store, write_source(tmp_path / "a.json.gz"))
    editing.edit(store, REX, "CS905", {"belligerents": []}, expected_version=None, reason="x")

    def change(recs: list[dict[str, Any]]) -> None:
        by_code(recs, "CS905")["killed"] = [1, 2]

    import_source(store, write_source(tmp_path / "b.json.gz", change))
    assert _parties(store, "CS905") == []
    assert _column(store, "CS905") is None
    assert queries.get_incident(store, "CS905")["killed_max"] == 2
