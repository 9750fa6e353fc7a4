"""Multiple systems estimation: civcas against the R packages, and bias/coverage on
simulated populations.

`python -m benchmarks estimate [--repeat 5] [--quick] [--no-r] [--part speed|sim|all]
[--reps 10]` writes benchmarks/results/estimate.md (and .json) and replaces the
estimation section of BENCHMARKS.md.

R: when ``Rscript`` is on the PATH, LCMCR, dga, Rcapture and SparseMSE are built once from
their CRAN sources in ../shared/tools/r-peers (``build.sh``) into the cache directory and
run on the same inputs, in the same run, interleaved with civcas's runs so that both see
the same load; without R, or without those sources, the R columns say why and the civcas
figures stand alone. Every figure is measured, none extrapolated: whole processes (what a
user waits for: wall, and CPU including worker processes) and the library call inside a
warm process (in-process CPU); civcas's start-up is the difference. Times are medians
over the repeats.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from civcas.estimate import (
    CaptureTable,
    LcmcrSettings,
    dga,
    estimate,
    lcmcr,
    profile_ci,
    read_overlap_csv,
    select_by_ic,
)
from civcas.estimate.dga import quantiles
from civcas.estimate.lcmcr_build import cache_dir, kernel

ROOT = Path(__file__).resolve().parents[1]
MSE = ROOT.parent / "shared" / "data" / "mse"
R_PEERS = ROOT.parent / "shared" / "tools" / "r-peers"
R_DIR = Path(__file__).parent / "r"
OUT = Path(__file__).parent / "results" / "estimate.md"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
CIVCAS = Path(sys.executable).parent / "civcas"
KOS = MSE / "kosovo_1999_4lists.csv"
UK5 = MSE / "uk_modern_slavery_2013_5lists.csv"
R_PACKAGES = ("LCMCR", "dga", "Rcapture", "SparseMSE")


# ---------------------------------------------------------------- measuring


def _children_cpu() -> float:
    import resource

    ch = resource.getrusage(resource.RUSAGE_CHILDREN)  # reaped children, and theirs
    return ch.ru_utime + ch.ru_stime


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a whole process: wall time, CPU (user + system, its worker processes
    included: children run one at a time, so the growth of RUSAGE_CHILDREN is its own),
    stdout."""
    c0, t0 = _children_cpu(), time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr[-400:]}")
    return {"wall": wall, "cpu": cpu, "stdout": p.stdout}


def in_process(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall, CPU of this process and of the worker processes it reaped, result)."""

    def cpu() -> float:
        return time.process_time() + _children_cpu()

    c0, t0 = cpu(), time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, cpu() - c0, out


def med(xs: list[float]) -> float:
    xs = [x for x in xs if not math.isnan(x)]
    return statistics.median(xs) if xs else math.nan


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def busy() -> str:
    """The processes using the most CPU right now (what else was running)."""
    try:
        ps = subprocess.run(
            ["ps", "-eo", "pcpu,etime,args", "--sort=-pcpu"], capture_output=True, text=True
        ).stdout.splitlines()[1:8]
    except OSError:
        return ""
    return "\n".join(line[:140] for line in ps)


# ---------------------------------------------------------------- R


def r_setup(no_r: bool) -> tuple[dict[str, str] | None, str]:
    """(environment for Rscript with the R peers on R_LIBS, or None; what was done)."""
    if no_r:
        return None, "R not run (--no-r)"
    if not shutil.which("Rscript"):
        return None, "R is not installed (Debian: apt-get install r-base-core ...)"
    lib = cache_dir() / "r-peers"
    env = dict(os.environ, R_LIBS=str(lib))
    have = all((lib / p / "DESCRIPTION").exists() for p in R_PACKAGES)
    if have:
        return env, f"R peers found in {lib}"
    if not (R_PEERS / "build.sh").exists():
        return None, f"R is installed but the R peers' sources ({R_PEERS}) are absent"
    lib.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    p = subprocess.run(["sh", str(R_PEERS / "build.sh"), str(lib)], capture_output=True, text=True)
    if p.returncode != 0:
        return None, f"building the R peers failed: {p.stderr[-300:]}"
    return env, f"R peers built from {R_PEERS} in {time.perf_counter() - t0:.0f} s"


def r_version() -> str:
    try:
        out = subprocess.run(["R", "--version"], capture_output=True, text=True).stdout
    except OSError:
        return ""
    return out.splitlines()[0] if out else ""


def rscript(env: dict[str, str], script: str, *args: object) -> dict[str, Any]:
    r = run_process(["Rscript", str(R_DIR / script), *map(str, args)], env)
    fields = r["stdout"].strip().splitlines()[-1].split("\t")
    r["elapsed"], r["in_cpu"] = float(fields[0]), float(fields[1])
    r["values"] = fields[2:]
    del r["stdout"]
    return r


# ---------------------------------------------------------------- civcas


def civcas(*args: object) -> dict[str, Any]:
    r = run_process([str(CIVCAS), "estimate", *map(str, args), "--json"])
    r["json"] = json.loads(r.pop("stdout"))
    return r


def lcmcr_q(draws: np.ndarray) -> list[float]:
    return [float(x) for x in np.quantile(draws, [0.025, 0.5, 0.975])]


def simulate(N: int, rng: np.random.Generator, regime: str) -> CaptureTable:
    """Populations of known size N with 4 lists under several capture regimes."""
    J = 4
    if regime == "independent":
        p = np.tile([0.25, 0.2, 0.3, 0.22], (N, 1))
    elif regime == "two classes":
        hard = rng.random(N) < 0.7
        p = np.where(hard[:, None], [0.15, 0.18, 0.12, 0.15], [0.5, 0.45, 0.55, 0.4])
    elif regime == "continuous heterogeneity":
        z = rng.normal(0, 1.0, size=(N, 1))  # a person's visibility, shared by all lists
        p = 1 / (1 + np.exp(-(np.array([-1.4, -1.6, -1.2, -1.5]) + z)))
    elif regime == "list dependence":
        p = np.tile([0.25, 0.2, 0.3, 0.22], (N, 1))
    else:
        raise ValueError(regime)
    caught = rng.random((N, J)) < p
    if regime == "list dependence":  # list B copies half of list A's cases
        caught[:, 1] |= caught[:, 0] & (rng.random(N) < 0.5)
    w = (caught * (1 << np.arange(J))).sum(axis=1)
    counts = np.bincount(w, minlength=2**J).astype(np.int64)
    counts[0] = 0
    return CaptureTable(("A", "B", "C", "D"), counts)


def simulation_study(reps: int, seed: int = 20261125) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    rows = []
    regimes = [
        ("independent", 2000),
        ("two classes", 5000),
        ("continuous heterogeneity", 4000),
        ("list dependence", 3000),
    ]
    for regime, N in regimes:
        res: dict[str, list[tuple[float, float, float]]] = {
            "loglinear (BIC, profile CI)": [],
            "lcmcr": [],
            "dga": [],
        }
        for r in range(reps):
            t = simulate(N, rng, regime)
            best, _ = select_by_ic(t, "bic")
            lo, hi = profile_ci(t, best.model)
            res["loglinear (BIC, profile CI)"].append((best.N, lo, hi))
            lc = lcmcr(
                t,
                LcmcrSettings(
                    K=10, burnin=2000, samples=400, thin=10, chains=2, workers=1, seed=r + 1
                ),
            )
            q = np.quantile(lc.draws, [0.5, 0.025, 0.975])
            res["lcmcr"].append((float(q[0]), float(q[1]), float(q[2])))
            d = dga(t)
            dq = [t.n_observed + v for v in quantiles(d, (0.5, 0.025, 0.975))]
            res["dga"].append((dq[0], dq[1], dq[2]))
        for method, vals in res.items():
            a = np.array(vals)
            rows.append(
                {
                    "regime": regime,
                    "N": N,
                    "method": method,
                    "reps": len(a),
                    "bias": float(np.mean(a[:, 0] - N) / N),
                    "rmse": float(np.sqrt(np.mean((a[:, 0] - N) ** 2)) / N),
                    "coverage": float(np.mean((a[:, 1] <= N) & (N <= a[:, 2]))),
                    "width": float(np.mean(a[:, 2] - a[:, 1]) / N),
                }
            )
            print(
                f"  {regime:26s} {method:28s} bias {rows[-1]['bias']:+.3f} "
                f"coverage {rows[-1]['coverage']:.2f}",
                flush=True,
            )
    return rows


def _civcas_summary(r: dict[str, Any]) -> dict[str, Any]:
    j = r.pop("json")
    keep = ("N", "ci95", "model", "rhat", "ess", "run", "warnings")
    r["result"] = {k: j[k] for k in keep if k in j}
    return r


def speed(env: dict[str, str] | None, repeat: int, quick: bool) -> dict[str, Any]:
    """Every comparison with R, R and civcas interleaved run by run."""
    kos, uk5 = read_overlap_csv(KOS)[None], read_overlap_csv(UK5)[None]
    out: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    out["load_start"], out["busy"] = load(), busy()
    t0 = time.perf_counter()
    out["kernel"] = kernel()[1]
    out["kernel_first_load"] = time.perf_counter() - t0
    # warm this process up (imports, the sampler) before any in-process timing
    warm = LcmcrSettings(chains=1, samples=10, burnin=0, thin=1, workers=1)
    estimate(kos, "lcmcr", lcmcr_settings=warm)
    estimate(kos, "dga")
    estimate(uk5, "loglinear", select="stepwise")
    out["version"] = [run_process([str(CIVCAS), "--version"]) for _ in range(repeat)]
    jobs: dict[str, list[dict[str, Any]]] = {}

    def one_chain(K: int, thin: int, seed: int) -> dict[str, Any]:
        s = LcmcrSettings(K=K, chains=1, samples=1000, thin=thin, burnin=10_000, seed=seed,
                          workers=1)  # fmt: skip
        wall, cpu, r = in_process(lambda: lcmcr(kos, s))
        return {"wall": wall, "cpu": cpu, "q": lcmcr_q(r.draws), "ess": r.ess, "rhat": r.rhat}

    print("  LCMCR K = 10, one chain, R's setting", flush=True)
    jobs["lcmcr_k10"] = []
    for i in range(repeat):
        seed = 1 + i % 3
        row: dict[str, Any] = {"seed": seed, "load": load()}
        if env:
            row["r"] = rscript(env, "lcmcr.R", KOS, 10, 10_000, 1000, 100, seed)
        row["civcas"] = _civcas_summary(
            civcas(KOS, "--method", "lcmcr", "--chains", 1, "--samples", 1000, "--thin", 100,
                   "--burnin", 10_000, "--seed", seed)
        )  # fmt: skip
        row["inproc"] = one_chain(10, 100, seed)
        jobs["lcmcr_k10"].append(row)
        print(f"    {row}", flush=True)
    thin = 500 if quick else 5000
    print(f"  LCMCR K = 15, one chain, {10_000 + 1000 * thin:,} iterations", flush=True)
    row = {"seed": 1, "load": load(), "iterations": 10_000 + 1000 * thin}
    if env:
        row["r"] = rscript(env, "lcmcr.R", KOS, 15, 10_000, 1000, thin, 1)
    row["inproc"] = one_chain(15, thin, 1)
    jobs["lcmcr_k15"] = [row]
    print(f"    {row}", flush=True)

    def compare(name: str, n: int, r_call: tuple[Any, ...] | None, args: tuple[Any, ...],
                lib: Callable[[], Any]) -> None:  # fmt: skip
        print(f"  {name}", flush=True)
        jobs[name] = []
        for _ in range(n):
            row: dict[str, Any] = {"load": load()}
            if env and r_call:
                row["r"] = rscript(env, *r_call)
            row["civcas"] = _civcas_summary(civcas(*args))
            wall, cpu, res = in_process(lib)
            row["inproc"] = {"wall": wall, "cpu": cpu, "N": res["N"], "ci95": res["ci95"]}
            jobs[name].append(row)
            print(f"    {row}", flush=True)

    compare("stepwise_uk5", repeat, ("sparsemse_stepwise.R", UK5), (UK5, "--select", "stepwise"),
            lambda: estimate(uk5, "loglinear", select="stepwise"))  # fmt: skip
    compare("dga_kosovo", repeat, ("dga_bma.R", KOS), (KOS, "--method", "dga"),
            lambda: estimate(kos, "dga"))  # fmt: skip
    compare("bic_uk5", 1 if quick else 2, ("rcapture_bic.R", UK5, 3), (UK5,),
            lambda: estimate(uk5, "loglinear"))  # fmt: skip
    print("  LCMCR, civcas's default run", flush=True)
    jobs["lcmcr_default"] = []
    for seed in (1,) if quick else (1, 2, 3):
        row = {"seed": seed, "load": load()}
        row["civcas"] = _civcas_summary(civcas(KOS, "--method", "lcmcr", "--seed", seed))

        def run(seed: int = seed) -> dict[str, Any]:
            return estimate(kos, "lcmcr", seed=seed)

        wall, cpu, res = in_process(run)
        row["inproc"] = {"wall": wall, "cpu": cpu, "N": res["N"], "ess": res["ess"],
                         "rhat": res["rhat"], "run": res["run"]}  # fmt: skip
        jobs["lcmcr_default"].append(row)
        print(f"    {row}", flush=True)
    if env:
        samples = 5000 if quick else 20_000
        print(f"  R's LCMCR, long run ({10_000 + samples * 100:,} iterations)", flush=True)
        row = {"seed": 1, "load": load(), "iterations": 10_000 + samples * 100}
        row["r"] = rscript(env, "lcmcr.R", KOS, 10, 10_000, samples, 100, 1)
        jobs["r_long"] = [row]
        print(f"    {row}", flush=True)
    out["jobs"] = jobs
    out["load_end"], out["busy_end"] = load(), busy()
    out["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return out


def _m(rows: list[dict[str, Any]], side: str, key: str) -> float:
    return med([float(r[side][key]) for r in rows if side in r and key in r[side]])


def _f(x: float, nd: int = 2) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{nd}f}"


def _ratio(a: float, b: float) -> str:
    return "n/a" if not (a > 0 and b > 0) else f"{a / b:.2f}x"


def speed_section(sp: dict[str, Any], r_note: str) -> list[str]:
    jobs = sp["jobs"]
    k10, k15 = jobs["lcmcr_k10"], jobs["lcmcr_k15"]
    ver_wall = med([v["wall"] for v in sp["version"]])
    ver_cpu = med([v["cpu"] for v in sp["version"]])
    L = [
        "## Speed against the R packages (issue 22)",
        "",
        f"Run {sp['started']} to {sp['finished']}; {r_note}; civcas's sampler: "
        f"{sp['kernel']} ({sp['kernel_first_load']:.3f} s to load it in the benchmark "
        "process). Load average (1, 5, 15 min) "
        f"{' / '.join(map(str, sp['load_start']))} at the start, "
        f"{' / '.join(map(str, sp['load_end']))} at the end. Each figure is the median over "
        "the repeats (R and civcas alternate run by run, so both see the same load); the "
        "repeats are listed in benchmarks/results/estimate.json. Whole process = the "
        "command a user runs (`Rscript ...`, `civcas estimate ... --json`): wall time, and "
        "CPU time (user + system) of the process and its worker processes. Library call = "
        "the same computation inside an already-started process (civcas: `estimate()` or "
        "`lcmcr()`; R: the package calls, timed with `proc.time()` in the script). "
        "civcas's start-up = whole process - library call. "
        f"`civcas --version` alone: {ver_wall:.2f} s wall, {ver_cpu:.2f} s CPU.",
        "",
        "What else was running at the start and at the end (`ps`: % CPU over each "
        "process's life, elapsed, command):",
        "",
        "```",
        sp["busy"],
        "...",
        sp.get("busy_end", ""),
        "```",
        "",
        "### Whole processes (what a user waits for)",
        "",
        "| job | R wall | R CPU | civcas wall | civcas CPU | R / civcas wall | "
        "R / civcas CPU | civcas library call CPU | civcas start-up CPU / wall | result R / civcas |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]

    def row(label: str, rows: list[dict[str, Any]], result: str, r_rows: Any = None) -> None:
        r_rows = r_rows if r_rows is not None else rows
        rw, rc = _m(r_rows, "r", "wall"), _m(r_rows, "r", "cpu")
        cw, cc = _m(rows, "civcas", "wall"), _m(rows, "civcas", "cpu")
        lc, lw = _m(rows, "inproc", "cpu"), _m(rows, "inproc", "wall")
        L.append(
            f"| {label} | {_f(rw)} | {_f(rc)} | {_f(cw)} | {_f(cc)} | {_ratio(rw, cw)} | "
            f"{_ratio(rc, cc)} | {_f(lc)} | {_f(cc - lc)} / {_f(cw - lw)} | {result} |"
        )

    def lc_result(rows: list[dict[str, Any]]) -> str:
        parts = []
        for r in rows[:3]:
            rm = f"{float(r['r']['values'][1]):,.0f}" if "r" in r else "-"
            parts.append(f"seed {r['seed']}: {rm} / {r['civcas']['result']['N']:,.0f}")
        return "median N " + "; ".join(parts)

    row("LCMCR Kosovo, K = 10, one chain, 110,000 iterations (R's setting)", k10, lc_result(k10))
    sw = jobs["stepwise_uk5"]
    r_sw = f"{float(sw[0]['r']['values'][1]):,.2f}" if "r" in sw[0] else "-"
    row("stepwise (p = 0.02), UK 5 lists", sw,
        f"N {r_sw} / {sw[0]['civcas']['result']['N']:,.2f}")  # fmt: skip
    dg = jobs["dga_kosovo"]
    r_dg = ("{} [{}, {}]".format(*(f"{float(v):,.0f}" for v in (dg[0]["r"]["values"][1],
            dg[0]["r"]["values"][0], dg[0]["r"]["values"][2])))) if "r" in dg[0] else "-"  # fmt: skip
    c = dg[0]["civcas"]["result"]
    row("dga, 61 graphs, Kosovo", dg,
        f"N {r_dg} / {c['N']:,.0f} [{c['ci95'][0]:,.0f}, {c['ci95'][1]:,.0f}]")  # fmt: skip
    bic = jobs["bic_uk5"]
    r_bic = (f"{float(bic[0]['r']['values'][1]):,.2f} ({bic[0]['r']['values'][0]} models, "
             f"{bic[0]['r']['values'][2]})") if "r" in bic[0] else "-"  # fmt: skip
    row("all 6,212 hierarchical models by BIC, UK 5 lists", bic,
        f"N {r_bic} / {bic[0]['civcas']['result']['N']:,.2f} "
        f"({bic[0]['civcas']['result']['model']})")  # fmt: skip
    de = jobs["lcmcr_default"]
    row("LCMCR Kosovo, civcas's default (4 chains on 2 processes, to ESS 400) against R's "
        "default one chain", de,
        "median N " + "; ".join(f"seed {r['seed']}: {r['civcas']['result']['N']:,.0f}" for r in de),
        r_rows=k10)  # fmt: skip
    L += [
        "",
        "### LCMCR, one chain, library call CPU",
        "",
        "| run | iterations | R CPU (s) | civcas CPU (s) | R / civcas | R µs / iteration | "
        "civcas µs / iteration | R median N [95%] | civcas median N [95%] |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]

    def q(v: list[Any]) -> str:
        a, m, b = (float(x) for x in v)
        return f"{m:,.0f} [{a:,.0f}, {b:,.0f}]"

    for label, rows, its in (("K = 10, Kosovo (R's setting)", k10, 110_000),
                             ("K = 15, Kosovo (HRDAG's production setting)", k15,
                              k15[0]["iterations"])):  # fmt: skip
        rc, cc = _m(rows, "r", "in_cpu"), _m(rows, "inproc", "cpu")
        rq = q(rows[0]["r"]["values"]) if "r" in rows[0] else "-"
        L.append(
            f"| {label} | {its:,} | {_f(rc)} | {_f(cc)} | {_ratio(rc, cc)} | "
            f"{_f(rc / its * 1e6, 1)} | {_f(cc / its * 1e6, 1)} | {rq} | "
            f"{q(rows[0]['inproc']['q'])} |"
        )
    L.append("")
    L.append("(the first seed's quantiles; the medians of every seed are in the table above)")
    r_long = jobs.get("r_long")
    ref = float(r_long[0]["r"]["values"][1]) if r_long else math.nan
    L += [
        "",
        "### civcas's default LCMCR run (Kosovo)",
        "",
        "Defaults: K = 10, 4 chains on min(4, cores) = 2 worker processes, 10,000 burn-in, "
        "thinning 100, run until the bulk ESS of N over the chains reaches 400 (or 300 s). "
        + (
            f"R's long run for reference: {r_long[0]['iterations']:,} iterations, one chain, "
            f"median {ref:,.1f}, 95% [{float(r_long[0]['r']['values'][0]):,.0f}, "
            f"{float(r_long[0]['r']['values'][2]):,.0f}] ({r_long[0]['r']['in_cpu']:.1f} s CPU)."
            if r_long
            else "R's long run: not run (no R)."
        ),  # fmt: skip
        "",
        "| seed | stopped | iterations per chain | draws | ESS | R-hat | median N | "
        "vs R's long-run median | whole wall (s) | whole CPU (s) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in de:
        res = r["civcas"]["result"]
        run = res["run"]
        diff = (res["N"] / ref - 1) * 100 if ref == ref else math.nan
        L.append(
            f"| {r['seed']} | {run['stopped']} | {run['iterations_per_chain']:,} | "
            f"{run['draws']:,} | {res['ess']:.0f} | {res['rhat']:.3f} | {res['N']:,.1f} | "
            f"{_f(diff, 2)}% | {r['civcas']['wall']:.2f} | {r['civcas']['cpu']:.2f} |"
        )
    L += ["", "### Targets (issue 22)", ""] + [f"- {v}" for v in verdicts(sp)]
    return L


def verdicts(sp: dict[str, Any]) -> list[str]:
    jobs = sp["jobs"]
    out = []
    k10, k15 = jobs["lcmcr_k10"], jobs["lcmcr_k15"]
    if "r" not in k10[0]:
        return ["no R in this run: the targets against R are not assessed"]
    for label, rows in (("K = 10 (110,000 iterations)", k10), ("K = 15 (production)", k15)):
        ratio = _m(rows, "r", "in_cpu") / _m(rows, "inproc", "cpu")
        out.append(f"LCMCR one chain, library call CPU >= 2x R at {label}: "
                   f"**{'met' if ratio >= 2 else 'not met'}** ({ratio:.2f}x)")  # fmt: skip
    for key, what in (("wall", "wall"), ("cpu", "CPU")):
        ratio = _m(k10, "r", key) / _m(k10, "civcas", key)
        out.append(f"LCMCR Kosovo one chain, whole process {what} >= 1.5x R: "
                   f"**{'met' if ratio >= 1.5 else 'not met'}** ({ratio:.2f}x)")  # fmt: skip
    for name, label in (("stepwise_uk5", "stepwise"), ("dga_kosovo", "dga")):
        rows = jobs[name]
        for key, what in (("cpu", "CPU"), ("wall", "wall")):
            d = _m(rows, "civcas", key) - _m(rows, "r", key)
            out.append(f"{label} whole process at most 0.5 s slower than R ({what}): "
                       f"**{'met' if d <= 0.5 else 'not met'}** ({d:+.2f} s)")  # fmt: skip
    bic = jobs["bic_uk5"]
    ratio = _m(bic, "r", "cpu") / _m(bic, "civcas", "cpu")
    out.append(f"BIC over all 5-list models, whole process CPU >= 5x R: "
               f"**{'met' if ratio >= 5 else 'not met'}** ({ratio:.1f}x)")  # fmt: skip
    worst = max(
        _m(jobs[n], "civcas", "cpu") - _m(jobs[n], "inproc", "cpu")
        for n in ("lcmcr_k10", "stepwise_uk5", "dga_kosovo", "bic_uk5", "lcmcr_default")
    )
    out.append(f"start-up (whole process - library call) at most 0.5 s: "
               f"**{'met' if worst <= 0.5 else 'not met'}** (CPU, worst job {worst:.2f} s; "
               "wall figures in the table)")  # fmt: skip
    r_long = jobs.get("r_long")
    if r_long:
        ref = float(r_long[0]["r"]["values"][1])
        for r in jobs["lcmcr_default"]:
            res = r["civcas"]["result"]
            ok = res["run"]["stopped"].startswith("effective sample size target")
            d = abs(res["N"] / ref - 1) * 100
            out.append(
                f"default LCMCR run, seed {r['seed']}: ESS target "
                f"{'reached' if ok else 'NOT reached'} (ESS {res['ess']:.0f}), median "
                f"{res['N']:,.1f} within 1% of R's long-run {ref:,.1f}: "
                f"**{'met' if ok and d <= 1 else 'not met'}** ({d:.2f}%)"
            )
    return out


def machine() -> str:
    try:
        mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip()
    except OSError:
        mem = ""
    return (
        f"{platform.processor() or platform.machine()}, nproc = {os.cpu_count()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}\n\n```\n{mem}\n```"
    )


def sim_section(sim: list[dict[str, Any]], reps: int) -> list[str]:
    L = [
        f"## Simulation study ({reps} replicate populations per regime, 4 lists)",
        "",
        "Bias and RMSE relative to the true N; coverage = share of 95% intervals that "
        "contain N; width relative to N. With this many replicates a coverage figure has "
        f"a standard error of about {np.sqrt(0.95 * 0.05 / max(reps, 1)):.2f}. LCMCR here "
        "runs short chains (2 x (2,000 burn-in + 2,000 iterations)) to fit the time "
        "budget, shorter than the reference settings.",
        "",
        "| regime | N | method | bias | RMSE | 95% coverage | mean width |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for r in sim:
        L.append(
            f"| {r['regime']} | {r['N']:,} | {r['method']} | {r['bias']:+.3f} | "
            f"{r['rmse']:.3f} | {r['coverage']:.2f} | {r['width']:.2f} |"
        )
    L += [
        "",
        "Regimes: independent homogeneous lists; two latent classes (70% of people seen "
        "by each list with probability 0.12-0.18, 30% with 0.4-0.55); continuous "
        "heterogeneity (a shared logit-normal visibility per person); positive dependence "
        "(list B copies half of list A's cases). The log-linear profile interval treats "
        "the BIC-chosen model as known, so it can under-cover when the selection matters "
        "(`--bootstrap` gives intervals that include the selection). Heterogeneity shared "
        "by all lists is the hard case for every method: all three underestimate it.",
    ]
    return L


def write(prev: dict[str, Any]) -> None:
    L = [
        "# Multiple systems estimation (civcas.estimate)",
        "",
        f"Machine: {machine()}",
        "",
        f"R: {prev.get('r_version') or 'not installed'}.",
        "",
    ]
    if prev.get("speed"):
        L += speed_section(prev["speed"], prev.get("r_note", "")) + [""]
    if prev.get("sim"):
        L += sim_section(prev["sim"], prev.get("reps", 0))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(L).rstrip() + "\n")
    print(f"wrote {OUT}")
    update_benchmarks_md()


def update_benchmarks_md() -> None:
    """Replace the estimation section of BENCHMARKS.md with results/estimate.md, headings
    one level down (what ``python -m benchmarks --collect`` does for every area), leaving
    the other areas' sections as they are."""
    from benchmarks.__main__ import _demote

    if not BENCHMARKS_MD.exists():
        return
    text = BENCHMARKS_MD.read_text(encoding="utf-8").split("\n")
    head = "## Multiple systems estimation"
    start = next((i for i, x in enumerate(text) if x.startswith(head)), None)
    if start is None:
        return
    end = next((i for i in range(start + 1, len(text)) if text[i].startswith("## ")), len(text))
    new = _demote(OUT.read_text(encoding="utf-8").rstrip()).split("\n")
    text[start:end] = new + ([""] if end < len(text) else [])
    BENCHMARKS_MD.write_text("\n".join(text), encoding="utf-8")
    print(f"updated the estimation section of {BENCHMARKS_MD}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks estimate")
    ap.add_argument("--reps", type=int, default=10, help="simulation study replicates")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each timed job")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-r", action="store_true")
    ap.add_argument(
        "--part",
        choices=["speed", "sim", "all"],
        default="all",
        help="run one part; the other part's last figures are kept",
    )
    a = ap.parse_args(argv)
    cache = OUT.with_suffix(".json")
    prev: dict[str, Any] = json.loads(cache.read_text()) if cache.exists() else {}
    if a.part in ("speed", "all"):
        if not MSE.is_dir():
            print(f"skipping the speed part: {MSE} is absent")
        else:
            env, note = r_setup(a.no_r)
            print(f"R: {note}", flush=True)
            prev["r_note"], prev["r_version"] = note, r_version() if env else ""
            prev["speed"] = speed(env, 2 if a.quick else a.repeat, a.quick)
            cache.write_text(json.dumps(prev, indent=1))
    if a.part in ("sim", "all"):
        reps = 3 if a.quick else a.reps
        prev["sim"], prev["reps"] = simulation_study(reps), reps
        cache.write_text(json.dumps(prev, indent=1))
    write(prev)


if __name__ == "__main__":
    main()
