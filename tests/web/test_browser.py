"""The pages in a real browser (Debian's chromium via Playwright), as a reader uses them.

Every request off the machine fails the test (see the ``page`` fixture in conftest.py).
Screenshots of the dashboard and the map go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.browser


def _fmt(v: int) -> str:
    return f"{v:,}"


def test_dashboard_shows_the_headline_and_filters_apply(
    page: Any, http: httpx.Client, artifacts: Path
) -> None:
    s = http.get("/api/summary").json()
    page.goto("/")
    headline = page.locator("#likely-deaths")
    assert (
        headline.inner_text()
        == f"{_fmt(s['likely']['killed_min'])}–{_fmt(s['likely']['killed_max'])}"
    )
    # no party named: no overall ratio, one row per party (issue 18; the rows and the
    # coverage sentence are checked in test_dashboard_coverage.py)
    assert s["conceded"] is None and page.locator("#conceded-deaths").count() == 0
    assert page.locator("#by-belligerent tr.party").count() == len(s["by_belligerent"])
    assert page.locator("#monthly-chart svg rect").count() > 5
    page.wait_for_selector("#map[data-loaded]")
    page.wait_for_selector("#map path.leaflet-interactive, #map svg path", state="attached")
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)

    # a reader narrows to the summer and to Confirmed incidents
    page.fill("input[name=from]", "2017-07-01")
    page.fill("input[name=to]", "2017-08-31")
    page.check("input[name=grades][value=Confirmed]")
    page.click("form#filters button[type=submit]")
    page.wait_for_url("**/?*from=2017-07-01*")
    f = {"from": "2017-07-01", "to": "2017-08-31", "grades": "Confirmed"}
    sf = http.get("/api/summary", params=f).json()
    assert sf["likely"]["killed_max"] < s["likely"]["killed_max"]
    assert page.locator("#likely-deaths").inner_text() == (
        f"{_fmt(sf['likely']['killed_min'])}–{_fmt(sf['likely']['killed_max'])}"
    )
    # the filter lives in the URL and follows the reader to the other pages
    page.click("header nav a[href^='/incidents']")
    assert "grades=Confirmed" in page.url
    assert page.locator(".showing").first.inner_text().endswith(f"{sf['incidents']}")
    grades = set(page.locator("#incident-list td .grade").all_inner_texts())
    assert grades == {"Confirmed"}


def test_open_an_incident_from_the_map(page: Any, artifacts: Path) -> None:
    page.goto("/map")
    page.wait_for_selector("#map[data-loaded]")
    page.wait_for_selector("#map .marker-cluster, #map .pin")
    page.wait_for_timeout(400)
    page.screenshot(path=str(artifacts / "map.png"), full_page=True)
    # zoom in through clusters until single markers show, as a reader would
    for _ in range(25):
        if page.locator("#map .leaflet-marker-icon.pin").count():
            break
        page.locator("#map .marker-cluster").first.click()
        page.wait_for_timeout(450)
    pin = page.locator("#map .leaflet-marker-icon.pin").first
    code = pin.get_attribute("title")
    assert code
    pin.click()
    link = page.locator(".leaflet-popup a.open-incident")
    link.wait_for()
    link.click()
    page.wait_for_url("**/incidents/**")
    assert page.locator("h1").inner_text().startswith(code)
    assert page.locator("#killed").inner_text()


def test_incidents_sort_and_page(page: Any, http: httpx.Client) -> None:
    page.goto("/incidents")
    page.click("#incident-list thead a:has-text('Killed')")
    page.wait_for_url("**sort=killed_max**")
    page.click("#incident-list thead a:has-text('Killed')")
    page.wait_for_url("**sort=-killed_max**")
    top = http.get("/api/incidents", params={"sort": "-killed_max", "limit": 1}).json()
    assert (
        page.locator("#incident-list tbody tr td a").first.inner_text()
        == top["incidents"][0]["code"]
    )
    page.click("nav.pager a[rel=next] >> nth=0")
    page.wait_for_url("**offset=50**")
    assert page.locator(".showing").first.inner_text().startswith("Showing 51–100")


def test_arabic_interface_and_names(page: Any, artifacts: Path) -> None:
    page.goto("/incidents/WT-AR1")
    page.click("#lang-switch")
    page.wait_for_url("**lang=ar**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("header nav a").first.inner_text() == "لوحة المعلومات"
    name = page.locator(".victim-name-ar").first
    assert name.inner_text() == "محمد عبد الله الحسين"
    assert name.get_attribute("dir") == "rtl"
    # the RTL layout: the navigation starts at the right-hand side
    brand = page.locator("header .brand").bounding_box()
    assert brand["x"] > 640
    # the choice persists (cookie) on the next page, without the parameter
    page.goto("/victims")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#victim-search", "فاطمة")
    page.click("form#filters button[type=submit]")
    page.wait_for_url("**q=**")
    assert page.locator("#victim-list .victim-name-ar").all_inner_texts() == ["فاطمة الحسين"]
    page.goto("/")
    page.wait_for_selector("#map[data-loaded]")
    assert "الوفيات المدنية المرجّحة" in page.locator("#headline").inner_text()
    page.screenshot(path=str(artifacts / "dashboard-ar.png"), full_page=True)
    page.click("#lang-switch")
    assert page.locator("html").get_attribute("dir") == "ltr"


def test_every_page_loads(page: Any) -> None:
    for path, text in (
        ("/methodology", "Grade definitions"),
        ("/downloads", "Data snapshot"),
        ("/victims", "Victims"),
        ("/incidents/WT-AR1", "Al-Mashlab"),
    ):
        resp = page.goto(path)
        assert resp.status == 200, path
        assert text in page.locator("main").inner_text(), path
    assert (
        page.locator("#sources a").first.get_attribute("href") == "https://example.org/raqqa-report"
    )
    assert "Two credible local sources" in page.locator("#grade-reason").inner_text()
