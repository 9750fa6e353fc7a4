"""`civcas estimate`: multiple systems estimation from an overlap CSV or the linked records."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console

from .common import get_store, handle_errors, print_json


@click.command("estimate")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--method",
    type=click.Choice(["loglinear", "lcmcr", "dga", "all"]),
    default="loglinear",
    show_default=True,
    help="all: run the three and report where they disagree.",
)
@click.option("--model", "model", metavar="GC", help="Log-linear generating class, e.g. A*B + C*D.")
@click.option(
    "--select",
    type=click.Choice(["bic", "aic", "stepwise"]),
    default="bic",
    show_default=True,
    help="Log-linear model search (ignored with --model).",
)
@click.option(
    "--threshold", type=float, default=0.02, show_default=True, help="Stepwise p-value threshold."
)
@click.option("--max-order", type=int, help="Highest interaction order searched.")
@click.option(
    "--bic-n",
    type=click.Choice(["observed", "cells"]),
    default="observed",
    show_default=True,
    help="Sample size in BIC: observed people or cells.",
)
@click.option(
    "--bootstrap",
    type=int,
    default=0,
    show_default=True,
    help="Parametric bootstrap replicates (selection redone on each).",
)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--K", "K", type=int, default=10, show_default=True, help="LCMCR latent classes.")
@click.option(
    "--a", "a", type=float, default=0.25, show_default=True, help="LCMCR alpha prior shape."
)
@click.option(
    "--b", "b", type=float, default=0.25, show_default=True, help="LCMCR alpha prior rate."
)
@click.option("--burnin", type=int, default=10_000, show_default=True)
@click.option(
    "--samples",
    type=int,
    help="LCMCR draws kept over all chains: a fixed-length run (R's LCMCR: 1000). "
    "Default: run until the effective sample size reaches --ess, or --max-time.",
)
@click.option("--thin", type=int, default=100, show_default=True)
@click.option(
    "--ess",
    "ess_target",
    type=float,
    default=400,
    show_default=True,
    help="LCMCR: effective sample size of N to reach (without --samples).",
)
@click.option(
    "--max-time",
    "max_seconds",
    type=float,
    default=300,
    show_default=True,
    help="LCMCR: stop at this many seconds even if the ESS target is not reached.",
)
@click.option("--chains", type=int, default=4, show_default=True)
@click.option("--workers", type=int, help="Processes for the chains (default: one per core).")
@click.option(
    "--engine",
    type=click.Choice(["auto", "numba", "numpy"]),
    default="auto",
    show_default=True,
    help="LCMCR sampler: compiled (numba) or plain numpy; auto = numba when installed.",
)
@click.option("--delta", type=float, help="dga hyper-Dirichlet parameter (default 2^-J).")
@click.option(
    "--prior",
    type=click.Choice(["inverse", "negbin"]),
    default="inverse",
    show_default=True,
    help="dga prior on N.",
)
@click.option("--nb-a", type=float, default=1.0, help="negbin prior: gamma shape.")
@click.option("--nb-b", type=float, default=1.0, help="negbin prior: gamma scale.")
@click.option("--stratify", metavar="COL", help="Estimate per stratum and combine.")
@click.option("--from-db", is_flag=True, help="Use the linked victim records in the database.")
@click.option("--linked", is_flag=True,
              help="FILE is linked records (civcas link -o), not an overlap table; if it was "
                   "linked --for-estimation, the estimate combines its linkage draws.")  # fmt: skip
@click.option("--lists", metavar="A,B,C", help="With --from-db or --linked: the lists to use.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@click.option("--plot", "plot", type=click.Path(dir_okay=False), help="Write a PNG.")
@click.option("--save", "save", metavar="LABEL", help="Save the result in the database.")
@click.pass_context
@handle_errors
def estimate(
    ctx: click.Context,
    file: str | None,
    method: str,
    stratify: str | None,
    from_db: bool,
    linked: bool,
    lists: str | None,
    as_json: bool,
    plot: str | None,
    save: str | None,
    **kw: Any,
) -> None:
    """Estimate the total (seen + unseen) from the overlap between lists."""
    from ..estimate import LcmcrSettings, capture_table_from_records, read_overlap_csv
    from ..estimate.api import estimate as run_one
    from ..estimate.api import estimate_strata, public
    from ..estimate.diagnostics import disagreements

    if from_db == (file is not None):
        raise click.UsageError("give either FILE.csv or --from-db")
    names = [x.strip() for x in lists.split(",")] if lists else None
    drawn: list[Any] = []
    if from_db:
        from ..store.estimates import capture_records

        tables = capture_table_from_records(
            capture_records(get_store(ctx), stratify), names, stratify
        )
    elif linked:
        from ..estimate.tables import read_linked_csv

        assert file is not None
        tables, drawn = read_linked_csv(file, names, stratify)
        if drawn and stratify:
            raise click.UsageError(
                "--stratify is not combined with linkage draws yet: estimate each stratum's "
                "records separately, or drop the person_id_draw_ columns"
            )
    else:
        assert file is not None
        tables = read_overlap_csv(file, stratify)
    opts: dict[str, Any] = dict(
        model=kw["model"],
        select=kw["select"],
        threshold=kw["threshold"],
        max_order=kw["max_order"],
        bic_n=kw["bic_n"],
        bootstrap=kw["bootstrap"],
        seed=kw["seed"],
        delta=kw["delta"],
        prior=kw["prior"],
        nb_a=kw["nb_a"],
        nb_b=kw["nb_b"],
        lcmcr_settings=LcmcrSettings(
            K=kw["K"],
            a=kw["a"],
            b=kw["b"],
            burnin=kw["burnin"],
            samples=kw["samples"],
            thin=kw["thin"],
            chains=kw["chains"],
            workers=kw["workers"],
            seed=kw["seed"],
            engine=kw["engine"],
            ess_target=kw["ess_target"],
            max_seconds=kw["max_seconds"],
        ),
    )
    console = Console(stderr=True, quiet=as_json)
    methods = ["loglinear", "lcmcr", "dga"] if method == "all" else [method]
    results = []
    for m in methods:
        if drawn:
            from ..estimate.linkage import estimate_linkages

            with console.status(f"estimating with {m} on {len(drawn)} linkage draws ..."):
                results.append(estimate_linkages(drawn, m, **opts))
            continue
        if m == "loglinear" and (kw["bootstrap"] or stratify):
            from rich.progress import Progress

            reps = (kw["bootstrap"] or 200) * len(tables)
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task("bootstrap replicates", total=reps)
                opts["progress"] = lambda _i, bar=bar, task=task: bar.advance(task)
                results.append(_run(tables, m, stratify, opts, run_one, estimate_strata))
            opts.pop("progress")
            continue
        with console.status(f"estimating with {m} ..."):
            results.append(_run(tables, m, stratify, opts, run_one, estimate_strata))
    if method == "all":
        out: dict[str, Any] = {
            "method": "all",
            "n_observed": results[0]["n_observed"],
            "results": [public(r) for r in results],
            "warnings": disagreements(results),
        }
    else:
        out = public(results[0])
    if plot:
        from ..estimate.plot import plot_result

        plot_result(results[0], None if stratify else tables[None], plot)
    if save:
        from ..store.estimates import file_provenance, record_provenance, save_estimate

        store = get_store(ctx)
        if from_db:  # the whole record's linked victims: its scope and snapshot
            from ..model.filters import IncidentFilter
            from ..store.queries import snapshot_hash

            prov = record_provenance({}, snapshot_hash(store, IncidentFilter()))
        else:
            assert file is not None
            prov = file_provenance(file)
        out["saved_id"] = save_estimate(store, out, save, prov)
    if as_json:
        print_json(out)
    else:
        render(out)


def _run(
    tables: Any, method: str, stratify: str | None, opts: dict[str, Any], one: Any, strata: Any
) -> dict[str, Any]:
    if stratify:
        out: dict[str, Any] = strata(tables, method, **opts)
    else:
        out = one(tables[None], method, **opts)
    return out


def render(res: dict[str, Any]) -> None:
    con = Console()
    if res.get("method") == "all":
        for r in res["results"]:
            render(r)
            con.print()
        for w in res["warnings"]:
            con.print(f"[yellow]Warning:[/yellow] {w}")
        return
    lo, hi = res["ci95"]
    con.print(
        f"[bold]{res['method']}[/bold]: estimated total N = [bold]{res['N']:,.1f}[/bold] "
        f"(95% interval {_f(lo)} – {_f(hi)}); observed {res['n_observed']:,}, "
        f"estimated unseen {res['n_missing']:,.1f}"
    )
    con.print(f"  model: {res.get('model')}")
    if res.get("ci_method"):
        con.print(f"  interval: {res['ci_method']}")
    if res.get("quantiles"):
        q = res["quantiles"]
        con.print("  quantiles: " + ", ".join(f"{float(k):.1%} {v:,.0f}" for k, v in q.items()))
    if res.get("rhat") is not None:
        con.print(f"  R-hat {res['rhat']:.3f}, effective sample size {res['ess']:.0f}")
    if res.get("run"):
        r = res["run"]
        con.print(
            f"  sampler: {r['stopped']} after {r['iterations_per_chain']:,} iterations per "
            f"chain ({res.get('chains')} chains, {r['draws']:,} draws, {r['seconds']:.1f} s)"
        )
    for s in res.get("strata", []):
        if "too_sparse" in s:
            con.print(f"  stratum {s['stratum']}: too sparse ({s['too_sparse']})")
        else:
            con.print(
                f"  stratum {s['stratum']}: N = {s['N']:,.1f} ({_f(s['ci95'][0])} – "
                f"{_f(s['ci95'][1])}), observed {s['n_observed']:,}"
            )
    for w in res.get("warnings", []):
        con.print(f"[yellow]Warning:[/yellow] {w}")
    if res.get("saved_id"):
        con.print(f"  saved as estimate #{res['saved_id']}")


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:,.0f}"
