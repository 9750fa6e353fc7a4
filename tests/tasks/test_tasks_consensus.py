"""Consensus: Dawid-Skene against crowd-kit's results, on simulated confusion matrices,
and the robust centres for numbers and points.

crowd-kit is not installed here (it pulls transformers, nltk and scikit-learn): its
results for a fixed answer set are saved in fixtures/crowdkit_ds.json by
fixtures/make_crowdkit_fixture.py, run once in a throwaway venv with crowd-kit 1.x.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from civcas.tasks.consensus import (
    dawid_skene,
    encode,
    geometric_median,
    majority_vote,
    weighted_median,
)

FIXTURE = Path(__file__).parent / "fixtures" / "crowdkit_ds.json"


@pytest.fixture(scope="module")
def ck() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _fit(ck: dict, **kw):  # type: ignore[no-untyped-def]
    lab, items, workers, classes = encode([tuple(r) for r in ck["answers"]])
    gold = None
    if kw.pop("with_gold", False):
        gold = {items.index(t): classes.index(v) for t, v in ck["gold"].items()}
    res = dawid_skene(lab, gold=gold, **kw)
    return res, items, workers, classes


@pytest.mark.parametrize(
    ("key", "kw"),
    [
        ("dawid_skene", {}),
        ("dawid_skene_gold", {"with_gold": True}),
        ("one_coin", {"one_coin": True}),
    ],
)
def test_posteriors_match_crowd_kit(ck, key, kw):
    res, items, _, classes = _fit(ck, **kw)
    want = ck[key]
    got = {t: res.posteriors[i] for i, t in enumerate(items)}
    worst = max(
        abs(got[t][classes.index(c)] - p)
        for t, row in want["probas"].items()
        for c, p in row.items()
    )
    assert worst < 1e-6, worst
    labels = {t: classes[int(res.labels[i])] for i, t in enumerate(items)}
    assert labels == want["labels"]
    assert res.iterations == want["iterations"]
    for c, p in want["priors"].items():
        assert res.priors[classes.index(c)] == pytest.approx(p, abs=1e-6)


def test_confusion_matrices_match_crowd_kit(ck):
    res, _, workers, classes = _fit(ck)
    for key, row in ck["dawid_skene"]["errors"].items():
        w, observed = key.split("|")
        for true, p in row.items():
            got = res.confusion[workers.index(w), classes.index(observed), classes.index(true)]
            assert got == pytest.approx(p, abs=1e-6), (key, true)


def test_majority_vote_baseline_matches_crowd_kit_where_no_tie(ck):
    lab, items, _, classes = encode([tuple(r) for r in ck["answers"]])
    mv = majority_vote(lab)
    counts = np.zeros((lab.n_items, lab.n_classes))
    np.add.at(counts, (lab.item, lab.label), 1)
    for i, t in enumerate(items):
        top = counts[i].max()
        if (counts[i] == top).sum() == 1:
            assert classes[int(mv[i])] == ck["majority_vote"][t]


def _simulate(rng, n_items, confusions, per_item, prior):  # type: ignore[no-untyped-def]
    """Answers from workers with known confusion matrices (rows: truth, cols: answer)."""
    k = len(prior)
    truth = rng.choice(k, size=n_items, p=prior)
    triples = []
    for i in range(n_items):
        for w in rng.choice(len(confusions), size=per_item, replace=False):
            ans = rng.choice(k, p=confusions[w][truth[i]])
            triples.append((f"i{i}", f"w{w}", str(ans)))
    return truth, triples


def test_ds_recovers_known_confusion_and_beats_majority_with_adversaries():
    rng = np.random.default_rng(7)
    expert = np.array([[0.95, 0.05], [0.05, 0.95]])
    careless = np.array([[0.75, 0.25], [0.25, 0.75]])
    adversary = np.array([[0.1, 0.9], [0.9, 0.1]])  # answers the opposite
    spammer = np.array([[0.5, 0.5], [0.5, 0.5]])
    confs = [expert] * 4 + [careless] * 4 + [adversary] * 3 + [spammer] * 3
    truth, triples = _simulate(rng, 400, confs, 5, [0.6, 0.4])
    lab, items, workers, classes = encode(triples)
    res = dawid_skene(lab)
    t = np.array([truth[int(x[1:])] for x in items])
    pred = np.array([int(classes[c]) for c in res.labels])
    mv = np.array([int(classes[c]) for c in majority_vote(lab)])
    acc_ds, acc_mv = (pred == t).mean(), (mv == t).mean()
    assert acc_ds > acc_mv + 0.05, (acc_ds, acc_mv)
    assert acc_ds > 0.9
    # the estimated matrices are near the true ones: P(answer 1 | truth 0)
    for w, name in enumerate(workers):
        want = confs[int(name[1:])]
        got = res.confusion[w, classes.index("1"), classes.index("0")]
        assert got == pytest.approx(want[0][1], abs=0.15), name
    acc = res.accuracy()
    adv = [acc[workers.index(f"w{i}")] for i in range(8, 11)]
    exp = [acc[workers.index(f"w{i}")] for i in range(4)]
    assert max(adv) < 0.3 < 0.85 < min(exp)


def test_hand_worked_example():
    """Three workers, two items, two classes: the DS posterior of one E-step by hand.

    After majority-vote start: item x gets (a,a,b) -> shares (2/3, 1/3); y gets (b,b,b).
    """
    triples = [("x", "1", "a"), ("x", "2", "a"), ("x", "3", "b"),
               ("y", "1", "b"), ("y", "2", "b"), ("y", "3", "b")]  # fmt: skip
    lab, items, _, classes = encode(triples)
    res = dawid_skene(lab, n_iter=1)
    # M-step from the start: worker 1's answers weighted by the items' shares
    # e1[a|a] = 2/3 / (2/3 + 0) -> 1; e1[b|a] = 0 (clipped): worker 1 on truth a answered a
    # priors = mean((2/3,1/3),(0,1)) = (1/3, 2/3)
    # E-step for x: truth a: 1/3 * e1[a|a] e2[a|a] e3[b|a]; e3[b|a] = 1, e1[a|a] = e2[a|a] = 1
    #               truth b: 2/3 * e1[a|b] e2[a|b] e3[b|b]; e1[a|b] = (1/3)/(1/3+1) = 1/4
    #               = 2/3 * 1/4 * 1/4 * 1 = 1/24 ; a: 1/3 -> posterior a = (1/3)/(1/3+1/24) = 8/9
    assert res.posteriors[items.index("x"), classes.index("a")] == pytest.approx(8 / 9, abs=1e-6)
    assert res.posteriors[items.index("y"), classes.index("b")] == pytest.approx(1.0, abs=1e-6)


def test_weighted_median_ignores_a_wild_answer_and_follows_weights():
    r = weighted_median([10, 11, 12, 1000], [1, 1, 1, 1])
    assert r.value == 11 and r.low == 10 and r.high == 12
    r = weighted_median([10, 11, 12, 1000], [0.1, 0.1, 0.1, 5])
    assert r.value == 1000


def test_geometric_median_resists_far_pins():
    rng = np.random.default_rng(3)
    near = [(35.95 + rng.normal(0, 0.002), 39.01 + rng.normal(0, 0.002)) for _ in range(7)]
    far = [(36.5, 40.0), (35.0, 38.0), (36.2, 38.1)]
    c = geometric_median(near + far, agree_km=1.0)
    mean = np.mean(np.array(near + far), axis=0)
    assert abs(c.lat - 35.95) < 0.003 and abs(c.lon - 39.01) < 0.003
    assert abs(mean[0] - 35.95) > 0.01  # the mean is pulled away
    assert c.agreement == pytest.approx(0.7)
    assert c.radius_km < 1.0
