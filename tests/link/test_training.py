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


def test_python_name_levels_are_the_models_sql_levels():
    # The pseudo-labels (training.name_level) and the family model count pairs per
    # level of model._name_part: an index out of step puts every count in the wrong level
    # (it happened: "else" learnt m = 0.0003). The SQL levels themselves, run by DuckDB,
    # are the reference.
    import duckdb
    import pandas as pd

    from civcas.link.model import civcas_settings
    from civcas.link.normalise import fold_dentals
    from civcas.link.training import name_level

    words = ["mhmd", "ahmd", "mhmwd", "xld", "xjld", "mz", "md", "$d", "$z", "abrhm", "y"]
    counts: dict = {"mhmd": 900, "ahmd": 400, "mhmwd": 300, "xld": 200, "xjld": 1, "mz": 50,
              "md": 60, "$d": 30, "$z": 3, "abrhm": 250, "y": 40}  # fmt: skip

    def row(a: str | None, b: str, script: str) -> dict:
        return {"given_l": a, "given_r": b, "given_sp_l": a and f"la:{a}",
                "given_sp_r": f"{script}:{b}", "given_n_l": counts.get(a), "given_n_r": counts[b],
                "given_f_l": fold_dentals(a), "given_f_r": fold_dentals(b)}  # fmt: skip

    rows = [row(a, b, "la" if k % 2 else "ar") for k, a in enumerate(words) for b in words]
    rows.append(row(None, "xld", "la"))
    pairs = pd.DataFrame(rows)
    settings = civcas_settings().create_settings_dict("duckdb")
    comp = next(c for c in settings["comparisons"] if c["output_column_name"] == "given")
    conds = [lv["sql_condition"] for lv in comp["comparison_levels"]]
    case = " ".join(f"WHEN {c} THEN {i}" for i, c in enumerate(conds) if c != "ELSE")
    sql_levels = duckdb.sql(f"SELECT CASE {case} ELSE {len(conds) - 1} END AS lv FROM pairs")
    expected = [int(v) for (v,) in sql_levels.fetchall()]
    got = [
        name_level(r.given_l, r.given_r, r.given_sp_l, r.given_sp_r, r.given_n_l, r.given_n_r)
        for r in pairs.itertuples()
    ]
    assert got == expected
    assert len(set(expected)) == len(conds)  # every level is exercised
