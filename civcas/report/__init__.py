"""Published figures: SVG charts and maps shared with the web app, the self-contained report.

Public surface: ``figures(store, f)`` (every number a page or report shows, from one
tally), ``build_report(store, f, command)`` (HTML text), ``write_pdf(html, path)``, and the
SVG helpers ``monthly_chart``, ``comparison_chart``, ``static_map``.
"""

from .figures import Figures, figures, latest_estimate
from .svg import comparison_chart, monthly_chart
from .svgmap import static_map

__all__ = [
    "Figures",
    "build_report",
    "comparison_chart",
    "figures",
    "latest_estimate",
    "monthly_chart",
    "static_map",
    "write_pdf",
]


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    # the report builder pulls in Jinja2; load it only when asked
    if name == "build_report":
        from .html import build_report

        return build_report
    if name == "write_pdf":
        from .pdf import write_pdf

        return write_pdf
    raise AttributeError(name)
