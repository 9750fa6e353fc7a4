"""Names that do not identify a person: placeholders and relational names.

Victim lists hold records like "Unnamed victim 3", "Child of Tariq Muhammad Al-Maghari",
"Member of the al Saalo family 4", "Abdul Salam Siraj's brother", "طفل زياد وانتسال",
"زوجة محمد", "مجهول الهوية". Their words name someone else (the relative) or no one:
four "Child of Tariq ..." records are four children, and "Son of Mahmoud Nasr Nofal" is
not Mahmoud Nasr Nofal. :func:`classify` recognises them in both scripts; the linker
never links such a record on its name (its name keys are left empty), so numbered
placeholders stay distinct and a relative is never merged with the person named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REL_EN = (
    r"child|children|kid|kids|baby|son|sons|daughter|daughters|wife|husband|mother|father|"
    r"brother|brothers|sister|sisters|grandchild|grandchildren|grandson|grandsons|"
    r"granddaughter|granddaughters|grandmother|grandfather|cousin|cousins|nephew|niece|"
    r"aunt|uncle|relative|relatives|member|members|family|son-in-law|daughter-in-law|"
    r"in-law|fiancee|fiance|infant|newborn|fetus|foetus"
)
_ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|another|other|\d+(?:st|nd|rd|th)?)"
_EN_PATTERNS = [
    re.compile(r"^\s*(?:an?\s+)?(?:unnamed|unknown|unidentified|anonymous|no name)\b"),
    re.compile(r"\((?:unnamed|unknown|unidentified)\)"),
    re.compile(
        rf"^\s*(?:the\s+|a\s+|an\s+)?(?:{_ORDINAL}\s+)?(?:{_REL_EN})(?:[\s-]in[\s-]law)?(?:\s+\w+)?\s+of\b"
    ),
    re.compile(
        rf"['’`]s?\s+(?:{_ORDINAL}\s+)?(?:(?:female|male|elder|younger|older)\s+)?(?:{_REL_EN})\b"
    ),
    re.compile(r"\bfamily\s+members?\b|\bmembers?\s+of\s+the\b|^\s*(?:the\s+)?family\s+of\b"),
    re.compile(r"(?<!his )(?<!her )(?<!their )\bfamily(?:\s+\d+)?\s*$"),
    re.compile(r"^\s*(?:bint|ibn|abn|ebn)\b"),  # a transliterated "daughter of" / "son of"
    # a kunya: "Umm Muhammad", Muhammad's mother (Umm Kulthum is a given name)
    re.compile(r"^\s*(?:umm|um|om|oum)\s+(?!k[ua]l?th?[ou]+m)\w+"),
]
# Arabic: a relation word as the first word, or "unknown" anywhere
_REL_AR = (
    "طفل طفلة طفله أطفال اطفال طفلها طفلته ابن أبن إبن ابنة إبنة ابنه ابنته ابنها ابناء أبناء "
    "بنت زوجة زوجه زوج أخ اخ أخت اخت شقيق شقيقة شقيقه حفيد حفيدة حفيده أحفاد احفاد عائلة "
    "عائله أسرة اسرة فرد أفراد افراد رضيع رضيعة أم ام"
).split()
_UNKNOWN_AR = re.compile(r"مجهول|مجهولة|مجهوله|غير معروف|غير معروفة|بدون اسم")
_TRAILING_NUMBER = re.compile(r"(\d+)\s*\)?\s*$")


@dataclass(frozen=True)
class NameKind:
    """``placeholder``: the name does not identify the person; ``relation``: the word
    that says how (child, wife, ... or "unnamed"); ``relative``: whom it names, if
    anyone; ``number``: a trailing number ("Child of Manal 2"), if any."""

    placeholder: bool
    relation: str = ""
    relative: str = ""
    number: str = ""


_NAMED = NameKind(False)

# every placeholder matches this (a quick filter before classify, for big lists)
PREFILTER = (
    r"(?i)\b(?:unnamed|unknown|unidentified|anonymous|no name|family|members?|bint|ibn|abn|"
    r"ebn|umm?|om|oum|"
    + _REL_EN
    + r")\b|['’`]s?\s|مجهول|معروف|بدون|"
    + "|".join(
        sorted(
            set(
                "طفل طفلة طفله أطفال اطفال طفلها طفلته ابن أبن إبن ابنة إبنة ابنه ابنته "
                "ابنها ابناء أبناء بنت زوجة زوجه زوج أخ اخ أخت اخت شقيق شقيقة شقيقه حفيد "
                "حفيدة حفيده أحفاد احفاد عائلة عائله أسرة اسرة فرد أفراد افراد رضيع رضيعة "
                "أم ام".split()
            )
        )
    )
)


def _english(text: str) -> NameKind | None:
    s = text.strip().lower()
    if not s:
        return None
    number = _TRAILING_NUMBER.search(s)
    num = number.group(1) if number else ""
    for k, pat in enumerate(_EN_PATTERNS):
        m = pat.search(s)
        if not m:
            continue
        if k in (0, 1):
            return NameKind(True, "unnamed", "", num)
        if k == 6:
            return NameKind(True, "child", s.split(None, 1)[-1], num)
        if k == 7:
            return NameKind(True, "mother", s.split(None, 1)[-1], num)
        rel = re.search(_REL_EN, m.group(0))
        relation = rel.group(0) if rel else "relative"
        if k == 2:
            relative = s[m.end() :]
        elif k == 3:
            relative = s[: m.start()]
        else:
            relative = s
        relative = re.sub(r"\s*\(?\d+\)?\s*$|\(.*?\)", "", relative).strip(" .,-")
        return NameKind(True, relation, relative, num)
    return _NAMED


def _arabic(text: str) -> NameKind | None:
    s = text.strip()
    if not s:
        return None
    if _UNKNOWN_AR.search(s):
        return NameKind(True, "unnamed", "", (_TRAILING_NUMBER.search(s) or [""])[0].strip())
    words = re.sub(r"[()\[\]،,./\\-]", " ", s).split()
    if not words:
        return None
    if words[0] in ("أم", "ام") and len(words) > 1 and words[1] == "كلثوم":
        return _NAMED
    if words[0] in _REL_AR or (
        len(words) > 1 and words[-1] in ("طفل", "طفلة", "وأطفالها", "واطفالها")
    ):
        num = _TRAILING_NUMBER.search(s)
        rel = words[0] if words[0] in _REL_AR else words[-1]
        return NameKind(
            True, rel, " ".join(w for w in words if w != rel), num.group(1) if num else ""
        )
    return _NAMED


def classify(name: str, name_ar: str = "") -> NameKind:
    """A record's name kind from its name in either script. The Latin name decides when
    it is there ("Sajida Abu Hayya" beside "زوجة الاسير المحرر ساجدة ابو هيا", the wife
    of a freed prisoner, is named); otherwise the Arabic."""
    name = name or ""
    if re.search(r"[^\W\d_]", name):  # the Latin name has letters ("?" has none)
        en = _english(name)
        if en is not None and en.placeholder:
            return en
        return _arabic(name) or _NAMED  # an Arabic name written in the name column
    return _arabic(name_ar or "") or _NAMED
