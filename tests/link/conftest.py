"""Fixtures for the linkage tests: FEBRL frames in civcas columns, simulated lists."""

from __future__ import annotations

import pandas as pd
import pytest

from civcas.link.model import ModelSpec
from civcas.link.records import COLUMNS, OPTIONAL

FEBRL_EXTRA = ["date_of_birth", "soc_sec_id", "street_number", "address_1", "suburb", "postcode"]


def febrl_frame(df: pd.DataFrame, list_name: str) -> pd.DataFrame:
    df = df.reset_index()
    out = pd.DataFrame({"record_id": df["rec_id"], "list": list_name})
    for c in COLUMNS + OPTIONAL:
        if c not in out:
            out[c] = ""
    out["given"] = df["given_name"].fillna("")
    out["family"] = df["surname"].fillna("")
    for c in FEBRL_EXTRA:
        out[c] = df[c].fillna("").astype(str)
    out["truth"] = df["rec_id"].str.extract(r"rec-(\d+)")[0]
    return out


@pytest.fixture(scope="session")
def febrl_spec() -> ModelSpec:
    return ModelSpec(
        extra_exact=["postcode"],
        extra_string=["date_of_birth", "soc_sec_id", "street_number", "address_1", "suburb"],
        training_blocks=[["date_of_birth"], ["soc_sec_id"]],
        deterministic=[["given", "family", "date_of_birth"]],
        blocking=[["date_of_birth"], ["soc_sec_id"], ["postcode", "street_number"]],
    )


def sim_frame(people: int, seed: int) -> pd.DataFrame:
    from civcas.link.simulate import simulate_lists

    df = simulate_lists(people, seed=seed).records.astype(str)
    for c in OPTIONAL:
        df[c] = ""
    return df


@pytest.fixture(scope="session")
def make_febrl():
    return febrl_frame


@pytest.fixture(scope="session")
def make_sim():
    return sim_frame
