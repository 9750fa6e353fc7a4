"""The work area's strike suggestions: JSON API and page (roles, CSRF, audited accept)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civcas.model.records import BelligerentAssessment, Incident, Place
from civcas.model.vocab import LocationPrecision
from civcas.store import IncidentWriter, Store
from civcas.strikes import import_strike_releases
from civcas.strikes.match import MatchSettings
from civcas.strikes.service import match_store, save_suggestions
from civcas.web import create_app
from civcas.workflow import accounts, editing
from civcas.workflow.roles import Actor

ADMIN = Actor("cli:test", "admin")
PW = "vivid orchard lamp 42"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'c.db'}")
    with s.begin() as conn:
        w = IncidentWriter(conn, "test", None)
        for i, (lat, lon) in enumerate([(35.95, 39.01), (33.3, 44.4)]):
            w.add(Incident("test", str(i), f"S{i}", dt.date(2016, 7, 10), place=Place(
                name_en=f"P{i}", latitude=lat, longitude=lon, precision=LocationPrecision.TOWN),
                belligerents=[BelligerentAssessment("US-led Coalition")]))  # fmt: skip
        w.finish()
    f = tmp_path / "r.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        wr = csv.writer(fh)
        wr.writerow(["date", "country", "location", "number", "line"])
        wr.writerow(["7/11/2016", "Syria", "Raqqa", "2", "Near Ar Raqqah, two strikes hit a unit."])
    import_strike_releases(s, f)
    results, _ = match_store(s, MatchSettings())
    assert save_suggestions(s, results, MatchSettings()) == 2
    for name, role in (("res", "researcher"), ("con", "contributor")):
        accounts.add_user(s, ADMIN, name, role, PW)
    return s


def login(c: TestClient, name: str) -> str:
    r = c.post("/api/workflow/login", json={"name": name, "password": PW})
    assert r.status_code == 200, r.text
    return str(r.json()["csrf"])


def test_api_roles_csrf_and_audited_accept(store: Store) -> None:
    app = create_app(store, cache_ttl=0)
    anon = TestClient(app)
    assert anon.get("/api/workflow/strikes/suggestions").status_code == 401
    con = TestClient(app)
    login(con, "con")
    assert con.get("/api/workflow/strikes/suggestions").status_code == 403
    c = TestClient(app)
    csrf = login(c, "res")
    rows = c.get("/api/workflow/strikes/suggestions").json()
    by = {r["code"]: r for r in rows}
    assert by["S0"]["suggested"] == "declared" and by["S0"]["status"] == "declared"
    assert by["S1"]["suggested"] == "none_declared" and by["S1"]["status"] is None
    url = f"/api/workflow/strikes/suggestions/{by['S0']['id']}/accept"
    assert c.post(url, json={}).status_code == 403  # no CSRF token
    r = c.post(url, json={"reason": "checked the release"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "accepted"
    assert editing.get(store, ADMIN, "S0")["strike_status"] == "declared"
    hist = editing.history(store, ADMIN, "S0")
    assert any((h.get("after") or {}).get("strike_status") == "declared" for h in hist)
    # a second decision is refused
    again = c.post(url, json={}, headers={"x-csrf-token": csrf})
    assert again.status_code == 409
    # none_declared proposes no status: accepting needs one
    url1 = f"/api/workflow/strikes/suggestions/{by['S1']['id']}/accept"
    assert c.post(url1, json={}, headers={"x-csrf-token": csrf}).status_code == 400
    bad = c.post(url1, json={"status": "bogus"}, headers={"x-csrf-token": csrf})
    assert bad.status_code == 400
    assert editing.get(store, ADMIN, "S1")["strike_status"] is None


def test_page_lists_and_rejects(store: Store) -> None:
    app = create_app(store, cache_ttl=0)
    c = TestClient(app)
    csrf = login(c, "res")
    page = c.get("/work/strikes")
    assert page.status_code == 200
    assert "strike-suggestions" in page.text and "<script" not in page.text
    assert 'style="' not in page.text
    rows = c.get("/api/workflow/strikes/suggestions").json()
    sid = next(r["id"] for r in rows if r["code"] == "S1")
    r = c.post(f"/work/strikes/{sid}/reject", data={"csrf_token": csrf, "reason": "no"},
               follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    done = c.get("/api/workflow/strikes/suggestions?state=rejected").json()
    assert [d["code"] for d in done] == ["S1"] and done[0]["decided_by"] == "res"
    assert editing.get(store, ADMIN, "S1")["strike_status"] is None
    anon = TestClient(app).get("/work/strikes", follow_redirects=False)
    assert anon.status_code in (303, 401)


def test_incident_page_dashboard_and_report_line(store: Store) -> None:
    from civcas.model.filters import IncidentFilter
    from civcas.report.html import build_report

    c = TestClient(create_app(store, cache_ttl=0))
    page = c.get("/incidents/S0")
    assert page.status_code == 200 and 'id="declared-strikes"' in page.text
    assert "Ar Raqqah" in page.text
    twin = c.get("/api/incidents/S0").json()
    assert [m["place"] for m in twin["declared_strikes"]] == ["Ar Raqqah"]
    assert c.get("/api/incidents/S1").json()["declared_strikes"] == []  # Baghdad: too far
    dash = c.get("/index.json").json()["declared_strikes"]
    assert (dash["alleged"], dash["declared"]) == (2, 1)
    html = c.get("/").text
    assert 'id="declared-strikes"' in html and 'id="strikes-chart"' in html
    assert "<script>" not in html
    report = build_report(store, IncidentFilter(), "civcas report")
    assert 'id="declared-strikes"' in report and "Of 2 alleged incidents" in report


def test_other_direction(store: Store, tmp_path: Path) -> None:
    from civcas.strikes import monthly, unalleged

    f = tmp_path / "more.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        wr = csv.writer(fh)
        wr.writerow(["date", "country", "location", "number", "line"])
        # the whole release of 7/11 again (a line's key is its position in its release)
        wr.writerow(["7/11/2016", "Syria", "Raqqa", "2", "Near Ar Raqqah, two strikes hit a unit."])
        wr.writerow(["7/11/2016", "Syria", "Manbij", "3", "Near Manbij, three strikes hit a unit."])
        wr.writerow(["8/20/2016", "Syria", "Raqqa", "1", "Near Ar Raqqah, one strike hit a unit."])
    import_strike_releases(store, f)
    got = unalleged(store)
    # Raqqa on 7/10 has an allegation; Manbij (about 150 km away) and Raqqa on 8/19 do not
    assert sorted((r["place"], r["strike_date"]) for r in got) == [
        ("Ar Raqqah", "2016-08-19"),
        ("Manbij", "2016-07-10"),
    ]
    months = {m["month"]: m for m in monthly(store)}
    assert months["2016-07"]["strikes"] == 5 and months["2016-07"]["alleged"] == 2
    assert months["2016-08"]["strikes"] == 1 and months["2016-08"]["alleged"] == 0
