"""Witness identities, contacts, exact places and notes never reach the public."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from wf_helpers import ADMIN

from civcas.web import create_app
from civcas.web.downloads import MEDIA
from civcas.workflow import accounts, editing, interviews, protected
from civcas.workflow.roles import Actor

SECRETS = {
    "witness_name": "Zaynab Qasimova-Witness",
    "witness_contact": "+963-555-0199",
    "witness_latitude": 35.951234,
    "witness_longitude": 39.012345,
    "notes": "NOTE-she-saw-the-second-strike",
    "interviewer": "Field Officer Kh-77",
}
NEEDLES = ["Zaynab", "555-0199", "35.951234", "39.012345", "NOTE-she-saw", "Kh-77"]


@pytest.fixture
def world(store):
    interviews.add(
        store,
        ADMIN,
        {
            "code": "IV-1",
            "kind": "interview",
            "place": "Raqqa old city",
            "latitude": 35.95678,
            "longitude": 39.01234,
            "consent": "yes",
            **SECRETS,
        },
        incidents=["T0", "T1"],
    )
    # an unpublished incident's interview is not even listed publicly
    editing.create(store, ADMIN, {"location_en": "Hidden"}, code="H1")
    interviews.add(
        store, ADMIN, {"code": "IV-2", "witness_name": "Zaynab Hidden"}, incidents=["H1"]
    )
    accounts.add_user(store, ADMIN, "res", "researcher", "vivid orchard lamp 42")
    return store


def _assert_clean(text: str, where: str) -> None:
    for n in NEEDLES:
        assert n not in text, f"{n!r} leaked in {where}"


def test_researcher_sees_protected_fields(world):
    r = interviews.get(world, Actor("res", "researcher"), "IV-1")
    assert r["witness_name"] == SECRETS["witness_name"] and r["notes"] == SECRETS["notes"]


def test_public_views_never_contain_them(world, tmp_path):
    app = create_app(world, cache_ttl=0)
    c = TestClient(app)
    paths = [
        "/",
        "/index.json",
        "/incidents",
        "/incidents.json",
        "/incidents/T0",
        "/incidents/T0.json",
        "/map",
        "/map.json",
        "/victims",
        "/victims.json",
        "/downloads",
        "/methodology",
        "/api/summary",
        "/api/incidents",
        "/api/incidents/T0",
        "/api/workflow/public/interviews",
        "/openapi.json",
    ]
    paths += [f"/downloads/incidents.{fmt}" for fmt in MEDIA]
    seen = 0
    for p in paths:
        r = c.get(p)
        assert r.status_code < 500, p
        if r.status_code == 200:
            seen += 1
            _assert_clean(r.text, p)
    assert seen >= len(MEDIA) + 5
    body = c.get("/api/workflow/public/interviews").json()
    assert [i["incidents"] for i in body["interviews"]] == [["T0", "T1"]]
    got = body["interviews"][0]
    # no code, no coordinates, no place text: the linked incidents' governorate
    assert set(got) == {"kind", "month", "incidents", "governorates"}
    assert got["governorates"] == ["Raqqa"]
    text = c.get("/api/workflow/public/interviews").text
    assert "Raqqa old city" not in text and "IV-1" not in text and "35.96" not in text
    withheld = {w["field"] for w in body["withheld"]["withheld"]}
    assert set(SECRETS) <= withheld
    # the protected endpoints refuse the public outright
    assert c.get("/api/workflow/interviews/IV-1").status_code == 401
    assert c.get("/api/workflow/interviews").status_code == 401


def test_public_export_writes_manifest_and_no_secrets(world, tmp_path):
    manifest = protected.public_export(world, tmp_path / "out")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["interviews.csv", "interviews.json", "withheld.json"]
    for p in (tmp_path / "out").iterdir():
        _assert_clean(p.read_text(encoding="utf-8"), p.name)
    assert json.loads((tmp_path / "out" / "withheld.json").read_text()) == manifest
    rows = json.loads((tmp_path / "out" / "interviews.json").read_text())
    assert len(rows) == 1 and rows[0]["incidents"] == ["T0", "T1"]


def test_core_exports_contain_no_protected_fields(world, tmp_path):
    export = pytest.importorskip("civcas.io.export")
    from civcas.model import IncidentFilter

    for fmt in export.FORMATS:
        out = tmp_path / f"x.{fmt}"
        with open(out, "w", encoding="utf-8") as fh:
            n = export.export(world, fmt, IncidentFilter(), fh)
        assert n > 0
        _assert_clean(out.read_text(encoding="utf-8"), fmt)
