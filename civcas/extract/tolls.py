"""Which figure is the report's toll: totals over breakdowns, civilians over combatants.

News leads with the main event's toll; later figures are parts ("including 3 children"),
other events ("a day after ... killed 35"), running totals ("since 2011") or combatants.
``main_mention`` picks the headline figure, ``summary`` the report-level figures.
"""

from __future__ import annotations

import re
from typing import Any

from .casualties import (
    CHILDREN,
    CIVILIAN,
    INJURED,
    KILLED,
    NONCIVILIAN,
    PEOPLE,
    VICTIMS_INCLUDED,
    WOMEN,
    Mention,
)
from .claims import Claim, Field
from .gazetteer import PlaceMatch
from .lexicon import UNKNOWN

_ARABIC = re.compile(r"[\u0600-\u06ff]")
LEAD_CHARS = 800  # the top of a news story: its lead and the paragraph after
_PART_BEFORE = re.compile(
    r"(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|among\s+those|of\s+those|"
    r"of\s+the\s+dead)\s+(?:at\s+least\s+)?$",
    re.I,
)
_PART_AFTER = re.compile(r"\s+(?:were\s+|are\s+|was\s+)?among\b", re.I)
# "among the dead were seven fighters", "the victims included two medics"
_PART_LEAD = re.compile(
    r"\b(?:among\s+(?:the\s+)?(?:dead|victims|those\s+killed|the\s+fatalities)\s+(?:were|was|are)|"
    rf"(?:the\s+)?{VICTIMS_INCLUDED})\s+(?:at\s+least\s+|some\s+)?$",
    re.I,
)
# "مقتل 16 شخصا بينهم 6 عناصر": "among them" / "of them" in Arabic
_PART_BEFORE_AR = re.compile(
    r"(?:بينهم|منهم|من\s+بينهم|بينها)\s+(?:(?:ما\s+لا\s+يقل\s+عن|نحو)\s+)?$"
)
# "seven of them fighters", "seven of the dead were fighters": a share of a toll told
_PART_INSIDE = re.compile(r"\bof\s+(?:them|whom|those|the\s+dead|the\s+victims)\b", re.I)


def _is_part(m: Mention, text: str) -> bool:
    """'2 medics among 31 dead', '31 people including two medics': a breakdown of a total.

    An explicitly civilian part ("six civilians were among 22 people") is not a mere
    breakdown: it is the civilian toll, and is kept.
    """
    if m.group == CIVILIAN and "civilian" in m.span.text.lower():
        return False
    return bool(
        _PART_BEFORE.search(text[max(0, m.span.start - 25) : m.span.start])
        or _PART_AFTER.match(text, m.span.end)
        or _PART_LEAD.search(text[max(0, m.span.start - 45) : m.span.start])
        or _PART_INSIDE.search(m.span.text)
        or _PART_BEFORE_AR.search(text[max(0, m.span.start - 25) : m.span.start])
    )


def main_mention(ms: list[Mention], text: str = "") -> Mention | None:
    """The headline figure: first precise civilian/people toll, then a vague one."""
    killed = [m for m in ms if m.kind == KILLED and not m.background] or [
        m for m in ms if m.kind == KILLED
    ]
    whole = [m for m in killed if m.group in (CIVILIAN, PEOPLE) and not _is_part(m, text)]
    if any(not vague(m) for m in whole):  # breakdowns give way to the totals they break down
        # ("dozens killed, including at least 29 in one district": a vague total does not)
        keep = {id(m) for m in whole}
        killed = [m for m in killed if id(m) in keep or m.group not in (CIVILIAN, PEOPLE)]
    # a toll smaller than the children killed it follows is a part, not the total
    # ("killed 22 children ... six teachers also died ... 35 people in total")
    floor = 0
    kept: list[Mention] = []
    for m in killed:
        if m.group in (CHILDREN, WOMEN) and not vague(m):
            floor = max(floor, m.count.best or 0)
        if m.group in (CIVILIAN, PEOPLE) and (m.count.max or 10**9) < floor:
            continue
        kept.append(m)
    killed = kept
    groups_order: tuple[tuple[str, ...], ...] = ((CIVILIAN, PEOPLE), (CHILDREN, WOMEN))
    # the report leads with children or women killed ("a strike killed four children"),
    # and no total of people follows in the same sentence: that lead toll is the main one,
    # not a civilian figure told later of another attack
    lead = next((m for m in killed if m.group in (CIVILIAN, PEOPLE, CHILDREN, WOMEN)), None)
    if (
        lead is not None
        and lead.group in (CHILDREN, WOMEN)
        and not vague(lead)
        and not _is_part(lead, text)
        # "kills 11 children ... 15 civilians, among them 11 children": the children are
        # told again as a part of a total
        and not any(
            m is not lead
            and m.group == lead.group
            and m.count.best == lead.count.best
            and _is_part(m, text)
            for m in killed
        )
        and not any(
            m.group in (CIVILIAN, PEOPLE)
            and m.span.start >= lead.span.end
            and (
                not re.search(r"[.!?]\s", text[lead.span.end : m.span.start])
                # "... 35 people in total had died": a total, wherever it is told
                or _TOTAL.search(text[max(0, m.span.start - 20) : m.span.end + 25])
            )
            for m in killed
        )
    ):
        groups_order = ((CHILDREN, WOMEN), (CIVILIAN, PEOPLE))
    if killed and killed[0].group == NONCIVILIAN:
        # the report leads with combatants: only explicitly civilian figures count, and
        # only near the top (one deep in the text is another story or a related link)
        groups_order = ((CIVILIAN,), (CHILDREN, WOMEN))
        killed = [m for m in killed if m.span.start < killed[0].span.start + LEAD_CHARS]
    for groups in groups_order:
        cand = [m for m in killed if m.group in groups]
        precise = [m for m in cand if not vague(m)]
        if cand and precise and vague(cand[0]):
            # "air strikes kill dozens" ... "killed 29 people on Sunday": the headline's
            # vague toll points at the precise figure that fits it
            lo, hi = cand[0].count.min or 0, cand[0].count.max or 10**9
            fits = [m for m in precise if lo <= (m.count.best or 0) <= hi]
            precise = fits or precise
        if precise or cand:
            first = _updated((precise or cand)[0], precise, text)
            return _prefer_civilian(first, ms, text)
    return None


_TOTAL = re.compile(r"\b(?:in\s+total|in\s+all|total\s+of|overall|altogether)\b", re.I)
_RISEN = re.compile(
    r"\b(?:(?:rose|risen|rising|climbed|jumped|increased|mounted|went\s+up)\s+to|"
    r"(?:bringing|raising|taking|pushing)\s+(?:the\s+)?(?:death\s+)?toll\s+to)\s+$",
    re.I,
)


def _updated(main: Mention, precise: list[Mention], text: str) -> Mention:
    """'... killed 12 on Monday. The toll later rose to 15': the update is the toll."""
    for m in precise:
        if m.span.start <= main.span.start or (m.count.best or 0) <= (main.count.best or 0):
            continue
        if text and _RISEN.search(text[max(0, m.span.start - 40) : m.span.start]):
            return m
    return main


def _prefer_civilian(main: Mention, ms: list[Mention], text: str = "") -> Mention | None:
    """'Six civilians were among 22 people killed': the civilian figure is the toll.

    And a 'people' figure equal to a stated combatant figure counts combatants.
    """
    if main.group != PEOPLE:
        return main
    if any(
        m.kind == KILLED and m.group == CIVILIAN and m.count.best == main.count.best for m in ms
    ):
        return main  # "54 killed ... a total 54 civilians were killed": the same toll
    near = [m for m in ms if m.kind == KILLED and abs(m.span.start - main.span.start) < 260]
    civ = [
        m
        for m in near
        if m.group == CIVILIAN
        and "civilian" in m.span.text.lower()
        and (m.count.best or 0) < (main.count.best or 0)
    ]
    if civ:
        return civ[0]
    fighters = [
        m.count.best or 0
        for m in ms
        if m.kind == KILLED
        and m.group == NONCIVILIAN
        and abs(m.span.start - main.span.start) < 400
        and not _added(m, text)
    ]
    # "35 dead": "29 fighters ... along with six Nusra militants" accounts for all of them
    sums = set(fighters) | {a + b for a, b in zip(fighters, fighters[1:], strict=False)}
    if main.count.best in sums:
        rest = [
            m
            for m in ms
            if m.kind == KILLED
            and m.group in (CIVILIAN, PEOPLE)
            and m.count.best != main.count.best
            and not m.background
            # "fighting that left dozens dead": the same dead, told vaguely
            and not (
                vague(m) and (m.count.min or 0) <= (main.count.best or 0) <= (m.count.max or 0)
            )
        ]
        return rest[0] if rest else None
    return main


_ALSO_BEFORE = re.compile(r"\b(?:also|another|in\s+addition\s+to)\b[^.;!?]{0,40}$", re.I)
_ALSO_AFTER = re.compile(r"^\s+(?:\w+\s+){0,3}?(?:were\s+|was\s+)?also\b", re.I)


def _added(m: Mention, text: str) -> bool:
    """'The blast also killed two soldiers': dead told in addition, not the same dead."""
    if not text:
        return False
    before = text[max(0, m.span.start - 60) : m.span.start]
    return bool(
        _ALSO_BEFORE.search(before) or _ALSO_AFTER.match(text[m.span.end : m.span.end + 40])
    )


def several_places(places: list[PlaceMatch], sent: tuple[int, int], text: str) -> bool:
    """'... attacks in Aleppo and Idleb': a total over several places, not one incident."""
    inside = [p for p in places if sent[0] <= p.start < sent[1] and p.chosen]
    for a, b in zip(inside, inside[1:], strict=False):
        if a.chosen != b.chosen and re.fullmatch(r"\s*(?:and|,|&)\s*", text[a.end : b.start]):
            return True
    return False


def first_part(
    main: Mention,
    ms: list[Mention],
    sent: tuple[int, int],
    places: list[PlaceMatch] | None = None,
    sentences: list[tuple[int, int]] | None = None,
) -> Mention | None:
    """The first smaller toll after a multi-place total: the first incident's own figure.

    When the first toll told after the total is the total itself, in a sentence about one
    place ("Four killed in attacks in Damascus, Aleppo and Homs ... four people were
    killed in Aleppo city"), all the dead were in that place and the total is that
    incident's toll: None. The total merely restated ("blasts across the country killed
    42") is passed over.
    """
    total = main.count.best or 0
    for m in ms:
        if m.span.start < sent[1] or m.kind != KILLED or m.background:
            continue
        if m.group in (CIVILIAN, PEOPLE) and (m.count.best or 0) == total:
            if places is not None and sentences is not None and _one_place(m, places, sentences):
                return None
            continue
        if m.group in (CIVILIAN, PEOPLE) and 0 < (m.count.best or 0) < total:
            return m
    return None


def _one_place(m: Mention, places: list[PlaceMatch], sentences: list[tuple[int, int]]) -> bool:
    """The sentence of ``m`` names places, all in one governorate."""
    sent = next((se for se in sentences if se[0] <= m.span.start < se[1]), None)
    if sent is None:
        return False
    govs = {
        p.chosen.governorate or p.chosen.name
        for p in places
        if sent[0] <= p.start < sent[1] and p.chosen is not None
    }
    return len(govs) == 1


def vague(m: Mention) -> bool:
    return m.count.min is not None and m.count.max is not None and m.count.max - m.count.min > 10


def _first(ms: list[Mention], kind: str, groups: tuple[str, ...]) -> Mention | None:
    return next((m for m in ms if m.kind == kind and m.group in groups), None)


def _count_field(m: Mention | None) -> Field | None:
    if m is None:
        return None
    return Field(m.count.to_json(), [m.span], m.confidence)


def fill_counts(claim: Claim, ms: list[Mention]) -> None:
    claim.civilians_killed = _count_field(_first(ms, KILLED, (CIVILIAN, PEOPLE)))
    claim.injured = _count_field(_first(ms, INJURED, (CIVILIAN, PEOPLE, CHILDREN, WOMEN)))
    claim.children_killed = _count_field(_first(ms, KILLED, (CHILDREN,)))
    claim.women_killed = _count_field(_first(ms, KILLED, (WOMEN,)))
    claim.noncivilians_killed = _count_field(_first(ms, KILLED, (NONCIVILIAN,)))
    if claim.civilians_killed is None:
        parts = [m for m in (_first(ms, KILLED, (CHILDREN,)), _first(ms, KILLED, (WOMEN,))) if m]
        if parts:
            lo = sum(m.count.min or 0 for m in parts)
            claim.civilians_killed = Field({"min": lo, "max": None}, [m.span for m in parts], 0.5)


def summary(
    ms: list[Mention],
    main: Mention | None,
    actor: Field | None,
    weapon: Field | None,
    text: str = "",
    scope: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Report-level figures. The breakdowns (children, women, combatants) are the ones told
    with the main toll, within ``scope`` (its sentence and the next): a figure told
    elsewhere in the report belongs to another event (a battle, an earlier attack)."""
    return {
        "civilians_killed": _civilian_total(main, ms, text),
        "children_killed": _c(_breakdown(ms, CHILDREN, scope)),
        "women_killed": _c(_breakdown(ms, WOMEN, scope)),
        "noncivilians_killed": _c(_breakdown(ms, NONCIVILIAN, scope)),
        "injured": _c(_first(ms, INJURED, (CIVILIAN, PEOPLE, CHILDREN, WOMEN))),
        "actor": actor.value if actor else UNKNOWN,
        "weapon": weapon.value if weapon else None,
    }


def _breakdown(ms: list[Mention], group: str, scope: tuple[int, int] | None) -> Mention | None:
    if scope is None:
        return _first(ms, KILLED, (group,))
    return next(
        (
            m
            for m in ms
            if m.kind == KILLED and m.group == group and scope[0] <= m.span.start < scope[1]
        ),
        None,
    )


def _civilian_total(
    main: Mention | None, ms: list[Mention], text: str = ""
) -> dict[str, int | None] | None:
    """Children and women stated without a civilian total: 'three children and a woman' = 4.

    And a 'people' toll that combatants are said to be part of ("70 people ... 11 fighters
    were among the dead") counts 59 civilians.
    """
    if main is None:
        return None
    if main.group == PEOPLE and main.count.min is not None and not vague(main):
        parts = [
            m
            for m in ms
            if m.kind == KILLED
            and m.group == NONCIVILIAN
            and main.span.end <= m.span.start < main.span.end + 600
            and _is_part(m, text)
            and 0 < (m.count.min or 0) < main.count.min
        ]
        if parts:
            lo = main.count.min - parts[0].count.min  # type: ignore[operator]
            hi = None if main.count.max is None else main.count.max - (parts[0].count.min or 0)
            return {"min": lo, "max": hi}
    joined = _joined_victims(main, ms, text) or _and_others(main, ms, text)
    if joined:
        parts = [main, *joined]
        lo = sum(p.count.min or 0 for p in parts)
        hi = (
            None
            if any(p.count.max is None for p in parts)
            else sum(p.count.max or 0 for p in parts)
        )
        return {"min": lo, "max": hi}
    if main.group not in (CHILDREN, WOMEN):
        return main.count.to_json()
    parts = [main]
    other = WOMEN if main.group == CHILDREN else CHILDREN
    extra = next(
        (
            m
            for m in ms
            if m.kind == KILLED and m.group == other and abs(m.span.start - main.span.start) < 120
        ),
        None,
    )
    if extra is not None:
        parts.append(extra)
    lo = sum(p.count.min or 0 for p in parts)
    hi = None if any(p.count.max is None for p in parts) else sum(p.count.max or 0 for p in parts)
    return {"min": lo, "max": hi}


def _joined_victims(main: Mention, ms: list[Mention], text: str) -> list[Mention]:
    """Arabic victims joined with "و" after a small toll: "قتل رجل وزوجته" is two dead."""
    if not text or not _ARABIC.search(text[main.span.start : main.span.end]):
        return []
    if (main.count.max or 99) > 2:
        return []
    out: list[Mention] = []
    end = main.span.end
    for m in ms:
        if m.span.start < end or m.kind != KILLED:
            continue
        if m.group not in (CIVILIAN, PEOPLE, CHILDREN, WOMEN) or (m.count.max or 99) > 2:
            break
        if not re.fullmatch(r"\s*و", text[end : m.span.start]):
            break
        out.append(m)
        end = m.span.end
    return out


def _and_others(main: Mention, ms: list[Mention], text: str) -> list[Mention]:
    """'crucifying two people and executing 23 others': the others add to the toll, and
    so does a victim joined to it: 'killed 6 pupils and a teacher' is seven."""
    if main.group not in (CIVILIAN, PEOPLE, CHILDREN) or vague(main):
        return []
    for m in ms:
        if m.span.start <= main.span.start or m.span.start > main.span.end + 60:
            continue
        if m.kind != KILLED or vague(m):
            return []
        gap = text[main.span.end : m.span.start]
        if (
            m.group == PEOPLE
            and m.span.text.lower().endswith("others")
            and re.fullmatch(r"[^.;:!?]*\band\b[\w\s]*", gap)
        ):
            return [m]
        if (
            m.group in (CIVILIAN, CHILDREN, WOMEN)
            and (m.count.max or 99) <= 2
            and re.fullmatch(r"\s+and\s+", gap)
        ):
            return [m]
        return []
    return []


def _c(m: Mention | None) -> dict[str, int | None] | None:
    return m.count.to_json() if m else None
