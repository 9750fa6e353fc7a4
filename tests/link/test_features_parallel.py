"""features() reads many names in two processes: the same features as in one."""

from __future__ import annotations

import pandas as pd
import pytest

from civcas.link import records
from civcas.link.records import base_features, features, read_lists
from civcas.link.simulate import simulate_lists, write_lists


def test_a_second_process_gives_the_same_features(tmp_path, monkeypatch):
    df = read_lists(write_lists(simulate_lists(300, seed=5), tmp_path))
    assert (df["name_ar"] != "").any() and (df["name"] != "").any()
    serial = features(df)

    sent: list[int] = []

    class Counted(records._Helper):
        def send(self, texts: list[str]) -> None:
            sent.append(len(texts))
            super().send(texts)

    monkeypatch.setattr(records, "_Helper", Counted)
    monkeypatch.setattr(records, "PARALLEL_MIN", 1)
    parallel = features(df)
    # half of the Arabic strings, then half of the Latin ones went to the other process
    assert len(sent) == 2 and min(sent) > 50
    pd.testing.assert_frame_equal(parallel, serial)
    assert serial["given"].notna().mean() > 0.9 and serial["family"].notna().mean() > 0.5


def test_base_features_are_the_features_without_names(tmp_path):
    df = read_lists(write_lists(simulate_lists(100, seed=6), tmp_path))
    df.index = df.index * 3 + 7  # not a range index
    full, base = features(df), base_features(df)
    assert set(base.columns) < set(full.columns)
    assert "given" not in base.columns
    pd.testing.assert_frame_equal(base, full[base.columns])


def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path, monkeypatch):
    df = read_lists(write_lists(simulate_lists(50, seed=7), tmp_path))
    monkeypatch.setattr(records, "PARALLEL_MIN", 1)
    monkeypatch.setattr(records, "_SERVE", "import sys; sys.stdin.buffer.read(1); sys.exit(3)")
    with pytest.raises(RuntimeError, match="name worker process stopped"):
        features(df)
