"""schemathesis against the OpenAPI description of the workflow API: no server errors,
neither for the public nor for an admin (bounded examples, so it stays quick)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from wf_helpers import ADMIN, seed_incidents

from civcas.store import Store
from civcas.web import create_app
from civcas.workflow import accounts, interviews


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str]:
    tmp: Path = tmp_path_factory.mktemp("st")
    mp = pytest.MonkeyPatch()
    mp.setenv("CIVCAS_EVIDENCE_DIR", str(tmp / "ev"))
    store = Store(f"sqlite:///{tmp / 'st.db'}")
    seed_incidents(store, 4)
    accounts.add_user(store, ADMIN, "boss", "admin", "vivid orchard lamp 42")
    interviews.add(store, ADMIN, {"code": "IV0", "witness_name": "W"}, incidents=["T0"])
    token = accounts.create_token(store, ADMIN, "boss")
    yield create_app(store, cache_ttl=0), token
    mp.undo()


def test_no_server_errors(world: tuple[Any, str]) -> None:
    app, token = world
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(
        path_regex="^/api/workflow/"
    )
    ops = [r.ok() for r in schema.get_all_operations()]
    assert len(ops) >= 20
    failures: list[str] = []
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    for op, mode in [(o, m) for o in ops for m in modes]:  # noqa: B023 (run() runs in the loop)

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(
            max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case: Any) -> None:
            for headers in ({}, {"Authorization": f"Bearer {token}"}):
                if case.path.endswith("/login") and headers:
                    continue
                r = case.call(headers=headers)
                if r.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path}: {r.text[:300]}")

        try:
            run()
        except Unsatisfiable:
            # nothing can be made invalid (e.g. no parameters); only acceptable for negative
            assert mode is GenerationMode.NEGATIVE, op.label
    assert not failures, "\n".join(failures[:20])
