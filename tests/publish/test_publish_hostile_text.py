"""Attack: text from a source (a victim's name, a place) that is markup reaches the static
site's client-side search and pages as text, never as HTML (the static host sends no
CSP header, so escaping is the only defence there)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import static_http_server
from sqlalchemy import text

from civcas.store.engine import Store

NAME = '<img src=x onerror="window.__pwned=1">Zzyzxqv'
PLACE = "<svg onload=window.__pwned=2>Qwpxtown"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from civcas.io.demo import load_demo
    from civcas.model.filters import IncidentFilter
    from civcas.publish import publish_static

    tmp = tmp_path_factory.mktemp("hostile")
    store = Store(f"sqlite:///{tmp / 'demo.db'}")
    load_demo(store)
    with store.begin() as conn:
        inc = conn.execute(text("SELECT incident_id FROM victim ORDER BY id LIMIT 1")).scalar()
        conn.execute(
            text("UPDATE victim SET name = :n WHERE id = (SELECT MIN(id) FROM victim)"), {"n": NAME}
        )
        conn.execute(
            text("UPDATE incident SET location_en = :p, row_digest = NULL WHERE id = :i"),
            {"p": PLACE, "i": inc},
        )
    out = tmp / "site"
    publish_static(store, out, IncidentFilter(), langs=("en",))
    store.dispose()
    with static_http_server(Path(out)) as base:
        yield base


def test_markup_in_names_and_places_stays_text(chromium: object, hostile_site: str) -> None:
    context = chromium.new_context()  # type: ignore[attr-defined]
    p = context.new_page()
    try:
        p.goto(hostile_site + "victims.html")
        p.fill("#victim-search", "Zzyzxqv")
        p.locator("#filters button[type=submit]").click()
        p.wait_for_selector("#search-victims")
        names = p.locator("#search-victims .victim-name").all_inner_texts()
        assert NAME in names  # shown as the text it is
        assert p.locator("#search-victims img").count() == 0
        assert p.evaluate("window.__pwned") is None
        # the incident the name belongs to, from the search result
        p.locator("#search-victims a").first.click()
        p.wait_for_selector("#incident")
        assert PLACE in p.locator("body").inner_text()
        assert p.locator("#incident svg[onload], #incident img[onerror]").count() == 0
        assert p.evaluate("window.__pwned") is None
        p.goto(hostile_site + "incidents.html?q=Qwpxtown")
        p.wait_for_load_state("networkidle")
        assert p.evaluate("window.__pwned") is None
    finally:
        context.close()
