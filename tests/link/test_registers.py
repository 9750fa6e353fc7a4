"""A pair's probability against a register (registers.py): weighed against the record's
other candidates there and the share of its list the register holds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civcas.link.registers import register_posterior

LAM = 1e-5  # the chance that two random records are one person


def _pairs(li: list[int], ri: list[int], p: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"unique_id_l": li, "unique_id_r": ri, "match_probability": p})


def _world(n_press: int, n_register: int) -> tuple[np.ndarray, np.ndarray]:
    lists = np.array(["press"] * n_press + ["register"] * n_register)
    return lists, (lists == "register").astype(np.int64)


def test_the_share_in_the_register_is_recovered() -> None:
    # 1,000 press records, 700 of them with one clear candidate in a register of 2,000
    lists, unique = _world(1000, 2000)
    odds = LAM / (1 - LAM) * 1e7  # a Bayes factor of ten million
    p = odds / (1 + odds)
    pairs = _pairs(list(range(700)), list(range(1000, 1700)), [p] * 700)
    _, shares = register_posterior(pairs, lists, unique, LAM)
    assert shares[("press", "register")] == pytest.approx(0.7, abs=0.005)


def test_a_lone_candidate_gains_and_rivals_share() -> None:
    lists, unique = _world(200, 300)
    # record 0: one candidate; record 1: two equally good ones (two sisters of one chain);
    # records 2..119: clear matches, so that most of the press list is in the register
    clear = 0.999
    li = [0, 1, 1, *range(2, 120)]
    ri = [200, 201, 202, *range(203, 321)]
    p = [0.6, 0.6, 0.6, *[clear] * 118]
    got, shares = register_posterior(_pairs(li, ri, p), lists, unique, LAM)
    q = got["match_probability"].to_numpy()
    assert shares[("press", "register")] > 0.5
    assert q[0] > 0.8  # 0.6 alone: the register very likely holds record 0's person
    assert q[1] == pytest.approx(q[2]) and q[1] < q[0] and q[1] + q[2] <= 1
    assert (q[3:] > 0.99).all()


def test_pairs_outside_registers_are_left_alone() -> None:
    lists = np.array(["a", "a", "b", "b"])
    unique = np.zeros(4, dtype=np.int64)
    pairs = _pairs([0, 1], [2, 3], [0.3, 0.9])
    got, shares = register_posterior(pairs, lists, unique, LAM)
    assert shares == {} and got["match_probability"].tolist() == [0.3, 0.9]


def test_two_registers_take_the_lower_view() -> None:
    # register a's record 0 has one candidate in b; b's record 3 has two in a
    lists = np.array(["a", "a", "a", "b", "b"] + ["a"] * 20 + ["b"] * 20)
    unique = np.where(lists == "a", 1, 2).astype(np.int64)
    li, ri, p = [0, 1], [3, 3], [0.9, 0.9]
    got, shares = register_posterior(_pairs(li, ri, p), lists, unique, LAM)
    assert set(shares) == {("a", "b"), ("b", "a")}
    q = got["match_probability"].to_numpy()
    # from b's side record 3 has two rivals: neither pair can be above one half
    assert q[0] == pytest.approx(q[1]) and q[0] <= 0.5
