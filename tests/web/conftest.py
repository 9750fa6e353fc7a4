"""A real database (the embedded demo plus a few hand-built incidents), a real uvicorn
server on a free loopback port, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from serving import uvicorn_server

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
from civcas.store import IncidentWriter, Store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ARABIC_NAME = "محمد عبد الله الحسين"


def extra_incidents() -> list[Incident]:
    """Two incidents the demo lacks: Arabic-named victims, and one that is unpublished."""
    base = dict(
        source_kind="webtest",
        date_precision=DatePrecision.DAY,
        strike_type=StrikeType.AIR,
        belligerents=[
            BelligerentAssessment(
                "US-led Coalition",
                assessment=Assessment.CREDIBLE,
                deaths_conceded=CountRange(1, 2),
                reasons=["strike acknowledged"],
            )
        ],
    )
    ar = Incident(
        source_id="ar1",
        code="WT-AR1",
        date_start=dt.date(2017, 9, 3),
        place=Place(
            name_en="Al-Mashlab",
            name_ar="المشلب",
            governorate_en="Raqqa",
            governorate_ar="الرقة",
            latitude=35.952,
            longitude=39.045,
            precision=LocationPrecision.NEIGHBOURHOOD,
        ),
        grade=Grade.FAIR,
        grade_reason="Two credible local sources and a coalition strike nearby.",
        killed=CountRange(3, 4),
        victims=[
            Victim(name="Mohammed Abdullah al-Hussein", name_ar=ARABIC_NAME, age=34),
            Victim(name="Fatima al-Hussein", name_ar="فاطمة الحسين", age=9),
        ],
        sources=[
            Source(
                url="https://example.org/raqqa-report",
                publisher="Raqqa is Being Slaughtered Silently",
                type=SourceType.LOCAL_MEDIA,
                title="Civilians killed in al-Mashlab",
            )
        ],
        statements=[Statement("US-led Coalition", dt.date(2018, 1, 5), None, "Assessed credible.")],
        raw={"id": "ar1"},
        **base,  # type: ignore[arg-type]
    )
    hidden = Incident(
        source_id="hidden1",
        code="WT-HIDDEN1",
        date_start=dt.date(2017, 8, 1),
        place=Place(name_en="Raqqa", governorate_en="Raqqa", latitude=35.95, longitude=39.01),
        grade=Grade.CONFIRMED,
        killed=CountRange(500, 600),
        published=False,
        raw={"id": "hidden1"},
        **base,  # type: ignore[arg-type]
    )
    return [ar, hidden]


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from civcas.io.demo import load_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    store = Store(url)
    load_demo(store)
    with store.begin() as conn:
        w = IncidentWriter(conn, "webtest", None)
        for inc in extra_incidents():
            w.add(inc)
        w.flush()
    store.dispose()
    return url


@pytest.fixture(scope="session")
def server(web_db: str) -> Iterator[str]:
    """Base URL of a real uvicorn serving civcas.web.asgi:app over ``web_db``."""
    with uvicorn_server(web_db) as base:
        yield base


@pytest.fixture(scope="session")
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def browser(chromium: object) -> object:
    return chromium


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A fresh page whose every request off the machine fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)  # type: ignore[attr-defined]
    offsite: list[str] = []

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            offsite.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", guard)
    errors: list[str] = []
    p = context.new_page()
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    context.close()
    assert offsite == [], f"requests off the machine: {offsite}"
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def hand_built() -> list[Incident]:
    """The hand-built incidents (fresh objects), for tests with their own database."""
    return extra_incidents()
