"""Airwars' Arabic-keyed records -> civcas incidents, through the archive's field dictionary.

The archive names every column in Arabic; ``data/field-dictionary.json`` maps each
(sheet, Arabic column) to an English technical key. We translate keys through it, so no
Arabic key is hard-coded here; only the sheet names (the dictionary's own grouping) are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model.records import (
    BelligerentAssessment,
    CountRange,
    Incident,
    Place,
    Source,
    Statement,
    Victim,
)
from ..model.strikes import StrikeStatus, normalise_strike_status
from ..model.vocab import (
    AgeGroup,
    Assessment,
    DatePrecision,
    Sex,
    VictimStatus,
    normalise_assessment,
)
from . import gazetteer as gz
from .common import Cells, Unmapped, note_unmapped

SOURCE_KIND = "airwars"

# the dictionary's sheet names (Arabic) -> the part of a case record they describe
SHEETS = {
    "الحوادث": "incident",
    "الضحايا": "victims",
    "البيانات التقنية": "technical",
    "المصادر": "sources",
    "روابط API": "api_links",
}

# cases-summary.json keys (already English) -> the dictionary's technical keys
SUMMARY_KEYS = {
    "date": "incident_date",
    "date_end": "incident_date_end",
    "location_original": "location_en",
    "military_original": "belligerents_original",
    "airwars_url": "incident_url",
    "killed_min": "civilians_killed_min",
    "killed_max": "civilians_killed_max",
    "injured_min": "civilians_injured_min",
    "injured_max": "civilians_injured_max",
    "evidence_ar": "civilian_harm_status_ar",
}

COUNTRIES = {"سوريا": "Syria", "العراق": "Iraq", "syria": "Syria", "iraq": "Iraq"}


class FieldDictionary:
    """Arabic column name -> English technical key, per sheet."""

    def __init__(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.sheets: dict[str, dict[str, str]] = {part: {} for part in SHEETS.values()}
        for entry in data["fields"]:
            values = list(entry.values())  # sheet, Arabic name, technical key, ...
            part = SHEETS.get(values[0])
            if part:
                self.sheets[part][values[1]] = values[2]

    def translate(self, part: str, record: dict[str, Any], unmapped: Unmapped | None) -> dict:
        table = self.sheets[part]
        out: dict[str, Any] = {}
        for k, v in record.items():
            key = table.get(k)
            if key is None:
                note_unmapped(unmapped, f"{part}_key", k)
                continue
            out[key] = v
        return out


def summary_fields(case: dict[str, Any]) -> dict[str, Any]:
    return {SUMMARY_KEYS.get(k, k): v for k, v in case.items()}


def _json_list(value: Any) -> list[Any]:
    if not value:
        return []
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


def _place(e: dict[str, Any], cells: Cells, unmapped: Unmapped | None) -> Place:
    gov_src = (
        e.get("governorate_original")
        or e.get("province_original")
        or e.get("governorate_ar")
        or e.get("region_original")
        or e.get("region_ar")
    )
    gov_en, gov_ar = gz.normalise_governorate(gov_src, unmapped)
    lat, lon = cells.coordinates(e.get("latitude"), e.get("longitude"))
    precision = gz.normalise_precision(e.get("geolocation_accuracy"), unmapped)
    country = e.get("country_ar") or "سوريا"
    return Place(
        name_en=cells.text(e.get("location_en")),
        name_ar=cells.text(e.get("location_ar")),
        governorate_en=gov_en,
        governorate_ar=gov_ar,
        country=COUNTRIES.get(str(country).strip().lower(), country),
        latitude=lat,
        longitude=lon,
        precision=precision,
    )


def _answer_rank(a: Assessment) -> int:
    return {Assessment.NONE: 0, Assessment.NOT_YET_ASSESSED: 1}.get(a, 2)


def _assessments(
    e: dict[str, Any], details: list[dict[str, Any]], cells: Cells, unmapped: Unmapped | None
) -> tuple[list[BelligerentAssessment], list[Statement]]:
    out: dict[str, BelligerentAssessment] = {}
    statements: list[Statement] = []
    for d in details:
        if not isinstance(d, dict):
            continue
        name = gz.belligerent(str(d.get("belligerent") or "unknown"), unmapped)
        label = d.get("belligerent_assessment") or ""
        assessment = normalise_assessment(label)
        if assessment is None:
            note_unmapped(unmapped, "assessment", label)
            assessment = Assessment.NONE
        reasons: list[str] = []
        for key in ("belligerent_reason_non_credible", "belligerent_reason_credible"):
            r = d.get(key) or []
            reasons += [str(x) for x in r] if isinstance(r, list) else [str(r)]
        block = BelligerentAssessment(
            belligerent=name,
            role=str(d.get("belligerent_type") or "suspected"),
            assessment=assessment,
            deaths_conceded=cells.range(
                "civilian_deaths_conceded",
                d.get("civilian_deaths_conceded_min"),
                d.get("civilian_deaths_conceded_max"),
            ),
            injuries_conceded=cells.range(
                "civilian_injuries_conceded",
                d.get("civilian_injuries_conceded_min"),
                d.get("civilian_injuries_conceded_max"),
            ),
            reasons=reasons,
            strike_report_url=cells.text(d.get("belligerent_strike_report_url")),
        )
        if name in out:
            # two blocks for one party (the archive's "unknown" under two terms): the
            # one with an answer is kept, else the first; reported either way
            note_unmapped(unmapped, "belligerent_repeated", f"{e.get('code')}: {name}")
            if _answer_rank(block.assessment) > _answer_rank(out[name].assessment):
                out[name] = block
        else:
            out[name] = block
        for s in d.get("belligerent_civilian_casualty_statements") or []:
            statements.append(
                Statement(
                    belligerent=name,
                    date=cells.date("statement_date", s.get("statement_date")),
                    url=cells.text(s.get("statement_source_url")),
                    text=cells.text(s.get("statement")),
                )
            )
    for part in str(e.get("belligerents_original") or "").split(","):
        if part.strip():
            name = gz.belligerent(part, unmapped)
            out.setdefault(name, BelligerentAssessment(belligerent=name))
    return list(out.values()), statements


def _age(text: str | None, unmapped: Unmapped | None) -> int | None:
    """Whole years from an age as the archive writes it ("32", "3 months", "53/54",
    "four-years-old"), read by the linkage package's one parser of messy ages
    (civcas.link.clean.parse_age); the text itself stays in the raw record. An age read
    from words or a range is reported under ``victim_age_read``, one it cannot read (or
    a range too wide to be one guess) under ``victim_age``, and left blank."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    from ..link.clean import parse_age

    got = parse_age(text)
    if got.years is None:
        note_unmapped(unmapped, "victim_age", text)
        return None
    note_unmapped(unmapped, "victim_age_read", f"{text} -> {int(got.years)} ({got.how})")
    return int(got.years)


def _victim(v: dict[str, Any], cells: Cells, unmapped: Unmapped | None) -> Victim:
    sex = {"male": Sex.MALE, "female": Sex.FEMALE}.get(str(v.get("gender_original")).lower())
    if sex is None:
        note_unmapped(unmapped, "victim_sex", v.get("gender_original"))
    group = {"adult": AgeGroup.ADULT, "child": AgeGroup.CHILD}.get(
        str(v.get("age_group_original")).lower()
    )
    if group is None:
        note_unmapped(unmapped, "victim_age_group", v.get("age_group_original"))
    status = {"killed": VictimStatus.KILLED, "injured": VictimStatus.INJURED}.get(
        str(v.get("status_original")).lower(), VictimStatus.UNKNOWN
    )
    if status is VictimStatus.UNKNOWN:
        note_unmapped(unmapped, "victim_status", v.get("status_original") or "(blank)")
    age = _age(cells.text(v.get("age")), unmapped)
    order = v.get("victim_order")
    return Victim(
        name=cells.text(v.get("name_original")),
        name_ar=cells.text(v.get("name_local")),
        sex=sex or Sex.UNKNOWN,
        age=age,
        age_group=group or AgeGroup.UNKNOWN,
        status=status,
        group_name=cells.text(v.get("group_name")),
        order=int(order) if isinstance(order, int) else None,
    )


REPAIRABLE = ("latitude", "longitude", "incident_date_end")


def _repair(cells: Cells, code: str | None, unmapped: Unmapped | None) -> None:
    keep = []
    for p in cells.problems:
        if p.field in REPAIRABLE or p.expected.startswith("a maximum ≥"):
            note_unmapped(
                unmapped, "repaired", f"{code}: {p.field}={p.value!r} (expected {p.expected})"
            )
        else:
            keep.append(p)
    cells.problems = keep


def _strike_status(e: dict[str, Any], unmapped: Unmapped | None) -> StrikeStatus | None:
    """Airwars' strike status (``strike_status_original``, or its Arabic label)."""
    value = e.get("strike_status_original") or e.get("strike_status_ar")
    status = normalise_strike_status(value)
    if status is None and value and str(value).strip():
        note_unmapped(unmapped, "strike_status", str(value).strip())
    return status


def to_incident(
    e: dict[str, Any],
    row: int,
    unmapped: Unmapped | None,
    *,
    technical: dict[str, Any] | None = None,
    victims: list[dict[str, Any]] | None = None,
    sources: list[dict[str, Any]] | None = None,
    repair: bool = True,
) -> tuple[Incident | None, Cells]:
    """One incident from English-keyed fields (a summary row or a translated full case).

    With ``repair`` (the default for Airwars' own archive), the archive's known kinds of
    slip are dropped rather than fatal, and reported under ``repaired``: a maximum below
    its minimum (the maximum is dropped), an impossible coordinate (the point is
    dropped), a range end before its start (the end is dropped).
    """
    cells = Cells(row)
    seq = e.get("sequence")
    code = cells.text(e.get("code"))
    if seq in (None, ""):
        cells.problem("sequence", seq, "the incident's sequence number")
    if not code:
        cells.problem("code", e.get("code"), "the Airwars incident code")
    start = cells.date("incident_date", e.get("incident_date"))
    end = cells.date("incident_date_end", e.get("incident_date_end"))
    if start and end and end < start:
        cells.problem("incident_date_end", e.get("incident_date_end"), f"a date ≥ {start}")
        end = None
    dtype = str(e.get("incident_date_type_original") or "").lower()
    precision = (
        DatePrecision.RANGE if (end and end != start) or "range" in dtype else DatePrecision.DAY
    )
    grade_label = e.get("civilian_harm_status_original") or e.get("civilian_harm_status_ar")
    tech = technical or {}
    details = _json_list(tech.get("belligerent_details_json"))
    bells, statements = _assessments(e, details, cells, unmapped)
    aliases = [
        str(p.get("previous_unique_reference_code")).strip()
        for p in _json_list(tech.get("previous_reference_codes_json"))
        if isinstance(p, dict) and p.get("previous_unique_reference_code")
    ]
    killed = cells.range(
        "civilians_killed", e.get("civilians_killed_min"), e.get("civilians_killed_max")
    )
    injured = cells.range(
        "civilians_injured", e.get("civilians_injured_min"), e.get("civilians_injured_max")
    )
    children = cells.range(
        "children_killed", e.get("children_killed_min"), e.get("children_killed_max")
    )
    women = cells.range("women_killed", e.get("women_killed_min"), e.get("women_killed_max"))
    men = cells.range("men_killed", e.get("men_killed_min"), e.get("men_killed_max"))
    place = _place(e, cells, unmapped)
    vics = [_victim(v, cells, unmapped) for v in victims or []]
    srcs = [
        Source(
            url=cells.text(s.get("source_url")),
            publisher=cells.text(s.get("source_name_original")),
            language=cells.text(s.get("language_original")),
            date=cells.date("source_date", s.get("source_date")),
        )
        for s in sources or []
    ]
    if repair:
        _repair(cells, code, unmapped)
    if cells.problems:
        return None, cells
    return (
        Incident(
            source_kind=SOURCE_KIND,
            source_id=str(seq),
            code=code or "",
            date_start=start,
            date_end=end,
            date_precision=precision,
            place=place,
            belligerents=bells,
            strike_type=gz.normalise_strike(e.get("strike_type_original"), unmapped),
            strike_status=_strike_status(e, unmapped),
            grade=gz.grade(grade_label, unmapped),
            killed=killed,
            injured=injured,
            children_killed=children,
            women_killed=women,
            men_killed=men,
            summary=cells.text(e.get("summary_ar")),
            url=cells.text(e.get("incident_url")),
            aliases=[a for a in dict.fromkeys(aliases) if a != code],
            sources=srcs,
            victims=vics,
            statements=statements,
        ),
        cells,
    )


# what the flat incidents file (derived/airwars_syria_incidents.csv) adds to a summary
# row: the breakdowns by sex and age (cases-summary.json has none); the belligerents'
# blocks come from its belligerent_details_json, read as a case file's are
DERIVED_FILLS = (
    "children_killed_min",
    "children_killed_max",
    "women_killed_min",
    "women_killed_max",
    "men_killed_min",
    "men_killed_max",
)
COMPARED_RANGES = ("killed", "injured", "children_killed", "women_killed", "men_killed")


def with_derived(e: dict[str, Any], flat: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A summary row's fields with the flat file's breakdowns filled in where the summary
    has none, and the technical part (the belligerents' blocks) to read them with."""
    out = dict(e)
    for key in DERIVED_FILLS:
        if out.get(key) in (None, "") and (flat.get(key) or "").strip():
            out[key] = flat[key]
    return out, {"belligerent_details_json": flat.get("belligerent_details_json")}


def _ends(r: CountRange) -> str:
    return f"{'' if r.min is None else r.min}-{'' if r.max is None else r.max}"


def _facts(inc: Incident, ranges: tuple[str, ...]) -> dict[str, str]:
    out = {name: _ends(getattr(inc, name)) for name in ranges}
    for b in inc.belligerents:
        out[f"{b.belligerent}.assessment"] = b.assessment.value
        out[f"{b.belligerent}.deaths_conceded"] = _ends(b.deaths_conceded)
        out[f"{b.belligerent}.injuries_conceded"] = _ends(b.injuries_conceded)
        out[f"{b.belligerent}.strike_report_url"] = b.strike_report_url or ""
    return out


def disagreements(
    kept: Incident, derived: Incident, ranges: tuple[str, ...] = COMPARED_RANGES
) -> list[str]:
    """Where the incident as imported and the flat file's reading of it differ, one
    "field: imported X, flat file Y" per field (counts, each party's assessment,
    concessions and strike-report link). The import keeps its own value and reports these;
    the flat file never silently overwrites."""
    a, b = _facts(kept, ranges), _facts(derived, ranges)
    return [
        f"{k}: imported {a.get(k, '(none)')!r}, flat file {b.get(k, '(none)')!r}"
        for k in sorted(a.keys() | b.keys())
        if a.get(k, "") != b.get(k, "")
    ]


__all__ = [
    "DERIVED_FILLS",
    "SOURCE_KIND",
    "FieldDictionary",
    "disagreements",
    "summary_fields",
    "to_incident",
    "with_derived",
]
