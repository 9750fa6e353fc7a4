"""The published report: one self-contained HTML file (inline CSS and SVG, no requests).

It carries the same numbers as the dashboard and `civcas tally --json` (the tally object
is embedded verbatim as JSON for machines), a static map, the tables, the methodology,
an appendix of incidents with links, and a reproducibility stamp.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import __version__
from ..model.filters import IncidentFilter
from ..model.vocab import GRADE_DEFINITIONS, Grade
from ..store.engine import Store
from ..store.queries import iter_incidents
from ..store.web import map_points
from .figures import figures
from .links import install as install_links
from .svg import comparison_chart, likely_by_month, monthly_chart
from .svgmap import static_map

TEMPLATES = Path(__file__).parent / "templates"


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"])
    )
    env.filters["n"] = lambda v: f"{v:,}" if isinstance(v, int) else ("?" if v is None else v)
    install_links(env)  # links only through the URL allowlist
    return env


def strikes_chart(rows: list[dict[str, Any]]) -> str:
    from ..strikes.chart import monthly_svg

    labels = {"title": "Declared strikes, alleged incidents and likely deaths per month",
              "declared_strikes": "Strikes the belligerent declared",
              "alleged_incidents": "Alleged incidents", "likely_deaths_max": "Likely deaths (max)"}  # fmt: skip
    return monthly_svg(rows, labels)


def build_report(store: Store, f: IncidentFilter, command: str, *, title: str | None = None) -> str:
    """The report for filter ``f``; ``command`` is printed in the stamp to reproduce it."""
    fig = figures(store, f)
    s = fig.summary
    likely = likely_by_month(fig.month_grade, s["likely"]["grades"])
    appendix: list[dict[str, Any]] = list(iter_incidents(store, f))
    ctx = {
        "title": title or "Civilian harm: documented incidents",
        "s": s,
        "filter": f.as_params(),
        "estimate": fig.estimate,
        "declared": fig.declared,
        "strikes_svg": strikes_chart(fig.strikes_monthly) if fig.strikes_monthly else "",
        "monthly_svg": monthly_chart(fig.month_grade, {}),
        "comparison_svg": comparison_chart(s, likely, {}),
        "map_svg": static_map(map_points(store, f)),
        "likely_by_month": likely,
        "grade_definitions": {g.value: GRADE_DEFINITIONS[g] for g in Grade},
        "appendix": appendix,
        "version": __version__,
        "command": command,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "summary_json": json.dumps(s, ensure_ascii=False).replace("</", "<\\/"),
    }
    # the latest signed checkpoint of the record's history (issue 16): whoever keeps the
    # report can later check that the history still extends it
    from ..workflow.audit import latest_checkpoint

    cp = latest_checkpoint(store)
    ctx["checkpoint"] = cp
    ctx["checkpoint_json"] = json.dumps(cp, indent=1).replace("</", "<\\/") if cp else ""
    return _env().get_template("report.html").render(ctx)
