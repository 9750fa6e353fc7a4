"""Finding casualty figures: a quantity, who it counts, and whether they died or were hurt.

A mention is a quantity (numbers.QTY_EN / QTY_AR) attached to a noun group (civilians,
children, women, fighters ...) and to an outcome word (killed, wounded ...) nearby in the
same clause. The outcome nearest the quantity wins, so "killed 5 and wounded 20" gives
5 killed and 20 wounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .claims import Count, Span
from .numbers import QTY_AR, QTY_EN, count_from_match, normalise_ar

CIVILIAN, PEOPLE, CHILDREN, WOMEN, NONCIVILIAN = (
    "civilian",
    "people",
    "children",
    "women",
    "noncivilian",
)
KILLED, INJURED = "killed", "injured"


@dataclass
class Mention:
    kind: str  # killed | injured
    group: str
    count: Count
    span: Span  # the quantity and its noun
    confidence: float
    background: bool = False  # a running total ("since 2011"), not this event's toll


_NOUNS_EN = [
    (
        CHILDREN,
        r"children|child|kids|infants|babies|minors|boys|girls|toddlers|students|schoolchildren|pupils",
    ),
    (WOMEN, r"women|woman|mothers"),
    (
        CIVILIAN,
        r"civilians?|members\s+of\s+(?:a|one|the|his|her|their)\s+(?:(?:single|same|whole|local|displaced)\s+|(?-i:[A-Z][\w-]+|al-[\w-]+)\s+){0,2}(?:family|tribe|clan)|(?:members|volunteers|workers|staff)\s+of\s+the\s+(?:white\s+helmets|(?:syrian\s+)?civil\s+defen[cs]e|(?:syrian\s+arab\s+)?red\s+crescent|red\s+cross)|family\s+members|relatives|brothers|sisters|siblings|sons|daughters|cousins|worshippers|villagers|residents|displaced|refugees|patients|passengers|pedestrians|citizens|inhabitants|farmers|shoppers|workers|medics|doctors|nurses|journalists|activists|teachers|innocents?|protesters|demonstrators|mourners|rescuers|paramedics|shepherds|fishermen|labou?rers|traders|merchants|(?:aid|rescue|relief|humanitarian)\s+workers|civil\s+defen[cs]e\s+(?:workers|volunteers|members|personnel)|white\s+helmets",
    ),
    (
        NONCIVILIAN,
        r"(?:operatives|leaders|pilots?|crew|prisoners|hostages|captives|detainees|fighter|soldier|militant|rebel|jihadist|terrorist|troop|agents|spies)\b|soldiers|troops|fighters|militants|rebels|insurgents|jihadists|militiamen|gunmen|terrorists|combatants|officers|personnel|guards|policemen|police\w*|recruits|servicemen|conscripts|mercenaries|extremists|commanders|loyalists|members|servicemembers|militia\w*|army\s+\w+|jihadis|attackers|bombers|elements|mujahideen|defectors|snipers",
    ),
    (
        PEOPLE,
        r"people|persons|person|individuals|victims|others|martyrs|syrians|kurds|palestinians|iraqis|shiites|christians|alawites|druze|lives|men|man|bodies|dead|deaths|casualties|fatalities",
    ),
]
_NOUN_EN = "|".join(f"(?P<{g}>{p})" for g, p in _NOUNS_EN)
_FILLER = r"(?:(?:and|or|group|more|other|innocent|unarmed|young|elderly|old|local|displaced|moderate|foreign|islamist|extremist|hardline|allied|opposition|regime|government|militia|security|army|enemy|(?!(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred)\b)(?-i:[A-Z][a-z]+|[A-Z]{2,5})|pro-\w+|(?!(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)\w+-\w+|of\s+them|of\s+whom|of\s+those|among\s+them|of\s+the)\s+){0,3}?"
_NOT_NOUN_AFTER = r"(?![\s-]+(?:attacks?|groups?|organi[sz]ations?|positions?|targets?|hideouts?|bases?|camps?|cells?|factions?|rockets?|shells?|fire|shelling|bombings?|operations?|held|controlled|run|occupied|dominated|besieged))"
RE_EN = re.compile(
    rf"(?<![\w,.])(?:{QTY_EN})(?P<tail>\s+{_FILLER}(?:{_NOUN_EN})\b{_NOT_NOUN_AFTER})?", re.I
)
RE_FAMILY = re.compile(rf"\b(?:a|an|one|entire|whole|same)\s+family\s+of\s+(?P<fam>{QTY_EN})", re.I)
RE_SINGLE_EN = re.compile(
    r"\b(?:a|an)\s+(?:young\s+|little\s+|elderly\s+|pregnant\s+)?(child|boy|girl|baby|infant|woman|civilian|man|person|mother|teacher|doctor|nurse|paramedic|journalist|farmer|worker|shepherd|student|pupil|cousin|relative|neighbou?r|nephew|niece|citizen|resident|villager|volunteer|medic|photographer|reporter|rescuer)\b",
    re.I,
)
# "... three children and their mother": a relative joined to the victims before
RE_AND_KIN_EN = re.compile(
    r"(?<=\band\s)(?:his|her|their)\s+(mother|father|wife|husband|son|daughter|brother|sister|grandmother|grandfather)\b"
    r"(?!\s+(?:said|says|told|added|reported|recalled|described))",
    re.I,
)
# "a mother and her three children": a parent and the children counted with them
RE_PARENT_EN = re.compile(
    rf"\b(?:a|an|one)\s+(?:mother|father|man|woman|husband|wife)\s+and\s+(?:her|his|their)\s+"
    rf"(?P<n>{QTY_EN})\s+(?:young\s+)?(?:children|sons|daughters|kids|grandchildren)\b",
    re.I,
)
RE_PAIR_EN = re.compile(
    r"\b(?:a|an)\s+(?:woman|man|child|boy|girl|mother|father|civilian)\s+and\s+(?:a|an|her|his|their)?\s*"
    r"(?:child|son|daughter|boy|girl|woman|man|baby|wife|husband|civilian)\b",
    re.I,
)
_KILL_EN = r"killed|killing|executing|executes?\b|beheads?\b|slaughters?\b|hanged|stoned\s+to\s+death|stoned|crucified|crucifying|kills?\b|dead|died|dies|death|deaths|slain|massacred|massacre|lost\s+their\s+lives|perished|executed|martyred|martyrdom|lives|toll|bodies|fatalities|slaughtered|murdered|beheaded|shot\s+dead|claimed\s+the\s+lives"
_HURT_EN = r"wounded|wounding|injured|injuring|injuries|hurt|wounds|injury|casualties\s+(?:among\s+)?wounded"
RE_OUT_EN = re.compile(rf"(?P<k>{_KILL_EN})|(?P<h>{_HURT_EN})", re.I)
_NOT_PEOPLE = re.compile(
    r"\s*(?:%|percent|per\s+cent|years?|year-old|-year|months?|weeks?|days?|hours?|minutes?|km|kilomet|miles?|metres?|meters?|times|dollars|\$|euros?|pounds|tons?|kilo|kg|percent|am\b|pm\b|o'clock|villages|towns|houses|buildings|air\s?strikes|strikes|raids|shells|rockets|missiles|barrels?|bombs|vehicles|tanks|trucks|cars|buses|families|mosques|schools|hospitals|sorties|attacks|rounds|times|fronts|provinces|cities|neighbourhoods|districts|areas|countries|sides|resolution)",
    re.I,
)
_BARE_BEFORE = re.compile(
    r"(?:kill(?:s|ed|ing)?|left|leaving|toll\b[^.;]{0,150}?\b(?:at|to|of|reached|hit)|toll\s+(?:\w+\s+){0,5}|(?:rose|rises|risen|climbed|jumped)\s+to|executed|executing)\s+$",
    re.I,
)
_TOLL_TO = re.compile(
    r"\b(?:toll|number\s+of\s+(?:\w+\s+)?(?:killed|dead|deaths|victims|fatalities))\b"
    r"[^.;!?]{0,180}?\b(?:at|to|of|reached|reaching|hit|stands?\s+at|stood\s+at)\s+$",
    re.I,
)
_BARE_AFTER = re.compile(
    r"\s*(?:were\s+|have\s+been\s+|had\s+been\s+|are\s+|was\s+)?(?:killed|dead|died|wounded|injured|hurt)\b",
    re.I,
)
_BACKGROUND = re.compile(
    r"\bsince\b|civil war|the war\b|the conflict|conflict\s+(?:began|erupted|started)|uprising|"
    r"\b(?:the|its|syria'?s?)\s+(?:[\w-]+\s+){1,3}?(?:war|conflict)\b(?!\s+monitor)|"
    r"\bthis\s+month\b|so\s+far\s+this|"
    r"\b(?:in|within|over|during)\s+(?:the\s+)?(?:(?:past|last|previous)\s+)?"
    r"(?:two|three|four|five|six|several|few|\d+)\s+(?:weeks|months)\b|"
    r"\bbegan in\b|so far this year|this year|last year|\bper\s+(?:day|month)|"
    r"each (?:day|month)|every (?:day|month)|"
    r"(?:over|in|during) the (?:past|last) (?:\w+ )?(?:days|weeks|months)",
    re.I,
)
_MOSTLY_FIGHTERS = re.compile(
    r"(?:\s+(?:in|at|on|near)\s+(?:the\s+)?[\w-]+)?\s*,?\s*"
    r"(?:most|mostly|the\s+majority|nearly\s+all|almost\s+all|all)\s+"
    r"(?:of\s+(?:them|whom)\s+)?(?:were\s+|being\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:fighters|soldiers|troops|rebels|militants|jihadists|combatants|gunmen|members|"
    r"militiamen|insurgents|personnel|terrorists)\b",
    re.I,
)
# who the dead were, when a sentence says so ("most of the dead were rebels")
_FIGHTER_NOUNS = (
    r"fighters|soldiers|troops|rebels|militants|jihadists|combatants|gunmen|policemen|"
    r"militiamen|insurgents|personnel|terrorists|members\s+of"
)
_SHARE_NOUNS = (
    r"civilians|children|women|fighters|soldiers|rebels|militants|jihadists|combatants|"
    r"troops|militiamen|policemen|gunmen"
)
_DEAD_WERE_FIGHTERS = re.compile(
    r"\s*(?:(?:the|those)\s+(?:dead|victims|killed)|most\s+of\s+(?:the\s+dead|the\s+victims|them)|"
    r"all\s+of\s+(?:the\s+dead|the\s+victims|them)|they)\s+(?:were|are)\s+"
    r"(?:all\s+|mostly\s+|mainly\s+|largely\s+)?(?:[\w-]+\s+){0,2}?"
    rf"(?:{_FIGHTER_NOUNS})\b",
    re.I,
)

# "the victims included six soldiers": the figure that follows is a share of the dead
VICTIMS_INCLUDED = r"(?:dead|victims|fatalities|those\s+killed|those\s+who\s+died)\s+(?:included|include|including)"
_VICTIMS_INCLUDED = re.compile(rf"\b{VICTIMS_INCLUDED}\s+(?:at\s+least\s+)?$", re.I)
_KILLED_BEFORE = re.compile(rf"\b(?:{_KILL_EN})", re.I)
# "clashes left 22 dead on both sides": the dead of the fighting parties
_BOTH_SIDES = re.compile(
    r"(?:\s+(?:were\s+|have\s+been\s+)?(?:killed|dead))?\s*,?\s*(?:on|from|among|in)\s+"
    r"(?:both|all|the\s+two|the\s+warring)\s+(?:sides|parties|camps)\b",
    re.I,
)
# "18 were civilians", "12 of them were fighters": a share of the dead named by the predicate
_SHARE_VERB = r"\s+(?:were|was|are)\s+(?:all\s+|mostly\s+|also\s+)?(?:[\w-]+\s+)?"
RE_SHARE_EN = re.compile(
    rf"(?<![\w,.])(?P<n>{QTY_EN})(?P<of>\s+of\s+(?:them|those|whom|the\s+dead|the\s+victims))?"
    rf"{_SHARE_VERB}(?P<noun>{_SHARE_NOUNS})\b",
    re.I,
)
_SHARE_PRED = re.compile(rf"\b{_SHARE_VERB}(?:{_SHARE_NOUNS})\b", re.I)  # a cheap test first
_SHARE_GROUP = {"child": CHILDREN, "wom": WOMEN, "civ": CIVILIAN}
# ... told right after a toll, or after "of those" / "among them" / "the dead"
_SHARE_LEAD = re.compile(
    r"\b(?:of\s+(?:those|them|whom|the\s+dead|the\s+victims)|among\s+(?:them|the\s+dead)|"
    r"(?:the\s+)?(?:dead|victims)|killed|died|dead)\b",
    re.I,
)
_OF_THE_DEAD = re.compile(r"\s+of\s+(?:the|those)\s+(?:dead|victims|bodies)", re.I)
_WERE_FIGHTERS = re.compile(
    r"\s*(?:were|are)\s+(?:all\s+|also\s+)?(?:[\w-]+\s+){0,2}?"
    rf"(?:{_FIGHTER_NOUNS})\b",
    re.I,
)


def _next_sentence(after: str) -> str:
    """The start of the sentence after the one that holds ``after``'s beginning."""
    cut = re.search(r"[.;!?]\s", after)
    return after[cut.end() :] if cut else ""


_ON_BOARD = re.compile(r"\s+(?:\w+\s+)?(?:on\s+board|aboard)\b", re.I)
_MILITARY_CRAFT = re.compile(
    r"\b(?:military|army|air\s+force)\s+(?:\w+\s+){0,2}?(?:helicopter|plane|aircraft|jet)|"
    r"\b(?:helicopter|warplane|fighter\s+jet|jet|plane|aircraft)\s+(?:was\s+|had\s+been\s+)?"
    r"(?:shot\s+down|downed)|\bdowning\s+of\s+(?:the|a)\s+(?:\w+\s+){0,2}?(?:helicopter|jet|plane)",
    re.I,
)
_DEAD_AND_WOUNDED = re.compile(
    r"(?:\s+\w+){0,2}?\s+(?:of\s+)?(?:dead|killed)\s+(?:and|or)\s+(?:wounded|injured)\b", re.I
)


_AND_WOUNDED = re.compile(r"\s+(?:and|or)\s+(?:wounded|injured)\b", re.I)
_ABROAD = re.compile(
    r"\s*(?:meanwhile\s+|elsewhere\s+|separately\s+)?in\s+(?:neighbou?ring\s+)?"
    r"(?:iraq|lebanon|turkey|jordan|yemen|libya|afghanistan|egypt)\b(?!\s+and\s+syria)",
    re.I,
)
_AGED = re.compile(r"\baged\s+(?:(?:between\s+)?\d+\s*(?:and|to|-|,)\s*)?$", re.I)
_MONTHS = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$", re.I)


def find_mentions_en(text: str) -> list[Mention]:
    out: list[Mention] = []
    for m in RE_EN.finditer(text):
        q = m.group("a") or m.group("lo") or m.group("vague") or ""
        if not q:
            continue
        count = count_from_match(m)
        if count is None:
            continue
        tail = m.group("tail")
        after = text[m.end() : m.end() + 90]
        before = text[max(0, m.start() - 60) : m.start()]
        if _AGED.search(before):  # "two children aged 5 and 7": ages, not tolls
            continue
        if re.fullmatch(r"(?:19|20)\d\d", q) and not m.group("mod"):
            if _MONTHS.search(before[-12:]) or not tail or re.match(r"\s+[A-Z]", tail):
                continue
        # "the death toll from ... on a market in ... rose to 61": the toll is far back
        toll = _TOLL_TO.search(_clause(text[max(0, m.start() - 200) : m.start()], False))
        if not tail:
            if _NOT_PEOPLE.match(text[m.end() : m.end() + 14]) or _MONTHS.search(before[-12:]):
                continue
            if not (_BARE_BEFORE.search(before) or _BARE_AFTER.match(after) or toll):
                continue
        group = next((g for g, _ in _NOUNS_EN if m.group(g)), PEOPLE) if tail else PEOPLE
        kind, conf = _outcome_en(before, after, bool(tail))
        if kind is None and toll:
            kind, conf = KILLED, 0.65
        if tail and re.search(r"martyr", tail, re.I):  # "51 martyrs": the noun says they died
            kind, conf = KILLED, max(conf, 0.75)
        if kind is None and tail and re.fullmatch(r"\s+(?:dead|deaths|bodies|fatalities)", tail):
            kind, conf = KILLED, 0.7  # "at least 22 dead", "pulled 12 bodies from the rubble"
        if kind is None and (
            _VICTIMS_INCLUDED.search(before)
            or (
                tail
                and re.match(r"\s+of\s+(?:them|whom)\b", tail, re.I)
                and _KILLED_BEFORE.search(_clause(text[max(0, m.start() - 200) : m.start()], False))
            )
        ):
            # "the victims included six soldiers"; "killed 16 people ..., six of them
            # fighters": a share of the dead just told
            kind, conf = KILLED, 0.65
        if kind is None and tail and _OF_THE_DEAD.fullmatch(tail):
            kind, conf = KILLED, 0.7  # "seven of the dead were fighters": a share of the dead
            share = re.match(r"\s*(?:were|are)\s+(?:all\s+)?(?:(children)|(women))\b", after, re.I)
            group = CHILDREN if share and share.group(1) else WOMEN if share else group
        if kind is None:
            continue
        if (
            group == PEOPLE
            and tail
            and re.match(r"\s*(?:dead|deaths|bodies|casualties|fatalities)", tail, re.I)
        ):
            kind = KILLED if "casualt" not in tail.lower() else kind
        if group == PEOPLE and (
            _MOSTLY_FIGHTERS.match(after)
            or _DEAD_WERE_FIGHTERS.match(_next_sentence(after))
            or (tail and _OF_THE_DEAD.fullmatch(tail) and _WERE_FIGHTERS.match(after))
            or _BOTH_SIDES.match(after)
        ):
            group = NONCIVILIAN  # "16 people, most of them fighters"; "the dead were all soldiers"
        if (
            group == PEOPLE
            and _ON_BOARD.match(after)
            and _MILITARY_CRAFT.search(text, max(0, m.start() - 400), m.end() + 200)
        ):
            # "a military helicopter was shot down ... all five people on board": its crew
            group = NONCIVILIAN
        if _DEAD_AND_WOUNDED.match(text, m.end()) or (
            re.search(r"(?:dead|killed)$", m.group(0), re.I) and _AND_WOUNDED.match(after)
        ):
            continue  # "tens of dead and wounded": killed and hurt together, not a death toll
        bg = bool(_BACKGROUND.search(_clause(before, False) + " " + _clause(after, True)))
        # no single attack kills ten thousand: such a figure is a war's running total
        bg = bg or (count.min or 0) >= 10_000
        # "In Iraq meanwhile at least 17 people were killed ...": another country's news
        bg = bg or bool(_ABROAD.match(_clause(text[max(0, m.start() - 200) : m.start()], False)))
        out.append(Mention(kind, group, count, Span(m.start(), m.end(), m.group(0)), conf, bg))
    for m in RE_SINGLE_EN.finditer(text):
        after = _SPEAKER.split(text[m.end() : m.end() + 90], 1)[0]
        before = text[max(0, m.start() - 60) : m.start()]
        kind, conf = _outcome_en(before, after, True)
        if kind:
            group = (
                CHILDREN
                if re.search(r"child|boy|girl|baby|infant|pupil", m.group(1), re.I)
                else WOMEN
                if re.search(r"wom", m.group(1), re.I)
                else CIVILIAN
            )
            out.append(
                Mention(kind, group, Count(1, 1), Span(m.start(), m.end(), m.group(0)), conf * 0.9)
            )
    for m in RE_PAIR_EN.finditer(text):
        after = _SPEAKER.split(text[m.end() : m.end() + 90], 1)[0]
        before = text[max(0, m.start() - 60) : m.start()]
        kind, conf = _outcome_en(before, after, True)
        if kind:
            out.append(
                Mention(
                    kind, CIVILIAN, Count(2, 2), Span(m.start(), m.end(), m.group(0)), conf * 0.9
                )
            )
    for m in RE_AND_KIN_EN.finditer(text):
        after = text[m.end() : m.end() + 90]
        before = text[max(0, m.start() - 60) : m.start()]
        kind, conf = _outcome_en(before, after, True)
        if kind:
            group = WOMEN if m.group(1).lower() in ("mother", "wife", "grandmother") else CIVILIAN
            span = Span(m.start(), m.end(), m.group(0))
            out.append(Mention(kind, group, Count(1, 1), span, conf * 0.9))
    for m in RE_PARENT_EN.finditer(text):
        c = count_from_match(re.match(QTY_EN, m.group("n"), re.I))  # type: ignore[arg-type]
        after = text[m.end() : m.end() + 90]
        before = text[max(0, m.start() - 60) : m.start()]
        kind, conf = _outcome_en(before, after, True)
        if c and c.min is not None and c.max is not None and kind:
            both = Count(c.min + 1, c.max + 1)
            out.append(Mention(kind, CIVILIAN, both, Span(m.start(), m.end(), m.group(0)), conf))
    for m in RE_SHARE_EN.finditer(text) if _SHARE_PRED.search(text) else ():
        # "of those, 18 were civilians and 12 were fighters": the noun is the predicate
        lead = _clause(text[max(0, m.start() - 120) : m.start()], False)
        if not (m.group("of") or _SHARE_LEAD.search(lead)):
            continue
        c = count_from_match(re.match(QTY_EN, m.group("n"), re.I))  # type: ignore[arg-type]
        if c is None:
            continue
        noun = m.group("noun").lower()
        group = next((g for k, g in _SHARE_GROUP.items() if noun.startswith(k)), NONCIVILIAN)
        out.append(Mention(KILLED, group, c, Span(m.start(), m.end(), m.group(0)), 0.7))
    for m in RE_FAMILY.finditer(text):
        c = count_from_match(re.match(QTY_EN, m.group("fam"), re.I))  # type: ignore[arg-type]
        after = text[m.end() : m.end() + 90]
        before = text[max(0, m.start() - 60) : m.start()]
        kind, conf = _outcome_en(before, after, True)
        if c and kind:
            out.append(Mention(kind, CIVILIAN, c, Span(m.start(), m.end(), m.group(0)), conf))
    return _earlier_event_first(_dedupe(out), text)


# "a doctor at the hospital told Reuters that 12 people were killed": the one named is a
# witness; the outcome after a speech verb or a relative pronoun is not the noun's own
_SPEAKER = re.compile(
    r"\b(?:said|says|say|told|tells|reported|reports|added|stated|described|recalled|"
    r"explained|who|whose|saw|witnessed|confirmed)\b",
    re.I,
)


# "A week after a car bomb killed 40 people in the town another blast killed 8": a
# sentence that opens with "<time> after" recalls an earlier toll before its own
_TIME_AFTER = re.compile(
    r"(?:^|[.!?]\s+)(?:just\s+|only\s+|barely\s+)?(?:a|an|one|two|three|four|five|six|seven|"
    r"several|few|\d+)?\s*(?:days?|weeks?|months?|hours?)\s+(?:after|since)\s+[^.!?]*$",
    re.I,
)


def _earlier_event_first(ms: list[Mention], text: str) -> list[Mention]:
    for a, b in zip(ms, ms[1:], strict=False):
        if a.kind != KILLED or b.kind != KILLED or a.background:
            continue
        if re.search(r"[.!?]\s", text[a.span.end : b.span.start]):
            continue  # not the same sentence
        if _TIME_AFTER.search(text[max(0, a.span.start - 300) : a.span.start]):
            a.background = True
    return ms


def _dedupe(ms: list[Mention]) -> list[Mention]:
    """Drop a mention whose span lies inside another's ("six" in "a family of six")."""
    ms.sort(key=lambda x: (x.span.start, -x.span.end))
    out: list[Mention] = []
    for m in ms:
        if out and m.span.start >= out[-1].span.start and m.span.end <= out[-1].span.end:
            # ... but "three children" inside "a mother and her three children" are
            # the children killed, kept beside the total of four
            if not (m.group == CHILDREN and RE_PARENT_EN.fullmatch(out[-1].span.text)):
                continue
        out.append(m)
    return out


def _clause(s: str, forward: bool) -> str:
    """Cut a window at the sentence boundary (a full stop followed by a space)."""
    if forward:
        cut = re.search(r"[.;!?]\s|\s--|\n", s)
        return s[: cut.start()] if cut else s
    cuts = list(re.finditer(r"[.;!?]\s|\n", s))
    return s[cuts[-1].end() :] if cuts else s


_OWN_PASSIVE = re.compile(
    r"(?:\s+(?:on|in|at|inside|near|aboard)\s+(?:a|an|the)?\s*[\w-]+(?:\s+[\w-]+)?)?"
    r"\s+(?:were|was|have\s+been|had\s+been|are)\s+(?:also\s+|reportedly\s+)?",
    re.I,
)


def _outcome_en(before: str, after: str, has_noun: bool) -> tuple[str | None, float]:
    a = _clause(after, True)
    b = _clause(before, False)
    best: tuple[int, str] | None = None
    fa = RE_OUT_EN.search(a)
    if fa and fa.start() <= (60 if has_noun else 20):
        best = (fa.start(), KILLED if fa.group("k") else INJURED)
        # "killed 2 and 5 others were injured": the verb right after the noun governs it
        if re.match(
            r"\s*(?:were\s+|was\s+|have\s+been\s+|had\s+been\s+|are\s+)?$", a[: fa.start()]
        ):
            return best[1], 0.85
        # "... killed and 25 others on a bus were wounded": the passive predicate of the
        # noun's own clause governs it, not the verb of the clause before the "and"
        if has_noun and _OWN_PASSIVE.fullmatch(a[: fa.start()]):
            return best[1], 0.8
    for fb in RE_OUT_EN.finditer(b):
        dist = len(b) - fb.end()
        if dist <= 45 and (best is None or dist < best[0]):
            best = (dist, KILLED if fb.group("k") else INJURED)
    if best is None and re.search(r"\btoll\b", b, re.I):
        best = (30, KILLED)  # "the death toll ... reached at least 112 people"
    if best is None:
        return None, 0.0
    return best[1], 0.85 if best[0] < 25 else 0.65


# ----------------------------------------------------------------------------- Arabic
_NOUNS_AR = [
    (CHILDREN, r"اطفال|طفلا|طفل|طفله|طفلين|قاصرين|تلاميذ|طلاب"),
    (WOMEN, r"نساء|امراه|امراتين|سيدات|سيده|نسوه"),
    (
        CIVILIAN,
        r"مدنيين|مدنيا|مدنيون|مدني|مواطنين|مواطنا|مواطن|افراد\s+من\s+عائله\s+\S+|افراد|مدنيه",
    ),
    (NONCIVILIAN, r"عناصر|عنصرا|عنصر|مقاتلين|مقاتلا|مقاتل|جنود|جنديا|جندي|عسكريين|مسلحين"),
    (
        PEOPLE,
        r"اشخاص|شخصا|شخص|شبان|رجال|قتلي|قتيلا|قتيل|شهداء|شهيدا|شهيد|ضحايا|ضحيه|جرحي|جريحا|جريح|مصابين|مصابا|اخرين|اخرون",
    ),
]
_NOUN_AR = "|".join(f"(?P<{g}>{p})" for g, p in _NOUNS_AR)
RE_AR = re.compile(
    rf"(?:(?<=\sو)|(?<![\w]))(?:{QTY_AR})(?P<tail>\s+(?:\S+\s+)?(?:{_NOUN_AR})(?![\u0621-\u064a]))?"
)
_KILL_AR = r"قضي|قضوا|مقتل|قتل|قتلي|قتيل|استشهاد|استشهد|شهداء|شهيد|مصرع|حتفه|حتفهم|ارتقاء|ارتقي|ضحايا|وفاه|توفي|اعدام|اعدم|ذبح|جثث|جثه"
_HURT_AR = r"اصابه|اصابات|اصيب|جرحي|جريح|جرح|مصابين|مصاب|اصابتهم"
RE_OUT_AR = re.compile(rf"(?P<k>{_KILL_AR})|(?P<h>{_HURT_AR})")
_DUALS = "طفلان|طفلين|مدنيان|امراتان|امراتين|شخصان|شخصين|رجلان|رجلين|شابان|شابين"
RE_SINGLE_AR = re.compile(
    rf"(?:(?P<k>{_KILL_AR})|(?P<h>{_HURT_AR}))\s+(?P<n>طفل|طفله|مدني|امراه|سيده|شخص|رجل|شاب|{_DUALS})(?![\u0621-\u064a])"
)
_SINGLE = {"طفل": (CHILDREN, 1), "طفله": (CHILDREN, 1), "طفلين": (CHILDREN, 2),
           "مدني": (CIVILIAN, 1), "امراه": (WOMEN, 1), "سيده": (WOMEN, 1),
           "امراتين": (WOMEN, 2), "شخص": (PEOPLE, 1), "شخصين": (PEOPLE, 2), "رجل": (PEOPLE, 1),
           "طفلها": (CHILDREN, 1), "طفلته": (CHILDREN, 1), "ابنها": (CHILDREN, 1),
           "ابنتها": (CHILDREN, 1), "زوجته": (WOMEN, 1), "شاب": (PEOPLE, 1),
           "طفلان": (CHILDREN, 2), "مدنيان": (CIVILIAN, 2), "امراتان": (WOMEN, 2),
           "شخصان": (PEOPLE, 2), "رجلان": (PEOPLE, 2), "رجلين": (PEOPLE, 2),
           "شابان": (PEOPLE, 2), "شابين": (PEOPLE, 2)}  # fmt: skip
# dual forms name two victims without a number: "استشهد طفلان", "مقتل امرأتين"
RE_DUAL_AR = re.compile(rf"(?<![\u0621-\u064a])و?(?P<n>{_DUALS})(?![\u0621-\u064a])")
# "... وامرأة", "... وطفلها": one more victim joined to a toll just stated
RE_AND_SINGLE_AR = re.compile(
    r"(?<=\sو)(?P<n>طفل|طفله|امراه|سيده|رجل|طفلين|امراتين|طفلها|طفلته|ابنها|ابنتها|زوجته)(?![\u0621-\u064a])"
)

_BOTH_SIDES_AR = re.compile(
    r"\s*(?:\S+\s+){0,2}?(?:من|في\s+صفوف|بين\s+صفوف)\s+(?:كلا\s+)?(?:الطرفين|الجانبين)"
)


def find_mentions_ar(text: str) -> list[Mention]:
    norm = normalise_ar(text)
    out: list[Mention] = []
    for m in RE_AR.finditer(norm):
        count = count_from_match(m)
        if count is None:
            continue
        tail = m.group("tail")
        if not tail and re.match(
            r"\s*(?:عام|سنه|كم|كيلو|ساع|يوم|ايام|شهر|غار|صاروخ|قذيف|برميل|%)",
            norm[m.end() : m.end() + 8],
        ):
            continue
        q = m.group("a") or ""
        if re.fullmatch(r"(?:19|20)\d\d", q) and not tail:
            continue
        group = next((g for g, _ in _NOUNS_AR if m.group(g)), PEOPLE) if tail else PEOPLE
        before = _clause(norm[max(0, m.start() - 50) : m.start()], False)
        after = _clause(norm[m.end() : m.end() + 50], True)
        kind = None
        noun_text = tail or ""
        if re.search(r"قتلي|قتيل|شهداء|شهيد|ضحايا|ضحيه", noun_text):
            kind = KILLED
        elif re.search(r"جرحي|جريح|مصاب", noun_text):
            kind = INJURED
        else:
            hits = [(len(before) - h.end(), h) for h in RE_OUT_AR.finditer(before)]
            hits += [(h.start() + 5, h) for h in RE_OUT_AR.finditer(after[:40])]
            if hits:
                kind = KILLED if min(hits, key=lambda x: x[0])[1].group("k") else INJURED
        if kind is None:
            continue
        if group == PEOPLE and _BOTH_SIDES_AR.match(norm, m.end()):
            group = NONCIVILIAN  # "قتل 22 شخصا من الطرفين": the fighting parties' dead
        out.append(
            Mention(kind, group, count, Span(m.start(), m.end(), text[m.start() : m.end()]), 0.8)
        )
    for m in RE_AND_SINGLE_AR.finditer(norm):
        group, n = _SINGLE[m.group("n")]
        before = _clause(norm[max(0, m.start() - 50) : m.start()], False)
        hits = [(len(before) - h.end(), h) for h in RE_OUT_AR.finditer(before)]
        if hits:
            kind = KILLED if min(hits, key=lambda x: x[0])[1].group("k") else INJURED
            span = Span(m.start("n"), m.end("n"), text[m.start("n") : m.end("n")])
            out.append(Mention(kind, group, Count(n, n), span, 0.6))
    for m in RE_DUAL_AR.finditer(norm):
        group, n = _SINGLE[m.group("n")]
        before = _clause(norm[max(0, m.start() - 50) : m.start()], False)
        after = _clause(norm[m.end() : m.end() + 40], True)
        hits = [(len(before) - h.end(), h) for h in RE_OUT_AR.finditer(before)]
        hits += [(h.start() + 5, h) for h in RE_OUT_AR.finditer(after)]
        if hits:
            kind = KILLED if min(hits, key=lambda x: x[0])[1].group("k") else INJURED
            span = Span(m.start("n"), m.end("n"), text[m.start("n") : m.end("n")])
            out.append(Mention(kind, group, Count(n, n), span, 0.65))
    for m in RE_SINGLE_AR.finditer(norm):
        if m.group("n") not in _SINGLE:
            continue
        group, n = _SINGLE[m.group("n")]
        kind = KILLED if m.group("k") else INJURED
        out.append(
            Mention(
                kind,
                group,
                Count(n, n),
                Span(m.start("n"), m.end("n"), text[m.start("n") : m.end("n")]),
                0.7,
            )
        )
    return _dedupe(out)
