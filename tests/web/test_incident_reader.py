"""An incident page a reader understands (issue 19), in English and Arabic: the grade with
its definition and reason, statement links (archived copies said so), sources with their
hash and the team's web capture, victims with every spelling (Arabic names, and the
spellings linkage found, from published incidents only), interviews and site visits as
anonymised facts with no protected field, the place on a small map, aliases and revision.

Its own database: the demo, the hand-built incidents of conftest.py, one incident made
here with links, a source and its capture, and interviews whose protected fields carry
marker strings that must never reach the page or its JSON twin.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from reader_pages import assert_clean, watched_page
from serving import uvicorn_server
from sqlalchemy import insert, select

from civcas.model import (
    Assessment,
    BelligerentAssessment,
    CountRange,
    DatePrecision,
    Grade,
    Incident,
    LocationPrecision,
    Place,
    Source,
    SourceType,
    Statement,
    StrikeType,
    Victim,
)
from civcas.model.vocab import GRADE_DEFINITIONS
from civcas.store import IncidentWriter, Store
from civcas.store.linkage import person_record
from civcas.store.schema import incident, source, victim
from civcas.workflow import Actor, evidence, interviews

STAFF = Actor("staff-person-x", "admin")
STATEMENT_URL = "https://www.inherentresolve.mil/Portals/14/Documents/release-2018-05.pdf"
ARCHIVED_URL = "https://archive.ph/Xy12Q"
SOURCE_SHA = "ab" * 32
# everything an interview record holds that the public must never see
PROTECTED = {
    "code": "IV-SECRET-0042",
    "witness_name": "Hala Qasim Witness",
    "witness_contact": "+963-999-111-222",
    "witness_latitude": 35.83651,
    "witness_longitude": 38.54712,
    "notes": "NOTES-DO-NOT-PUBLISH house two doors down",
    "interviewer": "Field Officer Karim",
    "place": "Shelter in Tabqa camp",
    "latitude": 35.83377,
    "longitude": 38.54411,
}
EXACT_DATE = "2017-09-21"


def _reader_incident() -> Incident:
    return Incident(
        source_id="rd1",
        code="RD-1",
        source_kind="webtest",
        date_start=dt.date(2017, 9, 10),
        date_precision=DatePrecision.DAY,
        strike_type=StrikeType.AIR,
        place=Place(
            name_en="Raqqa",
            name_ar="الرقة",
            governorate_en="Raqqa",
            governorate_ar="الرقة",
            latitude=35.9506,
            longitude=39.0094,
            precision=LocationPrecision.TOWN,
        ),
        grade=Grade.CONFIRMED,
        grade_reason="The coalition conceded two civilian deaths in its May 2018 report.",
        killed=CountRange(2, 3),
        belligerents=[
            BelligerentAssessment(
                "US-led Coalition",
                assessment=Assessment.CREDIBLE,
                deaths_conceded=CountRange(2, 2),
                reasons=["strike acknowledged"],
            )
        ],
        statements=[
            Statement("US-led Coalition", dt.date(2018, 5, 31), STATEMENT_URL, None),
            Statement("US-led Coalition", dt.date(2018, 6, 28), ARCHIVED_URL, None),
        ],
        sources=[
            Source(
                url="https://example.org/raqqa-sept",
                publisher="Local witness network",
                type=SourceType.LOCAL_MEDIA,
                title="Two killed in Raqqa",
                sha256=SOURCE_SHA,
            )
        ],
        victims=[Victim(name="Muhammad Abdallah Hussein", name_ar="محمد عبدالله حسين", age=35)],
        aliases=["RD-OLD-7"],
        raw={"id": "rd1"},
    )


def _linked_incident() -> Incident:
    """Another published incident whose victim linkage found to be the same person."""
    return Incident(
        source_id="rd2",
        code="RD-2",
        source_kind="webtest",
        date_start=dt.date(2017, 9, 10),
        place=Place(
            name_en="Al-Mashlab", governorate_en="Raqqa", latitude=35.952, longitude=39.045
        ),
        grade=Grade.FAIR,
        killed=CountRange(1, 2),
        victims=[Victim(name="Mohammed Abdullah al-Hussein", name_ar="محمد عبد الله الحسين")],
        raw={"id": "rd2"},
    )


def _hidden_incident() -> Incident:
    return Incident(
        source_id="rdh",
        code="RD-HIDDEN",
        source_kind="webtest",
        date_start=dt.date(2017, 9, 10),
        place=Place(name_en="Raqqa", governorate_en="Raqqa", latitude=35.95, longitude=39.0),
        grade=Grade.FAIR,
        killed=CountRange(1, 1),
        victims=[Victim(name="Unpublished Spelling Mhmd")],
        published=False,
        raw={"id": "rdh"},
    )


def _victim_id(conn: Any, code: str, name: str) -> int:
    return int(
        conn.execute(
            select(victim.c.id)
            .join(incident, incident.c.id == victim.c.incident_id)
            .where(incident.c.code == code, victim.c.name == name)
        ).scalar_one()
    )


@pytest.fixture(scope="module")
def reader_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from civcas.io.demo import load_demo

    tmp = tmp_path_factory.mktemp("reader")
    url = f"sqlite:///{tmp / 'reader.db'}"
    store = Store(url)
    load_demo(store)
    with store.begin() as conn:
        w = IncidentWriter(conn, "webtest", None)
        for inc in [_reader_incident(), _linked_incident(), _hidden_incident()]:
            w.add(inc)
        w.flush()
    with store.begin() as conn:
        mine = _victim_id(conn, "RD-1", "Muhammad Abdallah Hussein")
        other = _victim_id(conn, "RD-2", "Mohammed Abdullah al-Hussein")
        hidden = _victim_id(conn, "RD-HIDDEN", "Unpublished Spelling Mhmd")
        src = conn.execute(
            select(source.c.id)
            .join(incident, incident.c.id == source.c.incident_id)
            .where(incident.c.code == "RD-1")
        ).scalar_one()
        # a linkage run joined the three records into one person
        rows = [
            (mine, "Muhammad Abdallah Hussein", "محمد عبدالله حسين"),
            (other, "Mohammed Abdullah al-Hussein", "محمد عبد الله الحسين"),
            (hidden, "Unpublished Spelling Mhmd", ""),
        ]
        conn.execute(
            insert(person_record),
            [
                {
                    "run_id": 1,
                    "person_id": "P-1",
                    "record_id": f"victim-{vid}",
                    "list": "webtest",
                    "unique_id": f"webtest-victim-{vid}",
                    "name": n,
                    "name_ar": a,
                }
                for vid, n, a in rows
            ],  # fmt: skip
        )
    capture = tmp / "capture.html"
    capture.write_text("<html><body>Two killed in Raqqa</body></html>")
    evidence.add(store, STAFF, capture, source_id=src, kind="web_capture", url=None)
    interviews.add(
        store,
        STAFF,
        {**PROTECTED, "kind": "interview", "date": EXACT_DATE, "consent": "yes"},
        incidents=["RD-1", "RD-2"],
    )
    interviews.add(
        store,
        STAFF,
        {"code": "IV-SITE-1", "kind": "site_visit", "date": "2017-11-02", "consent": "yes",
         "notes": "NOTES-DO-NOT-PUBLISH crater", "interviewer": "Field Officer Karim"},
        incidents=["RD-1"],
    )  # fmt: skip
    interviews.add(  # no consent: never listed, not even as a fact
        store,
        STAFF,
        {"code": "IV-NOCONSENT", "kind": "site_visit", "date": "2017-12-05", "consent": "no"},
        incidents=["RD-1"],
    )
    store.dispose()
    return url


@pytest.fixture(scope="module")
def reader_server(reader_db: str) -> Iterator[str]:
    with uvicorn_server(reader_db) as base:
        yield base


def _leaks(text: str) -> list[str]:
    found = [f"{k}={v}" for k, v in PROTECTED.items() if str(v) in text]
    for word in ("staff-person-x", "Tabqa", EXACT_DATE, "IV-SITE-1", "IV-NOCONSENT", "2017-12"):
        if word in text:
            found.append(word)
    if "Unpublished Spelling" in text:
        found.append("a spelling from an unpublished incident")
    return found


def test_incident_page_html_and_json(reader_server: str, reader_db: str) -> None:
    # the marker strings are in the database, for those allowed to read them
    store = Store(reader_db)
    full = interviews.get(store, STAFF, str(PROTECTED["code"]))
    store.dispose()
    assert {k: full[k] for k in PROTECTED} == PROTECTED
    with httpx.Client(base_url=reader_server, timeout=30) as http:
        en = http.get("/incidents/RD-1", params={"lang": "en"}).text
        ar = http.get("/incidents/RD-1", params={"lang": "ar"}).text
        twin = http.get("/incidents/RD-1.json")
        old = http.get("/incidents/RD-OLD-7")  # an alias opens the incident
    for text in (en, ar, twin.text):
        assert _leaks(text) == []
    assert old.status_code == 200 and "RD-1" in old.text
    assert GRADE_DEFINITIONS[Grade.CONFIRMED] in en
    assert "قبِل الطرف المتحارب المسؤولية" in ar  # the Arabic definition
    assert "conceded two civilian deaths" in en
    # the statement, linked; the archived copy said to be one
    assert f'href="{STATEMENT_URL}"' in en and f'href="{ARCHIVED_URL}"' in en
    assert "archived copy" in en and "نسخة مؤرشفة" in ar
    # the source's hash and the team's capture (hash and day), never the file's path
    assert SOURCE_SHA[:16] in en
    inc = twin.json()["incident"]
    cap = inc["sources"][0]["captures"]
    assert len(cap) == 1 and re.fullmatch(r"[0-9a-f]{64}", cap[0]["sha256"])
    assert cap[0]["sha256"][:16] in en
    # the victims with every spelling: their own, and linkage's from published incidents
    assert "محمد عبدالله حسين" in ar and "محمد عبد الله الحسين" in en
    assert inc["victims"][0]["other_spellings"] == [
        {"name": "Mohammed Abdullah al-Hussein", "name_ar": "محمد عبد الله الحسين"}
    ]
    # field work: the consented interview and site visit, month and governorate only
    fw = inc["field_work"]
    assert sorted((f["kind"], f["month"]) for f in fw) == [
        ("interview", "2017-09"),
        ("site_visit", "2017-11"),
    ]
    assert [f["also"] for f in fw if f["kind"] == "interview"] == [["RD-2"]]
    assert set().union(*(set(f) for f in fw)) == {"kind", "month", "governorates", "also"}
    assert "A witness was interviewed about this incident · September" in en
    assert "The team visited the site · November" in en
    assert "أُجريت مقابلة مع شاهد" in ar and "زار الفريق موقع الحادثة" in ar
    # aliases and the revision
    assert "RD-OLD-7" in en and inc["version"] == 1 and inc["revised"]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_incident_page_in_the_browser(
    browser: Any, reader_server: str, artifacts: Path, lang: str
) -> None:
    with watched_page(browser, reader_server, viewport={"width": 1200, "height": 900}) as (p, w):
        p.goto(f"/incidents/RD-1?lang={lang}")
        p.wait_for_selector("#incident-map[data-loaded]")
        p.wait_for_selector("#incident-map path.precision-circle", state="attached")
        p.wait_for_timeout(300)
        p.screenshot(path=str(artifacts / f"incident-reader-{lang}.png"), full_page=True)
        definition = p.locator("#grade-definition").inner_text()
        want = GRADE_DEFINITIONS[Grade.CONFIRMED] if lang == "en" else "قبِل الطرف المتحارب"
        assert want in definition
        link = p.locator("#statements a.statement-link").first
        assert link.get_attribute("href") == STATEMENT_URL
        assert p.locator("#statements a.statement-link").count() == 2
        names = p.locator(".victim-name-ar").all_inner_texts()
        assert names == ["محمد عبدالله حسين"]
        facts = p.locator("#field-work li").all_inner_texts()
        assert len(facts) == 2
        month = "September" if lang == "en" else "أيلول"
        assert any(month in f for f in facts), facts
        # a town-level place: hollow marker at the centre, the town's circle, said in words
        pin = p.locator("#incident-map .leaflet-marker-icon.pin")
        assert "pin-centroid" in (pin.get_attribute("class") or "")
        assert "g-confirmed" in (pin.get_attribute("class") or "")
        assert p.locator("#place-precision").inner_text()
        body = p.content()
        assert _leaks(body) == []
        if lang == "ar":
            assert p.locator("html").get_attribute("dir") == "rtl"
        assert_clean(p, w)
