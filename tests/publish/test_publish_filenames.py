"""The file-name rule: injective, reversible, and never a path outside its folder."""

from __future__ import annotations

import re

import pytest

from civcas.publish import code_of, file_stem, incident_file

SAFE = re.compile(r"^[A-Z0-9_~a-f-]+$")
CODES = [
    "CS327 TS005", "CS327_20TS005", "CS327", "cs327", "Cs327", "../../x", "..", ".", "a/b",
    "a_2fb", "/etc/passwd", "x.json", "x", "X", "CON", "con", "NUL", "COM1", "CON1",
    "غارة/٢", "محمد", "Ω", "e\u0301", "\u00e9", "a\x00b", "a\\b", "%2e%2e", "~", "-", "_",
    "A B", "A  B", "A\tB", "😀", "RS2053", "S1129/2",
]  # fmt: skip


def test_known_examples() -> None:
    assert file_stem("CS327 TS005") == "CS327_20TS005"
    assert file_stem("a/b") == "_61_2f_62"
    assert file_stem("../../x") == "_2e_2e_2f_2e_2e_2f_78"
    assert file_stem("CON") == "_43ON"
    assert incident_file("CS327 TS005") == "incidents/CS327_20TS005.html"


@pytest.mark.parametrize("code", CODES)
def test_safe_and_reversible(code: str) -> None:
    stem = file_stem(code)
    assert SAFE.match(stem), stem
    assert "/" not in stem and "." not in stem and "\\" not in stem
    assert stem.upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
    assert code_of(stem) == code


def test_injective_even_case_folded() -> None:
    stems = [file_stem(c) for c in CODES]
    assert len(set(stems)) == len(CODES)
    assert len({s.lower() for s in stems}) == len(CODES)  # a case-insensitive disk too


def test_long_codes_are_hashed_and_distinct() -> None:
    a, b = "X" * 300, "X" * 299 + "Y"
    sa, sb = file_stem(a), file_stem(b)
    assert len(sa) <= 150 and len(sb) <= 150 and sa != sb and "~" in sa
    assert code_of(sa) is None
    arabic = "محمد" * 40  # 8 bytes a letter pair when escaped
    assert len(file_stem(arabic)) <= 150


def test_empty_code_is_refused() -> None:
    with pytest.raises(ValueError):
        file_stem("")
