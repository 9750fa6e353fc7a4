"""Scoring extraction against annotated articles in the FA-KES column layout.

FA-KES (Abu Salem et al., ICWSM 2019) labels one incident per article: civilian, child,
women and non-civilian deaths, the actor and the cause of death, in its own vocabularies.
``split_half`` divides a file deterministically (SHA-256 of ``unit_id``) into a
development half, used to write the rules, and a held-out half, used only to score them.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..model.errors import InputError
from .extractor import Report, extract_report
from .lexicon import FAKES_ACTOR, FAKES_CAUSE

REQUIRED = ("unit_id", "article_content", "actor", "cause_of_death", "nb_children",
            "nb_civilians", "nb_noncivilians", "nb_women")  # fmt: skip
COUNT_FIELDS = ("nb_civilians", "nb_children", "nb_women", "nb_noncivilians")
LABEL_ACTOR = {"the organization of the islamic state in iraq and the levant - isis": "ISIS"}
LABEL_CAUSE = {"chemical and toxic gases": "chemical"}


def split_half(unit_id: str) -> str:
    """'dev' or 'held-out', stable across runs and machines."""
    return (
        "dev" if hashlib.sha256(str(unit_id).strip().encode()).digest()[0] % 2 == 0 else "held-out"
    )


def read_text_file(path: Path) -> str:
    """UTF-8 if it decodes, else cp1252, else latin-1 (which always decodes)."""
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")  # pragma: no cover - latin-1 never fails


def read_fakes(path: Path) -> list[dict[str, str]]:
    text = read_text_file(path)
    csv.field_size_limit(max(csv.field_size_limit(), 50_000_000))  # long articles
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; expected the FA-KES layout "
                         f"({', '.join(REQUIRED)})", source=str(path))  # fmt: skip
    return list(reader)


def parse_pub(value: str | None) -> date | None:
    for fmt in ("%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime((value or "").strip(), fmt).date()
        except ValueError:
            continue
    return None


def predict(row: dict[str, str]) -> tuple[dict[str, Any], Report]:
    """One FA-KES-vocabulary prediction for a row (missing figures count as 0)."""
    rep = extract_report(row.get("article_content") or "", parse_pub(row.get("date")), "en")
    s = rep.summary

    def n(key: str) -> int:
        v = s.get(key)
        if v and v.get("min") is not None and v.get("max") is not None and v["max"] - v["min"] > 10:
            # "dozens", "hundreds", "scores": no single figure is stated, and an
            # annotated count (FA-KES) has none to give; the range stays in the summary
            return 0
        return int(v["min"] if v and v.get("min") is not None else (v or {}).get("max") or 0)

    pred: dict[str, Any] = {
        "unit_id": row.get("unit_id"),
        "nb_civilians": n("civilians_killed"),
        "nb_children": n("children_killed"),
        "nb_women": n("women_killed"),
        "nb_noncivilians": n("noncivilians_killed"),
        "actor": FAKES_ACTOR.get(s.get("actor") or "unknown", "unknown"),
        "cause_of_death": FAKES_CAUSE.get(s.get("weapon") or "", "unknown"),
    }
    rng = s.get("civilians_killed") or {}
    pred["_civ_range"] = (rng.get("min"), rng.get("max"))
    return pred, rep


@dataclass
class Scores:
    n: int
    fields: dict[str, dict[str, float]]
    presence: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "fields": self.fields, "civilian_deaths_presence": self.presence}


def score(rows: list[dict[str, str]], preds: list[dict[str, Any]]) -> Scores:
    n = len(rows) or 1
    fields: dict[str, dict[str, float]] = {}
    for f in COUNT_FIELDS:
        exact = within = 0
        for r, p in zip(rows, preds, strict=True):
            gold = _int(r.get(f))
            exact += gold == p[f]
            lo, hi = p["_civ_range"] if f == "nb_civilians" else (p[f], p[f])
            lo = p[f] if lo is None else lo
            within += gold == p[f] or (lo <= gold and (hi is None or gold <= hi) and p[f] > 0)
        fields[f] = {"exact": exact / n, "within_range": within / n}
    for f, norm in (("actor", LABEL_ACTOR), ("cause_of_death", LABEL_CAUSE)):
        ok = sum(
            norm.get(r[f].strip(), r[f].strip()) == p[f] for r, p in zip(rows, preds, strict=True)
        )
        fields[f] = {"exact": ok / n, "within_range": ok / n}
    tp = sum(
        _int(r["nb_civilians"]) > 0 and p["nb_civilians"] > 0
        for r, p in zip(rows, preds, strict=True)
    )
    fp = sum(
        _int(r["nb_civilians"]) == 0 and p["nb_civilians"] > 0
        for r, p in zip(rows, preds, strict=True)
    )
    fn = sum(
        _int(r["nb_civilians"]) > 0 and p["nb_civilians"] == 0
        for r, p in zip(rows, preds, strict=True)
    )
    presence = {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
    }
    return Scores(len(rows), fields, presence)


def _int(v: Any) -> int:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return 0


def evaluate(path: Path, half: str | None = None) -> tuple[dict[str, Scores], list[dict[str, Any]]]:
    """Scores for 'all', 'dev' and 'held-out' (or just ``half``), and the predictions."""
    rows = read_fakes(path)
    preds = [predict(r)[0] for r in rows]
    groups: dict[str, list[int]] = {"all": list(range(len(rows)))}
    for i, r in enumerate(rows):
        groups.setdefault(split_half(r["unit_id"]), []).append(i)
    if half:
        groups = {half: groups.get(half, [])}
    out = {k: score([rows[i] for i in idx], [preds[i] for i in idx]) for k, idx in groups.items()}
    return out, preds


def public_prediction(p: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in p.items() if not k.startswith("_")}


def iter_rows_with_half(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    for r in read_fakes(path):
        yield split_half(r["unit_id"]), r
