"""The dashboard in a real browser (issue 18): one row per party that assessed, each
compared over its own incidents with the coverage said in words; a reader picks one
party and gets its comparison, chart and coverage sentence; breakdowns say how many
incidents carry them.

Expected figures are counted here from the embedded demo file (plain json + gzip) and the
hand-built incidents of conftest.py, not by civcas's tally.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from typing import Any

import pytest

from civcas.io.demo import demo_path

pytestmark = pytest.mark.browser
COALITION = "US-led Coalition"


def _demo() -> list[dict[str, Any]]:
    with gzip.open(demo_path(), "rt", encoding="utf-8") as fh:
        incidents: list[dict[str, Any]] = json.load(fh)["incidents"]
    return incidents


def _ends(r: Any) -> tuple[int, int] | None:
    if not r or (r[0] is None and r[1] is None):
        return None
    lo, hi = r
    return (lo if lo is not None else hi), (hi if hi is not None else lo)


def expected() -> dict[str, Any]:
    """Per party: incidents naming it, those with its assessment, and (Coalition) the
    likely and conceded sums; plus the published hand-built WT-AR1 (Coalition, credible,
    Fair, 3-4 killed, 1-2 conceded; WT-HIDDEN1 is unpublished)."""
    in_scope: Counter[str] = Counter()
    known: Counter[str] = Counter()
    answered = {COALITION}  # WT-AR1: credible
    likely, conceded = [3, 4], [1, 2]
    children = 0
    for inc in _demo():
        names = {b["name"] for b in inc["belligerents"]}
        for n in names:
            in_scope[n] += 1
            statuses = {b["assessment"] for b in inc["belligerents"] if b["name"] == n}
            if statuses - {"none"}:
                known[n] += 1
            if statuses - {"none", "not_yet_assessed"}:
                answered.add(n)
        if inc["grade"] in ("Confirmed", "Fair") and COALITION in names:
            k = _ends(inc["killed"]) or (0, 0)
            likely = [likely[0] + k[0], likely[1] + k[1]]
        for b in inc["belligerents"]:
            if b["name"] == COALITION and b["assessment"] == "credible":
                c = _ends(b["deaths_conceded"]) or (0, 0)
                conceded = [conceded[0] + c[0], conceded[1] + c[1]]
        children += _ends(inc["children_killed"]) is not None
    in_scope[COALITION] += 1
    known[COALITION] += 1
    return {
        "in_scope": in_scope,
        "known": known,
        "answered": answered,
        "likely": likely,
        "conceded": conceded,
        "children_incidents": children,
    }


def test_rows_per_party_and_the_coverage_sentence(page: Any) -> None:
    want = expected()
    assessed = want["answered"]
    assert assessed == {COALITION}  # the demo: one row, the Coalition's
    page.goto("/")
    rows = page.locator("#by-belligerent tr.party")
    assert {rows.nth(i).get_attribute("data-party") for i in range(rows.count())} == assessed
    assert page.locator("#no-single-party").is_visible()
    assert page.locator("#conceded-deaths").count() == 0 and page.locator("#ratio").count() == 0
    n, k = want["in_scope"][COALITION], want["known"][COALITION]
    assert (n, k) == (548, 542)  # 547 demo incidents (541 assessed) + WT-AR1
    row = page.locator(f'#by-belligerent tr.party[data-party="{COALITION}"]')
    assert f"{k:,} of {n:,}" in row.inner_text()
    sentence = (
        f"{COALITION}'s own assessment is known for {k:,} of {n:,} incidents "
        "where it is a suspected party."
    )
    notes = page.locator("#by-belligerent .coverage-note").all_inner_texts()
    assert sentence in notes
    assert len(notes) == 1  # one party, below full coverage
    children = page.locator("#breakdown-children_killed")
    assert children.get_attribute("data-incidents") == str(want["children_incidents"])
    assert f"{want['children_incidents']:,} incidents give a figure" in children.inner_text()

    # the reader picks the Coalition: its comparison, chart and coverage sentence
    page.locator("#comparison-choose a", has_text=COALITION).click()
    page.wait_for_url("**/?*belligerent=*")
    lo, hi = want["likely"]
    clo, chi = want["conceded"]
    assert page.locator("#likely-deaths").inner_text() == f"{lo:,}–{hi:,}"
    assert page.locator("#conceded-deaths").inner_text() == f"{clo:,}–{chi:,}"
    assert page.locator("#ratio").inner_text() == f"{round(lo / clo, 2)}×–{round(hi / chi, 2)}×"
    assert page.locator("#coverage").inner_text() == sentence
    assert page.locator("#comparison-chart svg rect").count() > 5


def test_coverage_sentence_in_arabic(page: Any) -> None:
    want = expected()
    page.goto("/?lang=ar&belligerent=" + COALITION.replace(" ", "+"))
    text = page.locator("#coverage").inner_text()
    n, k = want["in_scope"][COALITION], want["known"][COALITION]
    assert f"{k:,}" in text and f"{n:,}" in text and "تقييم" in text


def test_downloads_say_how_the_totals_read_a_range(http: Any) -> None:
    """The download keeps a range as recorded and says how the totals read it; summed
    that way it gives the dashboard's totals."""
    page = http.get("/downloads").text
    assert 'id="ranges-note"' in page and "one end known" in page
    doc = http.get("/downloads/incidents.json").json()
    assert "one end known" in doc["civcas"]["ranges"]
    incs = doc["incidents"]
    lo = sum(i["killed_min"] if i["killed_min"] is not None else i["killed_max"] or 0 for i in incs)
    hi = sum(i["killed_max"] if i["killed_max"] is not None else i["killed_min"] or 0 for i in incs)
    s = http.get("/api/summary").json()
    assert (lo, hi) == (s["killed_min"], s["killed_max"])
