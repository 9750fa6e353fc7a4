"""Who is blamed, and with what: actor and weapon mentions scored by their role.

A party named as the doer ("carried out by", "regime warplanes", "IS claimed
responsibility") counts double; one named as the target, the holder of ground, the dead
or the speaker counts for little. The report's value is the best-scoring one near the
headline figure (``best``), with bombings held to a stricter standard (``bombers``).
"""

from __future__ import annotations

import bisect
import re

from .casualties import KILLED, NONCIVILIAN, Mention
from .claims import Field, Span
from .lexicon import (
    AGENT_AFTER,
    AGENT_BEFORE,
    EXPLOSION,
    TARGET_AFTER,
    TARGET_BEFORE,
    TARGET_BEFORE_AR,
)

_OF_THE = re.compile(r"\s+(?:of|from|من)\s+(?:the\s+)?", re.I)  # "عناصر من قوات النظام"
# when the casualty sentences name nobody, an explicit attribution elsewhere in the text
# ("the raids were carried out by Russian or regime warplanes") names the article's actor
STRONG_ATTRIBUTION = 1.8
Scored = list[tuple[int, int, str, float]]


def scored(
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
                r = role(before, after)
                # "blamed the Syrian government": the wording, not the name, makes it strong
                weight = max(w, 1.0) * r if r > 1.0 else w * r
                if agents is not None and r > 1.0:
                    agents.add(m.start())
            out.append((m.start(), m.end(), value, weight))
    out.sort()
    return out


def role(before: str, after: str) -> float:
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


def best(
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
    # a suspect by its record, not a claim: "no group has claimed it, but IS has carried
    # out similar attacks"
    r"\b(?:similar|such|past|earlier|previous)\s+(?:attacks|bombings|blasts|explosions)\b|"
    r"\b(?:no|none|nobody)\s+(?:one\s+|group\s+|party\s+|faction\s+)?(?:has\s+|had\s+)?"
    r"(?:yet\s+)?(?:immediately\s+)?claimed\b|"
    r"\bin (?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b"
)


def attributions(
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
        sent = sentence_of(s, sentences) or (s, e)
        if _BACKGROUND.search(scan, sent[0], sent[1]):
            continue
        out.append((s, e, value, w))
    return out


def bombers(
    actors: Scored, agents: set[int], weapons: Scored, sentences: list[tuple[int, int]], scan: str
) -> Scored:
    """Parties stated as the doer of a bombing: worded as the doer, in a sentence that is
    about a bombing (or names no weapon: "IS claimed responsibility") and not about the
    war in general ("since the regime launched a crackdown") or another kind of attack."""
    out: Scored = []
    for a in actors:
        if a[0] not in agents:
            continue
        sent = sentence_of(a[0], sentences) or (a[0], a[1])
        kinds = {v for ws, _, v, _ in weapons if sent[0] <= ws < sent[1]}
        if kinds and EXPLOSION not in kinds:
            continue
        if _BACKGROUND.search(scan, sent[0], sent[1]):
            continue
        out.append(a)
    return out


def victims_are_not_actors(actors: Scored, ms: list[Mention], text: str) -> Scored:
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


def sentence_of(pos: int, sentences: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The sentence holding ``pos`` (sentences are sorted and disjoint)."""
    i = bisect.bisect_right(sentences, pos, key=lambda se: se[0]) - 1
    if i >= 0 and sentences[i][0] <= pos < sentences[i][1]:
        return sentences[i]
    return None
