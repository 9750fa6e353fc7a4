"""Signed (and optionally encrypted) backups (issue 16).

Before issue 16 a backup whose database was edited and whose SHA-256 manifest was
recomputed restored: the hashes detected damage, not malice. Now the manifest is signed
with the installation key: such a backup, one signed by another key, or one with its
signature removed or its manifest changed, is refused and the target keeps its rows.
A real backup restores on a fresh "machine" (another folder, another key, ``--trust``),
identical (tally JSON byte-identical), and verifies, against a checkpoint too.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import stat
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from wf_helpers import seed_incidents

from civcas.cli.main import cli
from civcas.model import InputError
from civcas.store import Store
from civcas.tally import tally
from civcas.workflow import Actor, audit, backup, crypt, editing, interviews, keys

R = Actor("rita", "researcher")


def _tally(store: Store) -> bytes:
    return json.dumps(tally(store).to_json(), sort_keys=True).encode()


@pytest.fixture
def machine_a(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The source installation: a record with edits, a witness, its key beside the db."""
    a = tmp_path / "a"
    a.mkdir()
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(a / "evidence"))
    s = Store(f"sqlite:///{a / 'civcas.db'}")
    seed_incidents(s, 5)
    editing.edit(s, R, "T1", {"killed_max": 11}, expected_version=None, reason="list")
    interviews.add(s, R, {"code": "IV1", "witness_name": "Secret Witness"}, incidents=["T1"])
    return s


def _members(path: Path) -> tuple[dict[str, bytes], dict[str, object]]:
    out: dict[str, bytes] = {}
    with tarfile.open(path) as tar:
        for m in tar.getmembers():
            out[m.name] = tar.extractfile(m).read()  # type: ignore[union-attr]
    return out, json.loads(out.pop("manifest.json"))


def _write(path: Path, manifest: dict[str, object], members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in {**members, "manifest.json": json.dumps(manifest).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _edited_db(data: bytes, tmp: Path) -> bytes:
    """The backup's database with T1's count changed by SQL."""
    p = tmp / "edit.sqlite"
    p.write_bytes(data)
    con = sqlite3.connect(p)
    con.execute("UPDATE incident SET killed_max = 1 WHERE code = 'T1'")
    con.commit()
    con.close()
    return p.read_bytes()


def test_backup_is_signed_and_the_key_is_private(machine_a, tmp_path):
    path = tmp_path / "b.tar"
    m = backup.backup(machine_a, path)
    key = keys.key_path(machine_a)
    assert key == tmp_path / "a" / "civcas.db.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert m["signature"]["public_key"] == keys.public_b64(keys.installation_key(machine_a))
    assert m["chain"]["seq"] == audit.verify(machine_a).head["seq"]  # type: ignore[index]


def test_edited_database_with_recomputed_hashes_is_refused(machine_a, tmp_path):
    path = tmp_path / "b.tar"
    backup.backup(machine_a, path)
    members, manifest = _members(path)
    members["database.sqlite"] = _edited_db(members["database.sqlite"], tmp_path)
    manifest["members"]["database.sqlite"] = hashlib.sha256(  # type: ignore[index]
        members["database.sqlite"]
    ).hexdigest()
    bad = _write(tmp_path / "bad.tar", manifest, members)
    before = _tally(machine_a)
    with pytest.raises(InputError) as exc:
        backup.restore(machine_a, bad)
    assert "signature does not hold" in str(exc.value)
    assert _tally(machine_a) == before
    # the hashes alone (what issue 15 checked) would have let it through
    backup.restore(machine_a, bad, allow_unsigned=True)
    assert _tally(machine_a) != before


def test_signature_removed_or_manifest_changed_is_refused(machine_a, tmp_path):
    path = tmp_path / "b.tar"
    backup.backup(machine_a, path)
    members, manifest = _members(path)
    stripped = {k: v for k, v in manifest.items() if k != "signature"}
    with pytest.raises(InputError, match="not signed"):
        backup.restore(machine_a, _write(tmp_path / "s.tar", stripped, members))
    changed = {**manifest, "created_at": "2000-01-01T00:00:00+00:00"}
    with pytest.raises(InputError, match="signature does not hold"):
        backup.restore(machine_a, _write(tmp_path / "c.tar", changed, members))


def test_backup_signed_by_another_key_needs_trust(machine_a, tmp_path, monkeypatch):
    """Someone with their own key re-signs an edited backup: refused, naming the key;
    and a genuine backup of another installation restores only with --trust."""
    path = tmp_path / "b.tar"
    backup.backup(machine_a, path)
    members, manifest = _members(path)
    members["database.sqlite"] = _edited_db(members["database.sqlite"], tmp_path)
    manifest["members"]["database.sqlite"] = hashlib.sha256(  # type: ignore[index]
        members["database.sqlite"]
    ).hexdigest()
    mallory = keys.load_private(tmp_path / "mallory.key")
    forged = _write(tmp_path / "f.tar", backup.sign_manifest(manifest, mallory), members)
    before = _tally(machine_a)
    with pytest.raises(InputError) as exc:
        backup.restore(machine_a, forged)
    assert "another installation" in str(exc.value)
    assert keys.fingerprint(keys.public_b64(mallory)) in str(exc.value)
    assert _tally(machine_a) == before
    res = CliRunner().invoke(cli, ["--db", machine_a.url, "restore", "--yes", str(forged)])
    assert res.exit_code == 1 and "--trust" in res.output
    assert _tally(machine_a) == before


def test_fresh_machine_restores_identical_and_verifies(machine_a, tmp_path, monkeypatch):
    runner = CliRunner()
    cp = tmp_path / "checkpoint.json"
    res = runner.invoke(cli, ["--db", machine_a.url, "audit", "checkpoint", "--out", str(cp)])
    assert res.exit_code == 0, res.output
    path = tmp_path / "b.tar"
    res = runner.invoke(cli, ["--db", machine_a.url, "backup", str(path)])
    assert res.exit_code == 0, res.output
    want = _tally(machine_a)
    pub = runner.invoke(cli, ["--db", machine_a.url, "audit", "key"]).stdout.strip()
    # machine B: a new folder, a new database, its own key, its own evidence directory
    b = tmp_path / "b"
    b.mkdir()
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(b / "evidence"))
    dst = Store(f"sqlite:///{b / 'civcas.db'}")
    seed_incidents(dst, 2)  # something to be replaced
    res = runner.invoke(cli, ["--db", dst.url, "restore", "--yes", str(path)])
    assert res.exit_code == 1 and "another installation" in res.output, res.output
    (tmp_path / "a.pub").write_text(pub + "\n")
    res = runner.invoke(
        cli, ["--db", dst.url, "restore", "--yes", "--trust", str(tmp_path / "a.pub"), str(path)]
    )
    assert res.exit_code == 0, res.output
    assert keys.key_path(dst) == b / "civcas.db.key" and keys.key_path(dst).exists()
    assert keys.public_b64(keys.installation_key(dst)) != pub
    assert _tally(dst) == want  # byte-identical
    res = runner.invoke(cli, ["--db", dst.url, "audit", "verify", "--checkpoint", str(cp)])
    assert res.exit_code == 0 and "extends the checkpoint" in res.output, res.output
    rep = audit.verify(dst, checkpoint=json.loads(cp.read_text()))
    assert rep.ok and rep.checkpoint["this_installation"] is False  # type: ignore[index]
    # and the restored record is tamper-evident as the original was
    with dst.begin() as conn:
        from sqlalchemy import text

        conn.execute(text("UPDATE victim SET name = 'X' WHERE id = (SELECT min(id) FROM victim)"))
    res = runner.invoke(cli, ["--db", dst.url, "audit", "verify"])
    assert res.exit_code == 1 and "victim.name" in res.output


def test_encrypted_backup(machine_a, tmp_path, monkeypatch):
    runner = CliRunner()
    pw = tmp_path / "pw.txt"
    pw.write_text("correct horse battery staple\n")
    path = tmp_path / "b.tar.enc"
    res = runner.invoke(
        cli, ["--db", machine_a.url, "backup", "--passphrase-file", str(pw), str(path)]
    )
    assert res.exit_code == 0, res.output
    data = path.read_bytes()
    assert crypt.is_encrypted(path) and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"Secret Witness" not in data and b"manifest" not in data
    want = _tally(machine_a)
    dst = Store(f"sqlite:///{tmp_path / 'dst.db'}")
    monkeypatch.setenv("CIVCAS_KEY", str(keys.key_path(machine_a)))  # same installation
    with pytest.raises(InputError, match="encrypted"):
        backup.restore(dst, path)
    with pytest.raises(InputError, match="wrong passphrase"):
        backup.restore(dst, path, passphrase="not it")
    cut = tmp_path / "cut.enc"
    cut.write_bytes(data[: len(data) - 40])
    with pytest.raises(InputError, match="cut short|altered"):
        backup.restore(dst, cut, passphrase="correct horse battery staple")
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 1
    (tmp_path / "flip.enc").write_bytes(bytes(flipped))
    with pytest.raises(InputError, match="altered"):
        backup.restore(dst, tmp_path / "flip.enc", passphrase="correct horse battery staple")
    res = runner.invoke(
        cli, ["--db", dst.url, "restore", "--yes", "--passphrase-file", str(pw), str(path)]
    )
    assert res.exit_code == 0, res.output
    assert _tally(dst) == want
    assert audit.verify(dst).ok


def test_encryption_streams_in_chunks(tmp_path):
    """A file of several chunks (and one of exactly one chunk) round-trips; a chunk moved
    to another place is refused."""
    for size in (0, crypt.CHUNK, 3 * crypt.CHUNK + 5):
        src = tmp_path / f"p{size}"
        src.write_bytes(os.urandom(size))
        enc, out = tmp_path / f"e{size}", tmp_path / f"o{size}"
        crypt.encrypt_file(src, enc, "pw")
        crypt.decrypt_file(enc, out, "pw", max_bytes=1 << 30)
        assert out.read_bytes() == src.read_bytes()
    with pytest.raises(InputError, match="more than"):
        crypt.decrypt_file(enc, tmp_path / "small", "pw", max_bytes=crypt.CHUNK)


def test_key_readable_by_others_is_refused(machine_a, tmp_path):
    key = keys.key_path(machine_a)
    backup.backup(machine_a, tmp_path / "b.tar")
    os.chmod(key, 0o644)
    from civcas.model.errors import ConfigError

    with pytest.raises(ConfigError, match="can be read by others"):
        backup.backup(machine_a, tmp_path / "b2.tar")
