"""`civcas extract --into-db` takes a report's URL from its JSON: the same allowlist applies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from civcas.cli.main import cli

TEXT = "A US-led coalition airstrike killed 12 civilians in Raqqa on 16 August 2017."


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("javascript:fetch('/work')", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("https://example.org/report", "https://example.org/report"),
    ],
)
def test_extracted_report_url_goes_through_the_allowlist(
    tmp_path: Path, url: str, kept: str | None
) -> None:
    from civcas.store.drafts import list_drafts
    from civcas.store.engine import Store

    db = f"sqlite:///{tmp_path / 'x.db'}"
    f = tmp_path / "reports.json"
    f.write_text(json.dumps([{"id": "r1", "text": TEXT, "url": url}]))
    r = CliRunner().invoke(cli, ["--db", db, "extract", str(f), "--into-db"])
    assert r.exit_code == 0, r.output
    store = Store(db)
    drafts = list_drafts(store)
    store.dispose()
    assert len(drafts) == 1
    assert drafts[0]["url"] == kept
