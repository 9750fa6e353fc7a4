"""Hand-checked governorates of Syria and Iraq: English spellings seen in reporting,
Arabic names, and the coordinates of each governorate's capital (GeoNames)."""

from __future__ import annotations

from typing import Any

# GeoNames admin1 codes -> governorate (checked against cities known to lie in each)
ADMIN1: dict[tuple[str, str], str] = {
    ("SY", "01"): "Hasakah", ("SY", "02"): "Latakia", ("SY", "03"): "Quneitra",
    ("SY", "04"): "Raqqa", ("SY", "05"): "Suwayda", ("SY", "06"): "Daraa",
    ("SY", "07"): "Deir ez-Zor", ("SY", "08"): "Rif Dimashq", ("SY", "09"): "Aleppo",
    ("SY", "10"): "Hama", ("SY", "11"): "Homs", ("SY", "12"): "Idlib",
    ("SY", "13"): "Damascus", ("SY", "14"): "Tartus",
    ("IQ", "01"): "Anbar", ("IQ", "02"): "Basra", ("IQ", "03"): "Muthanna",
    ("IQ", "04"): "Qadisiyyah", ("IQ", "05"): "Sulaymaniyah", ("IQ", "06"): "Babil",
    ("IQ", "07"): "Baghdad", ("IQ", "08"): "Dohuk", ("IQ", "09"): "Dhi Qar",
    ("IQ", "10"): "Diyala", ("IQ", "11"): "Erbil", ("IQ", "12"): "Karbala",
    ("IQ", "13"): "Kirkuk", ("IQ", "14"): "Maysan", ("IQ", "15"): "Nineveh",
    ("IQ", "16"): "Wasit", ("IQ", "17"): "Najaf", ("IQ", "18"): "Salah ad-Din",
}  # fmt: skip


def _g(
    name: str, names: list[str], ar: list[str], lat: float, lon: float, cc: str
) -> dict[str, Any]:
    return {"name": f"{name} Governorate", "governorate": name, "names": names,
            "names_ar": ar, "lat": lat, "lon": lon, "country": cc}  # fmt: skip


GOVERNORATES: list[dict[str, Any]] = [
    _g("Aleppo", ["aleppo province", "aleppo governorate", "aleppo countryside"], ["محافظة حلب", "ريف حلب"], 36.20, 37.16, "SY"),
    _g("Damascus", ["damascus governorate"], ["محافظة دمشق"], 33.51, 36.29, "SY"),
    _g("Rif Dimashq", ["rif dimashq", "rural damascus", "damascus countryside", "eastern ghouta", "ghouta", "rif dimashq governorate", "damascus suburbs"], ["ريف دمشق", "الغوطة الشرقية", "الغوطة"], 33.57, 36.40, "SY"),
    _g("Idlib", ["idlib province", "idleb province", "idlib governorate", "idlib countryside"], ["محافظة إدلب", "ريف إدلب"], 35.93, 36.63, "SY"),
    _g("Raqqa", ["raqqa province", "raqqa governorate", "raqqah province", "raqqa countryside"], ["محافظة الرقة", "ريف الرقة"], 35.95, 39.01, "SY"),
    _g("Deir ez-Zor", ["deir ezzor", "deir ez zor", "deir al zor", "deir al zour", "deir ezzor province", "deir ez zor province", "dayr az zawr province", "deir el zour"], ["محافظة دير الزور", "ريف دير الزور", "دير الزور"], 35.34, 40.14, "SY"),
    _g("Homs", ["homs province", "homs governorate", "homs countryside"], ["محافظة حمص", "ريف حمص"], 34.73, 36.72, "SY"),
    _g("Hama", ["hama province", "hama governorate", "hama countryside"], ["محافظة حماة", "ريف حماة"], 35.13, 36.76, "SY"),
    _g("Hasakah", ["hasakeh", "hasaka", "hassakeh", "al hasakah", "hasakah province", "hasakeh province", "hasaka province"], ["محافظة الحسكة", "ريف الحسكة", "الحسكة"], 36.50, 40.75, "SY"),
    _g("Daraa", ["deraa", "dara'a", "daraa province", "deraa province"], ["محافظة درعا", "ريف درعا"], 32.62, 36.10, "SY"),
    _g("Latakia", ["lattakia", "latakia province", "lattakia province", "latakia countryside"], ["محافظة اللاذقية", "ريف اللاذقية"], 35.52, 35.79, "SY"),
    _g("Quneitra", ["quneitra province", "qunaitra"], ["محافظة القنيطرة", "القنيطرة"], 33.13, 35.82, "SY"),
    _g("Tartus", ["tartous", "tartus province", "tartous province"], ["محافظة طرطوس"], 34.89, 35.89, "SY"),
    _g("Suwayda", ["sweida", "suwayda", "as suwayda", "sweida province", "suwayda province"], ["محافظة السويداء", "السويداء"], 32.71, 36.57, "SY"),
    _g("Nineveh", ["nineveh province", "ninawa", "nineveh"], ["محافظة نينوى", "نينوى"], 36.34, 43.13, "IQ"),
    _g("Anbar", ["anbar", "anbar province", "al anbar"], ["محافظة الأنبار", "الأنبار"], 33.42, 43.30, "IQ"),
    _g("Salah ad-Din", ["salahuddin", "salah ad din", "salah al din", "saladin"], ["محافظة صلاح الدين", "صلاح الدين"], 34.60, 43.68, "IQ"),
    _g("Baghdad", ["baghdad province"], ["محافظة بغداد"], 33.34, 44.40, "IQ"),
    _g("Diyala", ["diyala", "diyala province"], ["محافظة ديالى", "ديالى"], 33.75, 44.64, "IQ"),
    _g("Kirkuk", ["kirkuk province"], ["محافظة كركوك"], 35.47, 44.39, "IQ"),
]  # fmt: skip
