"""Release text -> place, number of strikes and (count, kind) targets.

The coalition's daily releases list one line per place:

    "- Near Mosul, four strikes engaged three ISIL tactical units and a bridge;
       destroyed six tunnel entrances, ...; and suppressed three mortar systems."

:func:`parse_line` reads the place ("near PLACE"), the number of strikes ("four
strikes", "one airstrike", "two separate strikes") and splits what follows into actions
(engaged, struck, destroyed, damaged, suppressed, ...) each with its list of targets,
every target read as (count, kind): "three ISIL tactical units" is (3, "tactical unit").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model.strikes import Target

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_ARTICLES = {"a": 1, "an": 1, "another": 1, "single": 1}
_NUM_WORD = "|".join(sorted([*_UNITS, *_TENS, *_ARTICLES, "hundred"], key=len, reverse=True))
_NUMBER = rf"(?:\d[\d,]*|(?:{_NUM_WORD})(?:[\s-]+(?:{_NUM_WORD}))*)"

#: "near PLACE, N [adjectives] (air)strike(s)"; the comma is sometimes missing
_HEAD = re.compile(
    rf"(?:\bnear|^in)\s+(?P<place>.+?),?\s+(?P<n>{_NUMBER})\s+(?:(?:separate|additional|more"
    rf"|coalition|precision|air|coalition-led)\s+)*(?:air\s*)?(?:strikes?|stikes?)\b",
    re.IGNORECASE,
)
#: lines naming the strikes first: "four strikes near PLACE ..."
_HEAD_AFTER = re.compile(
    rf"^\W*(?P<n>{_NUMBER})\s+(?:separate\s+)?(?:air\s*)?strikes?\s+near\s+(?P<place>[^,.;]+)",
    re.IGNORECASE,
)
_ACTIONS = (
    "engaged", "struck", "destroyed", "damaged", "suppressed", "hit", "targeted",
    "denied", "cratered", "severed", "disabled", "killed", "wounded", "produced",
    "resulted", "had", "engaging", "striking", "destroying", "damaging", "suppressing",
    "hitting", "targeting", "denying", "killing",
)  # fmt: skip
_GERUND = {"engaging": "engaged", "striking": "struck", "destroying": "destroyed",
           "damaging": "damaged", "suppressing": "suppressed", "hitting": "hit",
           "targeting": "targeted", "denying": "denied", "killing": "killed"}  # fmt: skip
_ACTION = re.compile(r"\b(" + "|".join(_ACTIONS) + r")\b", re.IGNORECASE)
_ITEM_SPLIT = re.compile(
    rf",\s*(?:and\s+)?|;\s*(?:and\s+)?|\s+and\s+(?=(?:{_NUMBER})\b)", re.IGNORECASE
)
_LEAD = re.compile(rf"^(?P<n>{_NUMBER})\s+(?P<rest>.*)$", re.IGNORECASE)
_DROP = re.compile(
    r"\b(?:isil|isis|daesh|da'esh|separate|large|small|several|multiple|other|additional"
    r"|more|also|the)\b[- ]?",
    re.IGNORECASE,
)


def number(text: str) -> int | None:
    """A count written in words or digits ("twenty-one", "12", "an"); None if none."""
    t = text.strip().lower().replace(",", "")
    if not t:
        return None
    if t.isdigit():
        return int(t)
    total, current = 0, 0
    for w in re.split(r"[\s-]+", t):
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _ARTICLES:
            current += _ARTICLES[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w == "and":
            continue
        else:
            return None
    return total + current


def _singular(word: str) -> str:
    w = word
    for plural, single in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh")):
        if w.endswith(plural) and len(w) > len(plural) + 2:
            return w[: -len(plural)] + single
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def kind_of(text: str) -> str:
    """The target kind as a singular, lower-case phrase without "ISIL" and adjectives."""
    t = _DROP.sub(" ", text.lower())
    t = re.sub(r"[^\w\s'/-]", " ", t)
    words = t.split()
    if not words:
        return ""
    # the head noun is the last word before a qualifier ("positions in ...", "used by")
    for i, w in enumerate(words):
        if w in ("in", "used", "that", "which", "near", "along", "belonging", "for", "to"):
            words = words[:i] or words
            break
    words[-1] = _singular(words[-1])
    return " ".join(words)


def targets(text: str) -> list[Target]:
    """The (action, count, kind) targets of the text after the number of strikes."""
    out: list[Target] = []
    pieces = _ACTION.split(text)
    # pieces: [before, action, objects, action, objects, ...]
    for i in range(1, len(pieces) - 1, 2):
        action = pieces[i].lower()
        action = _GERUND.get(action, action)
        objects = re.sub(r"(?:,|\s)+and\s*$", "", pieces[i + 1].rstrip(" ,;"))
        if action in ("produced", "resulted", "had"):
            continue  # "produced inconclusive results"
        for item in _ITEM_SPLIT.split(objects):
            item = item.strip(" .;:-\u2013\u2014\t")
            if item.lower().startswith("and "):
                item = item[4:]
            if not item:
                continue
            m = _LEAD.match(item)
            count = number(m.group("n")) if m else None
            rest = m.group("rest") if m and count is not None else item
            kind = kind_of(rest)
            if kind:
                out.append(Target(action, count, kind))
    return out


@dataclass
class ParsedLine:
    """What one release line says (``problem`` set when it is not a strike line)."""

    place: str | None = None
    strikes: int | None = None
    targets: list[Target] = field(default_factory=list)
    problem: str | None = None


def clean_line(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split()).lstrip("-\u2013\u2022* ").strip()


def parse_line(line: str) -> ParsedLine:
    """Place, number of strikes and targets of one "Near PLACE, N strikes ..." line."""
    text = clean_line(line)
    m = _HEAD.search(text) or _HEAD_AFTER.search(text)
    if m is None:
        return ParsedLine(problem="a line 'Near PLACE, N strikes ...'")
    place = m.group("place").strip(" ,")
    n = number(m.group("n"))
    return ParsedLine(place=place, strikes=n, targets=targets(text[m.end() :]))


def split_lines(text: str) -> list[str]:
    """A cell holding several release lines ("- Near A, ... vNear B, ...") as lines."""
    parts = re.split(r"(?<=[.;])\s+\W?v?(?=near\s)", text, flags=re.IGNORECASE)
    parts = [p.strip() for p in parts if p.strip()]
    heads = [p for p in parts if _HEAD.search(p) or _HEAD_AFTER.search(p)]
    return heads if len(heads) > 1 else [text]
