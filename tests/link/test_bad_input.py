"""Bad lists are refused naming the file and the rows."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.link.records import read_list, read_lists
from civcas.model.errors import InputError

HEADER = "record_id,list,name,name_ar,sex,age,date_of_death,place\n"


def test_missing_name_column(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("id,full\n1,Muhammad Ali\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_list(p)
    assert "a.csv" in str(err.value) and "name" in str(err.value)


def test_only_a_name_is_required(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("name\nMuhammad Ali\nOmar Ali\n", encoding="utf-8")
    df = read_list(p)
    assert list(df["record_id"]) == ["2", "3"]  # the file's row numbers
    assert set(df["list"]) == {"a"}


def test_undecodable_text_names_the_line(tmp_path):
    p = tmp_path / "b.csv"
    p.write_bytes(HEADER.encode() + b"1,x,Ali,,m,3,2017-01-01,Raqqa\n2,x,\xe3\xff\xfe,,m,4,,\n")
    with pytest.raises(InputError) as err:
        read_list(p)
    msg = str(err.value)
    assert "b.csv" in msg and "row 2" in msg and "UTF-8" in msg


def test_duplicate_ids_and_bad_values_listed_together(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text(
        HEADER + "1,x,Ali,,m,3,2017-01-01,Raqqa\n1,x,Omar,,m,x,2017-13-01,Raqqa\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        read_list(p, strict=True)
    msg = str(err.value)
    assert "c.csv" in msg
    assert "row 2: field 'record_id'" in msg and "row 3: field 'record_id'" in msg
    assert "row 3: field 'age'" in msg and "row 3: field 'date_of_death'" in msg


def test_same_ids_in_two_files_of_one_list(tmp_path):
    for name in ("d1.csv", "d2.csv"):
        (tmp_path / name).write_text(HEADER + "7,x,Ali,,m,3,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="x:7"):
        read_lists([tmp_path / "d1.csv", tmp_path / "d2.csv"])


def test_cli_exits_1_with_the_message(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("who\nAli\n", encoding="utf-8")
    res = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "t.db"), "link", str(p), "-o", str(tmp_path / "o.csv")]
    )
    assert res.exit_code == 1
    assert "e.csv" in res.output and "no name column" in res.output
    assert "Traceback" not in res.output
