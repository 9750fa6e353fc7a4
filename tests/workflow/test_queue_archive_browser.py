"""The work queue over the whole Syria archive in chromium (issue 24): paging reaches the
last page with every incident seen once, and the search finds an incident by code and
by place. Skips when ../shared is absent.

The expected codes and counts are read from the database with plain SQL (sqlite3), not
through civcas.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner
from serving import uvicorn_server
from wf_helpers import ADMIN, PASSWORD

from civcas.cli.main import cli
from civcas.store import Store
from civcas.workflow import accounts

pytestmark = pytest.mark.browser
ARCHIVE_INCIDENTS = 8114  # the Syria archive's incidents (docs, issue 24)


@pytest.fixture(scope="module")
def archive(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path
) -> Iterator[tuple[str, Path]]:
    """One import of the archive for the module (a few seconds), and a server over it."""
    tmp = tmp_path_factory.mktemp("archive")
    db = tmp / "syria.db"
    url = f"sqlite:///{db}"
    src = shared_data / "syrian-archive-airwars"
    r = CliRunner().invoke(cli, ["--db", url, "import", "airwars-archive", str(src)])
    assert r.exit_code == 0, r.output
    store = Store(url)
    accounts.add_user(store, ADMIN, "rita", "researcher", PASSWORD)
    store.dispose()
    with uvicorn_server(url, tmp) as base:
        yield base, db


def _sql(db: Path, q: str, *args: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(q, args).fetchall()
    finally:
        con.close()


def _logged_in(chromium: Any, base: str) -> Any:
    ctx = chromium.new_context(base_url=base)
    page = ctx.new_page()
    page.goto("/login")
    page.fill("#name", "rita")
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_url("**/work")
    return ctx, page


def _codes(page: Any) -> list[str]:
    return page.locator("#queue tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")


def test_paging_reaches_the_last_page_with_every_incident(chromium: Any, archive) -> None:
    base, db = archive
    in_db = {c for (c,) in _sql(db, "SELECT code FROM incident")}
    assert len(in_db) == ARCHIVE_INCIDENTS
    ctx, page = _logged_in(chromium, base)
    page.select_option("#limit", "500")
    page.select_option("#sort", "code")
    page.click("#search")
    page.wait_for_load_state()
    assert int(page.locator("#total").get_attribute("data-total")) == ARCHIVE_INCIDENTS
    pages = int(page.locator("#pageinfo").get_attribute("data-pages"))
    assert pages == -(-ARCHIVE_INCIDENTS // 500)
    seen: list[str] = []
    for n in range(1, pages + 1):
        assert int(page.locator("#pageinfo").get_attribute("data-page")) == n
        seen += _codes(page)
        nxt = page.locator("#pager-bottom a.next")
        if n < pages:
            nxt.click()
            page.wait_for_load_state()
        else:
            assert nxt.count() == 0  # the last page has no next
    assert len(seen) == ARCHIVE_INCIDENTS and set(seen) == in_db
    assert int(page.locator("#total").get_attribute("data-last")) == ARCHIVE_INCIDENTS
    # "First" goes back; "Last" jumps to the page just walked to
    page.click("#pager-top a.first")
    page.wait_for_load_state()
    assert page.locator("#pageinfo").get_attribute("data-page") == "1"
    page.click("#pager-top a.last")
    page.wait_for_load_state()
    assert int(page.locator("#pageinfo").get_attribute("data-page")) == pages
    assert parse_qs(urlparse(page.url).query)["offset"] == [str((pages - 1) * 500)]
    ctx.close()


def test_search_finds_an_incident_by_code_and_by_place(chromium: Any, archive) -> None:
    base, db = archive
    ctx, page = _logged_in(chromium, base)
    page.fill("#q", "CS905")
    page.click("#search")
    page.wait_for_load_state()
    assert _codes(page) == ["CS905"]
    assert page.locator("#total").get_attribute("data-total") == "1"
    # by place: CS905's own place as the archive spells it; the rule, written out here:
    # every word is in the code, an alias, the place or the governorate (either script)
    rows = _sql(
        db,
        "SELECT code, location_en, location_ar, governorate_en, governorate_ar, date_start,"
        " (SELECT group_concat(alias, ' ') FROM incident_alias a WHERE a.incident_id = i.id)"
        " FROM incident i",
    )
    place, day = next((r[1], r[5]) for r in rows if r[0] == "CS905")
    assert place

    def matches(words: list[str]) -> set[str]:
        out = set()
        for code, *texts, date, aliases in rows:
            fields = [(x or "").lower() for x in (code, *texts, aliases)]
            if all(any(w.lower() in f for f in fields) or w == date for w in words):
                out.add(code)
        return out

    want = matches(place.split())
    page.fill("#q", place)
    page.select_option("#limit", "500")
    page.click("#search")
    page.wait_for_load_state()
    assert int(page.locator("#total").get_attribute("data-total")) == len(want) <= 500
    assert set(_codes(page)) == want and "CS905" in want
    # place and date together: CS905's place on its day
    on_day = matches([*place.split(), day])
    page.fill("#q", f"{place} {day}")
    page.click("#search")
    page.wait_for_load_state()
    assert set(_codes(page)) == on_day and "CS905" in on_day
    ctx.close()
