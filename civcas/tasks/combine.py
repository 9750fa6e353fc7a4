"""A campaign's answers -> one consensus per item, and each volunteer's reliability.

Labels (yes/no, a candidate, a frame) are combined by Dawid–Skene over every answer of
the campaign, gold items held at their known answer; the volunteers' estimated
accuracies then weight the numbers (weighted median, with the weighted quartiles as the
interval) and the points (geometric median, with the radius that holds half the weight).
``method="mv"`` is plain majority vote, for comparison.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .consensus import dawid_skene, encode, geometric_median, vote_shares, weighted_median

METHODS = ("ds", "one-coin", "mv")
AGREE_KM = 1.0  # points within this distance of the centre agree


@dataclass
class ItemConsensus:
    item_id: str
    answer: Any  # a label, or a dict for numbers and points
    confidence: float
    n_answers: int
    method: str
    gold: Any = None
    detail: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "answer": self.answer,
            "confidence": round(self.confidence, 4),
            "n_answers": self.n_answers,
        }


@dataclass
class Reliability:
    volunteer: str
    n_answers: int
    n_gold: int
    gold_correct: int
    estimated_accuracy: float  # from the model (Dawid–Skene's confusion and priors)

    @property
    def gold_accuracy(self) -> float | None:
        return self.gold_correct / self.n_gold if self.n_gold else None


def _load(v: Any) -> Any:
    return json.loads(v) if isinstance(v, str) else v


def combine(
    rows: list[dict[str, Any]], kind: str, method: str = "ds"
) -> tuple[list[ItemConsensus], list[Reliability]]:
    """``rows``: answers with ``item_key``, ``volunteer``, ``answer`` and ``gold`` (JSON
    text or dicts), as ``store.tasks.answers`` gives them."""
    if method not in METHODS:
        raise ValueError(f"method {method!r}: expected one of {', '.join(METHODS)}")
    answers = [(str(r["item_key"]), str(r["volunteer"]), _load(r["answer"])) for r in rows]
    gold_of: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.get("gold") is not None:
            gold_of[str(r["item_key"])] = _load(r["gold"])
    if not answers:
        return [], []
    triples = [(i, w, str(a["label"])) for i, w, a in answers]
    lab, items, workers, classes = encode(triples)
    gold_codes = {
        items.index(i): classes.index(str(g["label"]))
        for i, g in gold_of.items()
        if i in items and str(g["label"]) in classes
    }
    if method == "mv":
        post = vote_shares(lab)
        acc = np.ones(lab.n_workers)
    else:
        res = dawid_skene(lab, gold=gold_codes or None, one_coin=method == "one-coin")
        post, acc = res.posteriors, res.accuracy()
    weight = {w: float(max(acc[j], 0.0)) for j, w in enumerate(workers)}
    by_item: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for i, w, a in answers:
        by_item[i].append((w, a))
    out = []
    for idx, item in enumerate(items):
        k = int(np.argmax(post[idx]))
        label = classes[k]
        conf = float(post[idx, k])
        given = by_item[item]
        detail: dict[str, Any] = {
            "votes": {c: sum(1 for _, a in given if str(a["label"]) == c) for c in classes}
        }
        detail["votes"] = {c: n for c, n in detail["votes"].items() if n}
        answer: Any = label
        if kind == "report" and label == "yes":
            nums = [(a["number"], weight[w]) for w, a in given if a.get("number") is not None]
            nums = [(n, wt) for n, wt in nums]
            if nums:
                m = weighted_median([n for n, _ in nums], [wt for _, wt in nums])
                answer = {"civilians": "yes", "killed": int(m.value)}
                detail["killed_interval"] = [int(m.low), int(m.high)]
                detail["killed_agreement"] = round(m.agreement, 3)
        elif kind == "locate" and label == "point":
            pts = [((a["lat"], a["lon"]), weight[w]) for w, a in given if a.get("lat") is not None]
            c = geometric_median([p for p, _ in pts], [wt for _, wt in pts], agree_km=AGREE_KM)
            answer = {"lat": round(c.lat, 6), "lon": round(c.lon, 6)}
            detail["radius_km"] = round(c.radius_km, 3)
            detail["agreement"] = round(c.agreement, 3)
            conf *= c.agreement
        elif kind == "locate" and label not in ("unknown",):
            answer = {"candidate": label}
        out.append(
            ItemConsensus(
                item,
                answer,
                conf,
                len(given),
                method,
                gold=gold_of.get(item),
                detail=detail,
            )
        )
    rel = []
    for j, w in enumerate(workers):
        mine = [(i, a) for i, ww, a in answers if ww == w]
        on_gold = [(i, a) for i, a in mine if i in gold_of]
        right = sum(1 for i, a in on_gold if str(a["label"]) == str(gold_of[i]["label"]))
        rel.append(Reliability(w, len(mine), len(on_gold), right, float(acc[j])))
    return out, rel


def agreement(answers: list[dict[str, Any]]) -> float:
    """Share of an item's answers that agree with the most common label (points: within
    AGREE_KM of their geometric median); the redundancy rule asks for more answers
    while this is below the campaign's threshold."""
    if not answers:
        return 0.0
    labels = [str(a["label"]) for a in answers]
    top = max(set(labels), key=labels.count)
    share = labels.count(top) / len(labels)
    if top == "point":
        pts = [(a["lat"], a["lon"]) for a in answers if a.get("lat") is not None]
        if len(pts) >= 2:
            c = geometric_median(pts, agree_km=AGREE_KM)
            share *= c.agreement
    return share


__all__ = ["METHODS", "ItemConsensus", "Reliability", "agreement", "combine"]
