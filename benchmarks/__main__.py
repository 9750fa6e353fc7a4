"""Run the benchmarks: `python -m benchmarks` (all) or `python -m benchmarks store web ...`.

Each benchmarks/bench_<area>.py has main(argv) and writes its figures to
benchmarks/results/<area>.md; BENCHMARKS.md collects them.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
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
