"""Reader of UCDP Georeferenced Event Dataset (GED) CSVs, columns as in the GED codebook.

GED counts all deaths (``best``/``low``/``high``, combatants included); civcas records
civilian harm, so killed = ``deaths_civilians`` (min) to ``deaths_civilians +
deaths_unknown`` (max): the deaths of unknown status may have been civilians. ``best``
is kept as the event's all-fatality figure (``fatalities_all``), never counted as
civilian deaths. ``date_prec`` and ``where_prec`` map through the codebook's tables
(civcas/io/mappings/ucdp_ged_codebook.json). ``side_a`` (and ``side_b`` unless it is
"Civilians") are the suspected belligerents, named through the actor rules per country
and date (civcas.io.actors).

Identity: a GED event is keyed by GED's numeric ``id`` (code ``GED-<id>``), and its raw
record is the GED row (GED's columns only), so civcas's GED export of it gives GED's own
values back. A row of civcas's GED export that did not come from GED carries its civcas
identity in ``civcas_code`` / ``civcas_source_kind`` / ``civcas_source_id``: it keeps its
code (no ``GED-`` prefix added), its counts come from ``low``/``high`` (the civcas range,
blank = unknown), its belligerents from ``civcas_belligerents``, and a blank date is
allowed (the incident had none). An older civcas export (``id`` holding a code such as
``GED-123`` or ``CS1640``) keeps that code too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model.records import BelligerentAssessment, CountRange, Incident, Place
from ..model.vocab import DatePrecision, LocationPrecision, StrikeType
from . import gazetteer as gz
from .actors import ActorMap
from .common import Cells, Unmapped, csv_rows, note_unmapped
from .ged_codebook import CIVCAS_COLUMNS, civcas_precision, codebook
from .pipeline import Parsed

SOURCE_KIND = "ucdp-ged"
REQUIRED = ("id", "date_start", "deaths_civilians", "best")


def _origin(r: dict[str, str]) -> str:
    """The civcas source kind a row of civcas's GED export came from ("" for GED's)."""
    kind = (r.get("civcas_source_kind") or "").strip()
    return "" if kind == SOURCE_KIND else kind


def read_ucdp_ged(
    path: Path, unmapped: Unmapped | None = None, actors: ActorMap | None = None
) -> Iterator[Parsed]:
    actors = actors or ActorMap()
    civilians = str(codebook()["civilians_side"]).lower()
    for row, r in csv_rows(Path(path), REQUIRED, unmapped=unmapped):
        c = Cells(row)
        origin = _origin(r)
        gid = c.text(r.get("id"))
        if origin:
            theirs = c.text(r.get("civcas_source_id"))
            code = c.text(r.get("civcas_code"))
            if not theirs or not code:
                c.problem("civcas_source_id", theirs, "the civcas source id and code")
            sid, code = f"{origin}:{theirs}", code or ""
        elif gid and not gid.isdigit():  # an older civcas export: id held the code
            sid, code = gid, gid
        else:
            if not gid:
                c.problem("id", r.get("id"), "the GED event id")
            sid, code = gid or "", f"GED-{gid}"
        start = c.date("date_start", r.get("date_start"))
        if start is None and not origin and not c.problems:
            c.problem("date_start", r.get("date_start"), "a date (YYYY-MM-DD)")
        end = c.date("date_end", r.get("date_end"))
        if start and end and end < start:
            c.problem("date_end", r.get("date_end"), f"a date ≥ {start}")
        civ = c.count("deaths_civilians", r.get("deaths_civilians"))
        unknown = c.count("deaths_unknown", r.get("deaths_unknown"))
        best = c.count("best", r.get("best"))
        for col in ("deaths_a", "deaths_b"):
            c.count(col, r.get(col))
        if origin:  # civcas's range: low = min, high = max (our export writes them so)
            lo, hi = c.count("low", r.get("low")), c.count("high", r.get("high"))
            if lo is not None and hi is not None and hi < lo:
                c.problem("high", r.get("high"), f"a number ≥ low ({lo}) in a civcas row")
                hi = None
            killed = CountRange(lo, hi)
        else:
            # (real GED rows have high below low: GED's values, kept as they are)
            c.count("low", r.get("low"))
            c.count("high", r.get("high"))
            killed = CountRange(civ, None if civ is None else civ + (unknown or 0))
        lat, lon = c.coordinates(r.get("latitude"), r.get("longitude"))
        if c.problems:
            yield Parsed(row, r, None, c.problems)
            continue
        dprec_text = (r.get("date_prec") or "").strip()
        dprec = civcas_precision("date_prec", dprec_text) if dprec_text else "day"
        if dprec is None:
            note_unmapped(unmapped, "date_prec", dprec_text)
        wprec_text = (r.get("where_prec") or "").strip()
        wprec = civcas_precision("where_prec", wprec_text) if wprec_text else "unknown"
        if wprec is None:
            note_unmapped(unmapped, "where_prec", wprec_text)
        country = c.text(r.get("country"))
        if origin:
            names = [n for n in (r.get("civcas_belligerents") or "").split("; ") if n.strip()]
            bells = [BelligerentAssessment(belligerent=n.strip()) for n in names]
        else:
            sides = [r.get("side_a") or ""]
            if (r.get("side_b") or "").strip().lower() != civilians:
                sides.append(r.get("side_b") or "")
            bells = [
                BelligerentAssessment(belligerent=actors.belligerent(s, country, start, unmapped))
                for s in sides
                if s.strip()
            ]
        gov_en, gov_ar = gz.normalise_governorate(r.get("adm_1"), unmapped)
        # the raw record of a GED event is GED's row: civcas's own columns (added by its
        # export) are dropped, so a re-import of that export is the same record
        raw = r if origin else {k: v for k, v in r.items() if k not in CIVCAS_COLUMNS}
        yield Parsed(
            row,
            raw,
            Incident(
                source_kind=SOURCE_KIND,
                source_id=sid,
                code=code,
                date_start=start,
                date_end=end,
                date_precision=DatePrecision(dprec or "day"),
                place=Place(
                    name_en=c.text(r.get("where_coordinates"))
                    or c.text(r.get("where_description")),
                    governorate_en=gov_en,
                    governorate_ar=gov_ar,
                    country=country,
                    latitude=lat,
                    longitude=lon,
                    precision=LocationPrecision(wprec or "unknown"),
                ),
                belligerents=bells,
                strike_type=StrikeType.UNKNOWN,
                killed=killed,
                summary=c.text(r.get("source_headline")),
                url=c.text(r.get("source_article")) if origin else None,
                fatalities_all=None if origin else best,
            ),
        )
