"""Reading report files into texts, one bad file never stopping the batch.

Each :class:`SourceText` carries the SHA-256 of the bytes it came from, and the URL given
in the file (if any) as provenance: nothing is ever fetched. A file that cannot be used
yields a SourceText with ``error`` set instead of raising.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .evaluate import parse_pub

MAX_BYTES = 50_000_000
MAX_CHARS = 1_000_000  # longer texts are cut (and say so): no real report is that long
TRAFILATURA_MAX = 3_000_000
TEXT_KEYS = ("text", "article_content", "content", "body", "message", "description")


@dataclass
class SourceText:
    id: str
    text: str
    path: str
    sha256: str
    published: date | None = None
    url: str | None = None
    error: str | None = None
    warning: str | None = None


def read_sources(
    paths: Iterable[str | Path],
    text_column: str | None = None,
    id_column: str | None = None,
    date_column: str | None = None,
) -> Iterator[SourceText]:
    for p in paths:
        s = str(p)
        if re.match(r"^https?://", s):
            yield SourceText(s, "", s, "", url=s, error="URLs are not fetched: save the page "
                             "and pass the file (the URL can go in a .json 'url' field)")  # fmt: skip
            continue
        path = Path(s)
        try:
            yield from _read_one(path, text_column, id_column, date_column)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            yield SourceText(
                path.name, "", s, "", error=f"cannot read: {type(exc).__name__}: {exc}"
            )


def _read_one(
    path: Path, text_column: str | None, id_column: str | None, date_column: str | None
) -> Iterator[SourceText]:
    if not path.is_file():
        what = "a directory, not a file" if path.is_dir() else "no such file"
        yield SourceText(path.name, "", str(path), "", error=what)
        return
    size = path.stat().st_size
    if size > MAX_BYTES:
        yield SourceText(
            path.name, "", str(path), "", error=f"file is {size} bytes; the limit is {MAX_BYTES}"
        )
        return
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield SourceText(
            path.name, "", str(path), sha, error="binary file: expected text, HTML, JSON or CSV"
        )
        return
    text = decode(raw)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _csv_rows(path, text, sha, text_column, id_column, date_column)
    elif suffix in (".json", ".jsonl", ".ndjson"):
        yield from _json_items(path, text, sha, suffix != ".json")
    else:
        warning = None
        if suffix in (".html", ".htm") or re.match(
            r"\s*(?:<!doctype html|<html)", text[:500], re.I
        ):
            text, warning = html_main_text(text)
        yield _finish(SourceText(path.stem, text, str(path), sha, warning=warning))


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252, else latin-1."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def html_main_text(html: str) -> tuple[str, str | None]:
    """Main text via trafilatura (given a string, it never fetches); tags stripped past 3 MB."""
    if len(html) > TRAFILATURA_MAX:
        return _strip_tags(
            html
        ), "page larger than 3 MB: tags stripped instead of main-text extraction"
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura ships with the extract extra
        return _strip_tags(html), "trafilatura not installed: tags stripped"
    out = trafilatura.extract(html, include_comments=False, include_tables=False, no_fallback=False)
    if not out:
        return _strip_tags(html), "no main text found: tags stripped"
    return out, None


def _strip_tags(html: str) -> str:
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html)).strip()


def _finish(s: SourceText) -> SourceText:
    if not s.text.strip() and s.error is None:
        s.error = "empty text"
    if len(s.text) > MAX_CHARS:
        s.text = s.text[:MAX_CHARS]
        s.warning = f"text cut to its first {MAX_CHARS} characters"
    return s


def _csv_rows(
    path: Path,
    text: str,
    sha: str,
    text_column: str | None,
    id_column: str | None,
    date_column: str | None,
) -> Iterator[SourceText]:
    # a whole web page in one cell is a report too (the csv module stops at 128 KB)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    from ..io.csvread import records
    from ..model.errors import InputError

    try:  # read whole first: a stray quote refuses the file, not its last rows
        found = records(io.StringIO(text, newline=""), str(path), rowlike=False)
        recs = [cells for _, cells in found]
    except InputError as exc:
        yield SourceText(path.name, "", str(path), sha, error=str(exc))
        return
    cols = recs[0] if recs else []
    col = text_column or next((c for c in TEXT_KEYS if c in cols), None)
    if col is None or col not in cols:
        yield SourceText(path.name, "", str(path), sha, error=f"no text column {text_column or ''!r}: "
                         f"columns are {', '.join(cols)}; pass --text-column")  # fmt: skip
        return
    for i, cells in enumerate(recs[1:], start=2):
        row = dict(zip(cols, cells, strict=False))
        rid = (row.get(id_column) if id_column else None) or f"{path.name}:{i}"
        pub = parse_pub(row.get(date_column)) if date_column else None
        yield _finish(
            SourceText(str(rid), row.get(col) or "", f"{path}:{i}", sha, pub, row.get("url"))
        )


def _json_items(path: Path, text: str, sha: str, lines: bool) -> Iterator[SourceText]:
    items: list[tuple[int, object]] = []
    if lines:
        for i, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    items.append((i, json.loads(line)))
                except json.JSONDecodeError as exc:
                    items.append((i, exc))  # reported in its place, the rest go on
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield SourceText(path.name, "", str(path), sha, error=f"invalid JSON: {exc}")
            return
        items = list(enumerate(data if isinstance(data, list) else [data], start=1))
    for i, obj in items:
        if isinstance(obj, json.JSONDecodeError):
            yield SourceText(
                f"{path.name}:{i}", "", f"{path}:{i}", sha, error=f"invalid JSON: {obj}"
            )
            continue
        if not isinstance(obj, dict):
            yield SourceText(
                f"{path.name}:{i}", "", f"{path}:{i}", sha, error="expected a JSON object"
            )
            continue
        key = next((k for k in TEXT_KEYS if isinstance(obj.get(k), str)), None)
        rid = str(obj.get("id") or obj.get("unit_id") or f"{path.name}:{i}")
        if key is None:
            yield SourceText(
                rid, "", f"{path}:{i}", sha, error=f"no text field (one of {', '.join(TEXT_KEYS)})"
            )
            continue
        pub = parse_pub(str(obj.get("published") or obj.get("date") or ""))
        url = obj.get("url") if isinstance(obj.get("url"), str) else None
        yield _finish(SourceText(rid, obj[key], f"{path}:{i}", sha, pub, url))
