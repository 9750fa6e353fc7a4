"""Answers, consensus and reliability as CSV (formula-safe text cells, civcas.io.csvsafe)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from ..io.csvsafe import safe_row
from .combine import ItemConsensus, Reliability

ANSWER_COLUMNS = ("item_id", "volunteer", "label", "number", "lat", "lon", "answer",
                  "answered_at", "seconds", "gold")  # fmt: skip
CONSENSUS_COLUMNS = ("item_id", "answer", "confidence", "n_answers")
RELIABILITY_COLUMNS = ("volunteer", "n_answers", "n_gold", "gold_accuracy",
                       "estimated_accuracy")  # fmt: skip


def _json(v: Any) -> str:
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)


def write_answers(out: IO[str], rows: Iterable[dict[str, Any]]) -> int:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(ANSWER_COLUMNS)
    n = 0
    for r in rows:
        a = json.loads(r["answer"])
        gold = json.loads(r["gold"])["label"] if r.get("gold") else ""
        w.writerow(
            safe_row(
                [
                    r["item_key"],
                    r["volunteer"],
                    str(a.get("label", "")),
                    a.get("number", ""),
                    a.get("lat", ""),
                    a.get("lon", ""),
                    r["answer"],
                    r["answered_at"],
                    r.get("seconds") if r.get("seconds") is not None else "",
                    gold,
                ]  # fmt: skip
            )
        )
        n += 1
    return n


def write_consensus(out: IO[str], rows: Iterable[ItemConsensus]) -> int:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CONSENSUS_COLUMNS)
    n = 0
    for r in rows:
        w.writerow(safe_row([r.item_id, _json(r.answer), round(r.confidence, 4), r.n_answers]))
        n += 1
    return n


def write_reliability(out: IO[str], rows: Iterable[Reliability]) -> int:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(RELIABILITY_COLUMNS)
    n = 0
    for r in rows:
        g = r.gold_accuracy
        w.writerow(
            safe_row(
                [
                    r.volunteer,
                    r.n_answers,
                    r.n_gold,
                    "" if g is None else round(g, 4),
                    round(r.estimated_accuracy, 4),
                ]
            )  # fmt: skip
        )
        n += 1
    return n


__all__ = ["write_answers", "write_consensus", "write_reliability"]
