"""Backup and restore: one tar file with the database, the evidence and a manifest.

SQLite is copied with its online backup API (a consistent snapshot while the server
writes); PostgreSQL (or any other engine) is dumped table by table as JSON lines inside
one REPEATABLE READ transaction. The archive is written 0600: it holds witness
identities.

A backup is untrusted input when it is restored (it may come from anywhere): every member
is checked from the tar headers before anything is written (names a backup holds, regular
files only, each once, a size ceiling against decompression bombs), then copied into a
private temporary directory and checked against the manifest's SHA-256, and only then
are the rows loaded into the target database, in one transaction, so a refused or failed
restore leaves the target as it was.

The SHA-256 alone detect damage, not malice (whoever can write a backup can write its
manifest), so the manifest is signed with the installation key (Ed25519, ``keys``):
restore checks the signature before anything is loaded, and accepts only this
installation's key or a key given with ``trust`` (``--trust``); an edited database with
recomputed hashes, or a manifest signed by an unknown key, is refused. A backup can be
encrypted with a passphrase (``passphrase``: scrypt, then AES-256-GCM in 1 MiB chunks,
each authenticated with its index and a last-chunk flag, so a reordered, cut or altered
file is refused; streamed: a large backup never sits in memory).
"""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import hashlib
import io
import json
import lzma
import os
import re
import shutil
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from ..model.errors import InputError
from ..store import Store, history
from ..store import workflow as sw
from . import crypt, evidence, keys

FORMAT = "civcas-backup/1"


def _sha_file(p: Path) -> str:
    return evidence.hash_file(p)


def sign_manifest(manifest: dict[str, Any], private: Any) -> dict[str, Any]:
    """The manifest with ``signature``: {public_key, signature} over its canonical JSON
    without the signature."""
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return {
        **body,
        "signature": {
            "public_key": keys.public_b64(private),
            "signature": keys.sign(private, keys.canonical(body)),
        },
    }


def _signature_problems(manifest: dict[str, Any], trusted: set[str] | None) -> list[str]:
    """Empty when the manifest is signed by a trusted key (``trusted`` None: no check)."""
    if trusted is None:
        return []
    sig = manifest.get("signature")
    if not isinstance(sig, dict):
        return [
            "manifest.json: not signed (a backup from before signatures, or its signature was"
            " removed); pass --allow-unsigned only if you know where it comes from"
        ]
    pub, value = sig.get("public_key"), sig.get("signature")
    body = {k: v for k, v in manifest.items() if k != "signature"}
    if not (
        isinstance(pub, str)
        and isinstance(value, str)
        and keys.verify_signature(pub, keys.canonical(body), value)
    ):
        return [
            "manifest.json: the signature does not hold: the manifest was changed after"
            " it was signed"
        ]
    if pub not in trusted:
        return [
            f"manifest.json: signed by another installation (key {keys.fingerprint(pub)});"
            " pass --trust PUBLIC_KEY (its public key, or a file holding it) if you trust it"
        ]
    return []


def backup(
    store: Store, file: str | Path, *, passphrase: str | bytes | None = None
) -> dict[str, Any]:
    """Write ``file`` (a tar archive, signed; encrypted when ``passphrase`` is given);
    returns the manifest."""
    private = keys.installation_key(store)  # before anything is written: a bad key stops it
    out = Path(file)
    work = Path(tempfile.mkdtemp(prefix="civcas-backup-"))
    members: dict[str, str] = {}
    try:
        if store.dialect == "sqlite":
            snap = work / "database.sqlite"
            sw.sqlite_snapshot(store, str(snap))
            members["database.sqlite"] = str(snap)
            counts: dict[str, int] = {}
        else:
            handles: dict[str, Any] = {}
            (work / "tables").mkdir()

            def write(table: str, row: dict[str, Any]) -> None:
                if table not in handles:
                    handles[table] = open(work / "tables" / f"{table}.jsonl", "w", encoding="utf-8")
                handles[table].write(json.dumps(row, ensure_ascii=False) + "\n")

            try:
                counts = sw.dump_tables(store, write)
            finally:
                for h in handles.values():
                    h.close()
            for t in counts:
                p = work / "tables" / f"{t}.jsonl"
                if not p.exists():
                    p.write_text("", encoding="utf-8")
                members[f"tables/{t}.jsonl"] = str(p)
        root = evidence.evidence_dir(store)
        missing = []
        for r in evidence.list_evidence(store):
            p = evidence.path_for(root, r["sha256"])
            if p.is_file():
                members[f"evidence/{r['sha256']}"] = str(p)
            else:
                missing.append(r["sha256"])
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "civcas_version": __version__,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "dialect": store.dialect,
            "revisions": store.current_revisions(),
            "table_rows": counts,
            "evidence_missing_at_backup": sorted(set(missing)),
            "members": {name: _sha_file(Path(m)) for name, m in sorted(members.items())},
        }
        with store.connect() as conn:
            head = history.last_revision(conn)
        manifest["chain"] = {"seq": head[0], "head": head[1]} if head else None
        manifest = sign_manifest(manifest, private)
        tmp = out.with_name(out.name + ".partial")
        if passphrase is not None:
            tmp = work / "plain.tar"  # private (0700) folder, removed below
        # the backup holds witness identities: readable by its owner only, whatever the umask
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            for name, m in sorted(members.items()):
                tar.add(m, arcname=name)
            data = json.dumps(manifest, indent=2).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if passphrase is not None:
            enc = out.with_name(out.name + ".partial")
            crypt.encrypt_file(tmp, enc, passphrase)
            enc.replace(out)
        else:
            tmp.replace(out)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


#: default ceiling on a backup's unpacked size (``--max-size`` / ``max_bytes`` raise it):
#: a gzip bomb is refused before it fills the disk
MAX_BYTES = 64 << 30
MAX_MANIFEST_BYTES = 16 << 20
#: the only member names a backup can hold; anything else is refused before extraction
_NAME = re.compile(
    r"manifest\.json|database\.sqlite|tables/[A-Za-z_][A-Za-z0-9_]{0,62}\.jsonl"
    r"|evidence/[0-9a-f]{64}"
)
_SHA = re.compile(r"[0-9a-f]{64}")
_KIND = {
    tarfile.SYMTYPE: "a symbolic link",
    tarfile.LNKTYPE: "a hard link",
    tarfile.CHRTYPE: "a character device",
    tarfile.BLKTYPE: "a block device",
    tarfile.FIFOTYPE: "a FIFO",
    tarfile.DIRTYPE: "a directory",
}


def _damaged(file: str | Path, problems: list[str]) -> InputError:
    return InputError(
        "the backup is damaged or unsafe; nothing was restored:\n  " + "\n  ".join(problems),
        str(file),
    )


def _unpacked_size(file: Path, limit: int) -> int:
    """Bytes the archive unpacks to, counted by streaming (never more than ``limit``)."""
    with open(file, "rb") as fh:
        magic = fh.read(6)
    opener: Any = None
    if magic[:2] == b"\x1f\x8b":
        opener = gzip.open
    elif magic[:3] == b"BZh":
        opener = bz2.open
    elif magic == b"\xfd7zXZ\x00":
        opener = lzma.open
    if opener is None:
        size = file.stat().st_size
    else:
        size = 0
        try:
            with opener(file, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    size += len(chunk)
                    if size > limit:
                        break
        except (OSError, EOFError, lzma.LZMAError) as exc:
            raise InputError(f"not a civcas backup: {exc}", str(file)) from exc
    if size > limit:
        raise InputError(
            f"the backup unpacks to larger than {limit} bytes (a decompression bomb?);"
            " nothing was restored. If it is a genuine backup, raise the limit"
            " (--max-size / max_bytes)",
            str(file),
        )
    return size


def _check_members(members: list[tarfile.TarInfo], max_bytes: int) -> list[str]:
    """Names, types, duplicates and sizes, from the headers alone (nothing is read)."""
    problems: list[str] = []
    seen: set[str] = set()
    total = 0
    for m in members:
        if not _NAME.fullmatch(m.name):
            problems.append(
                f"{m.name}: refused: not a name a civcas backup holds"
                " (absolute paths, '..', backslashes and other names are never extracted)"
            )
        if not m.isreg():
            problems.append(
                f"{m.name}: refused: {_KIND.get(m.type, 'not a regular file')}, not a regular file"
            )
        if m.name in seen:
            problems.append(f"{m.name}: refused: the archive holds it more than once")
        seen.add(m.name)
        total += max(m.size, 0)
    if total > max_bytes:
        problems.append(f"the members add up to larger than {max_bytes} bytes (--max-size)")
    return problems


def _read_manifest(tar: tarfile.TarFile, info: tarfile.TarInfo) -> dict[str, Any]:
    if info.size > MAX_MANIFEST_BYTES:
        raise ValueError(f"manifest.json is larger than {MAX_MANIFEST_BYTES} bytes")
    fh = tar.extractfile(info)
    if fh is None:
        raise ValueError("manifest.json is not a regular file")
    manifest = json.loads(fh.read())
    if not isinstance(manifest, dict) or not isinstance(manifest.get("members"), dict):
        raise ValueError("manifest.json has no members")
    return manifest


def _check_manifest(manifest: dict[str, Any], names: set[str]) -> list[str]:
    """The manifest and the archive list the same members; the database is there."""
    listed: dict[str, Any] = manifest["members"]
    problems = [f"{n}: not in the manifest" for n in sorted(names - set(listed))]
    for name, sha in listed.items():
        if not isinstance(sha, str) or not _SHA.fullmatch(sha):
            problems.append(f"{name}: the manifest's SHA-256 {sha!r} is not a SHA-256")
        if name not in names:
            problems.append(f"{name}: missing from the archive")
    tables = {n[len("tables/") : -len(".jsonl")] for n in listed if n.startswith("tables/")}
    rows = manifest.get("table_rows") or {}
    if not isinstance(rows, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in rows.values()
    ):
        problems.append("manifest.json: table_rows is not a table -> row count mapping")
        rows = {}
    if "database.sqlite" in listed:
        if tables:
            problems.append("the backup holds both database.sqlite and tables/*.jsonl")
    elif not tables and not rows:
        problems.append(
            "the backup holds no database (database.sqlite or tables/*.jsonl):"
            " restoring it would empty every table"
        )
    else:
        for t in sorted(set(rows) - tables):
            problems.append(f"tables/{t}.jsonl: listed in table_rows but not in the backup")
        for t in sorted(tables - set(rows)):
            problems.append(f"tables/{t}.jsonl: not listed in the manifest's table_rows")
    return problems


def _extract(tar: tarfile.TarFile, info: tarfile.TarInfo, into: Path) -> str:
    """Copy one checked member into the private directory ``into``; its SHA-256."""
    dest = into / info.name  # the name matched _NAME: at most one plain sub-folder
    if dest.parent != into and not dest.parent.is_dir():
        dest.parent.mkdir(mode=0o700)
    src = tar.extractfile(info)
    if src is None:  # pragma: no cover - _check_members took regular files only
        raise InputError(f"{info.name}: not a regular file")
    h = hashlib.sha256()
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := src.read(1 << 20):
            h.update(chunk)
            out.write(chunk)
    return h.hexdigest()


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def verify_archive(
    file: str | Path,
    into: Path,
    *,
    max_bytes: int = MAX_BYTES,
    trusted: set[str] | None = None,
) -> dict[str, Any]:
    """Check a backup and extract it into ``into``, a private directory the caller made
    (``tempfile.mkdtemp``: mode 0700). InputError lists every problem.

    Every member's name, type and size is checked from the tar headers before a byte is
    written: only the names a backup holds (``manifest.json``, ``database.sqlite``,
    ``tables/<name>.jsonl``, ``evidence/<sha256>``), regular files only, each once; so
    absolute names, ``..``, links, devices and FIFOs never reach the disk. Then the
    members are copied into ``into`` and every SHA-256 is compared with the manifest.
    With ``trusted`` (public keys), the manifest's signature must hold and be by one of
    them; every problem is reported together.
    """
    path = Path(file)
    _unpacked_size(path, max_bytes)
    try:
        tar = tarfile.open(path, "r:*")
    except (OSError, tarfile.TarError) as exc:
        raise InputError(f"not a civcas backup: {exc}", str(file)) from exc
    with tar:
        try:
            members = tar.getmembers()
        except (OSError, EOFError, tarfile.TarError) as exc:
            raise InputError(f"not a civcas backup: {exc}", str(file)) from exc
        problems = _check_members(members, max_bytes)
        if problems:
            raise _damaged(file, problems)
        by_name = {m.name: m for m in members}
        try:
            manifest = _read_manifest(tar, by_name["manifest.json"])
        except (KeyError, ValueError) as exc:
            raise InputError(
                f"the backup has no readable manifest.json ({exc})", str(file)
            ) from exc
        if manifest.get("format") != FORMAT:
            raise InputError(f"unknown backup format {manifest.get('format')!r}", str(file))
        signature = _signature_problems(manifest, trusted)
        problems = signature + _check_manifest(manifest, set(by_name) - {"manifest.json"})
        if problems:
            raise _damaged(file, problems)
        for name, sha in manifest["members"].items():
            try:
                got = _extract(tar, by_name[name], into)
            except (OSError, EOFError, tarfile.TarError) as exc:
                raise _damaged(file, [f"{name}: cannot be read ({exc})"]) from exc
            if got != sha:
                problems.append(f"{name}: SHA-256 {got} does not match the manifest ({sha})")
            elif name.startswith("evidence/") and got != name.split("/", 1)[1]:
                problems.append(f"{name}: content does not match its name")
    for t, n in (manifest.get("table_rows") or {}).items():
        p = into / "tables" / f"{t}.jsonl"
        if p.exists() and (got_rows := _count_lines(p)) != n:
            problems.append(f"tables/{t}.jsonl: {got_rows} rows, the manifest says {n}")
    if problems:
        raise _damaged(file, problems)
    return dict(manifest)


def _count_lines(p: Path) -> int:
    with open(p, encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())


def _jsonl_tables(root: Path, order: list[str]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in order:
        p = root / "tables" / f"{t}.jsonl"
        with open(p, encoding="utf-8") as fh:
            rows[t] = [json.loads(line) for line in fh if line.strip()]
        yield t, rows.pop(t)


def _incidents_in(work: Path, manifest: dict[str, Any]) -> int:
    """Incidents the backup would restore (the record, as tallies and pages see it)."""
    if "database.sqlite" in manifest["members"]:
        return sw.snapshot_row_count(str(work / "database.sqlite"), "incident")
    p = work / "tables" / "incident.jsonl"
    return _count_lines(p) if p.exists() else 0


def restore(
    store: Store,
    file: str | Path,
    *,
    allow_empty: bool = False,
    max_bytes: int = MAX_BYTES,
    trust: list[str] | None = None,
    passphrase: str | bytes | None = None,
    allow_unsigned: bool = False,
) -> dict[str, Any]:
    """Replace the contents of ``store`` (and its evidence) with the backup's.

    Nothing is changed unless the whole archive checks out (``verify_archive``): its
    manifest signed by this installation's key or one in ``trust`` (public keys, or files
    holding them; ``allow_unsigned`` skips the check), every member's SHA-256. An
    encrypted backup needs its ``passphrase``. A backup that holds no incidents while the
    database has some would empty the record: refused unless ``allow_empty``.
    """
    trusted: set[str] | None = None
    if not allow_unsigned:
        trusted = {keys.public_b64(keys.installation_key(store))}
        trusted |= {keys.load_public(t) for t in trust or []}
    work = top = Path(tempfile.mkdtemp(prefix="civcas-restore-"))  # mode 0700
    try:
        if crypt.is_encrypted(file):
            if passphrase is None:
                raise InputError(
                    "the backup is encrypted: give its passphrase (--passphrase-file, or"
                    " answer the prompt); nothing was restored",
                    str(file),
                )
            plain = work / "backup.tar"
            crypt.decrypt_file(file, plain, passphrase, max_bytes=max_bytes)
            (work / "x").mkdir(mode=0o700)
            manifest = verify_archive(plain, work / "x", max_bytes=max_bytes, trusted=trusted)
            plain.unlink()
            work = work / "x"
        else:
            manifest = verify_archive(file, work, max_bytes=max_bytes, trusted=trusted)
        incoming = _incidents_in(work, manifest)
        if incoming == 0 and not allow_empty:
            with store.connect() as conn:
                now = sw.incident_count(conn)
            if now:
                raise InputError(
                    f"the backup holds 0 incidents: restoring it would empty the record"
                    f" ({now} incidents now); nothing was restored. Pass --allow-empty"
                    " (allow_empty=True) if that is what you want",
                    str(file),
                )
        root = evidence.evidence_dir(store)
        for name in manifest["members"]:
            if name.startswith("evidence/"):
                evidence.store_blob(root, work / name, name.split("/", 1)[1])
        if "database.sqlite" in manifest["members"]:
            tables = sw.read_snapshot_tables(str(work / "database.sqlite"))
        else:
            tables = _jsonl_tables(work, list(manifest["table_rows"]))
        sw.replace_all_rows(store, tables)
        return manifest
    finally:
        shutil.rmtree(top, ignore_errors=True)
