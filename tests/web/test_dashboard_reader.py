"""The dashboard as a reader meets it (issue 19): a title that says what it covers and
what it counts, the snapshot it was computed from, filters to choose from (not to guess
the spelling of), cards whose text is never cut off, a comparison chart that shows the
matching incidents, and an estimate only beside the records and scope it was made from.

Expected parties, months and governorates are read here from the embedded demo file
(plain json + gzip), not from civcas's own queries.
"""

from __future__ import annotations

import calendar
import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from civcas.io.demo import demo_path

pytestmark = pytest.mark.browser
RUSSIA = "Russian Military"


def _demo() -> list[dict[str, Any]]:
    with gzip.open(demo_path(), "rt", encoding="utf-8") as fh:
        incidents: list[dict[str, Any]] = json.load(fh)["incidents"]
    return incidents


def _parties() -> set[str]:
    return {b["name"] for i in _demo() for b in i["belligerents"]}


def _text(page: Any, sel: str) -> str:
    return " ".join(page.locator(sel).inner_text().split())


def _options(page: Any, name: str) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        f"select[name={name}] option", "os => os.map(o => [o.value, o.textContent])"
    )


def test_title_names_the_scope_the_rule_and_the_snapshot(page: Any) -> None:
    demo = _demo()
    months = sorted(i["date_start"][:7] for i in demo if i["date_start"])
    first, last = (calendar.month_name[int(m[5:7])] for m in (months[0], months[-1]))
    (gov,) = {i["governorate_en"] for i in demo}  # the demo is one governorate
    page.goto("/?lang=en")
    title = _text(page, "#scope-title")
    assert f"{gov} governorate" in title and first in title and last in title
    assert "Confirmed or Fair" in title
    summary = page.request.get("/api/summary").json()
    assert _text(page, "#snapshot") == summary["snapshot_sha256"]
    assert _text(page, "#software-version").startswith("civcas ")
    assert page.locator("#snapshot").evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    # a party chosen: its name is in the title, as the strikes' author
    page.goto(f"/?belligerent={RUSSIA}")
    assert f"from {RUSSIA} strikes" in _text(page, "#scope-title")
    # grades chosen: the rule names them, not the likely grades
    page.goto("/?grades=Weak")
    assert "incidents graded Weak" in _text(page, "#scope-rule")
    # Arabic: the title in Arabic, with the records' own Arabic governorate name
    page.goto("/?lang=ar")
    (gov_ar,) = {i["governorate_ar"] for i in demo}
    ar_title = _text(page, "#scope-title")
    assert gov_ar in ar_title and gov not in ar_title


def test_filters_are_lists_of_the_datas_parties_and_governorates(page: Any) -> None:
    for path in ("/", "/incidents", "/map", "/victims", "/downloads"):
        page.goto(path + "?lang=en")
        assert page.locator("input[name=belligerent], input[name=governorate]").count() == 0
        assert {v for v, _ in _options(page, "belligerent")} - {""} == _parties(), path
        govs = {v for v, _ in _options(page, "governorate")} - {""}
        assert govs == {i["governorate_en"] for i in _demo()}, path
    page.goto("/?lang=ar")
    labels = [label for v, label in _options(page, "governorate") if v]
    assert labels and all("الرقة" in x and "Raqqa" not in x for x in labels)
    # the chosen party stays chosen, and an old free-text value is kept, not dropped
    page.goto(f"/?belligerent={RUSSIA}")
    assert page.locator("select[name=belligerent]").input_value() == RUSSIA
    page.goto("/?belligerent=Russia")
    assert page.locator("select[name=belligerent]").input_value() == "Russia"


def _overflowing(page: Any) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('#headline .figure, #headline .figure *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
            .map(e => (e.id || e.className || e.tagName) + ': ' + e.textContent.trim())"""
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("width", [1280, 820, 390])
def test_russia_filtered_cards_fit_and_chart_shows_the_incidents(
    page: Any, lang: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/?lang={lang}")
    page.select_option("select[name=belligerent]", RUSSIA)  # chosen from the list
    page.click("#filters button[type=submit]")
    page.wait_for_url(lambda u: "belligerent=" in u)
    summary = page.request.get(f"/api/summary?belligerent={RUSSIA.replace(' ', '+')}").json()
    assert summary["incidents"] > 0
    assert _overflowing(page) == []
    ratio = page.locator("#ratio")
    assert ratio.is_visible() and ratio.evaluate("e => e.scrollWidth <= e.clientWidth")
    # the comparison chart draws the matching incidents' deaths (any grade) ...
    heights = page.eval_on_selector_all(
        "#comparison-chart svg rect[height]",
        "rs => rs.map(r => parseFloat(r.getAttribute('height')))",
    )
    assert any(h > 0 for h in heights)
    assert page.locator("#comparison-chart .empty").count() == 0
    # ... and, likely and conceded both being 0, says so with the number that match
    if not summary["likely"]["killed_max"] and not summary["conceded"]["deaths_max"]:
        note = page.locator("#comparison-nothing").inner_text()
        assert f"{summary['incidents']:,}" in note or str(summary["incidents"]) in note


OVERLAP_CSV = "A,B,C,count\n1,0,0,120\n0,1,0,95\n0,0,1,80\n1,1,0,30\n1,0,1,25\n0,1,1,20\n1,1,1,9\n"


def test_an_estimate_from_another_record_or_scope_is_not_shown(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from civcas.cli.main import cli
    from civcas.io.demo import load_demo
    from civcas.store import Store
    from civcas.store.estimates import list_estimates, record_provenance, save_estimate
    from civcas.web import create_app

    url = f"sqlite:///{tmp_path}/est.db"
    store = Store(url)
    load_demo(store)
    client = TestClient(create_app(store, cache_ttl=0))
    # an unrelated table (Kosovo) estimated from a file and saved: never "the" estimate
    kosovo = tmp_path / "kosovo.csv"
    kosovo.write_text(OVERLAP_CSV, encoding="utf-8")
    run = CliRunner().invoke(cli, ["--db", url, "estimate", str(kosovo), "--save", "Kosovo"])
    assert run.exit_code == 0, run.output
    (saved,) = list_estimates(store)
    assert saved["result"]["provenance"] == {"source": "file", "file": "kosovo.csv"}
    assert client.get("/index.json").json()["estimate"] is None
    assert 'id="estimate"' not in client.get("/").text
    snapshot = client.get("/api/summary").json()["snapshot_sha256"]
    result = {"method": "log-linear MSE", "N": 4321.4, "ci95": [3900.0, 5100.0],
              "n_observed": 1234, "model": "[12][13]"}  # fmt: skip
    # from this record but another scope, or an older state of the records: not shown
    save_estimate(
        store, result, "Russia only", record_provenance({"belligerent": RUSSIA}, snapshot)
    )
    save_estimate(store, result, "stale", record_provenance({}, "0" * 64))
    assert client.get("/index.json").json()["estimate"] is None
    # this record, this scope, these records: shown, with its method and date ...
    save_estimate(store, {**result, "N": 2222.0}, "Raqqa lists", record_provenance({}, snapshot))
    shown = client.get("/index.json").json()["estimate"]
    assert shown["N"] == 2222.0 and shown["snapshot_sha256"] == snapshot
    html = client.get("/?lang=en").text
    card = html[html.index('id="estimate"') : html.index("</div>", html.index('id="estimate"'))]
    assert "2,222" in card and "log-linear MSE" in card
    made = re.search(r'id="estimate-made">([^<]*)<', card)
    assert made and shown["created_at"][:10] in made.group(1)
    # ... but not on a filtered view (it was not made from those incidents)
    assert 'id="estimate"' not in client.get("/", params={"grades": "Confirmed"}).text
    assert client.get("/index.json", params={"belligerent": RUSSIA}).json()["estimate"] is None
    store.dispose()
