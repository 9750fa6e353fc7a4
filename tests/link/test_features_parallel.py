"""features() reads many names in worker processes: the same features as in-process."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from civcas.link import records
from civcas.link.records import base_features, features, read_lists
from civcas.link.simulate import simulate_lists, write_lists


def test_worker_processes_give_the_in_process_features(tmp_path, monkeypatch):
    df = read_lists(write_lists(simulate_lists(300, seed=5), tmp_path))
    assert (df["name_ar"] != "").any() and (df["name"] != "").any()
    serial = features(df)

    pools: list[int] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(records, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(records, "PARALLEL_MIN", 1)
    monkeypatch.setattr(records, "_CHUNK", 37)  # many chunks, the last one short
    parallel = features(df)
    assert pools == [1]  # one pool, for both the Arabic and the Latin strings
    pd.testing.assert_frame_equal(parallel, serial)
    assert serial["given"].notna().mean() > 0.9 and serial["family"].notna().mean() > 0.5


def test_base_features_are_the_features_without_names(tmp_path):
    df = read_lists(write_lists(simulate_lists(100, seed=6), tmp_path))
    df.index = df.index * 3 + 7  # not a range index
    full, base = features(df), base_features(df)
    assert set(base.columns) < set(full.columns)
    assert "given" not in base.columns
    pd.testing.assert_frame_equal(base, full[base.columns])
