"""General wordings of news reporting: sentences written for these tests.

Each case states what a reader takes from the sentence; each failed on the code before the
rule it tests was written (how they were reached: CHANGELOG.md, "Extraction").
"""

from __future__ import annotations

from datetime import date

import pytest

from civcas.extract import extract_report


def _s(text: str) -> dict:
    return extract_report(text, date(2016, 10, 6), "en").summary


def _n(v: dict | None) -> int:
    return int((v or {}).get("min") or 0)


@pytest.mark.parametrize(
    "text,civilians,fighters",
    [
        # a share of the dead told after the toll is a part of it
        ("Shelling killed at least 16 people in the district on Monday. Six of the dead were "
         "fighters from local brigades, the monitor said.", 10, 6),
        ("Shelling killed at least 16 people in the district on Monday. Among the dead were "
         "six fighters from local brigades.", 10, 6),
        ("Shelling killed at least 16 people in the district on Monday. The victims included "
         "six government soldiers.", 10, 6),
        ("Shelling killed at least 16 people in the district on Monday, six of them rebel "
         "fighters.", 10, 6),
        ("Shelling killed at least 16 people in the district on Monday. Those killed "
         "included six policemen.", 10, 6),
    ],
)  # fmt: skip
def test_combatants_among_the_dead(text: str, civilians: int, fighters: int) -> None:
    s = _s(text)
    assert _n(s["civilians_killed"]) == civilians
    assert _n(s["noncivilians_killed"]) == fighters


def test_a_share_of_the_dead_who_were_children() -> None:
    s = _s("Shelling killed 16 people in the district. Six of the dead were children.")
    assert _n(s["civilians_killed"]) == 16 and _n(s["children_killed"]) == 6


@pytest.mark.parametrize(
    "text,cause",
    [
        # "twin/double/roadside bombings" are planted bombs; "the bombing of X" is from the air
        ("Twin bombings in two coastal towns killed at least 40 people on Monday.",
         "explosion"),
        ("A roadside bombing killed 3 people near the town on Friday.", "explosion"),
        ("The bombing of the town by warplanes killed 20 people.", "shelling"),
        # border guards kill with gunfire
        ("Two refugees were killed by border guards as they tried to cross at night.",
         "shooting"),
    ],
)  # fmt: skip
def test_kinds_of_bombing(text: str, cause: str) -> None:
    from civcas.extract.lexicon import FAKES_CAUSE

    assert FAKES_CAUSE.get(_s(text)["weapon"] or "", "unknown") == cause


@pytest.mark.parametrize(
    "text,actor",
    [
        # a party suspected for its record is not one that claimed the attack
        ("Three people died in a blast at a bus station on Wednesday. No one claimed "
         "responsibility, but Islamic State has carried out similar attacks in the city.",
         "unknown"),
        ("A car bomb killed 9 people in the town. No group has yet claimed it, though ISIS "
         "was behind such bombings last spring.", "unknown"),
        ("A car bomb killed 9 people in the town. Islamic State claimed the attack.", "ISIS"),
        # "Kurdish militants" are the Kurdish-led forces, like "Kurdish fighters"
        ("A car bomb exploded outside a mosque in the town, killing 10 people. Rebel groups "
         "blamed Kurdish militants.", "SDF"),
    ],
)  # fmt: skip
def test_suspects_are_not_claimants(text: str, actor: str) -> None:
    assert _s(text)["actor"] == actor


@pytest.mark.parametrize(
    "text,civilians",
    [
        # one person named as the witness or the source is not a victim
        ("A doctor at the clinic told reporters that 12 people were killed in the raid.", 12),
        ("A woman who saw the attack said 12 people were killed.", 12),
        # SANA's "a citizen was martyred"
        ("A citizen was martyred and four others were injured when a rocket shell hit the "
         "town.", 1),
        # members of a tribe or of a family named with "al-" are civilians
        ("Militants killed 25 members of a Bedouin tribe in the desert.", 25),
        ("Troops killed nine members of the al-Khatib family in a raid on their home.", 9),
        # rescuers and medics of the civil defence or the Red Crescent are civilians
        ("Three members of the White Helmets were killed when a strike hit their centre.", 3),
        ("Two volunteers of the Syrian Arab Red Crescent were killed by shelling.", 2),
        # "killed or wounded" counts both: not a death toll
        ("At least 40 people were killed or wounded in the strike on the market.", 0),
        # the dead "on both sides" of a battle are its fighters
        ("Clashes near the town left 22 dead on both sides, while shelling killed a child "
         "in a nearby village.", 1),
    ],
)  # fmt: skip
def test_who_the_victims_are(text: str, civilians: int) -> None:
    assert _n(_s(text)["civilians_killed"]) == civilians


def test_a_witness_is_not_a_woman_killed() -> None:
    s = _s("A woman who saw the attack said 12 people were killed.")
    assert s["women_killed"] is None and _n(s["civilians_killed"]) == 12


def test_militants_who_have_killed_are_the_doers() -> None:
    # "militants have killed" is active (the doer); "have been killed" names the dead
    s = _s("Islamic State militants have killed 26 civilians in a village, a monitor said.")
    assert s["actor"] == "ISIS"


def test_breakdowns_are_those_told_with_the_main_toll() -> None:
    text = (
        "Air strikes killed 12 civilians, among them three children, in the town on Monday, "
        "a monitor said. Rescuers searched the rubble through the night. The town has been "
        "shelled for weeks. Elsewhere, clashes between rebels and the army killed 30 soldiers "
        "and 25 rebels, and a shell killed two women in a village to the south."
    )
    s = _s(text)
    assert _n(s["civilians_killed"]) == 12 and _n(s["children_killed"]) == 3
    assert s["noncivilians_killed"] is None and s["women_killed"] is None
    # told in the sentence after the toll, a breakdown is still the toll's
    s = _s("Shelling killed 9 people in the district. Four women were among the dead.")
    assert _n(s["women_killed"]) == 4
    # with no civilian toll, the combatants are the first told
    s = _s("Rebels ambushed a convoy. Later that day clashes killed 14 soldiers.")
    assert _n(s["noncivilians_killed"]) == 14


def test_a_lead_toll_of_children_is_the_main_one() -> None:
    text = (
        "A missile strike on a village killed four children, a local source said on Friday. "
        "The strike hit a house near the front line. Three days earlier, in an attack on a "
        "market in another province, some 40 civilians were killed."
    )
    s = _s(text)
    assert _n(s["civilians_killed"]) == 4 and _n(s["children_killed"]) == 4
    # ... but a total of people told right after it is the total
    s = _s("Shelling killed four children in the village, and 11 people died in all.")
    assert _n(s["civilians_killed"]) == 11
    # ... and so is one told later with "in total", or one the children are a part of
    s = _s(
        "Shelling killed four children in the village. Later a medic said 11 people in "
        "total had died."
    )
    assert _n(s["civilians_killed"]) == 11
    s = _s(
        "Shelling kills 6 children in the town. Nine civilians, among them 6 children, "
        "were killed in the shelling of the old market, the monitor said."
    )
    assert _n(s["civilians_killed"]) == 9


def test_a_vague_toll_has_no_annotated_count() -> None:
    from civcas.extract.evaluate import predict

    def civ(text: str) -> int:
        return int(
            predict({"unit_id": "x", "article_content": text, "date": "10/6/16"})[0]["nb_civilians"]
        )

    text = "Air strikes killed dozens of people in the town, rescuers said."
    assert civ(text) == 0
    assert _s(text)["civilians_killed"] == {"min": 24, "max": 99}  # the range is kept
    assert civ("Between 5 and 7 civilians were killed in the town.") == 5
    assert civ("At least 12 civilians were killed in the town.") == 12


def _ar(text: str) -> dict:
    return extract_report(text, date(2017, 6, 1), "ar").summary


def test_arabic_fighters_among_the_dead_and_both_sides() -> None:
    # "بينهم N عناصر": fighters among a toll are a part of it, and not its doers
    s = _ar("مقتل 12 شخصا بينهم 4 عناصر من قوات النظام بقصف على بلدة في ريف حماة")
    assert _n(s["civilians_killed"]) == 8 and _n(s["noncivilians_killed"]) == 4
    assert s["actor"] == "unknown"
    # "من الطرفين": the dead of both fighting sides are combatants
    s = _ar("قتل 18 شخصا من الطرفين في اشتباكات قرب المدينة فيما قتل طفل بقصف على قرية مجاورة")
    assert _n(s["noncivilians_killed"]) == 18 and _n(s["civilians_killed"]) == 1


@pytest.mark.parametrize(
    "text,civilians,fighters",
    [
        # a year or a clock time before a toll written in words is not part of the toll
        ("Monday 20 June 2016 twenty-three IS militants killed in strikes near the border.",
         0, 23),
        ("Friday 21 November 2014 10:13 thirty-five civilians killed in air raids on the "
         "town.", 35, 0),
        ("25 April 2017 fifty-one martyrs buried in the town.", 51, 0),
    ],
)  # fmt: skip
def test_number_words_after_dates(text: str, civilians: int, fighters: int) -> None:
    s = _s(text)
    assert _n(s["civilians_killed"]) == civilians
    assert _n(s["noncivilians_killed"]) == fighters


@pytest.mark.parametrize(
    "text,civilians,actor,cause",
    [
        # headlines speak in the present tense with a plural subject
        ("Rebels shell government-held district as Syrian army advances killing 4 civilians.",
         4, "armed opposition", "shelling"),
        ("Regime jets pound Idlib town killing 9 civilians.", 9, "Syrian government",
         "shelling"),
        ("IS militants execute 12 men in desert town.", 12, "ISIS", "execution"),
    ],
)  # fmt: skip
def test_headline_present_tense(text: str, civilians: int, actor: str, cause: str) -> None:
    from civcas.extract.lexicon import FAKES_CAUSE

    s = _s(text)
    assert _n(s["civilians_killed"]) == civilians and s["actor"] == actor
    assert FAKES_CAUSE.get(s["weapon"] or "", "unknown") == cause


@pytest.mark.parametrize(
    "text,actor",
    [
        ("Iranian-backed militias shelled the village killing 6 civilians.",
         "Syrian government"),
        ("Shabiha militiamen stormed the village killing 6 civilians.", "Syrian government"),
        # protest-era reporting: "security forces" with no other party named are the state's
        ("Security forces opened fire on protesters in the city killing 6 people.",
         "Syrian government"),
        ("Kurdish security forces opened fire on protesters killing 6 people.", "SDF"),
    ],
)  # fmt: skip
def test_government_side_and_security_forces(text: str, actor: str) -> None:
    assert _s(text)["actor"] == actor


@pytest.mark.parametrize(
    "text,civilians,cause",
    [
        ("The militants hanged 3 men in the main square of the town.", 3, "execution"),
        ("The militants stoned a woman to death in the town.", 1, "execution"),
        ("Tank fire killed 3 civilians in the village.", 3, "shelling"),
        ("Phosphorus bombs killed 4 civilians in the village.", 4, "shelling"),
        ("Thermobaric bombs killed 6 civilians in the village.", 6, "shelling"),
    ],
)  # fmt: skip
def test_more_ways_of_killing(text: str, civilians: int, cause: str) -> None:
    from civcas.extract.lexicon import FAKES_CAUSE

    s = _s(text)
    assert _n(s["civilians_killed"]) == civilians
    assert FAKES_CAUSE.get(s["weapon"] or "", "unknown") == cause


@pytest.mark.parametrize(
    "text,civilians,fighters",
    [
        # the share is named by the predicate: "18 were civilians", "12 of them were ..."
        ("Air strikes and shelling killed 30 people on Sunday. Of those 18 were civilians "
         "and 12 were fighters.", 18, 12),
        ("Shelling killed 30 people in the town. 18 of them were civilians.", 18, 0),
        ("Shelling killed 30 people in the town. Eighteen of the dead were civilians.", 18,
         0),
    ],
)  # fmt: skip
def test_shares_named_by_the_predicate(text: str, civilians: int, fighters: int) -> None:
    s = _s(text)
    assert _n(s["civilians_killed"]) == civilians
    assert _n(s["noncivilians_killed"]) == fighters


@pytest.mark.parametrize(
    "text,civilians",
    [
        # a sentence opening with "<time> after ..." recalls an earlier toll first
        ("A week after a car bomb killed 40 people in the town another blast killed 8 "
         "people on Monday.", 8),
        ("Two days after air strikes killed 30 civilians in the town regime shelling killed "
         "6 civilians there on Thursday.", 6),
        # ... but a toll told first in an ordinary sentence stays the toll
        ("Air strikes killed 12 civilians in the town on Sunday two days after shelling "
         "killed 30.", 12),
    ],
)  # fmt: skip
def test_an_earlier_event_recalled_first(text: str, civilians: int) -> None:
    assert _n(_s(text)["civilians_killed"]) == civilians


def test_rebel_held_places_are_not_rebels() -> None:
    s = _s("Air strikes killed at least 12 civilians in two rebel-held neighbourhoods.")
    assert s["noncivilians_killed"] is None and _n(s["civilians_killed"]) == 12
