"""The published report: one self-contained HTML file (inline CSS and SVG, no requests).

It carries the same numbers as the dashboard and `civcas tally --json` (the tally object
is embedded verbatim as JSON for machines). Laid out to be printed as a newsroom would
publish it: a title from the scope, the data's credit and the headline figures on page
1, numbered pages, the charts, the static map, the tables, the methodology, the largest
incidents (or all of them, ``appendix="all"``) and a reproducibility stamp that names
the data snapshot and the software, never a local path. English or Arabic (``lang``).
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from .. import __version__
from ..model.filters import IncidentFilter
from ..model.vocab import GRADE_DEFINITIONS, Grade
from ..store.engine import Store
from ..store.queries import iter_incidents
from ..store.web import map_points
from .credits import credits
from .figures import figures
from .links import install as install_links
from .svg import comparison_chart, likely_by_month, monthly_chart
from .svgmap import static_map
from .words import Translate, party, scope, translator
from .words import title as scope_title

TEMPLATES = Path(__file__).parent / "templates"
PAPERS = {"a4": "A4", "letter": "letter"}
APPENDIX = ("largest", "all")
LARGEST = 25  # incidents in the default appendix


def css_string(text: str) -> Markup:
    """A quoted CSS string (for ``content:`` in the page footer): every character that
    could end the string or the style block is written as a CSS escape."""
    out = []
    for ch in str(text):
        if ch.isalnum() or ch in " .,:;–-()/'":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"])
    )
    env.filters["n"] = lambda v: f"{v:,}" if isinstance(v, int) else ("?" if v is None else v)
    env.filters["css_string"] = css_string
    install_links(env)  # links only through the URL allowlist
    return env


def strikes_chart(rows: list[dict[str, Any]], t: Translate) -> str:
    from ..strikes.chart import monthly_svg

    keys = ("title", "declared_strikes", "alleged_incidents", "likely_deaths_max")
    return monthly_svg(rows, {k: t(f"strikes_{k}") for k in keys})


def reproduce_command(
    f: IncidentFilter, *, lang: str = "en", paper: str = "a4", appendix: str = "largest"
) -> str:
    """The command that makes this report again from the same record: the filter and the
    layout options, without the database's location or the output file (local paths)."""
    parts = ["civcas", "report"]
    for key, value in f.as_params().items():
        parts += [f"--{key}", shlex.quote(value)]
    if lang != "en":
        parts += ["--lang", lang]
    if paper != "a4":
        parts += ["--paper", paper]
    if appendix == "all":
        parts.append("--appendix")
    return " ".join(parts)


def _largest(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    def size(r: dict[str, Any]) -> tuple[int, int]:
        return (r.get("killed_max") or r.get("killed_min") or 0, r.get("killed_min") or 0)

    return sorted(rows, key=lambda r: (-size(r)[0], -size(r)[1], str(r.get("code"))))[:k]


def _governorate_name(f: IncidentFilter, incidents: list[dict[str, Any]]) -> str | None:
    """The Arabic name the records give the filter's governorate (the Arabic edition's
    title says الرقة, not Raqqa), or None."""
    if not f.governorate:
        return None
    wanted = f.governorate.casefold()
    names = Counter(
        r["governorate_ar"]
        for r in incidents
        if r.get("governorate_ar")
        and wanted in ((r.get("governorate_en") or "").casefold(), r["governorate_ar"])
    )
    return names.most_common(1)[0][0] if names else None


def build_report(
    store: Store,
    f: IncidentFilter,
    command: str | None = None,
    *,
    title: str | None = None,
    lang: str = "en",
    paper: str = "a4",
    appendix: str = "largest",
) -> str:
    """The report for filter ``f``. ``command`` is printed in the stamp to reproduce it
    (default: :func:`reproduce_command`); ``appendix`` "largest" lists the incidents with
    the most deaths, "all" every incident."""
    if paper not in PAPERS:
        raise ValueError(f"paper {paper!r}: expected one of {', '.join(PAPERS)}")
    if appendix not in APPENDIX:
        raise ValueError(f"appendix {appendix!r}: expected one of {', '.join(APPENDIX)}")
    t = translator(lang)
    fig = figures(store, f)
    s = fig.summary
    likely = likely_by_month(fig.month_grade, s["likely"]["grades"])
    incidents: list[dict[str, Any]] = list(iter_incidents(store, f))
    listed = incidents if appendix == "all" else _largest(incidents, LARGEST)
    chart_labels = {g.value: t(g.value) for g in Grade}
    chart_labels.update(
        Ungraded=t("Ungraded"),
        likely=t("likely_legend"),
        conceded=t("conceded_legend"),
        max=t("max_legend"),
    )
    grade_definitions = {
        g.value: (GRADE_DEFINITIONS[g] if lang == "en" else t(f"gd_{g.value}")) for g in Grade
    }
    rules = {
        k: (v if lang == "en" or t(f"rule_{k}") == f"rule_{k}" else t(f"rule_{k}"))
        for k, v in s["rules"].items()
    }
    gov = _governorate_name(f, incidents) if lang == "ar" else None

    def tm(key: str, /, **kw: Any) -> Markup:
        """Like t, for a sentence whose values are markup (numbers kept left to right)."""
        return Markup(escape(t(key))).format(**kw)

    ctx = {
        "t": t,
        "tm": tm,
        "likely_grades": " + ".join(t(g) for g in s["likely"]["grades"]),
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "page_size": PAPERS[paper],
        "title": title or scope_title(f, s["by_month"], lang, governorate=gov),
        "scope": scope(f, lang, governorate=gov),
        "party": lambda name: party(name, lang),
        "credits": credits(r.get("source_kind") for r in incidents),
        "s": s,
        "filter": f.as_params(),
        "estimate": fig.estimate,
        "declared": fig.declared,
        "strikes_svg": strikes_chart(fig.strikes_monthly, t) if fig.strikes_monthly else "",
        "monthly_svg": monthly_chart(fig.month_grade, chart_labels),
        "comparison_svg": comparison_chart(s, likely, chart_labels),
        "map_svg": static_map(map_points(store, f)),
        "likely_by_month": likely,
        "grade_definitions": grade_definitions,
        "rules": rules,
        "appendix": listed,
        "appendix_all": appendix == "all" or len(listed) == len(incidents),
        "incident_count": len(incidents),
        "version": __version__,
        "command": command or reproduce_command(f, lang=lang, paper=paper, appendix=appendix),
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


__all__ = ["APPENDIX", "LARGEST", "PAPERS", "build_report", "reproduce_command"]
