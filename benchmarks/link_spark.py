"""`python -m benchmarks link --spark-big=1000000`: the Spark path (spark_pipeline.py)
end to end on simulated lists, through the CLI, in Spark local mode.

The child is `civcas link --engine spark FILES -o OUT.csv`; its process tree (Python
driver, the JVM, Spark's Python workers) is sampled every second for resident memory,
and the peak of the sum is reported with the JVM's and the driver's own peaks. Pairwise
F1 is against the simulator's truth (civcas link-eval). For the 50M plan, the candidate
pairs of every blocking rule are counted with Splink's count_comparisons_from_blocking_rule
at two sizes (DuckDB: the counts are the same whatever engine runs them) and the growth
exponent between them is fitted. Figures: benchmarks/results/link_spark.md.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "link_spark.md"
# every size measured, by record count: the markdown shows them all, newest run each
RAW = ROOT / "benchmarks" / "results" / "link_spark.json"


def _tree_rss(proc: Any) -> tuple[int, int, int]:
    """(total, JVM, Python driver) resident bytes of ``proc`` and its descendants."""
    import psutil

    total = jvm = 0
    try:
        driver = proc.memory_info().rss
        for p in [proc, *proc.children(recursive=True)]:
            try:
                rss = p.memory_info().rss
                total += rss
                if "java" in (p.name() or ""):
                    jvm += rss
            except psutil.Error:
                continue
    except psutil.Error:
        return 0, 0, 0
    return total, jvm, driver


def run_spark_link(
    paths: list[Path], out: Path, timeout: int = 3600, engine: str = "spark"
) -> dict[str, Any]:
    import psutil

    # the CLI, with the Spark path's progress log (its steps, timed) on stderr
    boot = ("import logging, sys; logging.basicConfig(level=logging.WARNING, format="
            "'%(asctime)s %(name)s %(message)s'); logging.getLogger("
            "'civcas.link.spark_pipeline').setLevel(logging.INFO); "
            "from civcas.cli.main import cli; sys.exit(cli(sys.argv[1:]))")  # fmt: skip
    cmd = [sys.executable, "-c", boot, "link", "--engine", engine, *map(str, paths),
           "-o", str(out), "--json"]  # fmt: skip
    t = time.time()
    err_path = Path(str(out) + ".stderr")
    err = err_path.open("w")  # progress (the steps) readable while it runs
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT)
    peak = peak_jvm = peak_driver = 0
    loads = []
    while proc.poll() is None:
        total, jvm, driver = _tree_rss(proc)
        peak, peak_jvm, peak_driver = max(peak, total), max(peak_jvm, jvm), max(peak_driver, driver)
        loads.append(psutil.getloadavg()[0])
        if time.time() - t > timeout:
            for p in proc.children(recursive=True):
                p.kill()
            proc.kill()
            err.close()
            steps = [ln for ln in err_path.read_text().splitlines() if "spark_pipeline" in ln]
            return {"error": f"timed out after {timeout} s", "steps": steps}
        time.sleep(1)
    stdout, _ = proc.communicate()
    seconds = time.time() - t
    err.close()
    stderr = err_path.read_text()
    if proc.returncode != 0:
        return {"error": (stderr or stdout)[-2000:], "seconds": seconds}
    start = stdout.find("{")  # --json prints one indented object
    summary = json.loads(stdout[start:]) if start >= 0 else {}
    return {"seconds": seconds, "peak_rss_mb": peak / 2**20, "peak_jvm_mb": peak_jvm / 2**20,
            "peak_driver_mb": peak_driver / 2**20, "load_mean": sum(loads) / max(1, len(loads)),
            "load_max": max(loads, default=0.0), "summary": summary,
            "steps": [ln for ln in stderr.splitlines() if "spark_pipeline" in ln]}  # fmt: skip


def blocking_counts(paths: list[Path]) -> dict[str, int]:
    """Candidate pairs each prediction blocking rule adds (pairs an earlier rule found
    are not counted again), with Splink's own counter, exact (no sampling)."""
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from civcas.link.engines import db_api
    from civcas.link.model import civcas_blocking
    from civcas.link.pipeline import SPLINK_COLUMNS, _with_name_stats, _with_windows
    from civcas.link.records import features, read_lists

    frame = _with_name_stats(_with_windows(features(read_lists(paths))))[SPLINK_COLUMNS]
    frame["unique_id"] = range(len(frame))
    got = count_comparisons_from_blocking_rules(
        db_api().register(frame), blocking_rules=civcas_blocking(), link_type="dedupe_only",
        record_sample_proportion=1.0,
    )  # fmt: skip
    return {" ".join(str(r["blocking_rule"]).split()): int(r["marginal_comparison_count"])
            for r in got}  # fmt: skip


def main(n: int, small: int, work: Path, timeout: int = 3600) -> dict[str, Any]:
    from benchmarks.bench_link import _simulate
    from civcas.link.run import evaluate_file

    sh = lambda *c: subprocess.run(c, capture_output=True, text=True).stdout.strip()  # noqa: E731
    report: dict[str, Any] = {"records": n, "date": sh("date", "-u"), "nproc": sh("nproc"),
                              "free": sh("free", "-h"), "uptime_start": sh("uptime")}  # fmt: skip
    t = time.time()
    paths, pop = _simulate(n, 3, work / "spark_big")
    report.update(population=pop, simulate_seconds=time.time() - t)
    run = run_spark_link(paths, work / "spark_big.csv", timeout)
    report["run"] = run
    report["uptime_end"] = sh("uptime")
    if "error" not in run:
        report["scores"] = evaluate_file(work / "spark_big.csv", "true_id").as_dict()
        # the DuckDB path on the same lists, after: what the Spark path loses
        duck = run_spark_link(paths, work / "duck_big.csv", timeout, engine="duckdb")
        report["duckdb"] = duck
        if "error" not in duck:
            import pandas as pd

            from civcas.link.evaluate import evaluate

            duck["scores"] = evaluate_file(work / "duck_big.csv", "true_id").as_dict()
            cols = ["list", "record_id", "person_id"]
            a = pd.read_csv(work / "duck_big.csv", dtype=str, usecols=cols)
            b = pd.read_csv(work / "spark_big.csv", dtype=str, usecols=cols)
            both = a.merge(b, on=["list", "record_id"], suffixes=("_duck", "_spark"))
            report["agreement"] = evaluate(
                both["person_id_spark"], both["person_id_duck"]
            ).as_dict()
    print(json.dumps(report, indent=1, default=str), flush=True)
    if small:
        small_paths, _ = _simulate(small, 3, work / "spark_small")
        report["blocking"] = {"small": small, "small_counts": blocking_counts(small_paths),
                              "big_counts": blocking_counts(paths)}  # fmt: skip
    (work / "spark_report.json").write_text(json.dumps(report, indent=1, default=str))
    runs = json.loads(RAW.read_text()) if RAW.exists() else {}
    if "blocking" not in report and "blocking" in runs.get(str(n), {}):
        report["blocking"] = runs[str(n)]["blocking"]  # counted apart (blocking_report)
    runs[str(n)] = report
    RAW.write_text(json.dumps(runs, indent=1, default=str))
    write_markdown(runs, RESULTS)
    return report


def blocking_report(small: int, big: int, work: Path) -> None:
    """The blocking counts alone (the same seed-3 lists the Spark runs simulate), kept
    with the run of ``big`` records in RAW."""
    from benchmarks.bench_link import _simulate

    counts = {k: blocking_counts(_simulate(n, 3, work / f"block_{n}")[0])
              for k, n in (("small_counts", small), ("big_counts", big))}  # fmt: skip
    runs = json.loads(RAW.read_text()) if RAW.exists() else {}
    runs.setdefault(str(big), {"records": big, "run": {"error": "not run"}})
    runs[str(big)]["blocking"] = {"small": small, **counts}
    RAW.write_text(json.dumps(runs, indent=1, default=str))


def write_markdown(runs: dict[str, dict[str, Any]], path: Path) -> None:
    lines = ["# Linkage with Spark (civcas link --engine spark): the records stay in Spark", ""]
    for _, r in sorted(runs.items(), key=lambda kv: int(kv[0])):
        lines += _one_run(r)
    path.write_text("\n".join(lines) + "\n")


def _one_run(r: dict[str, Any]) -> list[str]:
    run = r["run"]
    lines = [
        f"## {r['records']:,} records",
        "",
        f"Run {r['date']} by `python -m benchmarks link --spark-big={r['records']}` on a "
        f"{r['nproc']}-core machine, Spark local mode (local[2], driver memory 4g, 2 shuffle "
        "partitions), Splink 5's SparkAPI; other work was running (load averages below).",
        "",
        f"- uptime at start: `{r['uptime_start']}`",
        f"- uptime at end: `{r.get('uptime_end', '')}`",
        "",
        "```",
        r["free"],
        "```",
        "",
        f"Simulated lists: seed 3, {r['records']:,} records requested, population "
        f"{r['population']:,} (the household simulator, docs/link.md); simulating took "
        f"{r['simulate_seconds']:.0f} s (not timed below).",
        "",
    ]
    if "error" in run:
        lines += [f"The run failed: `{run['error'][-600:]}`", "", "Steps reached:", "", "```",
                  *[ln.split("spark_pipeline ")[-1] for ln in run.get("steps", [])], "```", ""]  # fmt: skip
    else:
        s, sc = run["summary"], r.get("scores", {})
        lines += [
            "| | Spark path |",
            "|---|---|",
            f"| records / people found (true {sc.get('true_people', 'n/a')}) | "
            f"{s.get('records')} / {s.get('people')} |",
            f"| pairwise F1 (P / R) | {sc.get('pairwise_f1', 0):.4f} "
            f"({sc.get('pairwise_precision', 0):.4f} / {sc.get('pairwise_recall', 0):.4f}) |",
            f"| cluster F1 | {sc.get('cluster_f1', 0):.4f} |",
            f"| end to end, s (CLI: read CSVs -> train -> score -> cluster -> write CSV) | "
            f"{run['seconds']:.0f} ({run['seconds'] / 60:.1f} min) |",
            f"| peak memory, MB (sum over the process tree: driver + JVM + Python workers) | "
            f"{run['peak_rss_mb']:.0f} |",
            f"| of which the JVM / the Python driver, MB (each at its own peak) | "
            f"{run['peak_jvm_mb']:.0f} / {run['peak_driver_mb']:.0f} |",
            f"| load average during the run (1 min: mean / max) | {run['load_mean']:.1f} / "
            f"{run['load_max']:.1f} |",
            f"| pairs to review | {s.get('review_pairs')} |",
            "",
        ]
        d, ag = r.get("duckdb") or {}, r.get("agreement")
        if "scores" in d:
            ds = d["scores"]
            lines += [
                "The DuckDB path (`--engine duckdb`) on the same lists, run after it: pairwise "
                f"F1 {ds['pairwise_f1']:.4f} (P {ds['pairwise_precision']:.4f} / R "
                f"{ds['pairwise_recall']:.4f}), cluster F1 {ds['cluster_f1']:.4f}, "
                f"{d['seconds']:.0f} s, peak {d['peak_rss_mb']:.0f} MB (process tree). The two "
                f"labelings agree at pairwise F1 {ag['pairwise_f1']:.4f} (DuckDB's as truth). "
                "The Spark path leaves out the family model and cuts contradictions per pair, "
                "not per cluster (docs/link.md, Scaling out: Spark): it links more.",
                "",
            ]
        lines += [
            "Steps (seconds since the start of the link call):",
            "",
            "```",
            *[ln.split("spark_pipeline ")[-1] for ln in run.get("steps", [])],
            "```",
            "",
        ]
    b = r.get("blocking")
    if b:
        lines += [f"### Candidate pairs each blocking rule adds ({b['small']:,} and {r['records']:,} "
                  "records, seed 3), and 50M by the growth between them", "",
                  "| rule | pairs at small | pairs at big | exponent | at 50M (extrapolated) |",
                  "|---|---|---|---|---|"]  # fmt: skip
        tot_s = tot_b = tot_50 = 0.0
        for rule, big in b["big_counts"].items():
            small = b["small_counts"].get(rule, 0)
            k = math.log(max(big, 1) / max(small, 1)) / math.log(r["records"] / b["small"])
            at50 = big * (50_000_000 / r["records"]) ** k
            tot_s, tot_b, tot_50 = tot_s + small, tot_b + big, tot_50 + at50
            lines.append(f"| `{rule[:90]}` | {small:,} | {big:,} | {k:.2f} | {at50:,.0f} |")
        k = math.log(tot_b / max(tot_s, 1)) / math.log(r["records"] / b["small"])
        together = tot_b * (50_000_000 / r["records"]) ** k
        lines += [f"| all rules | {tot_s:,.0f} | {tot_b:,.0f} | {k:.2f} | {tot_50:,.0f} "
                  f"(each rule by its own exponent); {together:,.0f} (the total by its) |", "",
                  "The simulator keeps 804 places and six years of dates whatever the number "
                  "of records, so blocks on a place or a date window fill as the square of the "
                  "records; the two extrapolations bracket what 50M would give.", ""]  # fmt: skip
    return lines
