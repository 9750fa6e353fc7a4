"""Source spellings of places, precisions and strike types, mapped to civcas' vocabulary.

Data, not code: each table maps a lower-cased source spelling to the canonical value.
Unknown spellings are kept as given and reported by the importers (``unmapped``).
"""

from __future__ import annotations

import re

from ..model.vocab import (
    BELLIGERENT_SPELLINGS,
    Grade,
    LocationPrecision,
    StrikeType,
    normalise_belligerent,
    normalise_grade,
)
from .common import Unmapped, note_unmapped

# canonical English name -> (Arabic name, other spellings)
GOVERNORATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Raqqa": (
        "الرقة",
        ("ar raqqah", "al-raqqa", "al raqqa", "raqqah", "ar-raqqa", "rakka", "الرقة - تل أبيض"),
    ),
    # towns standing in for their governorate in Airwars' summaries (Afrin, Kobani: Aleppo)
    "Aleppo": (
        "حلب",
        ("halab", "alep", "north aleppo", "شمال حلب", "ريف حلب الغربي", "عفرين", "كوباني"),
    ),
    "Idlib": ("إدلب", ("idleb", "edlib", "ادلب", "معرة النعمان")),
    "Deir ez-Zor": (
        "دير الزور",
        (
            "deir ezzor",
            "dayr az zawr",
            "deir al-zour",
            "deir ez zor",
            "deir-ez-zor",
            "deir al zour",
        ),
    ),
    "Damascus": ("دمشق", ("dimashq",)),
    "Rif Dimashq": ("ريف دمشق", ("damascus countryside", "rural damascus", "rif dimashq")),
    "Hama": ("حماة", ("hamah", "شرق حماة", "east hama", "شرق محافظة حماة")),
    "Homs": ("حمص", ("hims", "ريف حمص")),
    "Hasakah": (
        "الحسكة",
        ("al-hasakah", "al hasakah", "hasaka", "al-hasakeh", "hassakeh", "شمال الحسكة"),
    ),
    "Daraa": ("درعا", ("dar'a", "deraa", "dara'a", "شرق درعا")),
    "Latakia": ("اللاذقية", ("lattakia", "al-ladhiqiyah")),
    "Quneitra": ("القنيطرة", ("al-qunaytirah", "qunaitra")),
    "As-Suwayda": ("السويداء", ("suwayda", "sweida", "as suwayda")),
    "Tartus": ("طرطوس", ("tartous", "tartus")),
    # Iraq (IBC, UCDP and ACLED fixtures)
    "Nineveh": ("نينوى", ("ninewa", "ninawa", "mosul")),
    "Baghdad": ("بغداد", ()),
    "Anbar": ("الأنبار", ("al anbar", "al-anbar")),
    "Erbil": ("أربيل", ("arbil", "irbil")),
    # outside Syria and Iraq, seen in the Airwars archive
    "Hatay": ("هاتاي", ()),
    "Haifa": ("حيفا", ()),
}

_PREFIX = re.compile(r"^(محافظة|منطقة)\s+|\s+(governorate|province|muhafazat)$", re.IGNORECASE)


def _build() -> dict[str, str]:
    out: dict[str, str] = {}
    for en, (ar, others) in GOVERNORATES.items():
        for s in (en, ar, *others):
            out[s.lower()] = en
    return out


_LOOKUP = _build()


def normalise_governorate(
    value: str | None, unmapped: Unmapped | None = None
) -> tuple[str | None, str | None]:
    """(English, Arabic) canonical names of a governorate spelling; unknown kept as given.

    "Raqqa", "Ar Raqqah", "Al-Raqqa", "محافظة الرقة" and "الرقة" all give ("Raqqa", "الرقة").
    An unknown spelling is returned in the slot of its script and reported.
    """
    if not value or not value.strip():
        return None, None
    s = _PREFIX.sub("", value.strip()).strip()
    en = _LOOKUP.get(s.lower())
    if en is None:
        note_unmapped(unmapped, "governorate", value.strip())
        if re.search(r"[\u0600-\u06ff]", s):
            return None, value.strip()
        return value.strip(), None
    return en, GOVERNORATES[en][0]


LOCATION_PRECISION: dict[str, LocationPrecision] = {
    "exact_location": LocationPrecision.EXACT,
    "exact": LocationPrecision.EXACT,
    "within_1m": LocationPrecision.EXACT,
    "within_10m": LocationPrecision.EXACT,
    "within_100m": LocationPrecision.EXACT,
    "street": LocationPrecision.NEIGHBOURHOOD,
    "nearby_landmark": LocationPrecision.NEIGHBOURHOOD,
    "neighbourhood_area": LocationPrecision.NEIGHBOURHOOD,
    "neighbourhood": LocationPrecision.NEIGHBOURHOOD,
    "neighborhood": LocationPrecision.NEIGHBOURHOOD,
    "village": LocationPrecision.TOWN,
    "town": LocationPrecision.TOWN,
    "city": LocationPrecision.TOWN,
    "district": LocationPrecision.DISTRICT,
    "subdistrict": LocationPrecision.DISTRICT,
    "governorate": LocationPrecision.GOVERNORATE,
    "province": LocationPrecision.GOVERNORATE,
    "country": LocationPrecision.COUNTRY,
    "unknown": LocationPrecision.UNKNOWN,
}


def normalise_precision(value: str | None, unmapped: Unmapped | None = None) -> LocationPrecision:
    if not value:
        return LocationPrecision.UNKNOWN
    p = LOCATION_PRECISION.get(value.strip().lower())
    if p is None:
        note_unmapped(unmapped, "location_precision", value)
        return LocationPrecision.UNKNOWN
    return p


STRIKE_PARTS: dict[str, StrikeType] = {
    "airstrike": StrikeType.AIR,
    "air strike": StrikeType.AIR,
    "air/drone strike": StrikeType.AIR,
    "air": StrikeType.AIR,
    "artillery": StrikeType.ARTILLERY,
    "shelling/artillery/missile attack": StrikeType.ARTILLERY,
    "airstrike and/or artillery": StrikeType.AIR_OR_ARTILLERY,
    "air_or_artillery": StrikeType.AIR_OR_ARTILLERY,
    "drone strike": StrikeType.DRONE,
    "drone": StrikeType.DRONE,
    "ground operation": StrikeType.GROUND,
    "counter-terrorism action (ground)": StrikeType.GROUND,
    "ground": StrikeType.GROUND,
    "armed clash": StrikeType.GROUND,
    "naval bombardment": StrikeType.OTHER,
    "remote explosive/landmine/ied": StrikeType.OTHER,
    "attack": StrikeType.OTHER,
    "other": StrikeType.OTHER,
    "unknown": StrikeType.UNKNOWN,
}


def normalise_strike(value: str | None, unmapped: Unmapped | None = None) -> StrikeType:
    """One strike type for a (possibly comma-joined) label; mixed kinds become air_or_artillery
    when only air and artillery are involved, else the first recognised kind."""
    if not value or not value.strip():
        return StrikeType.UNKNOWN
    kinds: list[StrikeType] = []
    for part in value.split(","):
        key = part.strip().lower()
        if not key:
            continue
        k = STRIKE_PARTS.get(key)
        if k is None:
            note_unmapped(unmapped, "strike_type", part.strip())
            continue
        kinds.append(k)
    if not kinds:
        return StrikeType.UNKNOWN
    found = set(kinds)
    if len(found) == 1:
        return kinds[0]
    if found <= {StrikeType.AIR, StrikeType.ARTILLERY, StrikeType.AIR_OR_ARTILLERY}:
        return StrikeType.AIR_OR_ARTILLERY
    if found <= {StrikeType.AIR, StrikeType.DRONE}:
        return StrikeType.AIR
    return kinds[0]


# spellings the model's table lacks (Arabic feminine form seen in Airwars' summaries)
EXTRA_GRADES: dict[str, Grade] = {"مستبعدة": Grade.DISCOUNTED, "مستبعد": Grade.DISCOUNTED}


def grade(value: str | None, unmapped: Unmapped | None = None) -> Grade | None:
    if not value or not value.strip():
        return None
    text = value.replace("،", ",")
    g = normalise_grade(text)
    if g is None:
        for part in text.split(","):
            g = EXTRA_GRADES.get(part.strip())
            if g:
                break
    if g is None:
        note_unmapped(unmapped, "grade", value)
    return g


EXTRA_BELLIGERENTS: dict[str, str] = {
    "u.s.-led coalition": "US-led Coalition",
    "russian_forces": "Russian Military",
    "syrian_regime": "Syrian Government",
    "syrian democratic forces": "SDF",
    "syrian_democratic_forces": "SDF",
    "ypg": "YPG",
    "kurdish forces": "Kurdish Forces",
    "jordanian military": "Jordanian Military",
    "uk military": "UK Military",
    "tribal forces": "Tribal Forces",
    "military forces of syria": "Syrian Government",
    "military forces of russia": "Russian Military",
    "government of russia": "Russian Military",
    "government of russia (soviet union)": "Russian Military",
    # UCDP/ACLED name the state; in Syria and Iraq its strikes are the Coalition's
    "government of united states of america": "US-led Coalition",
    "military forces of the united states": "US-led Coalition",
    "sdf: syrian democratic forces": "SDF",
    "government of syria": "Syrian Government",
    "is": "ISIS",
    "islamic state (syria)": "ISIS",
    # Airwars' belligerent blocks (belligerent_details_json) name parties by slug;
    # "united_states" carries the Coalition's term (249) in the Syria archive
    "ypg_forces": "YPG",
    "israeli_forces": "Israeli Military",
    "iranian_forces": "Iranian Military",
    "kurdish_forces": "Kurdish Forces",
    "united_kingdom": "UK Military",
    "jordan": "Jordanian Military",
    "united_states": "US-led Coalition",
}


def belligerent(value: str, unmapped: Unmapped | None = None) -> str:
    """Canonical belligerent name (model's table first, then this module's additions)."""
    key = re.sub(r"\s*\([\d\s\-–]*\)$", "", value.strip().lower())  # ACLED's "(2000-)"
    if key in BELLIGERENT_SPELLINGS:
        return normalise_belligerent(value)
    if key in EXTRA_BELLIGERENTS:
        return EXTRA_BELLIGERENTS[key]
    spaced = key.replace("_", " ")
    if spaced in BELLIGERENT_SPELLINGS:
        return normalise_belligerent(spaced)
    note_unmapped(unmapped, "belligerent", value.strip())
    return value.strip()
