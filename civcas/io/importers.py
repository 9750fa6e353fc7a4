"""One entry point for every importer: pick the reader by kind, run it through the pipeline.

Each reader is a generator of :class:`Parsed` rows; ``run_import`` writes them inside one
transaction (all-or-nothing) and counts inserted/updated/unchanged/rejected rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ..model.errors import InputError
from ..store.engine import Store
from .common import Unmapped
from .links import scrub_rows
from .pipeline import ImportResult, Parsed, run_import

Reader = Callable[[Path, Unmapped], Iterator[Parsed]]

KINDS = ("airwars-archive", "ibc", "ucdp-ged", "acled", "csv", "civcas-json", "civcas-demo")


def reader_for(
    kind: str, mapping: Path | None = None, actors: Path | None = None
) -> tuple[str, Reader]:
    """(source kind stored with each incident, reader) for an importer name.

    ``actors``: a file of actor rules tried before civcas's own (UCDP GED and ACLED;
    civcas/io/mappings/actors.yaml shows the layout)."""
    if kind == "airwars-archive":
        from .airwars import SOURCE_KIND, read_airwars_archive

        return SOURCE_KIND, read_airwars_archive
    if kind == "ibc":
        from .ibc import SOURCE_KIND as IBC
        from .ibc import read_ibc

        return IBC, read_ibc
    if kind == "ucdp-ged":
        from .actors import ActorMap
        from .ucdp import SOURCE_KIND as GED
        from .ucdp import read_ucdp_ged

        ged_actors = ActorMap(actors)
        return GED, lambda p, u: read_ucdp_ged(p, u, ged_actors)
    if kind == "acled":
        from .acled import SOURCE_KIND as ACLED
        from .acled import read_acled
        from .actors import ActorMap

        acled_actors = ActorMap(actors)
        return ACLED, lambda p, u: read_acled(p, u, acled_actors)
    if kind == "csv":
        from .mapping import load_mapping, read_mapped

        if mapping is None:
            raise InputError("the csv importer needs a column mapping (--mapping FILE)")
        spec = load_mapping(mapping)
        return spec.source_kind, lambda p, u: read_mapped(p, spec, u)
    if kind == "civcas-json":
        from .civcas_json import SOURCE_KIND as CIVCAS_JSON
        from .civcas_json import read_civcas_json

        return CIVCAS_JSON, read_civcas_json
    if kind == "civcas-demo":
        from .demo import SOURCE_KIND as DEMO
        from .demo import read_demo

        return DEMO, read_demo
    raise InputError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")


def with_raw(rows: Iterator[Parsed]) -> Iterator[Parsed]:
    """Keep each row's original record with its incident (stored, and hashed for re-imports)."""
    for p in rows:
        if p.incident is not None and not p.incident.raw:
            p.incident.raw = p.raw
        yield p


def import_file(
    store: Store,
    kind: str,
    path: Path,
    *,
    mapping: Path | None = None,
    actors: Path | None = None,
    skip_invalid: bool = False,
    reject_path: Path | None = None,
    progress: Callable[[int], None] | None = None,
    parallel: bool | None = None,
) -> ImportResult:
    """Import one file (or archive directory) of a given kind, all-or-nothing.

    ``parallel``: read in a second process (default: for big files, where safe).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file or directory: {path}", source=str(path))
    source_kind, reader = reader_for(kind, mapping, actors)
    unmapped: Unmapped = {}
    return run_import(
        store,
        source_kind,
        path,
        scrub_rows(with_raw(reader(path, unmapped)), unmapped),
        skip_invalid=skip_invalid,
        reject_path=reject_path,
        progress=progress,
        unmapped=unmapped,
        parallel=parallel,
    )
