"""The printed report as a newsroom would publish it (issue 19), read from the PDF itself.

Expected figures come from `civcas tally --json` (another command), the expected title
from the issue's own wording; the PDF is read with PDFium (text, page sizes, character
boxes) and page 1 of the Arabic edition is saved as a PNG under test-artifacts/.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from civcas import __version__

pdfium = pytest.importorskip("pypdfium2")

SCOPE = ["--governorate", "Raqqa", "--belligerent", "US-led Coalition", "--from", "2017-06-01",
         "--to", "2017-10-31"]  # fmt: skip
TITLE = "Civilian harm from US-led Coalition strikes in Raqqa governorate, June–October 2017"
A4 = (595, 842)
LETTER = (612, 792)
CHROMIUM = Path("/usr/bin/chromium")


def _cli(db: str, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "civcas.cli.main", "--db", db, *args],
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc


def _report(db: str, out: Path, *extra: str) -> tuple[str, Any]:
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed")
    _cli(db, "report", *extra, "-o", str(out), "--pdf")
    return out.read_text(encoding="utf-8"), pdfium.PdfDocument(str(out.with_suffix(".pdf")))


def _pages(pdf: Any) -> list[str]:
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in re.split(r"[\r\n]+", text) if ln.strip()]


@pytest.fixture(scope="module")
def tally(web_db: str) -> dict[str, Any]:
    return dict(json.loads(_cli(web_db, "tally", *SCOPE, "--json").stdout))


@pytest.fixture(scope="module")
def english(web_db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any]:
    return _report(web_db, tmp_path_factory.mktemp("en") / "raqqa.html", *SCOPE)


@pytest.fixture(scope="module")
def arabic(web_db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any]:
    return _report(web_db, tmp_path_factory.mktemp("ar") / "raqqa-ar.html", *SCOPE, "--lang", "ar")


def test_page_one_names_the_scope_and_credits_airwars(english: tuple[str, Any]) -> None:
    _, pdf = english
    first = " ".join(_lines(_pages(pdf)[0]))
    assert TITLE in first
    assert "Airwars" in first and "https://airwars.org" in first
    # the credit is not only in the small print at the end any more
    assert first.index("Airwars") < first.index("Headline figures")


def test_pages_are_numbered_and_a4(english: tuple[str, Any]) -> None:
    _, pdf = english
    n = len(pdf)
    assert 2 <= n <= 12
    for i, text in enumerate(_pages(pdf), start=1):
        assert f"page {i} of {n}" in text
        w, h = pdf[i - 1].get_size()
        assert (round(w), round(h)) == A4


def test_headline_figures_are_not_broken(english: tuple[str, Any], tally: dict[str, Any]) -> None:
    html, pdf = english
    lk = tally["likely"]
    c = tally["conceded"]
    wanted = [
        f"{lk['killed_min']:,}–{lk['killed_max']:,}",
        f"{c['deaths_min']:,}–{c['deaths_max']:,}",
    ]
    lines = _lines(_pages(pdf)[0])
    for figure in wanted:
        assert any(figure in ln for ln in lines), (figure, lines[:30])
    assert "white-space: nowrap" in html


def test_headings_are_kept_with_their_text(english: tuple[str, Any]) -> None:
    _, pdf = english
    headings = {"Headline figures", "By suspected party", "Over time", "Where", "Tables",
                "Methodology", "Grades", "Counting rules", "Reproducibility"}  # fmt: skip
    for i, text in enumerate(_pages(pdf), start=1):
        last = _lines(text)[-1]
        assert last not in headings and not last.startswith("Appendix:"), (i, last)


def test_stamp_has_no_local_path(english: tuple[str, Any], web_db: str) -> None:
    html, pdf = english
    db_path = web_db.removeprefix("sqlite:///")
    text = html + "".join(_pages(pdf))
    assert db_path not in text and "--db" not in text and "/tmp/" not in text
    snapshot = re.search(r'id="snapshot">([0-9a-f]{64})<', html)
    assert snapshot and snapshot[1][:12] in _pages(pdf)[0]  # page 1 names the snapshot
    assert f"civcas {__version__}" in html
    assert "civcas report --from 2017-06-01 --to 2017-10-31 --belligerent" in html


def _appendix(html: str) -> list[tuple[str, int]]:
    """(code, killed max) of each appendix row ("?" read as 0)."""
    body = html.split('id="appendix"')[1].split("<tbody>")[1].split("</tbody>")[0]
    out = []
    for row in body.split("<tr>")[1:]:
        code = re.sub(r"<[^>]+>", "", row.split("</td>")[0])
        killed = re.search(r'<td class="n"><bdi dir="ltr">[^<]*?–([^<]*)</bdi>', row)
        assert killed, row
        out.append((code, 0 if killed[1] == "?" else int(killed[1].replace(",", ""))))
    return out


def test_appendix_is_the_largest_unless_asked(
    english: tuple[str, Any], web_db: str, tmp_path: Path, tally: dict[str, Any]
) -> None:
    listed = _appendix(english[0])
    assert len(listed) == 25
    out = tmp_path / "all.html"
    _cli(web_db, "report", *SCOPE, "--appendix", "-o", str(out))
    every = _appendix(out.read_text(encoding="utf-8"))
    assert len(every) == tally["incidents"]
    # the 25 listed are the 25 with the most deaths: none left out has more
    sizes = sorted((k for _, k in every), reverse=True)
    assert sorted((k for _, k in listed), reverse=True) == sizes[:25]
    assert {c for c, _ in listed} <= {c for c, _ in every}


def test_letter_paper(web_db: str, tmp_path: Path) -> None:
    _, pdf = _report(web_db, tmp_path / "letter.html", *SCOPE, "--paper", "letter")
    assert {(round(p.get_size()[0]), round(p.get_size()[1])) for p in pdf} == {LETTER}


def _flush(pdf: Any, page: int, arabic: bool) -> tuple[int, int]:
    """(lines flush right, lines flush left) among page lines of one script."""
    tp = pdf[page].get_textpage()
    width = pdf[page].get_size()[0]
    lines: dict[int, list[tuple[float, float]]] = {}
    for i in range(tp.count_chars()):
        ch = tp.get_text_range(i, 1)
        is_ar = bool(ch) and ("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff")
        if not ch.strip() or is_ar != arabic or (not arabic and not ch.isalpha()):
            continue
        left, bottom, right, _ = tp.get_charbox(i)
        lines.setdefault(round(bottom), []).append((left, right))
    right_edge = [max(r for _, r in v) for v in lines.values() if len(v) >= 4]
    left_edge = [min(x for x, _ in v) for v in lines.values() if len(v) >= 4]
    return (sum(r > width - 70 for r in right_edge), sum(x < 70 for x in left_edge))


def test_arabic_edition_right_to_left(
    arabic: tuple[str, Any], english: tuple[str, Any], artifacts: Path
) -> None:
    html, pdf = arabic
    assert '<html lang="ar" dir="rtl">' in html
    first = _pages(pdf)[0]
    assert len(re.findall(r"[\u0600-\u06ff\ufb50-\ufeff]", first)) > 200  # Arabic glyphs
    assert "Noto Naskh Arabic" in html
    flush_right, flush_left = _flush(pdf, 0, arabic=True)
    assert flush_right >= 5 and flush_right > 2 * flush_left, (flush_right, flush_left)
    en_right, en_left = _flush(english[1], 0, arabic=False)
    assert en_left > 2 * en_right, (en_left, en_right)  # the check tells the two apart
    # the headline figures read left to right inside the Arabic page
    assert re.search(r'id="likely-deaths"[^>]*>[\d,]+–[\d,]+<', html)
    image = pdf[0].render(scale=1.5).to_pil()
    image.save(artifacts / "report-ar-page1.png")
    assert image.size[0] > 800


def test_whole_archive_without_appendix_is_short(shared_data: Path, tmp_path: Path) -> None:
    archive = shared_data / "syrian-archive-airwars"
    if not archive.is_dir():
        pytest.skip("the Airwars archive is absent")
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    _cli(db, "import", "airwars-archive", str(archive))
    _, pdf = _report(db, tmp_path / "all.html")
    assert len(pdf) < 40
    assert "Airwars" in _pages(pdf)[0]


def test_month_labels_clear_the_legend() -> None:
    """The slanted month labels end above the legend row (they ran into it)."""
    from civcas.report.svg import monthly_chart

    cell = {"Fair": {"incidents": 1, "killed_min": 1, "killed_max": 2}}
    svg = monthly_chart({f"2017-{m:02d}": cell for m in range(1, 13)}, {})
    labels = re.findall(r'rotate\(-45 [\d.]+ ([\d.]+)\)">(\d{4}-\d{2})<', svg)
    legend_top = min(float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="10"', svg))
    assert len(labels) == 12
    digit = 0.64 * 13  # DejaVu Sans digits at the charts' 13 px
    for y, label in labels:
        assert float(y) + len(label) * digit * 0.71 < legend_top - 2, (y, label, legend_top)
