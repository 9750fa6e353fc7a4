"""Evidence files and web captures, stored content-addressed by SHA-256.

A file is copied once into ``<evidence dir>/<aa>/<sha256>`` (read-only, 0400; folders
0700: evidence identifies witnesses) and never modified; its hash is recorded at intake, so ``verify`` can show that what is on disk is
what was received. The directory is ``CIVCAS_EVIDENCE_DIR``, else ``<db name>-evidence``
beside a SQLite file, else ``./civcas-evidence``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from ..model.errors import InputError, NotFoundError
from ..model.urls import check_url
from ..store import Store
from ..store import workflow as sw
from ..store.engine import private_dirs
from . import audit
from .roles import Actor, require

KINDS = ("file", "web_capture")


def evidence_dir(store: Store) -> Path:
    env = os.environ.get("CIVCAS_EVIDENCE_DIR")
    if env:
        return Path(env)
    url = make_url(store.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.with_name(db.stem + "-evidence")
    return Path("civcas-evidence")


def path_for(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256


def hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def store_blob(root: Path, data_path: Path, sha256: str) -> Path:
    """Copy a file into place atomically (a crash leaves no half-written evidence)."""
    dest = path_for(root, sha256)
    if dest.exists():
        return dest
    private_dirs(dest.parent)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".incoming-")  # 0600
    try:
        with os.fdopen(fd, "wb") as out, open(data_path, "rb") as src:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if hash_file(Path(tmp)) != sha256:
            raise InputError(f"{data_path}: the file changed while it was being stored")
        os.chmod(tmp, 0o400)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


def add(
    store: Store,
    actor: Actor,
    path: str | Path,
    *,
    source_id: int | None = None,
    kind: str = "file",
    url: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """Take in one file (optionally attached to a source); returns its record."""
    require(actor, "evidence")
    url = check_url(url, "url")  # a capture's address is shown as a link: http(s) only
    p = Path(path)
    if kind not in KINDS:
        raise InputError(f"evidence kind {kind!r}: expected one of {', '.join(KINDS)}")
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    sha = hash_file(p)
    store_blob(evidence_dir(store), p, sha)
    row = {
        "sha256": sha,
        "source_id": source_id,
        "kind": kind,
        "original_name": name or p.name,
        "url": url,
        "size": p.stat().st_size,
        "added_at": audit.now(),
        "added_by": actor.name,
    }
    with audit.writing(store) as conn:
        if source_id is not None:
            from ..store.schema import source

            if sw.child_row(conn, source, source_id) is None:
                raise NotFoundError(f"no source with id {source_id}")
        row["id"] = sw.insert_row(conn, sw.wf_evidence, row)
        audit.record(conn, actor, "evidence.add", "evidence", sha, None, row)
    return row


def list_evidence(store: Store, source_id: int | None = None) -> list[dict[str, Any]]:
    with store.connect() as conn:
        return sw.evidence_rows(conn, source_id)


def verify(store: Store) -> dict[str, Any]:
    """Re-hash every recorded file: lists of mismatched and missing ones."""
    root = evidence_dir(store)
    with store.connect() as conn:
        shas = sorted({r["sha256"] for r in sw.evidence_rows(conn)})
    missing, mismatched = [], []
    for sha in shas:
        p = path_for(root, sha)
        if not p.is_file():
            missing.append({"sha256": sha, "path": str(p)})
        elif (got := hash_file(p)) != sha:
            mismatched.append({"sha256": sha, "path": str(p), "actual": got})
    return {
        "directory": str(root),
        "checked": len(shas),
        "ok": not missing and not mismatched,
        "missing": missing,
        "mismatched": mismatched,
    }
