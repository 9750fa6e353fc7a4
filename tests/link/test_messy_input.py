"""Messy ages, dates and sexes are read (parsed or blanked, reported by value), or with
strict refused naming file, row and field."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.link.clean import parse_age, parse_date
from civcas.link.records import cleaning_summary, read_list
from civcas.model.errors import InputError

HEADER = "record_id,list,name,name_ar,sex,age,date_of_death,place\n"


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("34", 34.0),
        ("9.5", 9.5),
        ("٣٥", 35.0),
        ("3 months", 0.25),
        ("4 years", 4.0),
        ("four-years-old", 4.0),
        ("a year and a half", 1.5),
        ("1 year, 3 months", 1.25),
        ("53/54", 53.5),
        ("25-30", 27.5),
        ("13 or 14", 13.5),
        ("60s", 64.5),
        ("over 80", 80.0),
        ("A baby", 0.0),
        ("10 days", 10 / 365.25),
    ],
)
def test_ages_as_lists_write_them(text, years):
    got = parse_age(text)
    assert got.years == pytest.approx(years, abs=0.002), got


@pytest.mark.parametrize(
    "text", ["-1", "334", "1-10", "48 or 84", "12 (also reported as 50)", "adult"]
)
def test_unusable_ages_are_blank_with_a_reason(text):
    got = parse_age(text)
    assert got.years is None and got.how.startswith("blank"), got


def test_dates():
    assert parse_date("2017-06-05") == ("2017-06-05", "date")
    assert parse_date("05/06/2017")[0] == "2017-06-05"
    assert parse_date("2017-06-05T10:00:00")[0] == "2017-06-05"
    assert parse_date("June 2017")[0] is None


def _messy(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text(
        HEADER
        + "1,x,Ali,,m,-1,2017-01-01,\n2,x,Omar,,m,334,05/01/2017,\n3,x,Huda,,f,3 months,,\n"
        + "4,x,Sara,,female?,-1,not a date,\n5,x,Amal,,f,30,,\n",
        encoding="utf-8",
    )
    return p


def test_read_and_reported_by_value(tmp_path):
    df = read_list(_messy(tmp_path))
    assert list(df["age"]) == ["", "", "0.25", "", "30"]
    assert list(df["date_of_death"]) == ["2017-01-01", "2017-01-05", "", "", ""]
    assert list(df["sex"]) == ["m", "m", "f", "", "f"]
    rep = {(r["field"], r["value"]): r for r in df.attrs["cleaning"]}
    assert rep[("age", "-1")]["rows"] == 2 and rep[("age", "-1")]["first_row"] == 2
    assert rep[("age", "334")]["read_as"] == ""
    assert rep[("sex", "female?")]["first_row"] == 5
    assert ("age", "30") not in rep  # unchanged values are not reported
    text = "\n".join(cleaning_summary(df.attrs["cleaning"]))
    assert "m.csv: age: 4 rows" in text


def test_strict_refuses_naming_file_row_field(tmp_path):
    with pytest.raises(InputError) as err:
        read_list(_messy(tmp_path), strict=True)
    msg = str(err.value)
    assert "m.csv" in msg and "row 2: field 'age'" in msg and "row 5: field 'sex'" in msg
    assert "row 3: field 'date_of_death'" in msg


def test_cli_strict_exits_1_without_traceback(tmp_path):
    p = _messy(tmp_path)
    args = ["--db", str(tmp_path / "t.db"), "link", str(p), "-o", str(tmp_path / "o.csv")]
    res = CliRunner().invoke(cli, [*args, "--strict"])
    assert res.exit_code == 1 and "m.csv" in res.output and "Traceback" not in res.output
