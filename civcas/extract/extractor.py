"""Text -> claims: the one entry point the CLI, the evaluation and the web view share.

A report yields one claim per sentence that states a casualty figure; fields missing from
that sentence (date, place, actor, weapon) are taken from the report as a whole with a
lower confidence. The report-level ``summary`` picks the figure of the main event: the
first civilian (or unqualified "people") death toll, which in news writing is the
headline figure.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .casualties import (
    CHILDREN,
    CIVILIAN,
    INJURED,
    KILLED,
    NONCIVILIAN,
    PEOPLE,
    WOMEN,
    Mention,
    find_mentions_ar,
    find_mentions_en,
)
from .claims import FIELD_NAMES, Claim, Field, Span
from .dates import find_dates, guess_published
from .gazetteer import PlaceMatch, load_gazetteer
from .lexicon import (
    ACTOR_RES,
    AGENT_AFTER,
    AGENT_BEFORE,
    CASED_ACTOR_RES,
    EXPLOSION,
    TARGET_AFTER,
    TARGET_BEFORE,
    TARGET_BEFORE_AR,
    UNKNOWN,
    WEAPON_RES,
)
from .numbers import normalise_ar

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_SENT = re.compile(r"[^.!?؟\n]+(?:[.!?؟]+|\n|$)")
_OF_THE = re.compile(r"\s+(?:of|from)\s+(?:the\s+)?", re.I)
ACTOR_THRESHOLD = 1.2
ACTOR_DECAY = 200.0  # blame is stated early; later mentions are background
# when the casualty sentences name nobody, an explicit attribution elsewhere in the text
# ("the raids were carried out by Russian or regime warplanes") names the article's actor
STRONG_ATTRIBUTION = 1.8
WEAPON_THRESHOLD = 0.6
LEAD_CHARS = 800  # the top of a news story: its lead and the paragraph after


def _lower_same_length(text: str) -> str:
    """Lower case with the same length (so offsets hold): 'İ' and the like stay as they are."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def detect_lang(text: str) -> str:
    sample = text[:2000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    return "ar" if len(_ARABIC.findall(sample)) / letters > 0.3 else "en"


@dataclass
class Report:
    """All claims of one text and the report-level figures (for --jsonl and evaluation)."""

    claims: list[Claim]
    summary: dict[str, Any]
    lang: str
    published: date | None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "published": self.published.isoformat() if self.published else None,
            "claims": [c.to_json() for c in self.claims],
            "summary": self.summary,
        }


def extract_text(text: str, published: date | None = None, lang: str | None = None) -> list[Claim]:
    """Claims in ``text`` with spans (offsets into ``text``) and confidences."""
    return extract_report(text, published, lang).claims


_DIACRITICS = re.compile(r"[\u064b-\u0652\u0670\u0640]")  # harakat, shadda, sukun, tatweel


def extract_report(text: str, published: date | None = None, lang: str | None = None) -> Report:
    text = text or ""
    lang = lang or detect_lang(text)
    if lang == "ar" and _DIACRITICS.search(text):
        # "قُتِلَ" is "قتل": read the text without its vowel marks, then point the spans
        # back into the text as given
        keep = [i for i, ch in enumerate(text) if not _DIACRITICS.match(ch)]
        rep = _extract("".join(text[i] for i in keep), published, lang)
        _remap_spans(rep.claims, keep, text)
        return rep
    return _extract(text, published, lang)


def _remap_spans(claims: list[Claim], keep: list[int], text: str) -> None:
    def back(sp: Span) -> Span:
        start = keep[sp.start] if sp.start < len(keep) else len(text)
        end = keep[sp.end - 1] + 1 if 0 < sp.end <= len(keep) else start
        return Span(start, end, text[start:end])

    for c in claims:
        if c.sentence is not None:
            c.sentence = back(c.sentence)
        for name in FIELD_NAMES:
            f = c.get(name)
            if f is not None:
                f.spans = [back(sp) for sp in f.spans]


def _extract(text: str, published: date | None, lang: str) -> Report:
    published = published or guess_published(text)
    mentions = find_mentions_ar(text) if lang == "ar" else find_mentions_en(text)
    sentences = [(m.start(), m.end()) for m in _SENT.finditer(text) if m.group().strip()]
    places = load_gazetteer().find(text, lang)
    dates = find_dates(text, published, lang)
    scan = normalise_ar(text) if lang == "ar" else _lower_same_length(text)
    agents: set[int] = set()  # starts of actor mentions worded as the doer
    actors = sorted(
        _scored(scan, ACTOR_RES[lang], True, agents)
        + _scored(text, CASED_ACTOR_RES[lang], True, agents)
    )
    weapons = _scored(scan, WEAPON_RES[lang], False)

    actors = _victims_are_not_actors(actors, mentions, text)
    main = _main_mention(mentions, text)
    focus = _sentence_of(main.span.start, sentences) if main else None
    if main and focus and _several_places(places, focus, text):
        main = _first_part(main, mentions, focus) or main
        focus = _sentence_of(main.span.start, sentences)
    if focus is None:
        # no civilian toll: who did the killing is told where the first deaths are
        first = next((m for m in mentions if m.kind == KILLED and not m.background), None)
        focus = _sentence_of(first.span.start, sentences) if first else None
    doc_weapon = _best(weapons, focus, WEAPON_THRESHOLD)
    bombing = doc_weapon is not None and doc_weapon.value == EXPLOSION
    # bombings are mostly unclaimed; parties named near one are usually its target
    # ("a blast near the headquarters of Ahrar al-Sham"): only a stated doer counts,
    # and a claim of responsibility counts wherever the article reports it
    doc_actors = _bombers(actors, agents, weapons, sentences, scan) if bombing else actors
    decay = ACTOR_DECAY * (5 if bombing else 1)
    doc_actor = _best(doc_actors, focus, ACTOR_THRESHOLD, decay=decay) or _best(
        _attributions(doc_actors, weapons, sentences, scan), focus, ACTOR_THRESHOLD, decay=1500.0
    )
    doc_date = _doc_date(dates, published)
    doc_place = _doc_place(places)

    claims: list[Claim] = []
    # everything below is sorted by start: each sentence takes its slice by bisection,
    # so that a long text with thousands of sentences stays linear
    by_start = sorted(mentions, key=lambda m: m.span.start)  # (stable: already in order)
    dates_s = sorted(dates, key=lambda d: d[0])
    places_s = sorted(places, key=lambda p: p.start)
    m_at = [m.span.start for m in by_start]
    d_at = [d[0] for d in dates_s]
    p_at = [p.start for p in places_s]
    a_at = [a[0] for a in actors]
    w_at = [w[0] for w in weapons]

    def inside(at: list[int], items: list[Any], s0: int, s1: int) -> list[Any]:
        return items[bisect.bisect_left(at, s0) : bisect.bisect_left(at, s1)]

    for s_start, s_end in sentences:
        ms = inside(m_at, by_start, s_start, s_end)
        if not ms:
            continue
        claim = Claim(lang=lang, sentence=Span(s_start, s_end, text[s_start:s_end]))
        _fill_counts(claim, ms)
        sd = inside(d_at, dates_s, s_start, s_end)
        claim.date = _date_field(sd[0]) if sd else _lower(doc_date)
        sp = [p for p in inside(p_at, places_s, s_start, s_end) if p.chosen]
        claim.place = _place_field(max(sp, key=_specificity)) if sp else _lower(doc_place)
        span = (s_start, s_end)
        sa = _best(inside(a_at, actors, *span), span, ACTOR_THRESHOLD, only_inside=True)
        claim.actor = sa or _lower(doc_actor)
        sw = _best(inside(w_at, weapons, *span), span, WEAPON_THRESHOLD, only_inside=True)
        claim.weapon = sw or _lower(doc_weapon)
        claims.append(claim)

    fill_span_text(claims, text)
    summary = _summary(mentions, main, doc_actor, doc_weapon, text)
    return Report(claims, summary, lang, published)


# ----------------------------------------------------------------------------- counts
_PART_BEFORE = re.compile(
    r"(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|among\s+those)\s+(?:at\s+least\s+)?$",
    re.I,
)
_PART_AFTER = re.compile(r"\s+(?:were\s+|are\s+|was\s+)?among\b", re.I)


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
    )


def _main_mention(ms: list[Mention], text: str = "") -> Mention | None:
    """The headline figure: first precise civilian/people toll, then a vague one."""
    killed = [m for m in ms if m.kind == KILLED and not m.background] or [
        m for m in ms if m.kind == KILLED
    ]
    whole = [m for m in killed if m.group in (CIVILIAN, PEOPLE) and not _is_part(m, text)]
    if any(not _vague(m) for m in whole):  # breakdowns give way to the totals they break down
        # ("dozens killed, including at least 29 in one district": a vague total does not)
        keep = {id(m) for m in whole}
        killed = [m for m in killed if id(m) in keep or m.group not in (CIVILIAN, PEOPLE)]
    # a toll smaller than the children killed it follows is a part, not the total
    # ("killed 22 children ... six teachers also died ... 35 people in total")
    floor = 0
    kept: list[Mention] = []
    for m in killed:
        if m.group in (CHILDREN, WOMEN) and not _vague(m):
            floor = max(floor, m.count.best or 0)
        if m.group in (CIVILIAN, PEOPLE) and (m.count.max or 10**9) < floor:
            continue
        kept.append(m)
    killed = kept
    groups_order: tuple[tuple[str, ...], ...] = ((CIVILIAN, PEOPLE), (CHILDREN, WOMEN))
    if killed and killed[0].group == NONCIVILIAN:
        # the report leads with combatants: only explicitly civilian figures count, and
        # only near the top (one deep in the text is another story or a related link)
        groups_order = ((CIVILIAN,), (CHILDREN, WOMEN))
        killed = [m for m in killed if m.span.start < killed[0].span.start + LEAD_CHARS]
    for groups in groups_order:
        cand = [m for m in killed if m.group in groups]
        precise = [m for m in cand if not _vague(m)]
        if cand and precise and _vague(cand[0]):
            # "air strikes kill dozens" ... "killed 29 people on Sunday": the headline's
            # vague toll points at the precise figure that fits it
            lo, hi = cand[0].count.min or 0, cand[0].count.max or 10**9
            fits = [m for m in precise if lo <= (m.count.best or 0) <= hi]
            precise = fits or precise
        if precise or cand:
            return _prefer_civilian((precise or cand)[0], ms)
    return None


def _prefer_civilian(main: Mention, ms: list[Mention]) -> Mention | None:
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
        if m.kind == KILLED and m.group == NONCIVILIAN and abs(m.span.start - main.span.start) < 400
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
        ]
        return rest[0] if rest else None
    return main


def _several_places(places: list[PlaceMatch], sent: tuple[int, int], text: str) -> bool:
    """'... attacks in Aleppo and Idleb': a total over several places, not one incident."""
    inside = [p for p in places if sent[0] <= p.start < sent[1] and p.chosen]
    for a, b in zip(inside, inside[1:], strict=False):
        if a.chosen != b.chosen and re.fullmatch(r"\s*(?:and|,|&)\s*", text[a.end : b.start]):
            return True
    return False


def _first_part(main: Mention, ms: list[Mention], sent: tuple[int, int]) -> Mention | None:
    """The first smaller toll after a multi-place total: the first incident's own figure."""
    total = main.count.best or 0
    for m in ms:
        if m.span.start < sent[1] or m.kind != KILLED or m.background:
            continue
        if m.group in (CIVILIAN, PEOPLE) and 0 < (m.count.best or 0) < total:
            return m
    return None


def _vague(m: Mention) -> bool:
    return m.count.min is not None and m.count.max is not None and m.count.max - m.count.min > 10


def _first(ms: list[Mention], kind: str, groups: tuple[str, ...]) -> Mention | None:
    return next((m for m in ms if m.kind == kind and m.group in groups), None)


def _count_field(m: Mention | None) -> Field | None:
    if m is None:
        return None
    return Field(m.count.to_json(), [m.span], m.confidence)


def _fill_counts(claim: Claim, ms: list[Mention]) -> None:
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


def _summary(
    ms: list[Mention],
    main: Mention | None,
    actor: Field | None,
    weapon: Field | None,
    text: str = "",
) -> dict[str, Any]:
    return {
        "civilians_killed": _civilian_total(main, ms, text),
        "children_killed": _c(_first(ms, KILLED, (CHILDREN,))),
        "women_killed": _c(_first(ms, KILLED, (WOMEN,))),
        "noncivilians_killed": _c(_first(ms, KILLED, (NONCIVILIAN,))),
        "injured": _c(_first(ms, INJURED, (CIVILIAN, PEOPLE, CHILDREN, WOMEN))),
        "actor": actor.value if actor else UNKNOWN,
        "weapon": weapon.value if weapon else None,
    }


def _civilian_total(
    main: Mention | None, ms: list[Mention], text: str = ""
) -> dict[str, int | None] | None:
    """Children and women stated without a civilian total: 'three children and a woman' = 4.

    And a 'people' toll that combatants are said to be part of ("70 people ... 11 fighters
    were among the dead") counts 59 civilians.
    """
    if main is None:
        return None
    if main.group == PEOPLE and main.count.min is not None and not _vague(main):
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
    """'crucifying two people and executing 23 others': the others add to the toll."""
    if main.group not in (CIVILIAN, PEOPLE) or _vague(main):
        return []
    for m in ms:
        if m.span.start <= main.span.start or m.span.start > main.span.end + 60:
            continue
        if m.kind != KILLED or m.group != PEOPLE or _vague(m):
            return []
        gap = text[main.span.end : m.span.start]
        if m.span.text.lower().endswith("others") and re.fullmatch(r"[^.;:!?]*\band\b[\w\s]*", gap):
            return [m]
        return []
    return []


def _c(m: Mention | None) -> dict[str, int | None] | None:
    return m.count.to_json() if m else None


# ------------------------------------------------------------------- actors, weapons
Scored = list[tuple[int, int, str, float]]


def _scored(
    scan: str,
    table: list[tuple[re.Pattern[str], str, float]],
    targets: bool,
    agents: set[int] | None = None,
) -> Scored:
    out: Scored = []
    # spans already taken by an earlier (more specific) pattern, kept sorted and disjoint
    # so that the overlap test is a bisection (a long text has thousands of matches)
    starts: list[int] = []
    ends: list[int] = []
    for pat, value, w in table:
        for m in pat.finditer(scan):
            i = bisect.bisect_left(starts, m.end())
            if i and ends[i - 1] > m.start():
                continue
            j = bisect.bisect_left(starts, m.start())
            starts.insert(j, m.start())
            ends.insert(j, m.end())
            before = scan[max(0, m.start() - 45) : m.start()]
            after = scan[m.end() : m.end() + 100]
            weight = w  # per match: one target mention must not weaken the next ones
            if targets:
                role = _role(before, after)
                # "blamed the Syrian government": the wording, not the name, makes it strong
                weight = max(w, 1.0) * role if role > 1.0 else w * role
                if agents is not None and role > 1.0:
                    agents.add(m.start())
            out.append((m.start(), m.end(), value, weight))
    out.sort()
    return out


def _role(before: str, after: str) -> float:
    """0.2 for a target ("strikes on ISIS"), 2 for the doer ("carried out by"), else 1.

    When both readings fit the words before, the longer (more specific) one wins:
    "a sniper from al-Nusra" names the doer, "besieged by rebels" does not.
    """
    tb = TARGET_BEFORE.search(before) or TARGET_BEFORE_AR.search(before)
    ab = AGENT_BEFORE.search(before)
    if tb and ab:
        return 2.0 if len(ab.group()) > len(tb.group()) else 0.2
    if tb or TARGET_AFTER.search(after):
        return 0.2
    if ab or AGENT_AFTER.search(after):
        return 2.0
    return 1.0


def _best(
    items: Scored,
    focus: tuple[int, int] | None,
    threshold: float,
    only_inside: bool = False,
    decay: float = 600.0,
) -> Field | None:
    """The value with the highest score: weight, x3 inside the focus sentence, less later on."""
    scores: dict[str, float] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for s, e, value, w in items:
        inside = focus is not None and focus[0] <= s < focus[1]
        if only_inside and not inside:
            continue
        score = w * (3.0 if inside else 1.0) / (1.0 + s / decay)
        scores[value] = scores.get(value, 0.0) + score
        spans.setdefault(value, []).append((s, e))
    if not scores:
        return None
    value, score = max(scores.items(), key=lambda kv: kv[1])
    if score < threshold and not only_inside:
        return None
    total = sum(scores.values())
    return Field(
        value, [Span(s, e, "") for s, e in spans[value][:3]], min(0.95, 0.4 + 0.5 * score / total)
    )


_BACKGROUND = re.compile(
    r"civil war|since (?:19|20)\d\d|since the (?:war|conflict|start)|crackdown|"
    r"(?:a|one|two|three) (?:day|days|week|weeks) (?:after|before|earlier)|last (?:year|month|week)|"
    # an earlier attack recalled: "has been regularly targeted", "a blast in February"
    r"\b(?:previously|repeatedly|regularly|in the past|earlier this (?:year|month))\b|"
    r"\bin (?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b"
)


def _attributions(
    actors: Scored, weapons: Scored, sentences: list[tuple[int, int]], scan: str
) -> Scored:
    """Strong attributions of an attack anywhere in the text: an actor named as the doer
    ("strikes by Russian jets", "regime warplanes bombed") next to a weapon, outside
    background sentences about the war in general or an earlier attack."""
    out: Scored = []
    for s, e, value, w in actors:
        if w < STRONG_ATTRIBUTION:
            continue
        if not any(ws - 40 <= e and s - 40 <= we for ws, we, _, _ in weapons):
            continue
        sent = _sentence_of(s, sentences) or (s, e)
        if _BACKGROUND.search(scan, sent[0], sent[1]):
            continue
        out.append((s, e, value, w))
    return out


def _bombers(
    actors: Scored, agents: set[int], weapons: Scored, sentences: list[tuple[int, int]], scan: str
) -> Scored:
    """Parties stated as the doer of a bombing: worded as the doer, in a sentence that is
    about a bombing (or names no weapon: "IS claimed responsibility") and not about the
    war in general ("since the regime launched a crackdown") or another kind of attack."""
    out: Scored = []
    for a in actors:
        if a[0] not in agents:
            continue
        sent = _sentence_of(a[0], sentences) or (a[0], a[1])
        kinds = {v for ws, _, v, _ in weapons if sent[0] <= ws < sent[1]}
        if kinds and EXPLOSION not in kinds:
            continue
        if _BACKGROUND.search(scan, sent[0], sent[1]):
            continue
        out.append(a)
    return out


def _victims_are_not_actors(actors: Scored, ms: list[Mention], text: str) -> Scored:
    """'35 IS jihadists were killed': IS names the dead here, not who killed them."""
    dead = sorted(
        (m.span for m in ms if m.group == NONCIVILIAN and m.kind == KILLED), key=lambda d: d.start
    )
    at = [d.start for d in dead]
    out: Scored = []
    for s, e, value, w in actors:
        # only spans starting shortly before the name can hold it or precede it
        near = dead[bisect.bisect_left(at, s - 400) : bisect.bisect_right(at, s)]
        if any(
            d.start <= s < d.end + 3
            or (d.end <= s < d.end + 25 and _OF_THE.fullmatch(text[d.end : s]))
            for d in near
        ):
            w *= 0.1
        out.append((s, e, value, w))
    return out


def _sentence_of(pos: int, sentences: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The sentence holding ``pos`` (sentences are sorted and disjoint)."""
    i = bisect.bisect_right(sentences, pos, key=lambda se: se[0]) - 1
    if i >= 0 and sentences[i][0] <= pos < sentences[i][1]:
        return sentences[i]
    return None


# ------------------------------------------------------------------------ date, place
def _date_field(d: tuple[int, int, date, str, float]) -> Field:
    return Field({"date": d[2].isoformat(), "how": d[3]}, [Span(d[0], d[1], "")], d[4])


def _doc_date(
    dates: list[tuple[int, int, date, str, float]], published: date | None
) -> Field | None:
    rel = [d for d in dates if d[3] in ("weekday", "yesterday", "hijri", "month-day")]
    if rel:
        return _date_field(rel[0])
    if dates:
        return _date_field(dates[0])
    if published:
        return Field({"date": published.isoformat(), "how": "published"}, [], 0.3)
    return None


def _specificity(p: PlaceMatch) -> int:
    order = {"neighbourhood": 3, "town": 2, "governorate": 1}
    return order.get(p.chosen.precision, 0) if p.chosen else -1


def _place_field(p: PlaceMatch) -> Field:
    assert p.chosen is not None
    value = p.chosen.to_json()
    value["ambiguous"] = p.ambiguous
    if p.notes:
        value["notes"] = p.notes
    if p.ambiguous:
        value["candidates"] = [c.to_json() for c in p.candidates]
    conf = 0.4 if p.ambiguous else 0.8
    return Field(value, [Span(p.start, p.end, p.text)], conf)


def _doc_place(places: list[PlaceMatch]) -> Field | None:
    chosen = [p for p in places if p.chosen]
    if not chosen:
        return None
    return _place_field(chosen[0])


def _lower(f: Field | None) -> Field | None:
    """A report-level value reused for a sentence: same spans, less confidence."""
    if f is None:
        return None
    return Field(f.value, f.spans, round(f.confidence * 0.6, 2))


def fill_span_text(claims: list[Claim], text: str) -> None:
    for c in claims:
        for name in ("date", "actor", "weapon"):
            f = c.get(name)
            if f is not None:
                f.spans = [Span(s.start, s.end, text[s.start : s.end]) for s in f.spans]
