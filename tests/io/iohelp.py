"""Helpers for the io tests: run the CLI in-process, compute tallies independently."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from civcas.cli.main import cli

FIXTURES = Path(__file__).parent / "fixtures"


def run_cli(*args: str) -> Any:
    """Invoke `civcas ARGS` in-process; returns click's Result."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def tally_json(db: str, *args: str) -> dict[str, Any]:
    res = run_cli("--db", db, "tally", "--json", *args)
    assert res.exit_code == 0, res.output
    out: dict[str, Any] = json.loads(res.stdout)
    return out


def _int(s: str) -> int | None:
    s = (s or "").strip()
    return int(float(s)) if s else None


def _range(lo: str, hi: str) -> tuple[int, int, bool]:
    """The counting rule, written out again: one end known stands for both, none adds 0."""
    a, b = _int(lo), _int(hi)
    if a is None and b is None:
        return 0, 0, False
    return (a if a is not None else b), (b if b is not None else a), True  # type: ignore[return-value]


def independent_tally(
    incidents_csv: Path,
    victims_csv: Path,
    keep: Any = lambda row: True,
) -> dict[str, Any]:
    """Figures computed straight from Airwars' flat CSVs (no civcas code involved)."""
    with incidents_csv.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if keep(r)]
    zero = lambda: {"incidents": 0, "killed_min": 0, "killed_max": 0}  # noqa: E731
    out: dict[str, Any] = {
        **zero(),
        "injured_min": 0,
        "injured_max": 0,
        "children_killed_min": 0,
        "children_killed_max": 0,
        "incidents_unknown_count": 0,
        "by_grade": defaultdict(zero),
        "by_month": defaultdict(zero),
        "likely": zero(),
        "conceded": {"incidents_credible": 0, "deaths_min": 0, "deaths_max": 0},
    }
    seqs = set()
    for r in rows:
        seqs.add(r["sequence"])
        lo, hi, known = _range(r["civilians_killed_min"], r["civilians_killed_max"])
        grade = (r["civilian_harm_status_original"] or "Ungraded").split(",")[0].strip()
        month = r["incident_date"][:7]
        for acc in (out, out["by_grade"][grade], out["by_month"][month]) + (
            (out["likely"],) if grade in ("Confirmed", "Fair") else ()
        ):
            acc["incidents"] += 1
            acc["killed_min"] += lo
            acc["killed_max"] += hi
        out["incidents_unknown_count"] += 0 if known else 1
        ilo, ihi, _ = _range(r["civilians_injured_min"], r["civilians_injured_max"])
        out["injured_min"] += ilo
        out["injured_max"] += ihi
        clo, chi, _ = _range(r["children_killed_min"], r["children_killed_max"])
        out["children_killed_min"] += clo
        out["children_killed_max"] += chi
        if r["coalition_assessment"] == "credible":
            c = out["conceded"]
            dlo, dhi, _ = _range(
                r["coalition_deaths_conceded_min"], r["coalition_deaths_conceded_max"]
            )
            c["incidents_credible"] += 1
            c["deaths_min"] += dlo
            c["deaths_max"] += dhi
    with victims_csv.open(encoding="utf-8") as fh:
        out["named_victims"] = sum(
            1
            for v in csv.DictReader(fh)
            if v["sequence"] in seqs
            and v["status_original"] == "killed"
            and v["name_original"].strip()
        )
    out["by_grade"] = dict(out["by_grade"])
    out["by_month"] = dict(out["by_month"])
    return out
