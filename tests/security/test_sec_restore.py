"""Crafted backups (issue 15, items 2 and 3): traversal, absolute names, links, devices,
duplicates, a manifest-only archive, a bad hash, an archive that would empty the record,
a gzip bomb. Each is refused before anything is written: the database keeps its rows,
the evidence directory is unchanged and no file appears outside the restore's own
private directory. A good backup still round-trips.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.model import InputError
from civcas.store import Store
from civcas.tally import tally
from civcas.workflow import backup, keys


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _state(store: Store) -> str:
    """Everything a restore could change, as one comparable value."""
    out = {"tally": tally(store).to_json()}
    from sqlalchemy import text

    with store.connect() as conn:
        out["incidents"] = conn.execute(text("SELECT count(*) FROM incident")).scalar_one()
        out["users"] = conn.execute(text("SELECT count(*) FROM wf_user")).scalar_one()
    return json.dumps(out, sort_keys=True, default=str)


#: the installation key the crafted archives are signed with (issue 16): these attacks
#: are replayed as by someone holding the key, so that each one reaches the check it is
#: about; unsigned and foreign-signed archives are tests/history/test_backup_signed.py's
_SIGNER: list[object] = []


@pytest.fixture
def good(store: Store, tmp_path: Path) -> dict[str, object]:
    """A real backup of the seeded store, its members as (name -> bytes), its manifest."""
    path = tmp_path / "good.tar"
    backup.backup(store, path)
    _SIGNER[:] = [keys.installation_key(store)]
    members: dict[str, bytes] = {}
    with tarfile.open(path) as tar:
        for m in tar.getmembers():
            members[m.name] = tar.extractfile(m).read()  # type: ignore[union-attr]
    manifest = json.loads(members.pop("manifest.json"))
    return {"path": path, "members": members, "manifest": manifest}


def _write(
    path: Path,
    manifest: dict[str, object],
    regular: dict[str, bytes],
    extra: Callable[[tarfile.TarFile], None] | None = None,
    mode: str = "w",
) -> Path:
    with tarfile.open(path, mode) as tar:  # type: ignore[call-overload]
        for name, data in regular.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if extra is not None:
            extra(tar)
        if _SIGNER and isinstance(manifest.get("members"), dict):
            manifest = backup.sign_manifest(manifest, _SIGNER[0])
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


class _Watch:
    """The places a malicious archive could write to, and the database's state.

    The restore's temporary directory is made under ``tmp_path/tmp/a`` so that every
    ``..`` escape from it still lands inside ``tmp_path``, where it is seen.
    """

    def __init__(self, store: Store, tmp_path: Path) -> None:
        self.store = store
        self.root = tmp_path
        self.outside = tmp_path / "outside"
        self.outside.mkdir()
        self.archives = tmp_path / "archives"  # crafted archives and scratch files
        self.archives.mkdir()
        (tmp_path / "tmp" / "a").mkdir(parents=True)
        self.before_files = self.files()
        self.before_state = _state(store)

    def files(self) -> set[str]:
        return {
            f
            for f in _files(self.root)
            if not f.startswith(("archives", "sec.db")) and f != "good.tar"
        }

    def refused(self, archive: Path, *needles: str, **kw: object) -> str:
        with pytest.raises(InputError) as exc:
            backup.restore(self.store, archive, **kw)  # type: ignore[arg-type]
        msg = str(exc.value) + " " + " ".join(str(p) for p in exc.value.problems)
        for n in needles:
            assert n in msg, msg
        self.unchanged()
        return msg

    def unchanged(self) -> None:
        """Same database state; no file anywhere under tmp_path that was not there (a
        left-over restore directory included)."""
        assert _state(self.store) == self.before_state
        after = self.files()
        assert after == self.before_files, after ^ self.before_files


@pytest.fixture
def watch(
    store: Store, tmp_path: Path, good: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> _Watch:
    w = _Watch(store, tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp" / "a"))
    return w


def _with(good: dict[str, object], **changes: bytes) -> tuple[dict[str, object], dict[str, bytes]]:
    """The good archive's manifest and members, plus ``changes`` listed with true hashes."""
    members = dict(good["members"])  # type: ignore[call-overload]
    manifest = json.loads(json.dumps(good["manifest"]))
    for name, data in changes.items():
        members[name] = data
        manifest["members"][name] = _sha(data)
    return manifest, members


@pytest.mark.parametrize(
    "name",
    [
        "../../x",
        "evidence/../../x",
        "ABS",
        "..\\..\\x",
        "C:/x",
        "evidence/./" + "a" * 64,
        "tables/../../x.jsonl",
    ],
)
def test_traversal_and_absolute_names_refused(watch, good, tmp_path, name):
    if name == "ABS":  # an absolute name inside tmp_path, where the test can see it
        name = str(tmp_path / "outside" / "abs")
    manifest, members = _with(good, **{name: b"pwned"})
    bad = _write(watch.archives / "bad.tar", manifest, members)
    watch.refused(bad, name)


def _link(kind: bytes, target: str) -> Callable[[tarfile.TarFile], None]:
    def add(tar: tarfile.TarFile) -> None:
        info = tarfile.TarInfo("evidence/" + "b" * 64)
        info.type = kind
        info.linkname = target
        tar.addfile(info)

    return add


@pytest.mark.parametrize(
    "kind,target",
    [
        (tarfile.SYMTYPE, "../../x"),
        (tarfile.SYMTYPE, "/etc/passwd"),
        (tarfile.LNKTYPE, "database.sqlite"),
        (tarfile.CHRTYPE, ""),
        (tarfile.BLKTYPE, ""),
        (tarfile.FIFOTYPE, ""),
        (tarfile.DIRTYPE, ""),
    ],
)
def test_links_devices_fifos_refused(watch, good, tmp_path, kind, target):
    manifest, members = _with(good)
    manifest["members"]["evidence/" + "b" * 64] = "b" * 64  # type: ignore[index]
    bad = _write(watch.archives / "bad.tar", manifest, members, _link(kind, target))
    watch.refused(bad, "evidence/" + "b" * 64, "regular file")


def test_symlink_then_write_through_it_refused(watch, good, tmp_path):
    """The classic two-step: a symlink member, then a file member written through it."""
    manifest, members = _with(good)

    def add(tar: tarfile.TarFile) -> None:
        info = tarfile.TarInfo("evidence")
        info.type = tarfile.SYMTYPE
        info.linkname = str(watch.outside)
        tar.addfile(info)
        data = b"through the link"
        info = tarfile.TarInfo("evidence/" + _sha(data))
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        manifest["members"]["evidence/" + _sha(data)] = _sha(data)  # type: ignore[index]

    bad = _write(watch.archives / "bad.tar", manifest, members, add)
    watch.refused(bad)
    assert list(watch.outside.iterdir()) == []


def test_duplicate_member_refused(watch, good, tmp_path):
    manifest, members = _with(good)
    name = "database.sqlite"

    def add(tar: tarfile.TarFile) -> None:
        data = b"second copy, different bytes"
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))

    bad = _write(watch.archives / "bad.tar", manifest, members, add)
    watch.refused(bad, "more than once")


def test_manifest_only_archive_refused(watch, good, tmp_path):
    manifest = {**good["manifest"], "members": {}}  # type: ignore[dict-item]
    bad = _write(watch.archives / "bad.tar", manifest, {})
    watch.refused(bad, "database")
    # with allow_empty too: an archive without its database is never a restore
    watch.refused(bad, "database", allow_empty=True)


def test_member_missing_from_manifest_or_archive_refused(watch, good, tmp_path):
    manifest, members = _with(good)
    members["evidence/" + "c" * 64] = b"unlisted"
    watch.refused(_write(watch.archives / "bad1.tar", manifest, members), "not in the manifest")
    manifest, members = _with(good)
    members.pop("database.sqlite")
    watch.refused(
        _write(watch.archives / "bad2.tar", manifest, members), "missing from the archive"
    )


def test_bad_hash_refused_before_anything_is_written(watch, good, tmp_path):
    manifest, members = _with(good)
    members["database.sqlite"] = members["database.sqlite"][:-1] + b"\x01"
    watch.refused(_write(watch.archives / "bad.tar", manifest, members), "SHA-256")


def test_jsonl_backup_missing_a_listed_table_refused(watch, good, tmp_path):
    manifest, members = _with(good)
    members.pop("database.sqlite")
    manifest["members"].pop("database.sqlite")  # type: ignore[attr-defined]
    manifest["dialect"] = "postgresql"
    rows = b'{"id": 1, "code": "X"}\n'
    members["tables/incident.jsonl"] = rows
    manifest["members"]["tables/incident.jsonl"] = _sha(rows)  # type: ignore[index]
    manifest["table_rows"] = {"incident": 1, "victim": 0}
    watch.refused(_write(watch.archives / "bad.tar", manifest, members), "tables/victim.jsonl")


def test_would_empty_record_refused_unless_allowed(watch, store, good, tmp_path):
    import sqlite3

    empty_db = watch.archives / "empty.sqlite"
    empty_db.write_bytes(good["members"]["database.sqlite"])  # type: ignore[index]
    con = sqlite3.connect(empty_db)
    for t in ("victim", "source", "statement", "incident_belligerent", "incident_alias"):
        con.execute(f"DELETE FROM {t}")
    con.execute("DELETE FROM incident")
    con.commit()
    con.close()
    data = empty_db.read_bytes()
    manifest, members = _with(good, **{"database.sqlite": data})
    bad = _write(watch.archives / "bad.tar", manifest, members)
    msg = watch.refused(bad, "allow-empty")
    assert "0 incidents" in msg
    res = CliRunner().invoke(cli, ["--db", store.url, "restore", "--yes", str(bad)])
    assert res.exit_code == 1 and "--allow-empty" in res.output
    watch.unchanged()
    backup.restore(store, bad, allow_empty=True)
    assert json.loads(_state(store))["incidents"] == 0


def test_gzip_bomb_refused(watch, good, tmp_path):
    manifest, members = _with(good)
    big = b"\0" * (8 << 20)
    members["evidence/" + _sha(big)] = big
    manifest["members"]["evidence/" + _sha(big)] = _sha(big)  # type: ignore[index]
    bomb = _write(watch.archives / "bomb.tar.gz", manifest, members, mode="w:gz")
    assert bomb.stat().st_size < 200_000
    watch.refused(bomb, "larger than", max_bytes=4 << 20)


def test_not_gzip_garbage_refused(watch, tmp_path):
    bad = watch.archives / "bad.tar.gz"
    bad.write_bytes(gzip.compress(b"not a tar at all" * 100))
    watch.refused(bad, "not a civcas backup")


def test_good_round_trip_still_works(store, good, tmp_path, monkeypatch):
    want = tally(store).to_json()
    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "ev2"))
    dst = Store(f"sqlite:///{tmp_path / 'dst.db'}")
    # another database file is another installation (its own key): it trusts the source's
    pub = keys.public_b64(keys.installation_key(store))
    backup.restore(dst, good["path"], trust=[pub])  # type: ignore[arg-type]
    assert tally(dst).to_json() == want
    # a gzip-compressed copy of the same backup restores too
    gz = tmp_path / "good.tar.gz"
    gz.write_bytes(gzip.compress(Path(good["path"]).read_bytes()))  # type: ignore[arg-type]
    dst2 = Store(f"sqlite:///{tmp_path / 'dst2.db'}")
    res = CliRunner().invoke(cli, ["--db", dst2.url, "restore", "--yes", "--trust", pub, str(gz)])
    assert res.exit_code == 0, res.output
    assert tally(dst2).to_json() == want


def test_rows_the_database_refuses_change_nothing(watch, good, tmp_path):
    """Well-formed archive, hashes right, rows the schema refuses (an incident with no
    code): the load fails inside its transaction and the database keeps its rows."""
    manifest, members = _with(good)
    members.pop("database.sqlite")
    manifest["members"].pop("database.sqlite")  # type: ignore[attr-defined]
    manifest["dialect"] = "postgresql"
    rows = b'{"id": 1, "code": null, "source_kind": "x", "source_id": "1"}\n'
    members["tables/incident.jsonl"] = rows
    manifest["members"]["tables/incident.jsonl"] = _sha(rows)  # type: ignore[index]
    manifest["table_rows"] = {"incident": 1}
    watch.refused(_write(watch.archives / "bad.tar", manifest, members), "cannot be loaded")


def test_truncated_archive_refused(watch, good, tmp_path):
    data = Path(good["path"]).read_bytes()  # type: ignore[arg-type]
    bad = watch.archives / "cut.tar"
    bad.write_bytes(data[: len(data) // 2])
    watch.refused(bad)
