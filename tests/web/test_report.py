"""The published report: self-contained, complete, reproducible; and its PDF."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from civcas import __version__


def _report(db: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "civcas.cli.main", "--db", db, "report", "--governorate",
         "Raqqa", "-o", str(out), *extra],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_report_is_self_contained_and_complete(web_db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    proc = _report(web_db, out)
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    # nothing is fetched: no external scripts, styles, images or fonts
    assert not re.search(r'<(script|img|link|iframe)[^>]+(src|href)="https?:', html)
    assert "url(http" not in html and "@import" not in html
    # headline, charts, map with outlines, tables, methodology, appendix, stamp
    for needle in ('id="headline"', "<svg", 'class="staticmap"', "By grade",
                   "By belligerent assessment", "By month", "Methodology", "Appendix",
                   f"civcas {__version__}", "report --governorate Raqqa"):  # fmt: skip
        assert needle in html, needle
    # monthly chart and map; the comparison chart needs one named party (issue 18): here
    # the per-party table stands in its place
    assert html.count("<svg") >= 2 and 'id="by-belligerent"' in html
    assert 'id="ratio"' not in html
    assert "<path d=" in html, "the static map has no country outlines (run make assets)"
    snapshot = re.search(r'id="snapshot">([0-9a-f]{64})<', html)
    assert snapshot
    # an appendix row links to the original record
    assert re.search(r'<a href="https://airwars\.org/[^"]+"[^>]*>CS\d+', html)
    assert "WT-HIDDEN1" not in html


def test_report_pdf(web_db: str, tmp_path: Path) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("chromium is not installed")
    out = tmp_path / "r.html"
    proc = _report(web_db, out, "--pdf")
    assert proc.returncode == 0, proc.stderr
    pdf = out.with_suffix(".pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000


def test_report_bad_filter_exits_1(web_db: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "civcas.cli.main", "--db", web_db, "report", "--from", "June",
         "-o", str(tmp_path / "x.html")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 1 and "'from'" in proc.stderr
