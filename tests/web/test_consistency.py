"""One set of numbers: dashboard, its JSON twin, /api/summary, the report, `civcas tally --json`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

FILTERS = [
    {},
    {"from": "2017-07-01", "to": "2017-09-30", "grades": "Confirmed,Fair,Weak"},
    {"belligerent": "US-led Coalition", "governorate": "Raqqa"},
]


def _cli(db: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "civcas.cli.main", "--db", db, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _flags(params: dict[str, str]) -> list[str]:
    return [x for k, v in params.items() for x in (f"--{k}", v)]


@pytest.mark.parametrize("params", FILTERS, ids=["all", "summer-graded", "coalition-raqqa"])
def test_every_view_shows_the_same_numbers(
    http: httpx.Client, web_db: str, tmp_path: Path, params: dict[str, str]
) -> None:
    cli = json.loads(_cli(web_db, "tally", "--json", *_flags(params)))
    api = http.get("/api/summary", params=params).json()
    twin = http.get("/index.json", params=params).json()["summary"]
    assert api == cli
    assert twin == cli

    # the dashboard page a person reads
    html = http.get("/", params=params).text
    likely = re.search(r'id="likely-deaths" data-min="(\d+)" data-max="(\d+)"', html)
    conceded = re.search(r'id="conceded-deaths" data-min="(\d+)" data-max="(\d+)"', html)
    named = re.search(r'id="named-victims" data-value="(\d+)">([\d,]+)<', html)
    assert likely and named
    assert (int(likely[1]), int(likely[2])) == (cli["likely"]["killed_min"],
                                                 cli["likely"]["killed_max"])  # fmt: skip
    if cli["conceded"] is None:  # no party named: no overall comparison (issue 18)
        assert conceded is None
    else:
        assert conceded and (int(conceded[1]), int(conceded[2])) == (
            cli["conceded"]["deaths_min"], cli["conceded"]["deaths_max"])  # fmt: skip
    rows = re.findall(r'<tr class="party" data-party="([^"]+)" data-known="(\d+)" '
                      r'data-in-scope="(\d+)"', html)  # fmt: skip
    assert rows == [(p["belligerent"], str(p["conceded"]["incidents_with_assessment"]),
                     str(p["conceded"]["incidents_in_scope"])) for p in cli["by_belligerent"]]  # fmt: skip
    assert int(named[2].replace(",", "")) == cli["named_victims"]
    shown = f"{cli['likely']['killed_min']:,}–{cli['likely']['killed_max']:,}"
    assert shown in html

    # the report
    out = tmp_path / "report.html"
    _cli(web_db, "report", *_flags(params), "-o", str(out))
    report = out.read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/json" id="civcas-summary">(.*?)</script>',
                         report, re.S)  # fmt: skip
    assert embedded and json.loads(embedded[1]) == cli
    assert shown in report
    r_likely = re.search(r'id="likely-deaths" data-min="(\d+)" data-max="(\d+)"', report)
    assert r_likely and (int(r_likely[1]), int(r_likely[2])) == (int(likely[1]), int(likely[2]))
    assert cli["snapshot_sha256"] in report
