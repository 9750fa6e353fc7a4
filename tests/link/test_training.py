"""Blocking windows and training: properties the model relies on, checked on data."""

from __future__ import annotations

import numpy as np

from civcas.link.model import WINDOW, date_windows
from civcas.link.pipeline import link_records


def test_dates_within_six_days_share_a_window():
    days = np.arange(0, 400, dtype=float)
    a_wa, a_wb = date_windows(days)
    for gap in range(WINDOW // 2):
        b_wa, b_wb = date_windows(days + gap)
        assert ((a_wa == b_wa) | (a_wb == b_wb)).all(), gap
    far_wa, far_wb = date_windows(days + WINDOW * 2)
    assert not ((a_wa == far_wa) | (a_wb == far_wb)).any()


def _m(model: dict, comparison: str, label: str) -> float:
    comp = next(c for c in model["comparisons"] if c["output_column_name"] == comparison)
    level = next(lv for lv in comp["comparison_levels"] if lv.get("label_for_charts") == label)
    return level["m_probability"]


def test_training_does_not_learn_that_matches_disagree_on_father_or_family(make_sim):
    # In the simulator a person's father's name changes between lists only by a typo or a
    # key-changing spelling (a few percent), and family name + date together almost never.
    # EM on a given+family block learnt 31% for the father (brothers killed together).
    df = make_sim(3000, seed=13)
    model = link_records(df).model
    assert _m(model, "father", "All other comparisons") < 0.1
    assert _m(model, "family_incident", "All other comparisons") < 0.05
    assert _m(model, "age", "All other comparisons") < 0.05
