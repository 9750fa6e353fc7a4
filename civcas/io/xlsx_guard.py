"""Limits checked on an XLSX file before a spreadsheet library opens it.

An XLSX is a zip archive of XML parts. A sheet padded with megabytes of whitespace
compresses about a thousand to one, so a 1 MB upload can inflate to a gigabyte in the
parser (the attack of issue 15 took the server to 1.2 GB). :func:`check_xlsx` reads the
zip's central directory only, never a member's data, and refuses the file when

- the members' total uncompressed size is over ``max_total`` (default 200 MB;
  ``CIVCAS_XLSX_MAX_BYTES``);
- a member bigger than ``ratio_from`` (1 MB) inflates more than ``max_ratio`` (100)
  times its compressed size (``CIVCAS_XLSX_MAX_RATIO``); ordinary sheets compress 5 to
  20 times;
- it has more than ``max_members`` members (default 10,000);
- a member name is absolute, climbs with ``..``, uses backslashes or a drive letter, or
  is itself an archive (nested zip bombs).

Python's zipfile (what openpyxl reads with) stops inflating a member at the size the
central directory declares and then fails its CRC check, so a member that lies about
its size cannot inflate past the limits checked here.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from ..model.errors import InputError

MAX_TOTAL = 200 * 1024 * 1024
MAX_RATIO = 100.0
RATIO_FROM = 1024 * 1024
MAX_MEMBERS = 10_000
_NESTED = (".zip", ".xlsx", ".xlsm", ".jar", ".gz", ".bz2", ".xz", ".7z", ".rar", ".tar")


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{name}={raw!r}: expected a number") from None
    if value <= 0:
        raise InputError(f"{name}={raw!r}: expected a number above 0")
    return value


def _odd_name(name: str) -> str | None:
    """Why a member name is refused (None when it is an ordinary relative path)."""
    if "\\" in name or "\x00" in name:
        return "a backslash or NUL byte in the name"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "an absolute path"
    if ".." in name.split("/"):
        return "a '..' path component"
    if name.lower().endswith(_NESTED):
        return "an archive inside the workbook"
    return None


def check_xlsx(
    path: str | Path,
    *,
    max_total: int | None = None,
    max_ratio: float | None = None,
    ratio_from: int = RATIO_FROM,
    max_members: int = MAX_MEMBERS,
) -> None:
    """Refuse (InputError naming the file and the limit) a workbook over the limits."""
    src = str(path)
    total_limit = int(max_total or _env_number("CIVCAS_XLSX_MAX_BYTES", MAX_TOTAL))
    ratio_limit = float(max_ratio or _env_number("CIVCAS_XLSX_MAX_RATIO", MAX_RATIO))
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"not an XLSX workbook (not a readable zip archive: {exc})", src) from None
    if len(infos) > max_members:
        raise InputError(
            f"the workbook has {len(infos):,} members, more than the limit of {max_members:,}: "
            "refused as a possible zip bomb",
            src,
        )
    total = 0
    for info in infos:
        why = _odd_name(info.filename)
        if why:
            raise InputError(f"member {info.filename!r}: {why}; refused", src)
        if info.flag_bits & 0x1:
            raise InputError(f"member {info.filename!r} is encrypted; refused", src)
        size = info.file_size
        total += size
        if total > total_limit:
            raise InputError(
                f"the workbook would inflate to more than {total_limit / 1e6:,.0f} MB "
                f"uncompressed (limit CIVCAS_XLSX_MAX_BYTES): refused as a possible zip bomb",
                src,
            )
        if size > ratio_from:
            ratio = size / max(info.compress_size, 1)
            if ratio > ratio_limit:
                raise InputError(
                    f"member {info.filename!r} inflates {ratio:,.0f} times "
                    f"({info.compress_size:,} bytes to {size:,} uncompressed), over the "
                    f"compression ratio limit of {ratio_limit:g} (CIVCAS_XLSX_MAX_RATIO): "
                    "refused as a possible zip bomb",
                    src,
                )
