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

from .actors import attributions, best, bombers, scored, sentence_of, victims_are_not_actors
from .casualties import KILLED, find_mentions_ar, find_mentions_en
from .claims import FIELD_NAMES, Claim, Field, Span
from .dates import find_dates, guess_published
from .gazetteer import PlaceMatch, load_gazetteer
from .lexicon import ACTOR_RES, CASED_ACTOR_RES, EXPLOSION, WEAPON_RES
from .numbers import normalise_ar
from .tolls import fill_counts, first_part, main_mention, several_places, summary

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_SENT = re.compile(r"[^.!?؟\n]+(?:[.!?؟]+|\n|$)")
ACTOR_THRESHOLD = 1.2
ACTOR_DECAY = 200.0  # blame is stated early; later mentions are background
WEAPON_THRESHOLD = 0.6
SCOPE_AFTER = 1  # a report's breakdowns: the main toll's sentence and the next one


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
        scored(scan, ACTOR_RES[lang], True, agents)
        + scored(text, CASED_ACTOR_RES[lang], True, agents)
    )
    weapons = scored(scan, WEAPON_RES[lang], False)

    actors = victims_are_not_actors(actors, mentions, text)
    main = main_mention(mentions, text)
    focus = sentence_of(main.span.start, sentences) if main else None
    if main and focus and several_places(places, focus, text):
        main = first_part(main, mentions, focus, places, sentences) or main
        focus = sentence_of(main.span.start, sentences)
    if focus is None:
        # no civilian toll: who did the killing is told where the first deaths are
        first = next((m for m in mentions if m.kind == KILLED and not m.background), None)
        focus = sentence_of(first.span.start, sentences) if first else None
    doc_weapon = best(weapons, focus, WEAPON_THRESHOLD)
    bombing = doc_weapon is not None and doc_weapon.value == EXPLOSION
    # bombings are mostly unclaimed; parties named near one are usually its target
    # ("a blast near the headquarters of Ahrar al-Sham"): only a stated doer counts,
    # and a claim of responsibility counts wherever the article reports it
    doc_actors = bombers(actors, agents, weapons, sentences, scan) if bombing else actors
    decay = ACTOR_DECAY * (5 if bombing else 1)
    doc_actor = best(doc_actors, focus, ACTOR_THRESHOLD, decay=decay) or best(
        attributions(doc_actors, weapons, sentences, scan), focus, ACTOR_THRESHOLD, decay=1500.0
    )
    if doc_actor and main and focus and _unnamed_doer(scan, focus, actors, lang):
        doc_actor = None
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
        fill_counts(claim, ms)
        sd = inside(d_at, dates_s, s_start, s_end)
        claim.date = _date_field(sd[0]) if sd else _lower(doc_date)
        sp = [p for p in inside(p_at, places_s, s_start, s_end) if p.chosen]
        claim.place = _place_field(max(sp, key=_specificity)) if sp else _lower(doc_place)
        span = (s_start, s_end)
        sa = best(inside(a_at, actors, *span), span, ACTOR_THRESHOLD, only_inside=True)
        claim.actor = sa or _lower(doc_actor)
        sw = best(inside(w_at, weapons, *span), span, WEAPON_THRESHOLD, only_inside=True)
        claim.weapon = sw or _lower(doc_weapon)
        claims.append(claim)

    fill_span_text(claims, text)
    scope = None
    if main is not None and focus is not None:
        # the main toll's sentence and the next one: where its breakdown is told
        i = sentences.index(focus)
        scope = (focus[0], sentences[min(i + SCOPE_AFTER, len(sentences) - 1)][1])
    summ = summary(mentions, main, doc_actor, doc_weapon, text, scope)
    return Report(claims, summ, lang, published)


_UNNAMED_PARTY = (
    r"(?:(?:armed\s+)?terrorist\s+(?:groups?|organi[sz]ations?)|terrorists|"
    r"(?:unidentified|unknown)\s+(?:gunmen|assailants|attackers|militants|armed\s+men))"
)
# the doer given without a name: "fired by terrorist groups", "terrorists positioned in
# X fired", "unidentified gunmen shot dead" (not the adjective in "terrorist attacks")
_UNNAMED_DOER = re.compile(
    r"\b(?:by|of)\s+(?:the\s+)?"
    + _UNNAMED_PARTY
    + r"\b|\b"
    + _UNNAMED_PARTY
    + r"\s+(?:\w+\s+(?:in|at|near|inside)\s+(?:\S+\s+){0,3}?)?"
    r"(?:fired|launched|targeted|shelled|attacked|opened\s+fire|shot|planted|detonated|"
    r"killed|stormed|bombed|executed)\b"
)
_UNNAMED_ANY = re.compile(
    r"\bterrorists?\b|\b(?:unidentified|unknown)\s+(?:gunmen|assailants|attackers|militants)\b"
)


def _unnamed_doer(
    scan: str, focus: tuple[int, int], actors: list[tuple[int, int, str, float]], lang: str
) -> bool:
    """The toll's sentence blames an unnamed party and names none: the report's actor is
    unknown, not a party named elsewhere for another attack.

    Either the sentence words the unnamed party as the doer ("fired by terrorist groups",
    "unidentified gunmen shot dead"), or it speaks of terrorists/gunmen and the report
    names no party as a doer anywhere ("terrorist mortar shells killed 2 civilians"
    beside "the army killed dozens of terrorists").
    """
    if lang != "en" or any(focus[0] <= a[0] < focus[1] and a[3] >= 0.5 for a in actors):
        return False
    if _UNNAMED_DOER.search(scan, focus[0], focus[1]):
        return True
    return bool(_UNNAMED_ANY.search(scan, focus[0], focus[1])) and not any(
        a[3] >= 1.8 for a in actors
    )


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
