"""Fixtures of the io tests (helpers live in iohelp.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def raqqa_csvs(shared_data: Path) -> tuple[Path, Path]:
    d = shared_data / "syrian-archive-airwars" / "derived"
    return d / "raqqa_2017_coalition_incidents.csv", d / "raqqa_2017_coalition_victims.csv"
