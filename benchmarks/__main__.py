"""Run the benchmarks: `python -m benchmarks` (all) or `python -m benchmarks store web ...`.

Each benchmarks/bench_<area>.py has main(argv) and writes its figures to
benchmarks/results/<area>.md; `python -m benchmarks --collect` rebuilds BENCHMARKS.md from
benchmarks/results/SUMMARY.md (targets against figures) and those files.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def _demote(text: str) -> str:
    out, fenced = [], False
    for ln in text.splitlines():
        fenced ^= ln.startswith("```")
        out.append("#" + ln if ln.startswith("#") and not fenced else ln)
    return "\n".join(out)


def collect(here: Path) -> Path:
    """BENCHMARKS.md = the summary, then every area's results file, headings one level down."""
    results = here / "results"
    parts = [(results / "SUMMARY.md").read_text(encoding="utf-8").rstrip()]
    for f in sorted(results.glob("*.md")):
        if f.name != "SUMMARY.md":
            parts.append(_demote(f.read_text(encoding="utf-8").rstrip()))
    out = here.parent / "BENCHMARKS.md"
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    if "--collect" in argv:
        print(f"wrote {collect(here)}")
        return 0
    areas = sorted(
        m.name[len("bench_") :]
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )
    chosen = [a for a in argv if not a.startswith("-")] or areas
    rest = [a for a in argv if a.startswith("-")]
    for area in chosen:
        if area not in areas:
            print(f"unknown benchmark {area!r}; choose from {', '.join(areas)}", file=sys.stderr)
            return 2
        print(f"== benchmark: {area}", flush=True)
        importlib.import_module(f"benchmarks.bench_{area}").main(rest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
