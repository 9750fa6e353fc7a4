from __future__ import annotations

import pandas as pd

from civcas.link.evaluate import evaluate


def test_scores_by_hand():
    # truth: {1,2,3} {4}; predicted: {1,2} {3,4}
    truth = pd.Series(["a", "a", "a", "b"])
    pred = pd.Series(["x", "x", "y", "y"])
    s = evaluate(pred, truth)
    assert s.pairwise_precision == 0.5  # pairs (1,2) right, (3,4) wrong
    assert abs(s.pairwise_recall - 1 / 3) < 1e-12  # 1 of (1,2) (1,3) (2,3)
    assert s.cluster_precision == 0.0 and s.cluster_recall == 0.0


def test_perfect():
    s = evaluate(pd.Series(["p", "p", "q"]), pd.Series(["1", "1", "2"]))
    assert s.pairwise_f1 == 1.0 and s.cluster_f1 == 1.0
