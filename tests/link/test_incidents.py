"""Incident clustering across sources (date window, distance or place, belligerent, counts)."""

from __future__ import annotations

import pandas as pd

from civcas.link.incidents import cluster_incidents


def _frame(rows):
    cols = [
        "code",
        "date",
        "latitude",
        "longitude",
        "place",
        "belligerents",
        "killed_min",
        "killed_max",
    ]
    return pd.DataFrame(rows, columns=cols)


def test_same_event_from_two_sources_merges_and_others_do_not():
    df = _frame([
        ("AW-1", "2017-08-20", 35.95, 39.01, "Raqqa", "coalition", 10, 14),
        ("NEWS-9", "2017-08-21", 35.951, 39.012, "الرقة", "", 12, 12),      # 1 day, 0.2 km, counts overlap
        ("AW-2", "2017-08-20", 35.52, 38.54, "Tabqa", "coalition", 3, 3),   # far away
        ("AW-3", "2017-08-25", 35.95, 39.01, "Raqqa", "coalition", 10, 14), # 5 days later
        ("RU-1", "2017-08-20", None, None, "Raqqa", "russia", 40, 60),      # other belligerent
    ])  # fmt: skip
    res = cluster_incidents(df, days=1, km=2)
    assert res.canonical == {"NEWS-9": "AW-1"}
    review = {tuple(sorted(p)) for p in res.review[["code_a", "code_b"]].itertuples(index=False)}
    assert ("AW-1", "RU-1") in review
    assert not any("AW-2" in p or "AW-3" in p for p in review)


def test_unknown_counts_do_not_block_and_wider_window_finds_more():
    df = _frame([
        ("A", "2017-06-01", None, None, "Mansoura", "coalition", None, None),
        ("B", "2017-06-03", None, None, "al-Mansoura", "coalition", 5, 7),
    ])  # fmt: skip
    assert cluster_incidents(df, days=1).canonical == {}
    assert cluster_incidents(df, days=2).canonical == {"B": "A"}
