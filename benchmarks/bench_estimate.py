"""Multiple systems estimation: speed against R, and bias/coverage on simulated populations.

`python -m benchmarks estimate [--reps 20] [--quick] [--no-r]` writes
benchmarks/results/estimate.md. Bounded to a few minutes: the long LCMCR settings are
measured on a slice and extrapolated (the report says which figures are extrapolated).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from civcas.estimate import (
    CaptureTable,
    LcmcrSettings,
    dga,
    enumerate_models,
    lcmcr,
    read_overlap_csv,
    select_by_ic,
    stepwise,
)
from civcas.estimate.dga import quantiles
from civcas.estimate.lcmcr import run_chains
from civcas.estimate.loglinear import profile_ci

ROOT = Path(__file__).resolve().parents[1]
MSE = ROOT.parent / "shared" / "data" / "mse"
OUT = Path(__file__).parent / "results" / "estimate.md"
R_SCRIPT = Path(__file__).parent / "r" / "bic_all_models.R"


CPU: dict[str, float] = {}


def best_of(fn: Callable[[], Any], n: int = 3) -> tuple[float, Any]:
    """Best wall time of n runs; the CPU time of that run is left in CPU["last"]."""
    best, out = float("inf"), None
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if wall < best:
            best, CPU["last"] = wall, cpu
    return best, out


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


def formula(model: tuple[int, ...], J: int) -> str:
    names = [f"L{j + 1}" for j in range(J)]
    parts = names[:]
    for t in model:
        parts.append(":".join(names[j] for j in range(J) if t >> j & 1))
    return " + ".join(parts)


def r_enumeration(t: CaptureTable, timeout: int = 240) -> dict[str, Any] | None:
    if not shutil.which("Rscript"):
        return None
    models = enumerate_models(t.J)
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "t.csv"
        rows = [",".join([f"L{j + 1}" for j in range(t.J)] + ["count"])]
        for r in t.rows():
            rows.append(",".join(str(v) for v in r.values()))
        csv.write_text("\n".join(rows) + "\n")
        forms = Path(tmp) / "f.txt"
        forms.write_text("\n".join(formula(m, t.J) for m in models) + "\n")
        t0 = time.perf_counter()
        try:
            p = subprocess.run(
                ["Rscript", str(R_SCRIPT), str(csv), str(forms)],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return {"timeout": timeout}
        wall = time.perf_counter() - t0
    if p.returncode != 0:
        return {"error": p.stderr[-300:]}
    el, n, f, k, cpu = p.stdout.strip().split("\t")
    return {
        "loop": float(el),
        "wall": wall,
        "N": float(n),
        "formula": f,
        "models": int(k),
        "cpu": float(cpu),
    }


def dense_five_lists(seed: int = 3) -> CaptureTable:
    rng = np.random.default_rng(seed)
    N = 30000
    z = rng.normal(0, 0.7, size=(N, 1))
    p = 1 / (1 + np.exp(-(np.array([-1.0, -1.3, -0.9, -1.5, -1.2]) + z)))
    caught = rng.random((N, 5)) < p
    w = (caught * (1 << np.arange(5))).sum(axis=1)
    counts = np.bincount(w, minlength=32).astype(np.int64)
    counts[0] = 0
    return CaptureTable(tuple("ABCDE"), counts)


def speed(no_r: bool, quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"enum": [], "other": []}
    tabs = [("simulated dense 5-list table (N = 30,000)", dense_five_lists())]
    if MSE.is_dir():
        tabs += [
            (
                "uk_modern_slavery_2013_5lists",
                read_overlap_csv(MSE / "uk_modern_slavery_2013_5lists.csv")[None],
            ),
        ]
    for name, t in tabs:
        sec, (best, fits) = best_of(lambda t=t: select_by_ic(t, "bic"), 1 if quick else 2)
        refused = sum(not f.exists for f in fits)
        r = None if no_r else r_enumeration(t)
        out["enum"].append(
            {
                "table": name,
                "models": len(fits),
                "refused": refused,
                "ours": sec,
                "N": best.N,
                "r": r,
            }
        )
        print(f"  enumerate {name}: {len(fits)} models in {sec:.2f} s; R: {r}", flush=True)
    if not MSE.is_dir():
        return out
    kos = read_overlap_csv(MSE / "kosovo_1999_4lists.csv")[None]
    uk5 = read_overlap_csv(MSE / "uk_modern_slavery_2013_5lists.csv")[None]
    uk6 = read_overlap_csv(MSE / "uk_modern_slavery_2013_6lists.csv")[None]
    o = out["other"]
    sec, _ = best_of(lambda: select_by_ic(kos, "bic"))
    o.append(("all 113 4-list models by BIC, Kosovo", sec, f"CPU {CPU['last']:.3f} s"))
    sec, _ = best_of(lambda: stepwise(uk5))
    o.append(("stepwise (CSV 2021), UK 5 lists", sec, f"CPU {CPU['last']:.3f} s"))
    if not quick:
        sec, (b6, f6) = best_of(lambda: select_by_ic(uk6, "bic"), 1)
        o.append(
            (f"all {len(f6):,} pairwise 6-list models by BIC, UK 6 lists", sec, f"N = {b6.N:,.0f}")
        )
    sec, _ = best_of(lambda: dga(kos))
    o.append(("dga, 61 graphs, Kosovo", sec, f"CPU {CPU['last']:.3f} s"))
    sec, _ = best_of(lambda: dga(uk5), 1)
    o.append(("dga, 822 graphs, UK 5 lists", sec, f"CPU {CPU['last']:.2f} s"))
    # LCMCR
    lc: dict[str, Any] = {}
    iters = 20_000 if quick else 110_000
    t0, c0 = time.perf_counter(), time.process_time()
    run_chains(kos.counts, 4, 10, 0.25, 0.25, 10_000, (iters - 10_000) // 100, 100, 1, 1)
    lc["one_chain"] = (iters, time.perf_counter() - t0, time.process_time() - c0)
    t0 = time.perf_counter()
    r4 = lcmcr(
        kos, LcmcrSettings(K=10, burnin=10_000, samples=1000, thin=100, chains=4, workers=2, seed=1)
    )
    lc["four_chains"] = (time.perf_counter() - t0, float(np.median(r4.draws)), r4.rhat, r4.ess)
    # K = 15 slice: 16 chains, 2 processes, 3,000 iterations each
    t0 = time.perf_counter()
    lcmcr(
        kos,
        LcmcrSettings(K=15, burnin=1000, samples=16 * 20, thin=100, chains=16, workers=2, seed=1),
    )
    sl = time.perf_counter() - t0
    per_chain_iter = sl / (16 * 3000)
    lc["k15_slice"] = (sl, per_chain_iter)
    c0 = time.process_time()
    run_chains(kos.counts, 4, 15, 0.25, 0.25, 2000, 10, 100, 1, 1)
    lc["k15_one_chain_per_iter"] = (time.process_time() - c0) / 3000
    # the same slice as the 16-chain run, in one process, by CPU time
    c0 = time.process_time()
    run_chains(kos.counts, 4, 15, 0.25, 0.25, 1000, 20, 100, 16, 1)
    lc["k15_16chains_cpu_per_chain_iter"] = (time.process_time() - c0) / (16 * 3000)
    out["lcmcr"] = lc
    print(f"  lcmcr: {lc}", flush=True)
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


def write(sp: dict[str, Any], sim: list[dict[str, Any]], reps: int) -> None:
    L = [
        "# Multiple systems estimation (civcas.estimate)",
        "",
        f"Machine: {machine()}",
        "",
        "Measured while the other helpers' work (Spark, Chromium, test suites, benchmarks) "
        "shared the 2 CPUs, at a load average of 10-15: wall times are several times "
        "pessimistic, so CPU times (this process only) are given too and the ratios use "
        "CPU time on both sides. R 4.2.2 from Debian (`r-base-core`); the R packages "
        "LCMCR, dga, Rcapture and SparseMSE are not packaged in Debian and CRAN is "
        "unreachable, so the issue's quoted R timings are the reference for those (not "
        "re-measured).",
        "",
        "## Speed: all 5-list hierarchical models by BIC (interactions up to order 3)",
        "",
        "| table | models | refused (no MLE) | civcas wall / CPU (s) | base-R glm loop wall / CPU (s) | ratio R/civcas (CPU) | same best N? |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for e in sp.get("enum", []):
        r = e["r"] or {}
        ours = f"{e['ours']:.2f} / {e['ours_cpu']:.2f}"
        if "loop" in r:
            same = (
                "yes"
                if abs(r["N"] - e["N"]) < 0.5
                else f"no (R {r['N']:,.1f}, civcas {e['N']:,.1f})"
            )
            L.append(
                f"| {e['table']} | {e['models']:,} | {e['refused']:,} | {ours} | "
                f"{r['loop']:.2f} / {r['cpu']:.2f} | {r['cpu'] / e['ours_cpu']:.1f}x | {same} |"
            )
        else:
            L.append(
                f"| {e['table']} | {e['models']:,} | {e['refused']:,} | {ours} | "
                f"{r or 'not run'} | | |"
            )
    L += [
        "",
        "The base-R loop (benchmarks/r/bic_all_models.R) calls `glm(family = poisson)` on "
        "the same model list with no existence checks, so it is a lower bound on what an R "
        "package doing this search costs. The issue quotes 10-15 s for this search in R on "
        "an unloaded 2-core machine.",
        "",
        "## Speed: other operations",
        "",
        "| operation | civcas wall (s) | note |",
        "|---|---:|---|",
    ]
    for name, sec, note in sp.get("other", []):
        L.append(f"| {name} | {sec:.3f} | {note} |")
    lc = sp.get("lcmcr")
    if lc:
        it, s1, c1 = lc["one_chain"]
        s4, med, rhat, ess = lc["four_chains"]
        sl, pci = lc["k15_slice"]
        k15_1 = lc["k15_one_chain_per_iter"]
        k15_16 = lc["k15_16chains_cpu_per_chain_iter"]
        prod_cpu = k15_16 * 16 * (10_000 + 5_000_000 / 16)
        L += [
            "",
            "## Speed: LCMCR (Kosovo, K = 10, a = b = 0.25)",
            "",
            "| run | civcas | R (quoted by the issue, not re-measured) |",
            "|---|---:|---:|",
            f"| one chain, {it:,} iterations (10,000 burn-in), in-process | wall {s1:.1f} s, CPU {c1:.1f} s ({c1 / it * 1e6:.0f} µs/iteration) | about 2 s |",
            f"| 4 chains x 250 draws at thinning 100 + 10,000 burn-in each, 2 processes (1,000 draws in all) | wall {s4:.1f} s | about 2 s (1 chain, 1,000 draws) |",
            f"| K = 15, 16 chains as stacked arrays, 5,000,000 post-burn-in iterations in all + 10,000 burn-in per chain: **extrapolated** from {16 * 3000:,} chain-iterations | CPU {prod_cpu:.0f} s in one process; about {prod_cpu / 2:.0f} s wall on 2 idle cores | about 131 s |",
            f"| K = 15, one chain, 5,010,000 iterations: **extrapolated** from 3,000 iterations | CPU {k15_1 * 5_010_000:.0f} s | about 131 s |",
            "",
            f"Measured CPU cost per chain-iteration at K = 15: {k15_1 * 1e6:.0f} µs for one chain, "
            f"{k15_16 * 1e6:.0f} µs when 16 chains run as stacked arrays. The 16-chain slice on "
            f"2 processes took {sl:.1f} s wall under load. 4-chain run: median N = {med:,.0f}, "
            f"R-hat {rhat:.3f}, bulk ESS {ess:.0f}.",
            "",
            "**Target not met for LCMCR.** The sampler is pure numpy (numba is not available, "
            "compiled code is out of scope), so one iteration costs a fixed two dozen numpy "
            "calls plus the multinomial and gamma draws, against ~18 µs per iteration for the "
            "compiled R package. Working on the 2^J pattern counts makes the cost independent "
            "of the number of people, and stacking chains amortises the call overhead, which "
            "brings the production setting to roughly R's time on 2 cores, but not to twice "
            "as fast; a single chain is several times slower per iteration.",
        ]
    if sim:
        L += [
            "",
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
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(L) + "\n")
    print(f"wrote {OUT}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks estimate")
    ap.add_argument("--reps", type=int, default=10)
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
    reps = 3 if a.quick else a.reps
    if a.part in ("speed", "all"):
        prev["speed"] = speed(a.no_r, a.quick)
        cache.write_text(json.dumps(prev, indent=1))
    if a.part in ("sim", "all"):
        prev["sim"], prev["reps"] = simulation_study(reps), reps
        cache.write_text(json.dumps(prev, indent=1))
    write(prev.get("speed", {}), prev.get("sim", []), prev.get("reps", reps))


if __name__ == "__main__":
    main()
