"""Backup -> restore reproduces identical tallies and evidence; evidence verification;
KoBo/ODK interview import."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from wf_helpers import ADMIN, seed_incidents

from civcas.cli.main import cli
from civcas.model import InputError
from civcas.store import Store
from civcas.tally import tally
from civcas.workflow import audit, backup, editing, evidence, interviews


def _work(store: Store, tmp: Path) -> None:
    seed_incidents(store, 8)
    editing.grade(store, ADMIN, "T1", "Confirmed", "accepted by the coalition")
    editing.add_child(store, ADMIN, "T2", "victim", {"name": "Sara", "age": 4})
    editing.mark_duplicate(store, ADMIN, "T4", "T3", "same event")
    editing.create(store, ADMIN, {"location_en": "New", "killed_min": 1}, code="N1")
    editing.publish(store, ADMIN, "N1")
    (tmp / "photo.jpg").write_bytes(b"\xff\xd8 not really a jpeg " * 100)
    src = editing.get(store, ADMIN, "T0")["sources"][0]["id"]
    evidence.add(store, ADMIN, tmp / "photo.jpg", source_id=src)
    interviews.add(store, ADMIN, {"code": "IV", "witness_name": "W"}, incidents=["T0"])


def test_backup_restore_identical_tallies(db_url, tmp_path, monkeypatch):
    # one installation (one signing key), several databases (issue 16)
    monkeypatch.setenv("CIVCAS_KEY", str(tmp_path / "installation.key"))
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "ev-src"))
    src = Store(db_url)
    _work(src, tmp_path)
    want = tally(src).to_json()
    want_unpub = editing.get(src, ADMIN, "T3")
    backup.backup(src, tmp_path / "b.tar")
    # another database, another evidence directory (another machine, with its own key
    # and --trust: tests/history/test_backup_signed.py)
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "ev-dst"))
    dst = Store(f"sqlite:///{tmp_path / 'restored.db'}")
    seed_incidents(dst, 2)  # something to be replaced
    backup.restore(dst, tmp_path / "b.tar")
    assert tally(dst).to_json() == want
    got = editing.get(dst, ADMIN, "T3")
    assert got["aliases"] == want_unpub["aliases"] == ["T4"]
    assert got["version"] == want_unpub["version"]
    assert audit.verify(dst).ok and audit.verify(dst).revisions == audit.verify(src).revisions
    assert evidence.verify(dst)["ok"] and evidence.verify(dst)["checked"] == 1
    # the restored database keeps working: ids continue without collisions
    editing.create(dst, ADMIN, {"location_en": "after restore"}, code="N2")
    src.dispose()
    dst.dispose()


def test_sqlite_backup_restores_into_postgres(pg_url, tmp_path, monkeypatch):
    # one installation (one signing key), several databases (issue 16)
    monkeypatch.setenv("CIVCAS_KEY", str(tmp_path / "installation.key"))
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "ev"))
    src = Store(f"sqlite:///{tmp_path / 'src.db'}")
    _work(src, tmp_path)
    backup.backup(src, tmp_path / "b.tar")
    dst = Store(pg_url)
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", pg_url, "restore", "--yes", str(tmp_path / "b.tar")])
    assert res.exit_code == 0, res.output
    assert tally(dst).to_json() == tally(src).to_json()
    editing.create(dst, ADMIN, {"location_en": "after restore"}, code="N2")  # sequences ok
    dst.dispose()


def test_damaged_backup_restores_nothing(tmp_path, monkeypatch):
    # one installation (one signing key), several databases (issue 16)
    monkeypatch.setenv("CIVCAS_KEY", str(tmp_path / "installation.key"))
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "ev"))
    src = Store(f"sqlite:///{tmp_path / 'src.db'}")
    _work(src, tmp_path)
    backup.backup(src, tmp_path / "b.tar")
    # flip the content of the evidence member, keep the manifest
    bad = tmp_path / "bad.tar"
    with tarfile.open(tmp_path / "b.tar") as tin, tarfile.open(bad, "w") as tout:
        for m in tin.getmembers():
            data = tin.extractfile(m).read()  # type: ignore[union-attr]
            if m.name.startswith("evidence/"):
                data = data.replace(b"jpeg", b"JPEG")
            m.size = len(data)
            tout.addfile(m, io.BytesIO(data))
    dst = Store(f"sqlite:///{tmp_path / 'dst.db'}")
    seed_incidents(dst, 2)
    before = tally(dst).to_json()
    res = CliRunner().invoke(cli, ["--db", dst.url, "restore", "--yes", str(bad)])
    assert (
        res.exit_code == 1 and "evidence/" in res.output and "nothing was restored" in (res.output)
    )
    assert tally(dst).to_json() == before


def test_evidence_verify_reports_mismatch_and_missing(store, tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.html"
    a.write_bytes(b"%PDF original")
    b.write_text("<html>capture</html>")
    ra = evidence.add(store, ADMIN, a)
    rb = evidence.add(store, ADMIN, b, kind="web_capture", url="https://example.org/x")
    assert a.read_bytes() == b"%PDF original"  # originals untouched
    runner = CliRunner()
    ok = runner.invoke(cli, ["--db", store.url, "evidence", "verify"])
    assert ok.exit_code == 0, ok.output
    root = evidence.evidence_dir(store)
    pa = evidence.path_for(root, ra["sha256"])
    os.chmod(pa, 0o644)
    pa.write_bytes(b"%PDF altered")
    evidence.path_for(root, rb["sha256"]).unlink()
    res = runner.invoke(cli, ["--db", store.url, "evidence", "verify", "--json"])
    assert res.exit_code == 1
    assert ra["sha256"] in res.output and rb["sha256"] in res.output
    rep = evidence.verify(store)
    assert [m["sha256"] for m in rep["mismatched"]] == [ra["sha256"]]
    assert [m["sha256"] for m in rep["missing"]] == [rb["sha256"]]


def test_evidence_dir_defaults_next_to_sqlite(tmp_path, monkeypatch):
    monkeypatch.delenv("CIVCAS_EVIDENCE_DIR", raising=False)
    s = Store(f"sqlite:///{tmp_path / 'team.db'}")
    assert evidence.evidence_dir(s) == tmp_path / "team-evidence"


def _kobo_sheet(path: Path, rows: list[list[object]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "start",
            "g_meta/interviewer",
            "today",
            "visit_type",
            "g_w/witness_name",
            "g_w/witness_phone",
            "consent",
            "notes",
            "incident_codes",
            "_uuid",
        ]
    )
    for r in rows:
        ws.append(r)
    wb.save(path)


def test_kobo_xlsx_import(store, tmp_path):
    p = tmp_path / "kobo.xlsx"
    _kobo_sheet(
        p,
        [
            [
                "2017-08-01T09:00",
                "Investigator A",
                "2017-08-01",
                "interview",
                "Witness One",
                "0999",
                "yes",
                "saw it",
                "T0 T1",
                "u-1",
            ],
            [
                "2017-08-02T09:00",
                "Investigator A",
                "2017-08-02",
                "site_visit",
                None,
                None,
                "no",
                "crater",
                "T2",
                "u-2",
            ],
        ],
    )
    counts = interviews.import_xlsx(store, ADMIN, p)
    assert counts == {"rows": 2, "inserted": 2, "unchanged": 0}
    again = interviews.import_xlsx(store, ADMIN, p)
    assert again == {"rows": 2, "inserted": 0, "unchanged": 2}
    one = interviews.get(store, ADMIN, "u-1")
    assert one["incidents"] == ["T0", "T1"] and one["witness_contact"] == "0999"
    assert interviews.get(store, ADMIN, "u-2")["kind"] == "site_visit"


def test_kobo_import_reports_every_bad_row(store, tmp_path):
    p = tmp_path / "bad.xlsx"
    _kobo_sheet(
        p,
        [
            ["x", "A", "2017-13-45", "interview", "W", "1", "maybe", "", "T0", "u-1"],
            ["x", "A", "2017-08-02", "interview", "W", "1", "yes", "", "NOPE", "u-2"],
        ],
    )
    with pytest.raises(InputError) as exc:
        interviews.import_xlsx(store, ADMIN, p)
    got = {(pr.row, pr.field) for pr in exc.value.problems}
    assert got == {(2, "date"), (2, "consent"), (3, "incidents")}
    assert interviews.list_all(store, ADMIN) == []
