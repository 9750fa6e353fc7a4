"""``manifest.json``: every published file's SHA-256, the data snapshot and the audit
chain's signed checkpoint, signed with the installation key (Ed25519).

The signature is over the canonical JSON (sorted keys, no spaces, UTF-8) of the manifest
without its ``signature`` field, the same form civcas signs checkpoints and backup
manifests in (:mod:`civcas.workflow.keys`). Whoever holds a copy of the site can check
every file (:func:`verify_site`); the signature proves the manifest came from the key
named in it, and only comparing that key's fingerprint with the one the publisher
announces elsewhere proves it is theirs (a forger can re-sign with a key of their own).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import InputError

FORMAT = "civcas-site/1"
MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sign_manifest(doc: dict[str, Any], private: Any) -> dict[str, Any]:
    from ..workflow import keys

    body = {k: v for k, v in doc.items() if k != "signature"}
    body["public_key"] = keys.public_b64(private)
    body["signature"] = keys.sign(private, keys.canonical(body))
    return body


def manifest_signed(doc: dict[str, Any]) -> bool:
    from ..workflow import keys

    body = {k: v for k, v in doc.items() if k != "signature"}
    sig, pub = doc.get("signature"), doc.get("public_key")
    return (
        isinstance(sig, str)
        and isinstance(pub, str)
        and keys.verify_signature(pub, keys.canonical(body), sig)
    )


def write_manifest(root: Path, doc: dict[str, Any]) -> Path:
    path = root / MANIFEST
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
    tmp = path.with_name(MANIFEST + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.chmod(tmp, 0o644)  # public, whatever the umask
    os.replace(tmp, path)
    return path


def read_manifest(root: Path) -> dict[str, Any] | None:
    path = root / MANIFEST
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{path}: not JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise InputError(f"{path}: not a manifest")
    return doc


@dataclass
class SiteCheck:
    """What :func:`verify_site` found; ``ok`` only when nothing is wrong."""

    files: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    signature_ok: bool = False
    key_ok: bool | None = None  # None: no key was given to compare with
    public_key: str | None = None
    fingerprint: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.signature_ok
            and self.key_ok is not False
            and not (self.changed or self.missing or self.extra or self.problems)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": self.files,
            "changed": self.changed,
            "missing": self.missing,
            "extra": self.extra,
            "signature_ok": self.signature_ok,
            "key_ok": self.key_ok,
            "public_key": self.public_key,
            "fingerprint": self.fingerprint,
            "problems": self.problems,
        }


def _walk(root: Path) -> list[str]:
    out = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            rel = (Path(dirpath) / name).relative_to(root).as_posix()
            out.append(rel)
    return sorted(out)


def verify_site(root: Path, public_key: str | None = None) -> SiteCheck:
    """Check every file under ``root`` against its signed manifest.

    A file whose bytes differ is ``changed``; one the manifest lists but the folder lacks
    is ``missing``; one the manifest does not list is ``extra`` (a page slipped in). With
    ``public_key`` (base64) the manifest must be signed by that key.
    """
    from ..workflow import keys

    rep = SiteCheck()
    doc = read_manifest(root)
    if doc is None:
        rep.problems.append(f"{MANIFEST} is missing")
        return rep
    if doc.get("format") != FORMAT:
        rep.problems.append(f"not a civcas site manifest (format {doc.get('format')!r})")
    pub = doc.get("public_key")
    rep.public_key = pub if isinstance(pub, str) else None
    if rep.public_key:
        try:
            rep.fingerprint = keys.fingerprint(rep.public_key)
        except ValueError:
            rep.problems.append("the manifest's public_key is not base64")
    rep.signature_ok = manifest_signed(doc)
    if not rep.signature_ok:
        rep.problems.append("the manifest's signature does not hold (altered or not signed)")
    if public_key is not None:
        rep.key_ok = rep.public_key == public_key
        if not rep.key_ok:
            rep.problems.append(
                "the manifest is signed by another key (fingerprint "
                f"{rep.fingerprint}, expected {keys.fingerprint(public_key)})"
            )
    listed = doc.get("files")
    if not isinstance(listed, dict):
        rep.problems.append("the manifest lists no files")
        listed = {}
    present = set(_walk(root)) - {MANIFEST}
    for rel, digest in sorted(listed.items()):
        path = root / rel
        if rel not in present:
            rep.missing.append(rel)
            continue
        rep.files += 1
        if sha256_file(path) != digest:
            rep.changed.append(rel)
    rep.extra = sorted(present - set(listed))
    return rep
