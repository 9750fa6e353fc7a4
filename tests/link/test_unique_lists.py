"""Lists that name each person once (``--unique``, spec ``unique_lists``) and the
within-list rules: two records of one list that cannot be one person stay apart, also
when a record of another list resembles both."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.link.cluster import Conflicts, cluster_positions
from civcas.link.draws import draw_people
from civcas.link.model import ModelSpec
from civcas.link.pipeline import link_records, same_list_other_family
from civcas.link.records import features
from civcas.link.specfile import parse_spec
from civcas.model.errors import ConfigError


def _conflicts(unique: list[int]) -> Conflicts:
    n = len(unique)
    nan = np.full(n, np.nan)
    return Conflicts(np.zeros(n, dtype=np.int8), nan, nan.copy(), np.inf, np.inf,
                     unique=np.array(unique, dtype=np.int64))  # fmt: skip


def test_a_register_holds_one_record_per_person_the_strongest_link_wins():
    # 0 and 1: one register (bit 1); 2: another list (0), 3: a second register (bit 2)
    li, ri = np.array([0, 1, 2]), np.array([2, 2, 3])
    p = np.array([0.99, 0.95, 0.9])
    roots, _ = cluster_positions(4, li, ri, p, 0.8, conflicts=_conflicts([1, 1, 0, 2]))
    assert roots[0] == roots[2] == roots[3] and roots[1] != roots[0]
    # without the declaration the chain joins all four
    plain, _ = cluster_positions(4, li, ri, p, 0.8, conflicts=_conflicts([0, 0, 0, 0]))
    assert len(set(plain.tolist())) == 1


def test_draws_do_not_merge_two_records_of_a_register():
    li, ri, p = np.array([0, 1]), np.array([2, 2]), np.array([0.99, 0.6])
    conflicts = _conflicts([1, 1, 0])
    roots, _ = cluster_positions(3, li, ri, p, 0.8, conflicts=conflicts)
    draws = draw_people(roots, li, ri, p, 0.8, draws=50, conflicts=conflicts)
    assert all(row[0] != row[1] for row in draws)
    loose = draw_people(roots, li, ri, p, 0.8, draws=50, conflicts=_conflicts([0, 0, 0]))
    assert any(row[0] == row[1] for row in loose)  # the 0.6 link is drawn sometimes


def _frame(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "record_id": str(i),
                "list": li,
                "name": "",
                "name_ar": ar,
                "sex": sex,
                "age": age,
                "date_of_death": dod,
                "place": "",
                "incident": "",
                "age_group": "",
                "id_number": "",
            }
            for i, (li, ar, sex, age, dod) in enumerate(rows)
        ]  # fmt: skip
    )


def test_within_one_list_other_spelling_or_father_is_another_person():
    df = _frame([
        ("aw", "يمان محمد الأشقر", "m", "3", "2023-10-18"),
        ("aw", "يامن محمد الأشقر", "m", "3", "2023-10-18"),  # Yaman / Yamen: one key
        ("aw", "عادل زياد عادل دهليز", "m", "4", "2023-10-22"),
        ("aw", "عادل عبد العزيز دهليز", "m", "4", "2023-10-22"),  # another father
        ("aw", "ندى عبد الله عطا الحمايدة", "f", "17", "2023-10-26"),
        ("aw", "ندي عبد الله عطا الحمايده", "f", "17", "2023-10-26"),  # one girl, typed twice
        ("aw", "احمد محمود موسى طباسي", "m", "33", "2023-10-22"),
        ("aw", "احمد موسى طباسي", "m", "", "2023-10-22"),  # father dropped: chain shifted
        ("moh", "يمان محمد الأشقر", "m", "3", ""),
        ("aw", "يمان محمد الأشقر", "m", "3", ""),  # across lists: not this rule's business
    ])  # fmt: skip
    feats = features(df)
    feats["unique_id"] = np.arange(len(feats))
    pairs = pd.DataFrame({"unique_id_l": [0, 2, 4, 6, 8], "unique_id_r": [1, 3, 5, 7, 9],
                          "match_probability": 0.99})  # fmt: skip
    apart = same_list_other_family(feats, pairs).tolist()
    assert apart == [True, True, False, False, False]


def test_unknown_unique_list_is_a_clear_error():
    df = _frame([("a", "محمد علي", "m", "3", ""), ("b", "محمد علي", "m", "3", "")])
    with pytest.raises(ConfigError, match=r"unique lists \['c'\] are not among the lists"):
        link_records(df, spec=ModelSpec(unique_lists=["c"]))


def test_spec_file_and_cli_take_unique_lists(tmp_path):
    assert parse_spec({"unique_lists": ["moh0808"]}).spec.unique_lists == ["moh0808"]
    with pytest.raises(ConfigError, match="unique_lists: a list of list names"):
        parse_spec({"unique_lists": "moh0808"})
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "link", "--from-db",
                                   "--unique", "a"])  # fmt: skip
    assert res.exit_code != 0 and "--unique names lists among FILE" in res.output


def test_spark_refuses_unique_lists_from_the_cli_and_from_a_spec(tmp_path):
    """Both ways of declaring a register are refused by --engine spark, before Spark
    starts, with what to use instead."""
    f = tmp_path / "a.csv"
    f.write_text("record_id,name\n1,Ahmed Shehab\n", encoding="utf-8")
    spec = tmp_path / "s.yaml"
    spec.write_text("unique_lists: [a]\n", encoding="utf-8")
    for extra in (["--unique", "a"], ["--spec", str(spec)]):
        res = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "link", str(f),
                                       "--engine", "spark", "-o", str(tmp_path / "o.csv"),
                                       *extra])  # fmt: skip
        assert res.exit_code != 0 and "use --engine duckdb" in res.output, res.output


def test_a_family_with_and_without_abd_or_abu_is_one_family_within_a_list():
    from civcas.link.training import prefixed

    assert prefixed("abdmhsn", "mhsn") and prefixed("nsr", "abnsr")
    assert not prefixed("abdl", "l") and not prefixed("mhsn", "hsn")
    df = _frame([
        ("aw", "عماد سليمان عبد محيسن", "m", "41", "2023-10-19"),
        ("aw", "عماد سليمان محيسن", "m", "41", "2023-10-19"),
        ("aw", "عماد سليمان شهاب", "m", "41", "2023-10-19"),
    ])  # fmt: skip
    feats = features(df)
    pairs = pd.DataFrame({"unique_id_l": [0, 1], "unique_id_r": [1, 2], "match_probability": 0.9})
    assert same_list_other_family(feats, pairs).tolist() == [False, True]
