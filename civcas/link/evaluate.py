"""Pairwise and cluster precision, recall and F1 against a truth column."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd


@dataclass(frozen=True)
class Scores:
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    cluster_precision: float
    cluster_recall: float
    cluster_f1: float
    records: int
    predicted_people: int
    true_people: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(predicted: pd.Series, truth: pd.Series) -> Scores:
    """Pairwise: pairs of records put together. Cluster: predicted people exactly right.

    Cluster precision = exactly-right predicted clusters / predicted clusters; recall =
    exactly-right / true clusters.
    """
    df = pd.DataFrame({"p": predicted.astype(str).to_numpy(), "t": truth.astype(str).to_numpy()})
    tp = _pairs(df.groupby(["p", "t"]).size())
    pp = _pairs(df.groupby("p").size())
    tt = _pairs(df.groupby("t").size())
    prec = tp / pp if pp else 1.0
    rec = tp / tt if tt else 1.0
    pred_sets = df.groupby("p")["t"].agg(lambda s: (s.iloc[0], len(s), s.nunique()))
    true_size = df.groupby("t").size()
    exact = sum(1 for first, n, k in pred_sets if k == 1 and true_size[first] == n)
    cp = exact / len(pred_sets) if len(pred_sets) else 1.0
    cr = exact / len(true_size) if len(true_size) else 1.0
    return Scores(prec, rec, _f1(prec, rec), cp, cr, _f1(cp, cr), len(df), len(pred_sets),
                  len(true_size))  # fmt: skip
