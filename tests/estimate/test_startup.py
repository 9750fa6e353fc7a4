"""What a `civcas estimate` process imports before it computes (no timing here: the
start-up figures are in benchmarks/bench_estimate.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from civcas.estimate import read_overlap_csv
from civcas.model.errors import InputError

HEAVY = ("scipy", "sqlalchemy", "numba", "arviz", "xarray", "pandas", "civcas.io", "civcas.store")

PROBE = """
import json, sys
from click.testing import CliRunner
from civcas.cli.main import cli
from civcas.estimate import lcmcr_build
res = CliRunner().invoke(cli, ["estimate", sys.argv[1], "--method", "lcmcr", "--chains", "1",
                               "--samples", "20", "--burnin", "10", "--thin", "1", "--json"])
assert res.exit_code == 0, res.output
print(json.dumps({"how": lcmcr_build.kernel()[1], "modules": sorted(sys.modules)}))
"""


def _table(tmp_path: Path, quoted: bool) -> Path:
    rows = ["A,B,C,count", "1,0,0,40", "0,1,0,35", "1,1,0,12", "0,0,1,30", "1,0,1,9",
            "0,1,1,7", "1,1,1,3"]  # fmt: skip
    if quoted:
        rows[0] = '"A","B","C","count"'
    p = tmp_path / ("q.csv" if quoted else "p.csv")
    p.write_text("\n".join(rows) + "\n\n")
    return p


def test_quote_free_file_reads_as_the_careful_reader_reads_it(tmp_path: Path) -> None:
    plain = read_overlap_csv(_table(tmp_path, False))[None]
    careful = read_overlap_csv(_table(tmp_path, True))[None]  # goes through civcas.io
    assert plain.lists == careful.lists == ("A", "B", "C")
    assert plain.counts.tolist() == careful.counts.tolist()
    bad = tmp_path / "nul.csv"
    bad.write_text("A,B,count\n1,0,4\x00\n")
    with pytest.raises(InputError):
        read_overlap_csv(bad)


def test_an_lcmcr_run_from_a_file_imports_no_heavy_package(tmp_path: Path) -> None:
    path = _table(tmp_path, False)
    # first build (or find) the ahead-of-time sampler, in a process of its own
    build = "from civcas.estimate import lcmcr_build; lcmcr_build.kernel()"
    subprocess.run([sys.executable, "-c", build], check=True)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True
    )
    info = json.loads(out.stdout.strip().splitlines()[-1])
    loaded = set(info["modules"])
    heavy = {h for h in HEAVY if h in loaded}
    if info["how"] == "jit":
        heavy.discard("numba")  # without a C compiler the JIT is the sampler
    assert not heavy, heavy
