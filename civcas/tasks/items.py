"""Task items: built from the record, or read from a CSV file.

Each builder copies an allowlist of fields, never a whole row, so a column a later
migration adds (or a protected field) does not reach volunteers unnoticed; every item
then passes ``kinds.check_fields``.

- ``report``: draft reports from text extraction still waiting for review
  (``draft:ID``): the source's title and text, the extracted date, place and counts.
- ``locate``: published incidents without a precise place (``incident:CODE``): the
  place names, governorate, date and summary. Unpublished incidents only on request.
- ``same-person``: the linkage review queue (``pair:A|B``): the two records' name,
  Arabic name, sex, age, date of death and place.
- ``image``: a folder of folders of image files (``images:/path``): each sub-folder is
  one item, its files (sorted by name) the frames. Only the file names are shown; the
  server serves the files to the volunteer who holds the task.

CSV: ``item_id``, then the item's fields (each column one field; a column holding JSON,
e.g. ``candidates`` or ``frames``, may be given as JSON text), optional ``gold``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model.errors import InputError, RowProblem
from ..store import Store
from . import kinds
from .service import ItemIn

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif"}
MAX_TEXT = kinds.MAX_TEXT
JSON_COLUMNS = {"candidates", "frames", "a", "b"}
LOCATE_PRECISE = {"exact", "neighbourhood"}


def _clip(v: Any, n: int = 2000) -> Any:
    if isinstance(v, str) and len(v) > n:
        return v[: n - 1] + "…"
    return v


def _plain(v: Any) -> Any:
    import datetime as dt

    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    return v


def read_csv(lines: Iterable[str], source: str, kind: str) -> list[ItemIn]:
    """Items from CSV text (``item_id``, fields..., optional ``gold``); every problem is
    listed at once, and nothing is imported when there is one."""
    from ..io.csvread import records

    kinds.check_kind(kind)
    rows = records(lines, source, unescape=True, rowlike=False)
    try:
        _, header = next(rows)
    except StopIteration:
        raise InputError("the file is empty", source) from None
    header = [h.strip() for h in header]
    if "item_id" not in header:
        raise InputError(f"no item_id column (columns: {', '.join(header)})", source)
    if len(set(header)) != len(header):
        raise InputError("a column name is given twice", source)
    out: list[ItemIn] = []
    problems: list[RowProblem] = []
    for n, (_, cells) in enumerate(rows, start=1):
        rec = dict(zip(header, cells, strict=False))
        key = rec.pop("item_id", "").strip()
        gold_text = rec.pop("gold", "")
        fields: dict[str, Any] = {}
        for k, v in rec.items():
            if k in JSON_COLUMNS and v.strip()[:1] in ("[", "{"):
                try:
                    fields[k] = json.loads(v)
                except json.JSONDecodeError as exc:
                    problems.append(RowProblem(n, k, v, f"JSON ({exc.msg})"))
                    continue
            elif v != "":
                fields[k] = _clip(v, MAX_TEXT)
        if not key:
            problems.append(RowProblem(n, "item_id", key, "an id"))
            continue
        try:
            kinds.check_fields(fields, f"row {n}")
            gold = kinds.parse_gold(kind, gold_text, fields)
        except InputError as exc:
            problems.append(
                RowProblem(n, "gold" if "gold" in str(exc) else "fields", key, str(exc))
            )
            continue
        out.append(ItemIn(key, fields, gold))
    if problems:
        raise InputError(f"{len(problems)} row(s) cannot be used", source, problems)
    return out


def read_csv_file(path: str | Path, kind: str) -> list[ItemIn]:
    p = Path(path)
    with p.open(encoding="utf-8-sig", newline="") as fh:
        return read_csv(fh, p.name, kind)


# ---- from the record -------------------------------------------------------------------


def _source_text(path: str | None) -> str | None:
    if not path:
        return None
    p = Path(path)
    if not p.is_file() or p.suffix.lower() not in {".txt", ".md", ".text"}:
        return None
    try:
        return _clip(p.read_text(encoding="utf-8", errors="replace"), MAX_TEXT)
    except OSError:
        return None


def from_drafts(store: Store, limit: int = 5000) -> list[ItemIn]:
    from ..store import drafts

    out = []
    for d in drafts.list_drafts(store, "draft", limit=limit):
        claim = d.get("claim") or {}
        text = _source_text(d.get("source_path")) or _clip(
            str(claim.get("text") or claim.get("sentence") or ""), MAX_TEXT
        )
        fields = {
            "title": _clip(str(d.get("source_id") or ""), 300),
            "text": text or None,
            "lang": d.get("lang"),
            "date": _plain(d.get("date")),
            "place": _clip(d.get("place"), 300),
            "killed_min": d.get("killed_min"),
            "killed_max": d.get("killed_max"),
        }
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        out.append(ItemIn(f"draft-{d['id']}", fields, None, f"draft:{d['id']}"))
    return out


def from_incidents(
    store: Store, *, include_unpublished: bool = False, limit: int = 5000
) -> list[ItemIn]:
    from ..model.filters import IncidentFilter
    from ..store import queries

    f = IncidentFilter(include_unpublished=include_unpublished)
    out = []
    for r in queries.iter_incidents(store, f):
        if r.get("latitude") is not None and r.get("location_precision") in LOCATE_PRECISE:
            continue
        fields = {
            "code": r["code"],
            "place": r.get("location_en"),
            "place_ar": r.get("location_ar"),
            "governorate": r.get("governorate_en"),
            "country": r.get("country"),
            "date": _plain(r.get("date_start")),
            "summary": _clip(r.get("summary"), 2000),
            # the imprecise point the record has (a town, a governorate): where the map opens
            "approx_lat": r.get("latitude"),
            "approx_lon": r.get("longitude"),
        }
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        out.append(ItemIn(f"incident-{r['code']}", fields, None, f"incident:{r['code']}"))
        if len(out) >= limit:
            break
    return out


PERSON_FIELDS = ("name", "name_ar", "sex", "age", "date_of_death", "place")


def from_review_queue(store: Store, limit: int = 5000) -> list[ItemIn]:
    from ..store import linkage

    out = []
    for p in linkage.review_queue(store, limit=limit):
        pair = {
            side: {k: _plain(p[side].get(k)) for k in PERSON_FIELDS if p[side].get(k) is not None}
            for side in ("a", "b")
        }
        key = f"pair-{p['uid_a']}|{p['uid_b']}"[:200]
        out.append(ItemIn(key, pair, None, f"pair:{p['uid_a']}|{p['uid_b']}"))
    return out


def from_image_folders(root: str | Path) -> list[ItemIn]:
    base = Path(root).resolve()
    if not base.is_dir():
        raise InputError(f"{root}: not a folder")
    out = []
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        frames = sorted(
            f.name for f in d.iterdir() if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES
        )
        if not frames:
            continue
        fields = {"frames": [{"id": str(i), "label": Path(n).stem} for i, n in enumerate(frames)]}
        out.append(ItemIn(f"images-{d.name}", fields, None, f"images:{d}"))
    return out


def image_file(source_ref: str | None, fields: dict[str, Any], frame: str) -> Path | None:
    """The file of one frame of an image item, or None (never a path outside its folder)."""
    if not source_ref or not source_ref.startswith("images:"):
        return None
    ids = {str(f.get("id")): f for f in fields.get("frames") or [] if isinstance(f, dict)}
    if frame not in ids:
        return None
    folder = Path(source_ref[len("images:") :])
    files = sorted(
        f for f in folder.iterdir() if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES
    )
    i = int(frame)
    if not 0 <= i < len(files):
        return None
    path = files[i].resolve()
    return path if path.parent == folder.resolve() else None


def build(
    store: Store,
    kind: str,
    *,
    images: str | Path | None = None,
    include_unpublished: bool = False,
    limit: int = 5000,
) -> list[ItemIn]:
    kinds.check_kind(kind)
    if kind == "report":
        return from_drafts(store, limit)
    if kind == "locate":
        return from_incidents(store, include_unpublished=include_unpublished, limit=limit)
    if kind == "same-person":
        return from_review_queue(store, limit)
    if images is None:
        raise InputError("kind image: give the folder of image series (--images DIR)")
    return from_image_folders(images)


__all__ = ["build", "image_file", "read_csv", "read_csv_file"]
