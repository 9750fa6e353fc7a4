"""Issue 15: the public interview list leaked non-consented interviews, exact place text,
staff names and sequential codes that reveal gaps.

Interviews are seeded with every value of the consent vocabulary, some linked to an
unpublished incident, each with an exact place, coordinates, an exact date, a sequential
code, staff names (interviewer, the account that entered it) and witness identities. The
public list is requested anonymously from the real app (``create_app``); the raw response
text is searched for every planted string, and only consented interviews linked to a
published incident may appear, as kind, month, the linked published incidents and their
governorate. The list must not change at all when interviews that are excluded (no
consent, or linked only to unpublished incidents) are added: no count leaks them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from wf_helpers import ADMIN, seed_incidents

from civcas.store import Store
from civcas.store import workflow as sw
from civcas.web import create_app
from civcas.workflow import Actor, editing, interviews, protected

PUBLIC_URL = "/api/workflow/public/interviews"
CONSENTED = sorted(k for k, v in interviews.CONSENT.items() if v == "yes")
NOT_CONSENTED = sorted(k for k, v in interviews.CONSENT.items() if v != "yes")
HIDDEN_PLACE, HIDDEN_GOV = "Hidden-U1-Place", "HiddenGovernorate-U1"


def planted(n: int, consent: str, day: int) -> dict[str, Any]:
    """One interview's values, every sensitive one unique and searchable."""
    return {
        "code": f"IV-{n:04d}",
        "kind": "interview" if n % 3 else "site_visit",
        "date": f"2017-07-{day:02d}",
        "place": f"Exact-Place-{n} behind the bakery",
        "latitude": round(35.95678 + n / 10_000, 6),
        "longitude": round(39.01234 + n / 10_000, 6),
        "interviewer": f"Interviewer-Staff-{n}",
        "witness_name": f"Witness-Name-{n}",
        "witness_contact": f"+963-555-{1000 + n}",
        "witness_latitude": round(35.97111 + n / 10_000, 6),
        "witness_longitude": round(39.02111 + n / 10_000, 6),
        "consent": consent,
        "notes": f"Notes-{n}-she-saw-the-second-strike",
    }


def needles(v: dict[str, Any], entered_by: str) -> list[str]:
    """What must never appear in the public view of ``v``."""
    return [
        v["code"],
        v["date"],
        v["place"],
        v["interviewer"],
        v["witness_name"],
        v["witness_contact"],
        v["notes"],
        entered_by,
        *(str(v[k]) for k in ("latitude", "longitude", "witness_latitude", "witness_longitude")),
        *(f"{v[k]:.2f}" for k in ("latitude", "longitude")),  # the old rounding
    ]


class World:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.n = 0
        self.secrets: list[str] = []
        self.expected: list[tuple[str, str, tuple[str, ...]]] = []  # kind, month, incidents

    def add(
        self,
        consent: str,
        incidents: list[str],
        *,
        victims: list[int] | None = None,
        public: bool = False,
    ) -> None:
        self.n += 1
        v = planted(self.n, consent, 1 + self.n % 28)
        who = Actor(f"Entered-By-Staff-{self.n}", "researcher")
        interviews.add(self.store, who, v, incidents=incidents, victims=victims)
        self.secrets += needles(v, who.name)
        if public:
            shown = tuple(sorted(c for c in incidents if c.startswith("T")))
            self.expected.append((v["kind"], v["date"][:7], shown))


@pytest.fixture
def world(store: Store) -> World:
    editing.create(
        store, ADMIN, {"location_en": HIDDEN_PLACE, "governorate_en": HIDDEN_GOV}, code="U1"
    )
    w = World(store)
    for consent in [*CONSENTED, *NOT_CONSENTED]:
        w.add(consent, ["T0"], public=consent in CONSENTED)  # published incident
        w.add(consent, ["U1"])  # unpublished incident only
    w.add("yes", ["T1", "U1"], public=True)  # listed, with T1 only
    w.add("yes", [], victims=[editing.get(store, ADMIN, "T2")["victims"][0]["id"]])
    w.add("yes", [])  # linked to nothing
    # a consent value written straight into the table (an old row, a restore) that is not
    # the vocabulary's canonical "yes" counts as no consent
    raw = planted(99, "oral", 3)
    with store.begin() as conn:
        iid = sw.insert_row(
            conn, sw.wf_interview, {**raw, "created_by": "Raw-Staff-99", "created_at": "x"}
        )
        t0 = sw.incident_ids(conn, ["T0"])["T0"]
        sw.insert_row(conn, sw.wf_interview_link, {"interview_id": iid, "incident_id": t0})
    w.secrets += needles(raw, "Raw-Staff-99")
    return w


def _body(store: Store) -> tuple[str, dict[str, Any]]:
    c = TestClient(create_app(store, cache_ttl=0))
    r = c.get(PUBLIC_URL)
    assert r.status_code == 200, r.text
    return r.text, r.json()


def _assert_clean(text: str, w: World, where: str) -> None:
    leaked = [s for s in w.secrets if s in text]
    assert not leaked, f"{where} leaked {leaked[:5]}"
    for s in (HIDDEN_PLACE, HIDDEN_GOV, '"U1"', "Place 0", "Place 1"):
        assert s not in text, f"{where} leaked {s!r}"
    # no internal ids or codes, no exact dates
    assert not re.search(r"IV-\d", text), where
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), where


def test_anonymous_list_only_consented_and_published(world):
    text, body = _body(world.store)
    _assert_clean(text, world, PUBLIC_URL)
    rows = body["interviews"]
    got = sorted((r["kind"], r["month"], tuple(r["incidents"])) for r in rows)
    assert got == sorted(world.expected)
    assert len(rows) == len(CONSENTED) + 1
    for r in rows:
        assert set(r) == {"kind", "month", "incidents", "governorates"}, r
        assert r["governorates"] == ["Raqqa"]  # the linked published incidents' level
        assert re.fullmatch(r"\d{4}-\d{2}", r["month"])


def test_staff_and_witness_fields_are_named_as_withheld(world):
    _, body = _body(world.store)
    manifest = body["withheld"]
    withheld = {w["field"] for w in manifest["withheld"]}
    for f in (
        "code",
        "interviewer",
        "created_by",
        "witness_name",
        "witness_contact",
        "witness_latitude",
        "witness_longitude",
        "latitude",
        "longitude",
        "place",
        "notes",
    ):
        assert f in withheld, f
    coarsened = {c["field"] for c in manifest["coarsened"]}
    assert {"date", "place"} <= coarsened


def test_excluded_interviews_change_nothing_public(world):
    """No count anywhere (per incident or in total) moves when an interview that is not
    shown is added: the manifest states rules, never how many were left out."""
    before, _ = _body(world.store)
    for consent in NOT_CONSENTED:
        world.add(consent, ["T0"])
        world.add(consent, ["T1", "T3"])
    world.add("yes", ["U1"])
    after, _ = _body(world.store)
    assert after == before
    world.add("yes", ["T3"], public=True)
    assert _body(world.store)[0] != before  # the check can see a change


def test_order_reveals_no_sequence(tmp_path):
    """The same interviews entered in another order give the same list, byte for byte."""
    texts = []
    for order in (range(8), reversed(range(8))):
        s = Store(f"sqlite:///{tmp_path / f'o{len(texts)}.db'}")
        seed_incidents(s)
        for n in order:
            v = planted(n, "yes", 1 + n)
            interviews.add(s, ADMIN, v, incidents=[f"T{n % 3}"])
        texts.append(_body(s)[0])
        s.dispose()
    assert texts[0] == texts[1]


def test_unpublishing_withdraws_interviews(world, users):
    editing.publish(world.store, users["reviewer"], "T0", False)
    _, body = _body(world.store)
    assert [r["incidents"] for r in body["interviews"]] == [["T1"]]


def test_public_export_files_are_clean(world, tmp_path):
    out = tmp_path / "out"
    manifest = protected.public_export(world.store, out)
    for p in out.iterdir():
        _assert_clean(p.read_text(encoding="utf-8"), world, p.name)
    rows = json.loads((out / "interviews.json").read_text(encoding="utf-8"))
    assert len(rows) == len(CONSENTED) + 1
    assert json.loads((out / "withheld.json").read_text(encoding="utf-8")) == manifest
    _, body = _body(world.store)
    assert rows == body["interviews"] and manifest == body["withheld"]
