"""The JSON API and the pages' JSON twins, against the real server."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest

from civcas.web.i18n import LANGS, catalogue


def test_summary_filters_change_the_numbers(http: httpx.Client) -> None:
    everything = http.get("/api/summary").json()
    june = http.get("/api/summary", params={"from": "2017-06-01", "to": "2017-06-30"}).json()
    assert june["filter"] == {"from": "2017-06-01", "to": "2017-06-30"}
    assert 0 < june["incidents"] < everything["incidents"]
    assert set(june["by_month"]) == {"2017-06"}
    fair = http.get("/api/summary", params={"grades": "Fair"}).json()
    assert list(fair["by_grade"]) == ["Fair"]


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/summary", {"from": "2017-13-01"}, "from"),
        ("/api/summary", {"to": "yesterday"}, "to"),
        ("/api/summary", {"grades": "Confirmed,Likely"}, "grades"),
        ("/api/summary", {"from": "2017-09-01", "to": "2017-08-01"}, "to"),
        ("/api/summary", {"near": "1,2"}, "near"),
        ("/api/summary", {"form": "2017-01-01"}, "form"),
        ("/api/incidents", {"limit": "abc"}, "limit"),
        ("/api/incidents", {"limit": "0"}, "limit"),
        ("/api/incidents", {"offset": "-1"}, "offset"),
        ("/api/incidents", {"sort": "victims"}, "sort"),
        ("/incidents", {"sort": "victims"}, "sort"),
        ("/incidents.json", {"limit": "9999"}, "limit"),
        ("/", {"from": "June"}, "from"),
        ("/index.json", {"grades": "Maybe"}, "grades"),
        ("/victims.json", {"limit": "x"}, "limit"),
        ("/map.json", {"to": "2017-02-30"}, "to"),
        ("/downloads/incidents.csv", {"from": "2017/06/01"}, "from"),
        ("/", {"lang": "fr"}, "lang"),
    ],
)
def test_bad_parameter_is_400_naming_it(
    http: httpx.Client, path: str, params: dict[str, str], parameter: str
) -> None:
    r = http.get(path, params=params, headers={"Accept": "application/json"})
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["status"] == 400
    assert err["parameter"] == parameter
    assert parameter in err["message"]


def test_bad_parameter_on_a_page_is_an_html_400(http: httpx.Client) -> None:
    r = http.get("/incidents", params={"from": "2017-99-01"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")
    assert "from" in r.text and "YYYY-MM-DD" in r.text


def test_not_found_has_the_same_error_body(http: httpx.Client) -> None:
    r = http.get("/api/incidents/NO-SUCH-CODE")
    assert r.status_code == 404
    assert r.json()["error"]["status"] == 404
    assert http.get("/incidents/NO-SUCH-CODE").status_code == 404
    assert http.get("/no/such/page.json").json()["error"]["status"] == 404


def test_incident_list_pages_and_sorts(http: httpx.Client) -> None:
    first = http.get("/api/incidents", params={"limit": 10, "sort": "-killed_max"}).json()
    second = http.get(
        "/api/incidents", params={"limit": 10, "offset": 10, "sort": "-killed_max"}
    ).json()
    assert first["total"] == second["total"] == http.get("/api/summary").json()["incidents"]
    killed = [i["killed_max"] or 0 for i in first["incidents"] + second["incidents"]]
    assert killed == sorted(killed, reverse=True)
    codes = [i["code"] for i in first["incidents"] + second["incidents"]]
    assert len(set(codes)) == 20
    # the page's JSON twin, by suffix and by Accept, is the same list
    twin = http.get("/incidents.json", params={"limit": 10, "sort": "-killed_max"}).json()
    accept = http.get(
        "/incidents",
        params={"limit": 10, "sort": "-killed_max"},
        headers={"Accept": "application/json"},
    ).json()
    assert twin["incidents"] == accept["incidents"] == first["incidents"]


def test_one_incident_with_sources_victims_assessment(http: httpx.Client) -> None:
    inc = http.get("/api/incidents/WT-AR1").json()
    assert inc["location_ar"] == "المشلب"
    assert [v["name_ar"] for v in inc["victims"]][0] == "محمد عبد الله الحسين"
    assert inc["sources"][0]["url"] == "https://example.org/raqqa-report"
    assert inc["belligerents"][0]["assessment"] == "credible"
    assert inc["statements"][0]["text"] == "Assessed credible."
    assert "raw" not in inc and "id" not in inc


def test_unpublished_incidents_stay_private(http: httpx.Client) -> None:
    assert http.get("/api/incidents/WT-HIDDEN1").status_code == 404
    assert http.get("/incidents/WT-HIDDEN1").status_code == 404
    listed = http.get("/api/incidents", params={"limit": 500, "from": "2017-08-01",
                                                "to": "2017-08-01"}).json()  # fmt: skip
    assert "WT-HIDDEN1" not in [i["code"] for i in listed["incidents"]]
    points = http.get("/map.json").json()["points"]
    assert "WT-HIDDEN1" not in [p[0] for p in points]
    csv_text = http.get("/downloads/incidents.csv").text
    assert "WT-HIDDEN1" not in csv_text


def test_victim_search_arabic_and_latin(http: httpx.Client) -> None:
    ar = http.get("/victims.json", params={"q": "عبد الله", "limit": 500}).json()
    assert "WT-AR1" in [v["code"] for v in ar["victims"]]
    # any spelling, either script (issue 19): the Abdullahs written only in Latin letters too
    latin_only = [v["name"] for v in ar["victims"] if not v["name_ar"]]
    assert latin_only and sum("abdullah" in n.lower() for n in latin_only) >= 10
    latin = http.get("/victims.json", params={"q": "fatima al-hussein"}).json()
    assert "فاطمة الحسين" in [v["name_ar"] for v in latin["victims"]]
    for v in latin["victims"]:  # every one a Fatima and a Hussein, in either script
        name = (v["name"] or "").lower()
        assert v["name_ar"] == "فاطمة الحسين" or ("fatim" in name and "hus" in name), v


def test_downloads_match_the_filter(http: httpx.Client) -> None:
    params = {"grades": "Confirmed", "from": "2017-07-01"}
    n = http.get("/api/summary", params=params).json()["incidents"]
    r = http.get("/downloads/incidents.csv", params=params)
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == n and {row["grade"] for row in rows} == {"Confirmed"}
    assert (
        r.headers["x-civcas-snapshot"]
        == http.get("/api/summary", params=params).json()["snapshot_sha256"]
    )
    geo = http.get("/downloads/incidents.geojson", params=params).json()
    assert geo["type"] == "FeatureCollection" and 0 < len(geo["features"]) <= n
    full = http.get("/downloads/incidents.json", params=params).json()
    assert len(full["incidents"]) == n
    page = http.get("/downloads.json", params=params).json()
    assert page["snapshot_sha256"] == r.headers["x-civcas-snapshot"]
    assert set(page["methodology"]["grade_definitions"]) >= {"Confirmed", "Fair", "Weak"}


def test_openapi_describes_the_api(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    for path in ("/api/summary", "/api/incidents", "/api/incidents/{code}"):
        assert path in spec["paths"], path
    names = {p["name"] for p in spec["paths"]["/api/summary"]["get"]["parameters"]}
    assert {"from", "to", "belligerent", "governorate", "grades"} <= names


def test_a_key_defined_twice_is_refused() -> None:
    from civcas.web.i18n import _no_duplicates

    with pytest.raises(ValueError, match="'likely_deaths' is defined twice"):
        json.loads('{"likely_deaths": "a", "likely_deaths": "b"}', object_pairs_hook=_no_duplicates)


def test_catalogues_have_the_same_keys() -> None:
    keys = [set(catalogue(lang)) for lang in LANGS]
    assert all(k == keys[0] for k in keys)
    assert all(catalogue("ar")[k] for k in keys[0])


def test_pages_are_served_without_any_external_reference(http: httpx.Client) -> None:
    for path in ("/", "/map", "/incidents", "/victims", "/downloads", "/methodology",
                 "/incidents/WT-AR1"):  # fmt: skip
        html = http.get(path).text
        for attr in ('src="http', 'href="http', "url(http", "@import"):
            offending = [
                line for line in html.splitlines()
                if attr in line and "example.org" not in line and "airwars.org" not in line
            ]  # fmt: skip
            assert offending == [], (path, offending[:2])
    assert json.loads(http.get("/index.json").text)["summary"]["incidents"] > 500


def test_cached_figures_follow_the_data(tmp_path: object, hand_built: list[object]) -> None:
    """The app caches tallies per (filter, data version): a new incident shows at once."""
    from fastapi.testclient import TestClient

    from civcas.store import IncidentWriter, Store
    from civcas.web import create_app

    store = Store(f"sqlite:///{tmp_path}/cache.db")
    client = TestClient(create_app(store, cache_ttl=0))
    before = client.get("/api/summary").json()
    assert before["incidents"] == 0
    assert client.get("/index.json").json()["summary"] == before
    with store.begin() as conn:
        w = IncidentWriter(conn, "webtest", None)
        w.add(hand_built[0])  # type: ignore[arg-type]
        w.flush()
    after = client.get("/api/summary").json()
    assert after["incidents"] == 1 and after["snapshot_sha256"] != before["snapshot_sha256"]
    assert client.get("/index.json").json()["summary"] == after
    assert "WT-AR1" in client.get("/incidents").text


def test_estimate_is_shown_beside_the_documented_count(
    tmp_path: object, hand_built: list[object]
) -> None:
    estimates = pytest.importorskip("civcas.store.estimates")
    from fastapi.testclient import TestClient

    from civcas.model import IncidentFilter
    from civcas.report.html import build_report
    from civcas.store import IncidentWriter, Store
    from civcas.web import create_app

    store = Store(f"sqlite:///{tmp_path}/est.db")
    with store.begin() as conn:
        w = IncidentWriter(conn, "webtest", None)
        w.add(hand_built[0])  # type: ignore[arg-type]
        w.flush()
    client = TestClient(create_app(store, cache_ttl=0))
    assert client.get("/index.json").json()["estimate"] is None
    assert 'id="estimate"' not in client.get("/").text
    result = {"method": "log-linear MSE", "N": 4321.4, "ci95": [3900.0, 5100.0],
              "n_observed": 1234, "model": "[12][13]"}  # fmt: skip
    snapshot = client.get("/api/summary").json()["snapshot_sha256"]
    # made from this record's linked lists, whole record, these records (issue 19)
    estimates.save_estimate(store, result, "Raqqa lists", estimates.record_provenance({}, snapshot))
    est = client.get("/index.json").json()["estimate"]
    assert (est["N"], est["ci_lo"], est["ci_hi"], est["method"]) == (
        4321.4,
        3900.0,
        5100.0,
        "log-linear MSE",
    )
    html = client.get("/").text
    assert 'id="estimate"' in html and "4,321" in html and "3,900–5,100" in html
    assert "log-linear MSE" in html
    report = build_report(store, IncidentFilter(), "civcas report")
    assert 'id="estimate"' in report and "3,900–5,100" in report
