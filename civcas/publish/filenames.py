"""Incident codes to file names: one documented rule, injective and safe.

Codes are free text from many sources ("CS327 TS005", "S1129/2", Arabic, anything a
spreadsheet held), so a code never becomes a path as written. The rule (docs/publish.md):

1. Take the code's UTF-8 bytes.
2. Keep A-Z, 0-9 and "-" as they are; write every other byte (lower-case letters, space,
   "/", ".", "_", "%", any non-ASCII byte) as "_" and two lower-case hex digits: "CS327
   TS005" -> "CS327_20TS005", "a/b" -> "_61_2f_62", "../../x" -> "_2e_2e_2f_2e_2e_2f_78".
3. A name that is a reserved device name on Windows (CON, NUL, COM1...) has its first
   character escaped too ("CON" -> "_43ON").
4. A name longer than 150 characters becomes its first 100 characters, "~" and the first
   32 hex digits of the SHA-256 of the code ("~" appears in no other name).

The result holds only [A-Z0-9_~-] (plus lower-case a-f after "_"): no "/", no ".", no
".." and nothing a shell, a URL or a file system reads specially, so it needs no quoting
in a link. Distinct codes give distinct names, even on a case-insensitive file system
(lower-case letters only ever appear inside an escape, which is always lower case), and
:func:`code_of` reads a name of rules 1-3 back. Pages add ".html", twins ".json".
"""

from __future__ import annotations

import hashlib
import re

_PLAIN = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{i}" for d in ("COM", "LPT") for i in range(10)}
MAX_NAME = 150
_ESCAPE = re.compile(r"_([0-9a-f]{2})")


def _escape_byte(b: int) -> str:
    return f"_{b:02x}"


def file_stem(code: str) -> str:
    """The file name (without extension) of the incident ``code`` (see the module rule)."""
    if not code:
        raise ValueError("an incident code is never empty")
    raw = code.encode("utf-8")
    out = "".join(chr(b) if b in _PLAIN else _escape_byte(b) for b in raw)
    if out in _RESERVED:
        out = _escape_byte(raw[0]) + out[1:]
    if len(out) > MAX_NAME:
        out = out[:100] + "~" + hashlib.sha256(raw).hexdigest()[:32]
    return out


def code_of(stem: str) -> str | None:
    """The code a file name of rules 1-3 stands for (None for a hashed long name)."""
    if "~" in stem:
        return None
    raw = bytearray()
    i = 0
    while i < len(stem):
        m = _ESCAPE.match(stem, i)
        if m:
            raw.append(int(m.group(1), 16))
            i = m.end()
        else:
            raw.append(ord(stem[i]))
            i += 1
    return raw.decode("utf-8")


def incident_file(code: str, ext: str = "html") -> str:
    """The incident's path inside a language folder: ``incidents/<stem>.<ext>``."""
    return f"incidents/{file_stem(code)}.{ext}"
