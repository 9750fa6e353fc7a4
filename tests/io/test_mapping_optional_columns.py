"""A mapping's optional columns: civcas' own CSV export gained ``fatalities_all`` (and
the men's counts) after earlier exports were written; the shipped mapping marks them
optional, so such an older export still re-imports (the column read as blank, its
absence reported), while a required column missing is still refused by name."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import yaml
from iohelp import run_cli, tally_json

from civcas.io.demo import load_demo
from civcas.io.importers import import_file
from civcas.io.mapping import ABSENT, validate_mapping
from civcas.model.errors import ConfigError, InputError
from civcas.store.engine import Store

MAPPING = Path(__file__).resolve().parents[2] / "civcas" / "io" / "mappings" / "civcas_csv.yaml"
LATER = ("fatalities_all", "men_killed_min", "men_killed_max")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo's CSV export, and the same file without the later columns."""
    d = tmp_path_factory.mktemp("optional")
    db = str(d / "demo.db")
    store = Store(db)
    load_demo(store)
    store.dispose()
    full = d / "full.csv"
    res = run_cli("--db", db, "export", "--format", "csv", "-o", str(full))
    assert res.exit_code == 0, res.output
    with full.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [h for h in reader.fieldnames or [] if h not in LATER]
        rows = list(reader)
    assert set(LATER) <= set(reader.fieldnames or [])  # today's export has them
    old = d / "old.csv"
    with old.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return full, old


def _sums(db: str) -> dict[str, Any]:
    s = tally_json(db)
    keys = ("incidents", "killed_min", "killed_max", "injured_min", "injured_max")
    return {k: s[k] for k in keys} | {"children": s["breakdowns"]["children_killed"]}


def test_an_export_without_the_later_columns_reimports(
    export: tuple[Path, Path], tmp_path: Path
) -> None:
    full, old = export
    a, b = str(tmp_path / "full.db"), str(tmp_path / "old.db")
    got_full = import_file(Store(a), "csv", full, mapping=MAPPING)
    got_old = import_file(Store(b), "csv", old, mapping=MAPPING)
    assert got_old.rejected == 0 and got_old.inserted == got_full.inserted == 547
    assert set(got_old.unmapped.get(ABSENT, {})) == set(LATER)
    assert ABSENT not in got_full.unmapped
    assert _sums(b) == _sums(a)
    # what the absent columns carried is blank, not invented
    assert tally_json(b)["breakdowns"]["men_killed"]["incidents_with_figure"] == 0
    assert tally_json(a)["breakdowns"]["men_killed"]["incidents_with_figure"] > 0


def test_without_optional_the_missing_column_is_refused(
    export: tuple[Path, Path], tmp_path: Path
) -> None:
    spec = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    assert spec["optional"] == list(LATER)
    del spec["optional"]
    strict = tmp_path / "strict.yaml"
    strict.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_file(Store(str(tmp_path / "s.db")), "csv", export[1], mapping=strict)
    assert "fatalities_all" in str(err.value)


def test_optional_must_name_a_mapped_field() -> None:
    base = {"source_kind": "ngo", "id": "ID", "columns": {"killed_min": "Killed"}}
    assert validate_mapping({**base, "optional": ["killed_min"]}).optional == ("killed_min",)
    with pytest.raises(ConfigError, match="optional.killed_max: not a field of columns"):
        validate_mapping({**base, "optional": ["killed_max"]})
    with pytest.raises(ConfigError, match="optional: expected a list"):
        validate_mapping({**base, "optional": "killed_min"})
