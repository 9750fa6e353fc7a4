"""The published demo in Debian chromium, served by `python -m http.server`: every page
type loads in English and Arabic with no request off the machine and no console error;
the dashboard's numbers under a filter equal `civcas tally --json`; names are found in
another spelling and script."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
from serving import static_http_server

from civcas.publish import file_stem


@pytest.fixture(scope="module")
def static_server(pub_site: Path) -> Iterator[str]:
    with static_http_server(pub_site) as base:
        yield base


@pytest.fixture
def spage(chromium: object, static_server: str) -> Iterator[object]:
    """A page whose requests off the machine, console errors and failed requests fail the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    offsite: list[str] = []
    errors: list[str] = []

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname == "127.0.0.1":
            route.continue_()  # type: ignore[attr-defined]
        else:
            offsite.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", guard)
    p = context.new_page()
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield p
    context.close()
    assert offsite == [], f"requests off the machine: {offsite}"
    assert errors == [], f"console errors: {errors}"


PAGES = ["index.html", "map.html", "incidents.html", "incidents-2.html", "victims.html",
         "downloads.html", "methodology.html", f"incidents/{file_stem('CS327 TS005')}.html",
         f"incidents/{file_stem('../../x')}.html"]  # fmt: skip


@pytest.mark.parametrize("lang_dir", ["", "ar/"])
def test_every_page_loads(spage: object, static_server: str, lang_dir: str) -> None:
    p = spage
    for name in PAGES:
        p.goto(static_server + lang_dir + name, wait_until="networkidle")  # type: ignore[attr-defined]
        assert p.locator("html").get_attribute("lang") == (lang_dir.strip("/") or "en")  # type: ignore[attr-defined]
        assert p.locator("#site-stamp code").first.inner_text()  # type: ignore[attr-defined]
        if name in ("index.html", "map.html"):
            p.wait_for_selector("#map[data-loaded]", timeout=15000)  # type: ignore[attr-defined]
            assert int(p.get_attribute("#map", "data-loaded")) > 400  # type: ignore[attr-defined]
    # the language switch leads to the other language's page of the same incident
    p.goto(static_server + lang_dir + PAGES[-2])  # type: ignore[attr-defined]
    p.click("#lang-switch")  # type: ignore[attr-defined]
    other = "ar/" if lang_dir == "" else ""
    assert p.url == static_server + other + PAGES[-2]  # type: ignore[attr-defined]


def test_map_popup_opens_the_published_incident(spage: object, static_server: str) -> None:
    p = spage
    p.goto(static_server + "map.html")  # type: ignore[attr-defined]
    p.wait_for_selector("#map[data-loaded]")  # type: ignore[attr-defined]
    for _ in range(12):  # zoom into a cluster until a single marker shows
        markers = p.locator(".leaflet-marker-icon.pin")  # type: ignore[attr-defined]
        if markers.count():
            break
        p.locator(".marker-cluster").first.click()  # type: ignore[attr-defined]
        p.wait_for_timeout(400)  # type: ignore[attr-defined]
    p.locator(".leaflet-marker-icon.pin").first.click()  # type: ignore[attr-defined]
    p.locator("a.open-incident").click()  # type: ignore[attr-defined]
    p.wait_for_selector("#incident")  # type: ignore[attr-defined]
    assert "/incidents/" in p.url and p.url.endswith(".html")  # type: ignore[attr-defined]


FILTERS = [
    {"from": "2017-07-01", "to": "2017-08-15"},
    {"grades": "Confirmed,Fair", "belligerent": "coalition"},
    {"governorate": "Raqqa", "to": "2017-06-30"},
    {"near": "35.95,39.01,3"},
]


@pytest.mark.parametrize("lang_dir", ["", "ar/"])
@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: urlencode(f))
def test_static_dashboard_equals_the_tally(
    spage: object, static_server: str, pub_db: str, flt: dict[str, str], lang_dir: str
) -> None:
    civcas = Path(sys.executable).with_name("civcas")
    args = [str(civcas), "--db", pub_db, "tally", "--json"]
    for k, v in flt.items():
        args += [f"--{k}", v]
    want = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    p = spage
    p.goto(static_server + lang_dir + "index.html?" + urlencode(flt))  # type: ignore[attr-defined]
    p.wait_for_selector("html[data-tallied]", timeout=15000)  # type: ignore[attr-defined]

    def attr(sel: str, name: str) -> str:
        return str(p.get_attribute(sel, name))  # type: ignore[attr-defined]

    def text(sel: str) -> str:
        return str(p.inner_text(sel)).strip()  # type: ignore[attr-defined]

    assert int(attr("#likely-deaths", "data-min")) == want["likely"]["killed_min"]
    assert int(attr("#likely-deaths", "data-max")) == want["likely"]["killed_max"]
    assert (
        text("#likely-deaths")
        == f"{want['likely']['killed_min']:,}–{want['likely']['killed_max']:,}"
    )
    c = want["conceded"]
    if c is None:  # no single party named: no comparison card
        assert p.locator("#conceded-deaths").count() == 0  # type: ignore[attr-defined]
        assert p.locator("#no-single-party").is_visible()  # type: ignore[attr-defined]
    else:
        assert int(attr("#conceded-deaths", "data-min")) == c["deaths_min"]
        assert int(attr("#conceded-deaths", "data-max")) == c["deaths_max"]
        r = want["ratio_likely_to_conceded"]
        assert attr("#ratio", "data-min") == str(r["min"])
        assert attr("#ratio", "data-max") == str(r["max"])
        assert f"{c['incidents_with_assessment']:,}" in text(".figure.ratio .sub")
    assert int(attr("#named-victims", "data-value")) == want["named_victims"]
    totals = p.locator("#totals > bdi").all_inner_texts()  # type: ignore[attr-defined]
    assert totals[0] == f"{want['incidents']:,}"
    assert totals[1] == f"{want['killed_min']:,}–{want['killed_max']:,}"
    assert totals[-1] == f"{want['incidents_unknown_count']:,}"
    for key, b in want["breakdowns"].items():
        assert int(attr(f"#breakdown-{key}", "data-incidents")) == b["incidents_with_figure"]
        assert text(f"#breakdown-{key} bdi") == f"{b['min']:,}–{b['max']:,}"
    rows = p.locator(".tables table").first.locator("tbody tr:not([hidden]) td:first-of-type")  # type: ignore[attr-defined]
    got = [int(x.replace(",", "")) for x in rows.all_inner_texts()]
    assert got == [v["incidents"] for v in want["by_grade"].values()]
    parties = p.locator("#by-belligerent tr.party:not([hidden])")  # type: ignore[attr-defined]
    shown = [
        (parties.nth(i).get_attribute("data-party"), int(parties.nth(i).get_attribute("data-known")),
         int(parties.nth(i).get_attribute("data-in-scope")))
        for i in range(parties.count())
    ]  # fmt: skip
    assert shown == [
        (
            b["belligerent"],
            b["conceded"]["incidents_with_assessment"],
            b["conceded"]["incidents_in_scope"],
        )
        for b in want["by_belligerent"]
    ]
    mine = p.evaluate("window.civcasTally.by_belligerent")  # type: ignore[attr-defined]
    assert mine == want["by_belligerent"]
    # the form shows the filter it answers
    for k, v in flt.items():
        if k not in ("grades", "near"):  # (the form has no field for near)
            assert p.input_value(f'#filters [name="{k}"]') == v  # type: ignore[attr-defined]
    # the whole record's title is not left over a filtered view (issue 19)
    assert p.locator("#scope-filtered").is_visible()  # type: ignore[attr-defined]
    assert not p.locator("#scope-title").is_visible()  # type: ignore[attr-defined]


def test_name_search_in_another_spelling_and_script(
    spage: object, static_server: str, pub_site: Path
) -> None:
    idx = json.loads((pub_site / "search/index.json").read_bytes())
    fx = {n: i for i, n in enumerate(idx["victim_fields"])}
    both = [v for v in idx["victims"] if v[fx["name"]] and v[fx["name_ar"]]]
    assert both, "the demo has victims named in both scripts"
    v = both[0]
    p = spage
    for lang_dir in ("", "ar/"):
        p.goto(static_server + lang_dir + "victims.html")  # type: ignore[attr-defined]
        # the Arabic name with a tatweel and a diacritic finds the victim
        arabic = v[fx["name_ar"]]
        typed = arabic[0] + "ـ" + arabic[1:] + "\u064e"
        p.fill("#victim-search", typed)  # type: ignore[attr-defined]
        p.locator("#filters button[type=submit]").click()  # type: ignore[attr-defined]
        p.wait_for_selector("#search-victims")  # type: ignore[attr-defined]
        found = p.locator("#search-victims .victim-name").all_inner_texts()  # type: ignore[attr-defined]
        assert v[fx["name"]] in found
        link = p.locator("#search-victims a").first  # type: ignore[attr-defined]
        link.click()
        p.wait_for_selector("#incident")  # type: ignore[attr-defined]
    # a Latin spelling of an Arabic-only name: Mohammed finds محمد (key of linkage's own reading)
    ar_only = [
        x for x in idx["victims"] if "محمد" in x[fx["name_ar"]] and "moham" not in x[fx["text"]]
    ]
    p.goto(static_server + "victims.html?q=Mohammed")  # type: ignore[attr-defined]
    p.wait_for_selector("#search-victims")  # type: ignore[attr-defined]
    n = int(p.get_attribute("html", "data-searched"))  # type: ignore[attr-defined]
    plain = [x for x in idx["victims"] if "mohammed" in x[fx["text"]]]
    assert n > len(plain)
    if ar_only:
        shown = p.locator("#search-victims .victim-name-ar").all_inner_texts()  # type: ignore[attr-defined]
        assert any("محمد" in s for s in shown)
    # an incident code with a space and a slash is found, and opens
    p.fill("#victim-search", "CS327 TS")  # type: ignore[attr-defined]
    p.locator("#filters button[type=submit]").click()  # type: ignore[attr-defined]
    p.locator("#search-incidents a", has_text="CS327 TS005").click()  # type: ignore[attr-defined]
    p.wait_for_selector("#incident")  # type: ignore[attr-defined]
