"""Signed checkpoints (issue 16): `civcas audit checkpoint` signs {seq, chain head,
snapshot hash, time} with the installation key; `audit verify --checkpoint FILE` proves
the chain extends it. A history rewritten consistently (every hash recomputed, which
verify alone cannot see) and a truncated one both fail against the checkpoint; an
altered checkpoint fails its signature. Reports and downloads carry the latest one.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import text
from wf_helpers import seed_incidents

from civcas.cli.main import cli
from civcas.model.filters import IncidentFilter
from civcas.store import Store
from civcas.store import workflow as sw
from civcas.store.queries import snapshot_hash
from civcas.workflow import Actor, audit, editing, keys

R = Actor("rita", "researcher")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "evidence"))
    s = Store(f"sqlite:///{tmp_path / 'cp.db'}")
    seed_incidents(s, 4)
    for i in range(3):
        editing.edit(s, R, f"T{i}", {"summary": f"edit {i}"}, expected_version=None)
    return s


def _checkpoint(store: Store, out: Path) -> dict[str, object]:
    res = CliRunner().invoke(cli, ["--db", store.url, "audit", "checkpoint", "--out", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert json.loads(out.read_text()) == doc
    return doc


def _verify(store: Store, cp: Path) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["--db", store.url, "audit", "verify", "--checkpoint", str(cp)])
    return res.exit_code, res.output


def test_checkpoint_is_signed_and_extended(store, tmp_path, monkeypatch):
    key = tmp_path / "keys" / "civcas.key"
    monkeypatch.setenv("CIVCAS_KEY", str(key))
    doc = _checkpoint(store, tmp_path / "cp.json")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600  # created on first use
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert doc["seq"] == 1 + 3 and doc["public_key"] == keys.public_b64(keys.load_private(key))
    assert doc["snapshot"] == snapshot_hash(store, IncidentFilter())
    assert audit.checkpoint_signed(doc)
    assert audit.latest_checkpoint(store) == doc
    # later work extends it
    editing.edit(store, R, "T3", {"summary": "later"}, expected_version=None)
    code, out = _verify(store, tmp_path / "cp.json")
    assert code == 0 and "extends the checkpoint at revision 4" in out, out


def test_altered_checkpoint_fails_its_signature(store, tmp_path):
    doc = _checkpoint(store, tmp_path / "cp.json")
    forged = {**doc, "seq": 2}
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    code, out = _verify(store, tmp_path / "forged.json")
    assert code == 1 and "signature does not hold" in out, out


def test_rewritten_history_fails_against_the_checkpoint(store, tmp_path):
    """A tamperer without the key edits revision 3's reason and recomputes every hash
    after it (and the head): the chain is consistent again, verify alone passes; the
    checkpoint made before does not match."""
    _checkpoint(store, tmp_path / "cp.json")
    with store.begin() as conn:
        rows = list(sw.iter_revisions(conn))
        prev = sw.GENESIS
        for r in rows:
            if r["seq"] == 3:
                r["reason"] = "nothing happened"
            r["prev_hash"] = prev
            r["hash"] = sw.revision_hash(prev, r)
            prev = r["hash"]
        conn.execute(text("DELETE FROM wf_revision"))
        conn.execute(sw.wf_revision.insert(), rows)
        conn.execute(text("UPDATE history_head SET hash = :h"), {"h": prev})
    assert audit.verify(store).ok  # invisible from inside
    code, out = _verify(store, tmp_path / "cp.json")
    assert code == 1 and "rewritten" in out, out


def test_truncated_history_fails_against_the_checkpoint(store, tmp_path):
    _checkpoint(store, tmp_path / "cp.json")
    with store.begin() as conn:
        conn.execute(text("DELETE FROM wf_revision WHERE seq >= 3"))
        conn.execute(
            text(
                "UPDATE history_head SET seq = 2, hash = (SELECT hash FROM"
                " wf_revision WHERE seq = 2)"
            )
        )
    code, out = _verify(store, tmp_path / "cp.json")
    assert code == 1 and "was cut" in out, out


def test_reports_and_downloads_carry_the_latest_checkpoint(store, tmp_path):
    from civcas.report.html import build_report
    from civcas.web.app import create_app

    html = build_report(store, IncidentFilter(), "civcas report")
    assert "No signed checkpoint" in html
    doc = audit.make_checkpoint(store)
    html = build_report(store, IncidentFilter(), "civcas report")
    start = html.index('<script type="application/json" id="civcas-checkpoint">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    assert json.loads(body) == doc
    saved = tmp_path / "from-report.json"
    saved.write_text(body)
    assert _verify(store, saved)[0] == 0  # a reader can check it as it is
    client = TestClient(create_app(store))
    for fmt in ("json", "geojson"):
        r = client.get(f"/downloads/incidents.{fmt}")
        assert r.status_code == 200
        data = r.json()
        assert data["civcas"]["checkpoint"] == doc
        assert data["civcas"]["software"].startswith("civcas")  # the block is intact
        assert json.loads(r.headers["x-civcas-checkpoint"]) == doc
    r = client.get("/downloads/incidents.csv")
    assert r.status_code == 200 and json.loads(r.headers["x-civcas-checkpoint"]) == doc
