"""Helpers shared by the workflow tests: seed incidents, the CLI admin actor."""

from __future__ import annotations

import datetime as dt

from civcas.model import (
    Assessment,
    BelligerentAssessment,
    CountRange,
    Grade,
    Incident,
    Place,
    Source,
    Victim,
)
from civcas.store import IncidentWriter, Store, history
from civcas.workflow import Actor

ADMIN = Actor("cli:test", "admin")
PASSWORD = "Euphrates-ledger-1917"


def seed_incidents(store: Store, n: int = 6) -> None:
    with store.begin() as conn:
        w = IncidentWriter(conn, "test", None)
        for i in range(n):
            w.add(
                Incident(
                    source_kind="test",
                    source_id=str(i),
                    code=f"T{i}",
                    date_start=dt.date(2017, 6 + i % 3, 1 + i),
                    place=Place(
                        name_en=f"Place {i}", governorate_en="Raqqa", latitude=35.9, longitude=39.0
                    ),
                    grade=[Grade.FAIR, Grade.WEAK, Grade.CONFIRMED][i % 3],
                    killed=CountRange(i, i + 2),
                    belligerents=[
                        BelligerentAssessment(
                            "US-led Coalition",
                            assessment=Assessment.CREDIBLE if i % 2 else Assessment.NON_CREDIBLE,
                            deaths_conceded=CountRange(1, 1) if i % 2 else CountRange(),
                        )
                    ],
                    sources=[Source(url=f"https://example.org/{i}")],
                    victims=[Victim(name=f"Victim {i}")],
                    raw={"i": i},
                )
            )
        w.flush()
        # the record is in the chain, as an import's would be (issue 16): one revision
        history.baseline(conn, "seed", "test records")
