"""Files 0600, folders 0700 (issue 15, medium item): with the usual umask of 022 the
database (and its -wal/-shm), backups, evidence files and folders and the CLI's exports
were readable by every account on the machine. The library creates them private whatever
the umask; the `civcas` command also sets a umask of 077 for everything else it writes.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from wf_helpers import ADMIN, seed_incidents

from civcas.store import Store
from civcas.workflow import backup, evidence, keys

CIVCAS = str(Path(sys.executable).with_name("civcas"))


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _private(p: Path) -> None:
    """Nobody but the owner may read, write or enter it."""
    assert _mode(p) & 0o077 == 0, f"{p} is {oct(_mode(p))}"


@pytest.fixture
def umask022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_sqlite_database_and_its_folder_are_private(tmp_path, umask022):
    db = tmp_path / "new" / "deeper" / "team.db"
    s = Store(f"sqlite:///{db}")
    seed_incidents(s, 2)
    with s.connect() as conn:  # keep a connection open: -wal and -shm exist
        conn.exec_driver_sql("SELECT count(*) FROM incident").scalar()
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert p.exists(), p
            assert _mode(p) == 0o600, (p, oct(_mode(p)))
    assert _mode(db.parent) == 0o700 and _mode(db.parent.parent) == 0o700
    s.dispose()


def test_existing_world_readable_database_is_tightened(tmp_path, umask022):
    db = tmp_path / "old.db"
    Store(f"sqlite:///{db}").dispose()
    os.chmod(db, 0o644)  # as the old code left it
    s = Store(f"sqlite:///{db}")
    assert _mode(db) & 0o007 == 0
    s.dispose()


def test_backup_and_evidence_are_private(store, tmp_path, umask022, monkeypatch):
    src = tmp_path / "photo.jpg"
    src.write_bytes(b"a witness photo")
    r = evidence.add(store, ADMIN, src)
    root = evidence.evidence_dir(store)
    blob = evidence.path_for(root, r["sha256"])
    _private(blob)
    _private(blob.parent)
    _private(root)
    out = tmp_path / "b.tar"
    backup.backup(store, out)
    assert _mode(out) == 0o600
    _private(keys.key_path(store))  # the installation key that signed it (issue 16)
    # a restore on another machine recreates the evidence folders private as well
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "elsewhere" / "ev"))
    dst = Store(f"sqlite:///{tmp_path / 'dst.db'}")
    # another installation (its own key) trusts the source's key
    backup.restore(dst, out, trust=[keys.public_b64(keys.installation_key(store))])
    blob2 = evidence.path_for(tmp_path / "elsewhere" / "ev", r["sha256"])
    for p in (blob2, blob2.parent, tmp_path / "elsewhere" / "ev", tmp_path / "elsewhere"):
        _private(p)


def _sh(cmd: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a shell command as a user would: a fresh process with umask 022."""
    env = {k: v for k, v in os.environ.items() if k != "CIVCAS_DB"}
    return subprocess.run(
        ["sh", "-c", f"umask 022; {cmd}"], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.mark.skipif(not Path(CIVCAS).exists(), reason="the civcas command is not installed")
def test_cli_writes_private_files(tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    db = work / "cli.db"
    seed = Store(f"sqlite:///{db}")
    seed_incidents(seed, 3)
    seed.dispose()
    os.chmod(db, 0o600)
    for cmd in (
        f"{CIVCAS} --db {db} export --format csv -o out.csv",
        f"{CIVCAS} --db {db} backup cli.tar",
        f"{CIVCAS} --db {work / 'fresh.db'} user list",
    ):
        r = _sh(cmd, work)
        assert r.returncode == 0, (cmd, r.stderr)
    for name in ("out.csv", "cli.tar", "fresh.db"):
        assert _mode(work / name) == 0o600, (name, oct(_mode(work / name)))
    # and the library alone, without the CLI's umask, in a fresh process
    code = "from civcas.store import Store; Store('sqlite:///lib/lib.db').dispose()"
    r = _sh(f'{sys.executable} -c "{code}"', work)
    assert r.returncode == 0, r.stderr
    assert _mode(work / "lib" / "lib.db") == 0o600 and _mode(work / "lib") == 0o700
    shutil.rmtree(work)
