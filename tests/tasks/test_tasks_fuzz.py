"""schemathesis against the task API's OpenAPI description: no server errors for the
public, a volunteer or an admin, whatever the body (bounded examples)."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from civcas.store import Store
from civcas.tasks import service
from civcas.tasks.service import ItemIn
from civcas.web import create_app
from civcas.workflow import Actor, accounts

ADMIN = Actor("cli:test", "admin")
PASSWORD = "Euphrates-ledger-1917"


def test_task_api_has_no_server_errors(db_url):
    store = Store(db_url)
    for kind in ("report", "locate", "same-person", "image"):
        service.ensure_campaign(store, ADMIN, kind, kind, k=2)
    service.add_items(store, ADMIN, "report", [ItemIn(f"r{i}", {"title": "t"}) for i in range(30)])
    service.add_items(
        store, ADMIN, "locate",
        [ItemIn(f"l{i}", {"candidates": [{"id": "a", "lat": 1, "lon": 2}]}) for i in range(30)],
    )  # fmt: skip
    service.add_items(
        store, ADMIN, "image", [ItemIn(f"i{i}", {"frames": [{"id": "0"}]}) for i in range(30)]
    )
    accounts.add_user(store, ADMIN, "vol", "volunteer", PASSWORD)
    accounts.add_user(store, ADMIN, "boss", "admin", PASSWORD)
    tokens = [accounts.create_token(store, ADMIN, n) for n in ("vol", "boss")]
    app = create_app(store, cache_ttl=0)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/tasks")
    ops = [r.ok() for r in schema.get_all_operations()]
    assert len(ops) >= 8
    failures: list[str] = []
    for op, mode in [
        (o, m) for o in ops for m in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]:

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(
            max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case: Any) -> None:
            for headers in ({}, *({"Authorization": f"Bearer {t}"} for t in tokens)):
                r = case.call(headers=headers)
                if r.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path}: {r.text[:300]}")

        try:
            run()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, op.label
    assert not failures, "\n".join(failures[:20])
