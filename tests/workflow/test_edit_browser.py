"""Issue 24 in a real browser (Debian chromium via Playwright) on the demo data: a
reviewer edits every editable field of CS905 (its belligerents as a list of
assessments, one changed and one added) and grades it; the public CSV download, the
JSON API and the public page then show exactly the new values, and nothing else in the
record changed (every other incident, every other field, every child row). A bad date
keeps the form filled and names the field; nothing is saved."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from serving import uvicorn_server
from wf_helpers import ADMIN, PASSWORD

from civcas.store import Store
from civcas.workflow import accounts

pytestmark = pytest.mark.browser
CODE = "CS905"

#: every field of the incident form, with its new value (typed as a person would)
FIELDS: dict[str, str] = {
    "date_start": "2017-06-03",
    "date_end": "2017-06-04",
    "date_precision": "range",
    "location_en": "Al Sabahiya farms",
    "location_ar": "مزارع السباهية",
    "governorate_en": "Ar-Raqqa",
    "governorate_ar": "محافظة الرقة",
    "country": "Syrian Arab Republic",
    "latitude": "35.9601",
    "longitude": "38.9702",
    "location_precision": "town",
    "strike_type": "drone",
    "strike_status": "likely",
    "summary": "Two strikes on a farmhouse; a second family was inside.",
    "url": "https://example.org/cs905-follow-up",
    "killed_min": "2",
    "killed_max": "5",
    "injured_min": "1",
    "injured_max": "3",
    "children_killed_min": "0",
    "children_killed_max": "1",
    "women_killed_min": "1",
    "women_killed_max": "2",
    "men_killed_min": "1",
    "men_killed_max": "2",
}
SELECTS = {"date_precision", "location_precision", "strike_type", "strike_status"}
#: the stored assessment, every field changed; and a second party added
ROW0 = {
    "role": "suspected",
    "assessment": "non_credible",
    "deaths_conceded_min": "0",
    "deaths_conceded_max": "0",
    "injuries_conceded_min": "1",
    "injuries_conceded_max": "2",
    "reasons": "no strike at that place that day",
    "strike_report_url": "https://example.org/statement-905",
}
ROW1 = {"belligerent": "Russian Military", "assessment": "not_yet_assessed"}
INTS = {k for k in FIELDS if k.endswith(("_min", "_max"))}
FLOATS = {"latitude", "longitude"}


def typed(name: str, text: str) -> Any:
    """The value a field holds once saved (what the JSON API answers)."""
    if name in INTS or name.startswith(("deaths_", "injuries_")):
        return int(text)
    return float(text) if name in FLOATS else text


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from civcas.io.demo import load_demo

    tmp = tmp_path_factory.mktemp("editweb")
    url = f"sqlite:///{tmp / 'demo.db'}"
    store = Store(url)
    load_demo(store)
    accounts.add_user(store, ADMIN, "rex", "reviewer", PASSWORD)
    store.dispose()
    with uvicorn_server(url, tmp) as base:
        yield base


def _context(browser: Any, base: str, offsite: list[str]) -> Any:
    ctx = browser.new_context(base_url=base)

    def guard(route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    return ctx


def _login(page: Any) -> None:
    page.goto("/login")
    page.fill("#name", "rex")
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_load_state()
    page.goto(f"/work/incidents/{CODE}")
    assert page.locator("#code").inner_text() == CODE


def _snapshot(base: str) -> dict[str, Any]:
    """What the public sees: the CSV download, the JSON download, CS905 over the API."""
    with httpx.Client(base_url=base, timeout=60) as h:
        rows = list(csv.DictReader(io.StringIO(h.get("/downloads/incidents.csv").text)))
        full = h.get("/downloads/incidents.json").json()["incidents"]
        one = h.get(f"/api/incidents/{CODE}").json()
    return {
        "csv": {r["code"]: r for r in rows},
        "json": {i["code"]: i for i in full},
        "api": one,
    }


def _fill(page: Any, name: str, value: str) -> None:
    sel = f"#edit-{name}"
    if page.locator(sel).evaluate("e => e.tagName") == "SELECT":
        page.select_option(sel, value)
    else:
        page.fill(sel, value)


def test_every_field_edited_shows_exactly_and_nothing_else_changes(
    chromium: Any, server: str
) -> None:
    before = _snapshot(server)
    assert before["api"]["grade"] == "Confirmed" and len(before["api"]["belligerents"]) == 1
    offsite: list[str] = []
    ctx = _context(chromium, server, offsite)
    page = ctx.new_page()
    _login(page)
    # the form shows exactly what is stored: the assessment as a structure, no dump
    assert page.input_value("#edit-belligerents-0-belligerent") == "US-led Coalition"
    assert page.input_value("#edit-belligerents-0-assessment") == "credible"
    assert "incident_id" not in page.locator("#edit-form").inner_text()
    assert page.locator("#edit-form input[name=belligerents]").count() == 0  # no text dump
    for name, value in FIELDS.items():
        _fill(page, name, value)
    for name, value in ROW0.items():
        _fill(page, f"belligerents-0-{name}", value)
    for name, value in ROW1.items():
        _fill(page, f"belligerents-1-{name}", value)
    page.fill("#edit-reason", "re-read the two reports")
    page.click("#save")
    page.wait_for_url(f"**/work/incidents/{CODE}")
    # grade: no default (the empty choice is selected), and Fair with no source warns
    assert page.input_value("#grade-select") == ""
    page.select_option("#grade-select", "Fair")
    page.fill("#grade-reason", "two local sources, strike not conceded")
    page.click("#grade-submit")
    page.wait_for_url(f"**/work/incidents/{CODE}")
    assert page.locator("#grade").inner_text() == "Fair"
    assert page.locator('#warnings li[data-code="graded_without_source"]').count() == 1
    # the history says who changed what, before and after
    hist = page.locator("#history").inner_text()
    assert "killed_max: 1 → 5" in hist.replace("\n", " ")
    assert "belligerents: US-led Coalition · assessment: credible → non_credible" in hist
    assert "belligerents: Russian Military: (added)" in hist
    assert "rex" in hist and "re-read the two reports" in hist
    # the form shows the saved values
    for name, value in FIELDS.items():
        assert page.input_value(f"#edit-{name}") == value, name
    assert page.input_value("#edit-belligerents-1-belligerent") == "Russian Military"

    after = _snapshot(server)
    # -- the JSON API: exactly the new values
    want = dict(before["api"])
    want.update({k: typed(k, v) for k, v in FIELDS.items()})
    b0 = {**before["api"]["belligerents"][0], **{k: typed(k, v) for k, v in ROW0.items()}}
    b0["origin"] = "team"  # a person's row now: a re-import will not overwrite it
    b1 = {
        "belligerent": "Russian Military", "role": "suspected", "assessment": "not_yet_assessed",
        "deaths_conceded_min": None, "deaths_conceded_max": None, "injuries_conceded_min": None,
        "injuries_conceded_max": None, "reasons": None, "strike_report_url": None,
        "origin": "team", "withdrawn_import_id": None,
    }  # fmt: skip
    want.update(
        belligerents=[b0, b1],
        grade="Fair",
        grade_reason="two local sources, strike not conceded",
        assessment="non_credible",  # derived from the first assessment
        conceded_min=0,
        conceded_max=0,
        version=before["api"]["version"] + 2,  # one save, one grade
    )
    got = dict(after["api"])
    assert got.pop("updated_at") != want.pop("updated_at")
    # the belligerent's declared strikes near the place and day: looked up from the
    # date and place, which were edited; compared apart
    got.pop("declared_strikes"), want.pop("declared_strikes")
    assert got == want
    # -- the CSV download: the same values in CS905's row, every other row as it was
    row = after["csv"].pop(CODE)
    old = before["csv"].pop(CODE)
    assert after["csv"] == before["csv"]
    expect_row = {**old, **{k: v for k, v in FIELDS.items() if k in old}}
    expect_row.update(
        belligerents="US-led Coalition; Russian Military",
        grade="Fair",
        assessment="non_credible",
        conceded_min="0",
        conceded_max="0",
    )
    assert row == expect_row
    # -- the JSON download: every other incident, with all its child rows, unchanged
    after["json"].pop(CODE)
    before["json"].pop(CODE)
    assert after["json"] == before["json"]
    # -- the public page
    anon = _context(chromium, server, offsite).new_page()
    assert anon.goto(f"/incidents/{CODE}").status == 200
    text = anon.locator("main").inner_text()
    for v in ("Al Sabahiya farms", "Ar-Raqqa", "Two strikes on a farmhouse"):
        assert v in text
    assert anon.locator("#grade").inner_text() == "Fair"
    assert (
        "2" in anon.locator("#killed").inner_text() and "5" in anon.locator("#killed").inner_text()
    )
    cells = anon.locator("#assessments tbody tr").all_inner_texts()
    assert len(cells) == 2 and "Russian Military" in cells[1]
    assert "no strike at that place that day" in cells[0]
    assert "incident_id" not in anon.content() and "[{" not in text
    ctx.close()
    assert offsite == []


def test_a_bad_date_keeps_the_form_and_names_the_field(chromium: Any, server: str) -> None:
    offsite: list[str] = []
    ctx = _context(chromium, server, offsite)
    page = ctx.new_page()
    _login(page)
    version = page.locator("#version").inner_text()
    # a browser without a date picker: the field is plain text, and people type 20/08/2017
    page.locator("#edit-date_start").evaluate("e => { e.type = 'text'; }")
    page.fill("#edit-date_start", "20/08/2017")
    page.fill("#edit-location_en", "typed, not lost")
    page.select_option("#edit-strike_type", "artillery")
    page.fill("#edit-belligerents-0-reasons", "typed reasons")
    page.fill("#edit-reason", "a reason typed too")
    with page.expect_response(lambda r: r.url.endswith("/edit")) as resp:
        page.click("#save")
    assert resp.value.status == 422
    page.wait_for_load_state()
    assert page.locator("#edit-errors").is_visible()
    err = page.locator("#edit-date_start-error")
    assert err.is_visible() and "YYYY-MM-DD" in err.inner_text()
    # the error is beside its field: inside the field's own label
    assert page.locator("label[for=edit-date_start] #edit-date_start-error").count() == 1
    assert page.input_value("#edit-date_start") == "20/08/2017"
    assert page.input_value("#edit-location_en") == "typed, not lost"
    assert page.input_value("#edit-strike_type") == "artillery"
    assert page.input_value("#edit-belligerents-0-reasons") == "typed reasons"
    assert page.input_value("#edit-reason") == "a reason typed too"
    assert page.locator("#version").inner_text() == version  # nothing saved
    # corrected, it saves
    page.fill("#edit-date_start", "2017-06-02")  # on or before the end date (06-04)
    page.click("#save")
    page.wait_for_url(f"**/work/incidents/{CODE}")
    assert page.input_value("#edit-location_en") == "typed, not lost"
    assert page.locator("#version").inner_text() == str(int(version) + 1)
    ctx.close()
    assert offsite == []


def test_the_editor_in_arabic(chromium: Any, server: str) -> None:
    ctx = _context(chromium, server, [])
    page = ctx.new_page()
    _login(page)
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#save").inner_text() == "حفظ"
    assert page.locator("label[for=edit-date_start] .label").inner_text() == "تاريخ البدء"
    # the choice is still the stored value, its label in Arabic
    assert page.locator("#edit-strike_type option:checked").inner_text() != ""
    page.goto("/work")
    assert page.locator("html").get_attribute("dir") == "rtl"  # the choice is kept
    page.goto(f"/work/incidents/{CODE}?lang=en")
    assert page.locator("#save").inner_text() == "Save"
    ctx.close()


def test_several_parties_added_in_one_save(chromium: Any, server: str) -> None:
    """The page's script copies the empty box; two new parties are saved at once."""
    ctx = _context(chromium, server, [])
    page = ctx.new_page()
    page.goto("/login")
    page.fill("#name", "rex")
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_load_state()
    page.goto("/work/incidents/CS906")
    boxes = page.locator("#belligerents fieldset.assessment")
    n = boxes.count()  # the stored parties and one empty box
    page.click("#add-party")
    assert boxes.count() == n + 1
    page.select_option(f"#edit-belligerents-{n - 1}-belligerent", "SDF")
    page.select_option(f"#edit-belligerents-{n}-belligerent", "ISIS")
    page.select_option(f"#edit-belligerents-{n}-assessment", "none")
    page.fill(f"#edit-belligerents-{n}-reasons", "named by a witness")
    page.click("#save")
    page.wait_for_url("**/work/incidents/CS906")
    got = httpx.get(f"{server}/api/incidents/CS906").json()["belligerents"]
    assert [b["belligerent"] for b in got][-2:] == ["SDF", "ISIS"]
    assert got[-1]["reasons"] == "named by a witness"
    ctx.close()
