"""Backup and restore: one tar file with the database, the evidence and a manifest.

SQLite is copied with its online backup API (a consistent snapshot while the server
writes); PostgreSQL (or any other engine) is dumped table by table as JSON lines inside
one REPEATABLE READ transaction. ``restore`` checks every member against the manifest's
SHA-256 before it replaces anything, then loads the rows into the target database in one
transaction, so a failed restore leaves the target as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from ..model.errors import InputError
from ..store import Store
from ..store import workflow as sw
from . import evidence

FORMAT = "civcas-backup/1"


def _sha_file(p: Path) -> str:
    return evidence.hash_file(p)


def backup(store: Store, file: str | Path) -> dict[str, Any]:
    """Write ``file`` (a tar archive); returns the manifest."""
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
        manifest = {
            "format": FORMAT,
            "civcas_version": __version__,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "dialect": store.dialect,
            "revisions": store.current_revisions(),
            "table_rows": counts,
            "evidence_missing_at_backup": sorted(set(missing)),
            "members": {name: _sha_file(Path(m)) for name, m in sorted(members.items())},
        }
        tmp = out.with_name(out.name + ".partial")
        with tarfile.open(tmp, "w") as tar:
            for name, m in sorted(members.items()):
                tar.add(m, arcname=name)
            data = json.dumps(manifest, indent=2).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        tmp.replace(out)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def verify_archive(file: str | Path, into: Path) -> dict[str, Any]:
    """Extract to ``into`` and check every member; InputError lists every problem."""
    try:
        tar = tarfile.open(file, "r")
    except (OSError, tarfile.TarError) as exc:
        raise InputError(f"not a civcas backup: {exc}", str(file)) from exc
    with tar:
        try:
            manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        except (KeyError, ValueError) as exc:
            raise InputError("the backup has no readable manifest.json", str(file)) from exc
        if manifest.get("format") != FORMAT:
            raise InputError(f"unknown backup format {manifest.get('format')!r}", str(file))
        names = set(tar.getnames()) - {"manifest.json"}
        problems = [f"{n}: not in the manifest" for n in sorted(names - set(manifest["members"]))]
        for name, sha in manifest["members"].items():
            if name not in names:
                problems.append(f"{name}: missing from the archive")
                continue
            dest = into / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(name)
            if src is None:
                problems.append(f"{name}: not a regular file")
                continue
            with open(dest, "wb") as fh:
                shutil.copyfileobj(src, fh)
            got = _sha_file(dest)
            if got != sha:
                problems.append(f"{name}: SHA-256 {got} does not match the manifest ({sha})")
            elif name.startswith("evidence/") and got != name.split("/", 1)[1]:
                problems.append(f"{name}: content does not match its name")
    if problems:
        raise InputError(
            "the backup is damaged; nothing was restored:\n  " + "\n  ".join(problems), str(file)
        )
    return dict(manifest)


def _jsonl_tables(root: Path, order: list[str]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in order:
        p = root / "tables" / f"{t}.jsonl"
        with open(p, encoding="utf-8") as fh:
            rows[t] = [json.loads(line) for line in fh if line.strip()]
        yield t, rows.pop(t)


def restore(store: Store, file: str | Path) -> dict[str, Any]:
    """Replace the contents of ``store`` (and its evidence) with the backup's."""
    work = Path(tempfile.mkdtemp(prefix="civcas-restore-"))
    try:
        manifest = verify_archive(file, work)
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
        shutil.rmtree(work, ignore_errors=True)
