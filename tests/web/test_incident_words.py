"""Incident pages say field values in words, in both languages (issue 19: readers saw the
raw codes "insufficient_information", "day", "unknown")."""

from __future__ import annotations

import re

import httpx

RAW = ["insufficient_information", "air_or_artillery", "local_media", "non_credible"]


def _cells(html: str) -> list[str]:
    """The text of every <dd> and <td> (tags inside removed)."""
    cells = re.findall(r"<(?:dd|td)[^>]*>(.*?)</(?:dd|td)>", html, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_codes_in_words_english(http: httpx.Client) -> None:
    html = http.get("/incidents/CS1640", params={"lang": "en"}).text
    cells = _cells(html)
    assert "exact day" in cells and "not known" in cells  # date precision, strike type
    assert any("insufficient information" in c for c in cells)
    for code in ["day", "unknown", *RAW]:
        assert code not in cells, code
    assert not any("_" in c for c in cells if c and not c.startswith("http")), cells


def test_codes_in_words_arabic(http: httpx.Client) -> None:
    html = http.get("/incidents/CS1640", params={"lang": "ar"}).text
    cells = _cells(html)
    assert "يوم محدد" in cells and "غير معروف" in cells
    assert any("معلومات غير كافية" in c for c in cells)
    assert not any(code in c for c in cells for code in RAW)


def test_victims_and_sources_in_words(http: httpx.Client) -> None:
    en = http.get("/incidents/WT-AR1", params={"lang": "en"}).text
    assert "local media" in en and "local_media" not in en
    ar = http.get("/incidents/WT-AR1", params={"lang": "ar"}).text
    assert "إعلام محلي" in ar  # the source's type
    assert "قتيل" in _cells(ar)  # the victims' status
    assert "killed" not in _cells(ar)
