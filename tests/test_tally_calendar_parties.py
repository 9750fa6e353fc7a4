"""The monthly series as a calendar and per-party comparisons, on hand-built incidents, on
SQLite and the real PostgreSQL server (issue 18). Expected values are written out by hand.
"""

from __future__ import annotations

import datetime as dt

from civcas.model import (
    Assessment,
    BelligerentAssessment,
    CountRange,
    Grade,
    Incident,
    IncidentFilter,
    Place,
)
from civcas.report.svg import month_ticks, monthly_chart
from civcas.store import IncidentWriter, Store
from civcas.tally import tally
from civcas.tally.calendar import months_between

A, B = "Party A", "Party B"


def _inc(
    code: str,
    day: dt.date | None,
    killed: tuple[int | None, int | None],
    parties: list[tuple[str, Assessment, int | None]],
    grade: Grade = Grade.FAIR,
    children: tuple[int | None, int | None] = (None, None),
) -> Incident:
    return Incident(
        source_kind="test",
        source_id=code,
        code=code,
        date_start=day,
        place=Place(name_en=code, governorate_en="Raqqa"),
        belligerents=[
            BelligerentAssessment(name, assessment=a, deaths_conceded=CountRange(c, c))
            for name, a, c in parties
        ],
        grade=grade,
        killed=CountRange(*killed),
        children_killed=CountRange(*children),
        raw={"code": code},
    )


INCIDENTS = [
    # A credible (conceded 2), B never asked
    _inc("C1", dt.date(2017, 1, 5), (4, 6), [(A, Assessment.CREDIBLE, 2), (B, Assessment.NONE, None)],
         children=(1, 2)),
    # nothing in February or March; April: A non-credible
    _inc("C2", dt.date(2017, 4, 9), (10, 10), [(A, Assessment.NON_CREDIBLE, None)]),
    # B alone, no assessment by anyone
    _inc("C3", dt.date(2017, 5, 1), (3, None), [(B, Assessment.NONE, None)], children=(None, 4)),
    # A has not assessed it yet (a recorded status); Weak: not likely
    _inc("C4", dt.date(2017, 5, 20), (7, 8), [(A, Assessment.NOT_YET_ASSESSED, None)],
         grade=Grade.WEAK),
    # a placeholder date and no date at all (TRSOM001-style)
    _inc("C5", dt.date(1970, 1, 1), (None, None), [(B, Assessment.NOT_YET_ASSESSED, None)]),
    _inc("C6", None, (1, 1), [(A, Assessment.NONE, None)]),
]  # fmt: skip


def _load(url: str) -> Store:
    store = Store(url)
    with store.begin() as conn:
        w = IncidentWriter(conn, "test", None)
        for inc in INCIDENTS:
            w.add(inc)
        w.flush()
    return store


def test_monthly_series_is_a_calendar(db_url: str) -> None:
    store = _load(db_url)
    t = tally(store)
    assert list(t.by_month) == ["2017-01", "2017-02", "2017-03", "2017-04", "2017-05"]
    assert t.by_month["2017-02"]["incidents"] == 0 and t.by_month["2017-03"]["killed_max"] == 0
    assert t.by_month["2017-05"]["incidents"] == 2
    assert (t.by_month["2017-05"]["killed_min"], t.by_month["2017-05"]["killed_max"]) == (10, 11)
    off = t.off_calendar
    assert (off["incidents"], off["undated"], off["before_min_date"]) == (2, 1, 1)
    assert [i["code"] for i in off["listed"]] == ["C6", "C5"]  # undated first
    assert (off["killed_min"], off["killed_max"]) == (1, 1)
    # the totals keep every incident: the calendar and what is apart add up to them
    assert t.totals["incidents"] == 6
    assert sum(v["incidents"] for v in t.by_month.values()) + off["incidents"] == 6
    assert list(t.month_grade) == list(t.by_month) and t.month_grade["2017-02"] == {}
    # a later start moves January off the calendar
    later = tally(store, min_date=dt.date(2017, 2, 1))
    assert list(later.by_month) == ["2017-04", "2017-05"]
    assert later.off_calendar["before_min_date"] == 2
    svg = monthly_chart(t.month_grade, {})
    assert "1970" not in svg and svg.count("<title>2017-0") > 0
    store.dispose()


def test_parties_are_compared_over_their_own_incidents(db_url: str) -> None:
    store = _load(db_url)
    t = tally(store)
    assert t.conceded is None and t.ratio is None
    rows = {p["belligerent"]: p for p in t.by_belligerent}
    # B's only status is "not yet assessed" (C5): recorded, but no answer of its own
    assert set(rows) == {A}
    a = rows[A]
    # A's incidents: C1 C2 C4 C6; recorded: C1 C2 C4; likely (Fair): C1 4-6, C2 10, C6 1
    assert a["conceded"] == {
        "incidents_credible": 1,
        "deaths_min": 2,
        "deaths_max": 2,
        "incidents_in_scope": 4,
        "incidents_with_assessment": 3,
    }
    assert a["likely"] == {"incidents": 3, "killed_min": 15, "killed_max": 17}
    assert a["ratio_likely_to_conceded"] == {"min": 7.5, "max": 8.5}
    assert a["coverage"] == 0.75
    # named, B still gets its comparison: nothing conceded, 1 of its 3 incidents recorded
    b = tally(store, IncidentFilter.parse(belligerent=B))
    assert b.conceded is not None and b.ratio == {"min": None, "max": None}
    assert (b.conceded["incidents_in_scope"], b.conceded["incidents_with_assessment"]) == (3, 1)
    named = tally(store, IncidentFilter.parse(belligerent=A))
    assert named.totals["incidents"] == 4
    assert named.conceded is not None
    assert (named.conceded["incidents_in_scope"], named.conceded["incidents_with_assessment"]) == (
        4,
        3,
    )
    assert named.ratio == {"min": 7.5, "max": 8.5}
    assert named.conceded["parties_matched"] == [A]
    # a part of a name that matches both parties says so: they are compared together
    both = tally(store, IncidentFilter.parse(belligerent="party"))
    assert both.conceded is not None and both.conceded["parties_matched"] == [A, B]
    assert both.conceded["incidents_in_scope"] == 6
    # a party named to the tally narrows the figures to its incidents
    assert tally(store, belligerent=A).totals == named.totals
    # breakdowns: children in C1 (1-2) and C3 (4, one end)
    assert t.breakdowns["children_killed"] == {"min": 5, "max": 6, "incidents_with_figure": 2}
    assert t.breakdowns["men_killed"]["incidents_with_figure"] == 0
    store.dispose()


def test_month_ticks_mark_time() -> None:
    months = months_between("2016-11", "2019-02")
    assert len(months) == 28 and months[2] == "2017-01"
    assert month_ticks(months) == [(2.0, "2017"), (14.0, "2018"), (26.0, "2019")]
    short = months_between("2017-06", "2017-10")
    assert month_ticks(short) == [(i + 0.5, m) for i, m in enumerate(short)]
