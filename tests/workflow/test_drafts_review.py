"""Drafted claims reviewed in chromium (issue 24): from /work/drafts into an existing
incident (a candidate by date and distance) and into a new one, each an audited
revision; the incident then carries the report (its SHA-256, computed here from the
file) and its history shows the step. Drafts come from the real ``civcas extract``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from serving import uvicorn_server
from wf_helpers import ADMIN, PASSWORD

from civcas.cli.main import cli
from civcas.model import CountRange, Incident, Place
from civcas.store import IncidentWriter, Store, history
from civcas.workflow import accounts

pytestmark = pytest.mark.browser
EN = (
    "Raqqa, 17 August 2017. A US-led coalition airstrike killed 12 civilians, including "
    "3 children, in the Daraiya neighbourhood of Raqqa on Wednesday, 16 August 2017."
)
AR = "مقتل ٧ مدنيين بينهم طفلان جراء غارة لطيران التحالف على حي المشلب في مدينة الرقة"
OTHER = "Aleppo, 3 March 2016. Shelling killed 5 civilians in the Bustan al-Qasr district."


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("drafts")
    url = f"sqlite:///{tmp / 'drafts.db'}"
    store = Store(url)
    with store.begin() as conn:  # incidents near Daraiya (Raqqa): the same day, and later
        w = IncidentWriter(conn, "test", None)
        for code, day, lat in (("NEAR-1", 16, 35.95), ("LATER-1", 25, 35.95), ("FAR-1", 16, 36.5)):
            w.add(
                Incident(
                    source_kind="test", source_id=code, code=code,
                    date_start=dt.date(2017, 8, day),
                    place=Place(name_en=f"{code} street", latitude=lat, longitude=38.99),
                    killed=CountRange(10, 14), raw={"code": code},
                )
            )  # fmt: skip
        w.flush()
        history.baseline(conn, "seed", "test records")
    accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)
    store.dispose()
    files = {"en.txt": EN, "ar.txt": AR, "other.txt": OTHER}
    for name, text in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    paths = [str(tmp / n) for n in files]
    r = CliRunner().invoke(cli, ["--db", url, "extract", *paths, "--into-db"])
    assert r.exit_code == 0, r.output
    sha = {n[:2]: hashlib.sha256((tmp / n).read_bytes()).hexdigest() for n in files}
    with uvicorn_server(url, tmp) as base:
        yield {"base": base, "sha": sha}


def _page(chromium: Any, base: str) -> tuple[Any, Any]:
    ctx = chromium.new_context(base_url=base)
    page = ctx.new_page()
    page.goto("/work/drafts")  # sent to log in, then back here
    page.fill("#name", "rita")
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_url("**/work/drafts")
    return ctx, page


def _api(page: Any, path: str) -> Any:
    r = page.request.get(path)
    assert r.ok, (path, r.status)
    return r.json()


def _open_draft(page: Any, source: str) -> int:
    source_cell = page.locator("td:nth-child(2)", has_text=re.compile(f"^{source}$"))
    row = page.locator("#drafts tbody tr").filter(has=source_cell)
    assert row.count() == 1, source
    row.locator("a").click()
    page.wait_for_load_state()
    return int(page.url.rsplit("/", 1)[1])


def test_a_drafted_claim_goes_into_an_existing_incident(chromium: Any, world) -> None:
    ctx, page = _page(chromium, world["base"])
    draft_id = _open_draft(page, "en")
    # side by side: the sentence with each field's span highlighted, the fields beside it
    marks = page.locator("#source-text mark")
    texts = marks.all_inner_texts()
    assert "12 civilians" in texts and "3 children" in texts and "Daraiya" in texts
    killed = page.locator("#source-text mark", has_text="12 civilians")
    assert killed.get_attribute("data-fields") == "civilians_killed"
    assert "12" in page.locator('#fields tr[data-field="civilians_killed"] .value').inner_text()
    # candidates: the same day's nearby incident first; the far one is not offered
    cands = page.locator("#candidates tbody tr").evaluate_all("rs => rs.map(r => r.dataset.code)")
    assert cands[0] == "NEAR-1" and "LATER-1" not in cands and "FAR-1" not in cands
    page.locator('#candidates tr[data-code="NEAR-1"] input[type=radio]').check()
    page.fill("#reason", "same strike, same street")
    page.click("#accept")
    page.wait_for_load_state()
    assert "Accepted into NEAR-1" in page.locator("#decision").inner_text()
    assert page.locator("#accept").count() == 0  # decided once
    page.click("#decided-incident")
    page.wait_for_url("**/work/incidents/NEAR-1")
    content = page.content()
    assert f"en (draft report {draft_id})" in content  # the report, now a source
    assert f"draft report {draft_id}: same strike, same street" in content  # its history
    inc = _api(page, "/api/workflow/incidents/NEAR-1")
    carried = [s for s in inc["sources"] if s["sha256"] == world["sha"]["en"]]
    assert len(carried) == 1 and carried[0]["date"] == "2017-08-17"
    assert inc["killed_min"] == 10  # the record's own figures are the researcher's to change
    revs = _api(page, "/api/workflow/incidents/NEAR-1/history")
    added = [r for r in revs if r["action"] == "source.add"]
    assert [(r["actor"], r["reason"]) for r in added] == [
        ("rita", f"draft report {draft_id}: same strike, same street")
    ]
    decided = _api(page, f"/api/workflow/drafts/{draft_id}")
    assert decided["status"] == "accepted" and decided["decision"]["incident"] == "NEAR-1"
    ctx.close()


def test_a_drafted_claim_becomes_a_new_incident(chromium: Any, world) -> None:
    ctx, page = _page(chromium, world["base"])
    _open_draft(page, "ar")
    assert page.locator("#source-text").get_attribute("dir") == "rtl"
    assert "٧ مدنيين" in page.locator("#source-text mark").all_inner_texts()
    page.check("#into-new")
    page.click("#accept")
    page.wait_for_load_state()
    page.click("#decided-incident")
    page.wait_for_load_state()
    code = page.url.rsplit("/", 1)[1]
    inc = _api(page, f"/api/workflow/incidents/{code}")
    assert (inc["killed_min"], inc["killed_max"]) == (7, 7)  # ٧ in the text
    assert inc["published"] is False  # a reviewer publishes it
    assert [s["sha256"] for s in inc["sources"]] == [world["sha"]["ar"]]
    actions = [r["action"] for r in _api(page, f"/api/workflow/incidents/{code}/history")]
    assert actions[0] == "incident.create" and "source.add" in actions
    # nothing of it is public
    assert httpx.get(f"{world['base']}/incidents/{code}.json").status_code == 404
    ctx.close()


def test_a_rejected_draft_changes_nothing(chromium: Any, world) -> None:
    ctx, page = _page(chromium, world["base"])
    before = _api(page, "/api/workflow/queue?limit=500")["total"]
    draft_id = _open_draft(page, "other")
    page.fill("#reason", "shelling report, not an airstrike")
    page.click("#reject")
    page.wait_for_load_state()
    assert page.locator("#decision").inner_text().startswith("Rejected by rita")
    got = _api(page, f"/api/workflow/drafts/{draft_id}")
    assert got["status"] == "rejected" and got["reviewed_by"] == "rita"
    assert got["decision"]["action"] == "draft.reject"
    assert got["decision"]["reason"] == "shelling report, not an airstrike"
    assert _api(page, "/api/workflow/queue?limit=500")["total"] == before
    page.goto("/work/drafts")  # none left to review
    assert page.locator("#none").count() == 1
    ctx.close()
