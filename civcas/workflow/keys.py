"""The installation key (Ed25519): signs checkpoints and backup manifests (issue 16).

Where it lives: ``CIVCAS_KEY`` when set; else, for a SQLite database file, beside it as
``<database>.key`` (so a copy of the database alone does not carry its key); else (an
in-memory SQLite or a server database) ``$XDG_CONFIG_HOME/civcas/installation.key``
(``~/.config/civcas/installation.key``). It is created on first use, mode 0600, in a
0700 folder, atomically (two processes starting at once end with one key). A key file
that others can read is refused: whoever reads it can sign in this installation's name.

Public keys are given as the base64 of the 32 raw bytes (``public_key`` in checkpoints
and manifests); ``load_public`` also reads them from a file (that text, a PEM public key,
or a checkpoint / manifest JSON holding ``public_key``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..model.errors import ConfigError, InputError
from ..store import Store


def key_path(store: Store) -> Path:
    env = os.environ.get("CIVCAS_KEY")
    if env:
        return Path(env).expanduser()
    from sqlalchemy.engine import make_url

    u = make_url(store.url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        db = Path(u.database)
        return db.with_name(db.name + ".key")
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "civcas" / "installation.key"


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError as exc:  # pragma: no cover - a dependency of the workflow extra
        raise ConfigError(
            "signing needs the 'cryptography' package: pip install 'civcas[workflow]'"
        ) from exc
    return ed25519, serialization


def load_private(path: Path, *, create: bool = True) -> Any:
    """The Ed25519 private key at ``path`` (created when missing and ``create``)."""
    ed25519, serialization = _crypto()
    if not path.exists():
        if not create:
            raise ConfigError(f"no installation key at {path}")
        from ..store.engine import private_dirs

        private_dirs(path.parent)
        key = ed25519.Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
            try:
                os.link(tmp, path)  # atomic; fails when another process made one first
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
    st = path.stat()
    if st.st_mode & 0o077:
        raise ConfigError(
            f"the installation key {path} can be read by others (mode {st.st_mode & 0o777:o});"
            " chmod 600 it (and treat it as disclosed if others did read it)"
        )
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: not an installation key ({exc})") from exc
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ConfigError(f"{path}: not an Ed25519 key")
    return key


def installation_key(store: Store) -> Any:
    return load_private(key_path(store))


def public_b64(private: Any) -> str:
    _, serialization = _crypto()
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public: str) -> str:
    """A short name of a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(base64.b64decode(public)).hexdigest()[:16]


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def sign(private: Any, payload: bytes) -> str:
    return base64.b64encode(private.sign(payload)).decode("ascii")


def verify_signature(public: str, payload: bytes, signature: str) -> bool:
    ed25519, _ = _crypto()
    from cryptography.exceptions import InvalidSignature

    try:
        pub = ed25519.Ed25519PublicKey.from_public_bytes(base64.b64decode(public, validate=True))
        pub.verify(base64.b64decode(signature, validate=True), payload)
    except (InvalidSignature, ValueError, binascii.Error, TypeError):
        return False
    return True


def _check_b64_key(text: str, where: str) -> str:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise InputError(f"{where}: not an Ed25519 public key (base64 of 32 bytes)")
    return text


def load_public(value: str) -> str:
    """A public key (base64 of its 32 raw bytes) from ``value``: that text itself, or a
    file holding it, a PEM public key, or a JSON checkpoint / manifest with
    ``public_key``."""
    p = Path(value)
    if len(value) < 4096 and p.is_file():
        text = p.read_text(encoding="utf-8").strip()
        if text.startswith("-----BEGIN"):
            _, serialization = _crypto()
            try:
                pub = serialization.load_pem_public_key(text.encode())
                raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            except (ValueError, TypeError) as exc:
                raise InputError(f"{value}: not a public key ({exc})") from exc
            return base64.b64encode(raw).decode("ascii")
        if text.startswith("{"):
            try:
                doc = json.loads(text)
            except ValueError as exc:
                raise InputError(f"{value}: not JSON ({exc})") from exc
            found = doc.get("public_key") or (doc.get("signature") or {}).get("public_key")
            if not isinstance(found, str):
                raise InputError(f"{value}: holds no public_key")
            return _check_b64_key(found, value)
        return _check_b64_key(text, value)
    return _check_b64_key(value.strip(), "--trust")
