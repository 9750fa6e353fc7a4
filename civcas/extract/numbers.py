"""Numbers as reporters write them: digits, words, ranges and vague amounts.

Every quantity becomes a :class:`Count` range: "at least 12" is 12..None, "between 5 and
7" is 5..7, "dozens" is 24..99. Arabic text is matched after a length-preserving
normalisation (hamza forms, taa marbuta, alef maqsura, Eastern Arabic digits), so spans
found on the normalised text are valid on the original.
"""

from __future__ import annotations

import re

from .claims import Count

# --------------------------------------------------------------------------- English
UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}
VAGUE_EN = {
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
    "tens": (20, 99), "tenths": (20, 99), "several": (3, 9), "a few": (2, 5),
    "a number": (2, None), "many": (2, None), "half a dozen": (6, 6),
}  # fmt: skip
_WORD = (
    r"(?:"
    + "|".join(sorted((k for k in UNITS if k not in ("a", "an")), key=len, reverse=True))
    + r")"
)
_SCALE = r"(?:dozen|hundred|thousand|million)"
WORDS_EN = (
    rf"(?:(?:a|an)[\s-]+{_SCALE}(?:[\s-]+(?:and\s+)?{_WORD})*"
    rf"|{_WORD}(?:[\s-]+(?:and\s+)?(?:{_WORD}|{_SCALE}))*)"
)
DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?(?!\d)"
ATOM_EN = rf"(?:{DIGITS}|(?<![\w-]){WORDS_EN}(?![\w-]))"
VAGUE_RE = r"(?:dozens|scores|hundreds|thousands|tens|tenths|several|half\s+a\s+dozen|a few)"
MODS_EN = {
    "at least": "min", "no fewer than": "min", "no less than": "min", "a minimum of": "min",
    "more than": "gt", "over": "gt", "upwards of": "gt",
    "up to": "max", "as many as": "max", "fewer than": "lt", "less than": "lt",
    "nearly": "approx", "almost": "approx", "around": "approx", "about": "approx",
    "some": "approx", "approximately": "approx", "roughly": "approx", "an estimated": "approx",
    "estimated": "approx", "a total of": "exact",
}  # fmt: skip
_MOD = "|".join(sorted(MODS_EN, key=len, reverse=True))
QTY_EN = (
    rf"(?:(?P<mod>{_MOD})\s+)?"
    rf"(?:between\s+(?P<lo>{ATOM_EN})\s+and\s+(?P<hi>{ATOM_EN})"
    rf"|(?P<a>{ATOM_EN})(?:\s*(?:-|to|or)\s*(?P<b>{DIGITS}|{WORDS_EN}))?"
    rf"|(?P<vague>{VAGUE_RE}(?:\s+of)?))"
)


def words_to_int(text: str) -> int | None:
    """'twenty-five' -> 25, 'one hundred and twelve' -> 112, '1,600' -> 1600."""
    t = text.strip().lower().replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return int(float(t))
    total = current = 0
    seen = False
    for tok in re.split(r"[\s-]+", t):
        if tok == "and" or not tok:
            continue
        if tok in UNITS:
            current += UNITS[tok]
            seen = True
        elif tok in SCALES:
            current = max(current, 1) * SCALES[tok]
            if SCALES[tok] >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def count_from_match(m: re.Match[str]) -> Count | None:
    """Turn a QTY_EN / QTY_AR match into a range, applying its modifier."""
    g = m.groupdict()
    if g.get("vague"):
        key = g["vague"].lower().removesuffix(" of").strip()
        lo, hi = VAGUE_EN.get(key) or VAGUE_AR.get(normalise_ar(key).removeprefix("ال"), (2, None))
        return Count(lo, hi)
    if g.get("lo"):
        lo_v, hi_v = _num(g["lo"]), _num(g["hi"])
        if lo_v is None or hi_v is None:
            return None
        return Count(min(lo_v, hi_v), max(lo_v, hi_v))
    a = _num(g["a"]) if g.get("a") else None
    if a is None:
        return None
    if g.get("b"):
        b = _num(g["b"])
        if b is not None and b > a:
            return Count(a, b)
    mod = MODS_EN.get((g.get("mod") or "").lower()) or MODS_AR.get(normalise_ar(g.get("mod") or ""))
    if mod in ("min",):
        return Count(a, None)
    if mod == "gt":  # reporters use "more than" loosely: the stated figure is the floor
        return Count(a, None)
    if mod == "max":
        return Count(None if a > 1 else 0, a)
    if mod == "lt":
        return Count(None, max(a - 1, 0))
    return Count(a, a)


def _num(text: str) -> int | None:
    t = text.translate(DIGIT_MAP)
    v = words_to_int(t)
    if v is None:
        v = ar_words_to_int(t)
    return v


# --------------------------------------------------------------------------- Arabic
DIGIT_MAP = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬", "01234567890123456789,")
_AR_NORM = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})


def normalise_ar(text: str) -> str:
    """Same length as the input, so offsets carry over."""
    return text.translate(_AR_NORM).translate(DIGIT_MAP)


def _ar_number_words() -> list[str]:
    try:
        from pyarabic.number import nbconst

        words = set(nbconst.NUMBER_WORDS)
    except ImportError:  # pragma: no cover - pyarabic ships with the extract extra
        words = set()
    words |= {"واحد", "اثنان", "اثنين", "ثلاثة", "اربعة", "خمسة", "ستة", "سبعة", "ثمانية",
              "تسعة", "عشرة", "عشر", "احد", "عشرين", "مئة", "مائة", "مئتين", "مائتين",
              "الف", "الفين", "اثني", "اثنا", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثماني",
              "تسع"}  # fmt: skip
    words -= {"صفر", "آلاف", "ملايين", "مليارات"}
    return sorted({normalise_ar(w) for w in words}, key=len, reverse=True)


_AR_WORD = "(?:" + "|".join(_ar_number_words()) + ")"
WORDS_AR = rf"(?:(?<=\sو)|(?<![\w])){_AR_WORD}(?:\s+و?\s?{_AR_WORD})*(?![\w])"
VAGUE_AR: dict[str, tuple[int, int | None]] = {
    "عشرات": (20, 99),
    "مئات": (200, 999),
    "الاف": (2000, 9999),
    "عده": (2, 9),
}
MODS_AR = {
    "اكثر من": "gt", "ما يزيد عن": "gt", "ما يزيد علي": "gt", "ما لا يقل عن": "min",
    "علي الاقل": "min", "نحو": "approx", "حوالي": "approx", "قرابه": "approx", "زهاء": "approx",
    "ما يقارب": "approx", "اقل من": "lt", "حتي": "max",
}  # fmt: skip
_MOD_AR = "|".join(sorted(MODS_AR, key=len, reverse=True))
_ATOM_AR = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?!\d)|{WORDS_AR})"
QTY_AR = (
    rf"(?:(?P<mod>{_MOD_AR})\s+)?"
    rf"(?:بين\s+(?P<lo>{_ATOM_AR})\s+و\s?(?P<hi>{_ATOM_AR})"
    rf"|(?P<a>{_ATOM_AR})(?:\s*(?:-|الي|او)\s*(?P<b>{_ATOM_AR}))?"
    rf"|(?P<vague>(?:ال)?(?:عشرات|مئات)|الاف|عده))"
)


def ar_words_to_int(text: str) -> int | None:
    """Arabic number words (normalised or not) to an integer, via pyarabic."""
    t = normalise_ar(text).strip()
    if not t:
        return None
    if re.fullmatch(r"[\d,]+", t):
        return int(t.replace(",", ""))
    try:
        from pyarabic.number import text2number
    except ImportError:  # pragma: no cover
        return None
    # pyarabic knows the hamza spellings; restore the common ones it needs
    restored = re.sub(r"(?<![\w])ا(ربع|لف|ثن|حد)", r"أ\1", t)
    restored = (
        restored.replace("ه", "ة") if restored.endswith("ه") or "ه " in restored else restored
    )
    for cand in (restored, t, text):
        v = text2number(cand)
        if v:
            return int(v)
    return None
