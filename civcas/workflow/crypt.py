"""Passphrase encryption of backups (issue 16): backups hold witness identities.

Format ``civcas-encrypted/1``: the line ``CIVCAS-ENCRYPTED/1``, one line of JSON header
(scrypt parameters and salt, chunk size, a random 8-byte nonce prefix), then chunks, each
``4-byte big-endian length + AES-256-GCM ciphertext`` of up to 1 MiB of the plain file.
Chunk ``i`` uses the nonce ``prefix + i`` (4 bytes) and authenticates the header, ``i``
and whether it is the last chunk: a chunk altered, dropped, reordered or moved from
another file, or a file cut after any chunk, fails to decrypt. The key is
scrypt(passphrase, salt, n=2^15, r=8, p=1): 32 MiB and a fraction of a second per try.
Encryption and decryption stream: memory stays at one chunk whatever the size.
"""

from __future__ import annotations

import base64
import json
import os
import struct
from pathlib import Path
from typing import Any

from ..model.errors import InputError

MAGIC = b"CIVCAS-ENCRYPTED/1\n"
CHUNK = 1 << 20
_MAX_HEADER = 4096


def is_encrypted(file: str | Path) -> bool:
    with open(file, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _key(passphrase: str | bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    pw = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    return bytes(Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(pw))


def _aad(header: bytes, i: int, last: bool) -> bytes:
    return header + struct.pack(">Q?", i, last)


def encrypt_file(src: str | Path, dest: str | Path, passphrase: str | bytes) -> None:
    """Encrypt ``src`` into ``dest`` (created 0600)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not passphrase:
        raise InputError("an empty passphrase protects nothing")
    salt, prefix = os.urandom(16), os.urandom(8)
    params = {"kdf": "scrypt", "n": 1 << 15, "r": 8, "p": 1}
    header = json.dumps(
        {
            "format": "civcas-encrypted/1",
            **params,
            "salt": base64.b64encode(salt).decode(),
            "nonce_prefix": base64.b64encode(prefix).decode(),
            "chunk": CHUNK,
            "cipher": "AES-256-GCM",
        },
        sort_keys=True,
    ).encode()
    aes = AESGCM(_key(passphrase, salt, 1 << 15, 8, 1))
    size = Path(src).stat().st_size
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with open(src, "rb") as fin, os.fdopen(fd, "wb") as out:
        out.write(MAGIC + header + b"\n")
        i, done = 0, 0
        while True:
            data = fin.read(CHUNK)
            done += len(data)
            last = done >= size
            ct = aes.encrypt(prefix + struct.pack(">I", i), data, _aad(header, i, last))
            out.write(struct.pack(">I", len(ct)) + ct)
            i += 1
            if last:
                break


def decrypt_file(
    src: str | Path, dest: str | Path, passphrase: str | bytes, *, max_bytes: int
) -> None:
    """Decrypt ``src`` into ``dest`` (0600); InputError for a wrong passphrase or a file
    altered, cut or extended; never more than ``max_bytes`` are written."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    def bad(why: str) -> InputError:
        return InputError(
            f"the encrypted backup cannot be opened: {why}; nothing was restored", str(src)
        )

    with open(src, "rb") as fin:
        if fin.read(len(MAGIC)) != MAGIC:
            raise bad("not a civcas encrypted backup")
        header = fin.readline(_MAX_HEADER).rstrip(b"\n")
        try:
            h: dict[str, Any] = json.loads(header)
            salt = base64.b64decode(h["salt"])
            prefix = base64.b64decode(h["nonce_prefix"])
            n, r, p, chunk = int(h["n"]), int(h["r"]), int(h["p"]), int(h["chunk"])
        except (ValueError, KeyError, TypeError) as exc:
            raise bad(f"unreadable header ({exc})") from exc
        if (
            h.get("kdf") != "scrypt"
            or len(prefix) != 8
            or not (1 << 10 <= n <= 1 << 20 and r <= 32 and p <= 16 and 0 < chunk <= 64 << 20)
        ):
            raise bad("unsupported parameters")
        aes = AESGCM(_key(passphrase, salt, n, r, p))
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        written = 0
        with os.fdopen(fd, "wb") as out:
            i = 0
            while True:
                raw_len = fin.read(4)
                if len(raw_len) < 4:
                    raise bad("the file is cut short (its last chunk is missing)")
                (ln,) = struct.unpack(">I", raw_len)
                if ln > chunk + 16:
                    raise bad(f"chunk {i} is larger than the header allows")
                ct = fin.read(ln)
                if len(ct) < ln:
                    raise bad("the file is cut short")
                nonce = prefix + struct.pack(">I", i)
                try:
                    data = aes.decrypt(nonce, ct, _aad(header, i, False))
                    last = False
                except InvalidTag:
                    try:
                        data = aes.decrypt(nonce, ct, _aad(header, i, True))
                        last = True
                    except InvalidTag:
                        raise bad(
                            "wrong passphrase, or the file was altered"
                            if i == 0
                            else f"chunk {i} was altered or moved"
                        ) from None
                written += len(data)
                if written > max_bytes:
                    raise bad(f"it decrypts to more than {max_bytes} bytes (--max-size)")
                out.write(data)
                i += 1
                if last:
                    if fin.read(1):
                        raise bad("data after its last chunk")
                    return
