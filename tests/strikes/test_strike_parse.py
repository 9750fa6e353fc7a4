"""The release-line parser: place, number of strikes, (count, kind) targets."""

from __future__ import annotations

import pytest

from civcas.strikes.parse import number, parse_line, split_lines


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("one", 1),
        ("an", 1),
        ("12", 12),
        ("twenty-one", 21),
        ("seventeen", 17),
        ("two hundred", 200),
    ],
)
def test_number_words(text: str, n: int) -> None:
    assert number(text) == n


def test_issue_example() -> None:
    p = parse_line(
        "- Near Ar Raqqah, four strikes engaged three ISIL tactical units and destroyed two "
        "fighting positions, a vehicle and a VBIED."
    )
    assert p.problem is None
    assert (p.place, p.strikes) == ("Ar Raqqah", 4)
    got = [(t.action, t.count, t.kind) for t in p.targets]
    assert got == [
        ("engaged", 3, "tactical unit"),
        ("destroyed", 2, "fighting position"),
        ("destroyed", 1, "vehicle"),
        ("destroyed", 1, "vbied"),
    ]


def test_semicolon_clauses_and_damaged() -> None:
    p = parse_line(
        "Near Mosul, six strikes engaged two ISIL tactical units and a media center; destroyed "
        "five rocket rails, an ISIL-held building; damaged two T-walls; and suppressed "
        "another mortar system."
    )
    assert p.strikes == 6
    by = {(t.action, t.kind): t.count for t in p.targets}
    assert by[("engaged", "media center")] == 1
    assert by[("destroyed", "rocket rail")] == 5
    assert by[("damaged", "t-wall")] == 2
    assert by[("suppressed", "mortar system")] == 1


def test_variants() -> None:
    assert parse_line("- Near Kirkuk, an airstike struck an ISIL fighting position.").strikes == 1
    assert parse_line("- In Tikrit, 17 airstrikes struck an ISIL building").place == "Tikrit"
    assert parse_line("- Near Hit one strike destroyed an ISIL mortar.").place == "Hit"
    assert parse_line("Near Manbij, two separate strikes hit a unit.").strikes == 2
    assert parse_line("The coalition conducted strikes today.").problem is not None


def test_two_lines_in_one_cell() -> None:
    cell = (
        "- Near Hit, one strike engaged an ISIL tactical unit.         vNear Mosul, seven "
        "strikes engaged three ISIL tactical units."
    )
    parts = split_lines(cell)
    assert [parse_line(p).place for p in parts] == ["Hit", "Mosul"]
    assert [parse_line(p).strikes for p in parts] == [1, 7]
