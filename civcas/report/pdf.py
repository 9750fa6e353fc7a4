"""HTML report to PDF: headless Chromium (preferred; CI installs Debian's) or WeasyPrint."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..model.errors import ConfigError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    env = os.environ.get("CIVCAS_CHROMIUM")
    if env:
        return env
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def write_pdf(html: str, out: Path) -> str:
    """Write ``out``; returns the engine used. Chromium runs offline with no profile."""
    out = Path(out).resolve()
    browser = find_chromium()
    with tempfile.TemporaryDirectory(prefix="civcas-pdf-") as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(html, encoding="utf-8")
        if browser:
            cmd = [
                browser, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", f"--user-data-dir={tmp}/profile",
                "--no-pdf-header-footer", f"--print-to-pdf={out}", src.as_uri(),
            ]  # fmt: skip
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
            if proc.returncode != 0 or not out.is_file():
                raise ConfigError(f"chromium could not print the PDF: {proc.stderr[-800:]}")
            return "chromium"
        try:
            import weasyprint  # type: ignore[import-not-found]
        except ImportError:
            raise ConfigError(
                "no PDF engine: install Debian's chromium (apt-get install chromium) "
                "or WeasyPrint (pip install weasyprint)"
            ) from None
        weasyprint.HTML(string=html).write_pdf(str(out))
        return "weasyprint"
