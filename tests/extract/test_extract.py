"""Extraction: numbers, dates, places, claims with spans, malformed input, drafts, scores."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.extract import extract_report, extract_text, load_gazetteer
from civcas.extract.dates import find_dates, hijri_to_gregorian

FIX = Path(__file__).parent / "fixtures"


def _killed(text: str, lang: str | None = None) -> dict:
    claims = extract_text(text, date(2017, 8, 18), lang)
    assert claims, text
    f = claims[0].civilians_killed
    assert f is not None, text
    return f.value


@pytest.mark.parametrize(
    "text,lo,hi",
    [
        ("An air strike killed at least 12 civilians in Raqqa.", 12, None),
        ("More than 1,600 civilians were killed in the battle.", 1600, None),
        ("Between 5 and 7 civilians were killed by shelling.", 5, 7),
        ("Dozens of civilians were killed in air strikes on Manbij.", 24, 99),
        ("A strike on the house killed a family of six in Mayadin.", 6, 6),
        ("Twenty-five people were killed when the market was bombed.", 25, 25),
        ("مقتل ١٢ مدنياً بغارة على الرقة", 12, 12),
        ("استشهاد خمسة وعشرين مدنياً بقصف مدفعي", 25, 25),
        ("مقتل أكثر من ١٥ مدنياً في قصف جوي", 15, None),
    ],
)
def test_counts_are_ranges(text: str, lo: int, hi: int | None) -> None:
    v = _killed(text)
    assert (v["min"], v["max"]) == (lo, hi)


def test_spans_point_at_the_text() -> None:
    text = "On Wednesday a US-led coalition airstrike killed 9 civilians, including 4 children, in Raqqa."
    (claim,) = extract_text(text, date(2017, 8, 18))
    for name in ("civilians_killed", "children_killed", "actor", "weapon", "place", "date"):
        f = claim.get(name)
        assert f is not None, name
        for s in f.spans:
            assert text[s.start : s.end] == s.text and s.text
    assert claim.children_killed.value == {"min": 4, "max": 4}
    assert claim.actor.value == "US-led coalition"
    assert claim.weapon.value == "airstrike"
    assert claim.date.value["date"] == "2017-08-16"  # the Wednesday before Friday 18 August
    json.dumps(claim.to_json())


def test_arabic_dates() -> None:
    found = {d[2] for d in find_dates("قتل في 3 تشرين الأول 2016 و 16 آب 2017", None, "ar")}
    assert found == {date(2016, 10, 3), date(2017, 8, 16)}
    assert hijri_to_gregorian(1438, 9, 1) == date(2017, 5, 27)  # 1 Ramadan 1438
    (d,) = find_dates("في 15 رمضان 1438 هـ", None, "ar")
    assert d[2] == date(2017, 6, 10)


def test_same_place_in_both_scripts_and_ambiguity() -> None:
    g = load_gazetteer()
    en = g.find("Strikes hit Manbij.", "en")[0].chosen
    ar = g.find("غارات على منبج", "ar")[0].chosen
    assert en is not None and en == ar and en.governorate == "Aleppo"
    nb = g.find("قصف على حي الرميلة في الرقة", "ar")[0].chosen
    assert nb is not None and nb.precision == "neighbourhood"
    # a Raqqa neighbourhood name is not taken as one when Raqqa is not mentioned
    m = g.find("Shelling hit Rumaila.", "en")
    assert not m or m[0].chosen is None or m[0].chosen.precision != "neighbourhood"


def _run(args: list[str]) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, args)
    return r.exit_code, r.stdout, r.stderr


def test_malformed_files_never_stop_the_batch(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "latin.txt").write_bytes(
        "Caf\xe9 shelling killed 3 civilians in Idlib.".encode("latin-1")
    )
    big = (
        "<html><body>"
        + "<p>Nothing to see here.</p>" * 400_000
        + "<p>An air strike killed 4 civilians in Raqqa.</p></body></html>"
    )
    (tmp_path / "big.html").write_text(big)
    assert len(big) > 10_000_000
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "ok.txt").write_text("Shelling killed 7 civilians in Douma.")
    files = [
        str(tmp_path / n)
        for n in ("bin.txt", "empty.txt", "latin.txt", "big.html", "bad.json", "ok.txt")
    ]
    code, out, err = _run(["extract", *files, "https://example.org/x", "--jsonl"])
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 7
    by_id = {r["id"]: r for r in rows}
    assert "binary" in by_id["bin.txt"]["error"] and "empty" in by_id["empty"]["error"]
    assert "not fetched" in by_id["https://example.org/x"]["error"]
    assert by_id["latin"]["summary"]["civilians_killed"]["min"] == 3
    # a 10 MB page gives a result: tags stripped, text cut to its first 1M characters
    assert "error" not in by_id["big"] and "cut" in by_id["big"]["warning"]
    assert by_id["ok"]["summary"]["civilians_killed"]["min"] == 7
    assert len(by_id["ok"]["sha256"]) == 64


def test_more_malformed_input_gives_one_result_or_error_each(tmp_path: Path) -> None:
    """Each input gives a result or a clear error, in order, and the batch goes on."""
    filler = "Nothing happened here. " * 460_000  # about 10 MB
    page = "Shelling killed 3 civilians in Idlib. " + filler
    (tmp_path / "big.txt").write_text(page)
    # a whole 10 MB page in one CSV cell, then an ordinary row that must still be read
    (tmp_path / "cells.csv").write_text(
        'id,text\nbig,"' + page + '"\nsmall,"A strike killed 9 civilians in Raqqa."\n'
    )
    (tmp_path / "u16.txt").write_bytes("Shelling killed 6 civilians in Douma.".encode("utf-16"))
    (tmp_path / "ctrl.txt").write_bytes(b"\x1b[31mShelling\x07 killed 8 civilians\xff in Douma.")
    (tmp_path / "adir").mkdir()
    (tmp_path / "mixed.jsonl").write_text(
        '{"id": "j1", "text": "Shelling killed 2 civilians."}\nnot json\n[1, 2]\n'
        '{"id": "j4"}\n{"id": "j5", "text": "A strike killed 4 civilians in Raqqa."}\n'
    )
    (tmp_path / "blank.txt").write_text("  \n\t ")
    names = ["big.txt", "cells.csv", "u16.txt", "ctrl.txt", "adir", "mixed.jsonl", "blank.txt",
             "missing.txt"]  # fmt: skip
    args = ["extract", *[str(tmp_path / n) for n in names], "--id-column", "id", "--jsonl"]
    code, out, err = _run(args)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    ids = [r["id"] for r in rows]
    assert ids == ["big", "big", "small", "u16", "ctrl", "adir", "j1", "mixed.jsonl:2",
                   "mixed.jsonl:3", "j4", "j5", "blank", "missing.txt"]  # fmt: skip
    ok = {(r["id"], r.get("source", "")): r for r in rows if "error" not in r}
    killed = {k[0]: r["summary"]["civilians_killed"]["min"] for k, r in ok.items()}
    assert killed == {"big": 3, "small": 9, "u16": 6, "ctrl": 8, "j1": 2, "j5": 4}
    assert all("cut" in r["warning"] for r in rows if r["id"] == "big")
    errors = {r["id"]: r["error"] for r in rows if "error" in r}
    assert "directory" in errors["adir"] and "no such file" in errors["missing.txt"]
    assert "invalid JSON" in errors["mixed.jsonl:2"] and "object" in errors["mixed.jsonl:3"]
    assert "no text field" in errors["j4"] and errors["blank"] == "empty text"
    assert "7 report(s) read, 6 could not be used" in err


def test_thousands_of_sentences_with_tolls_and_actors() -> None:
    """One claim per sentence and one report figure (speed is measured in the benchmark)."""
    text = "5 IS fighters were killed by ISIS jets in Raqqa. " * 4000
    rep = extract_report(text, date(2017, 8, 18))
    assert len(rep.claims) == 4000
    assert rep.summary["noncivilians_killed"] == {"min": 5, "max": 5}


def test_html_main_text_and_csv_jsonl(tmp_path: Path) -> None:
    html = ("<html><head><script>var x = 'killed 99 people';</script></head><body><nav>Home</nav>"
            "<article><h1>Raqqa</h1><p>" + "Residents described the night. " * 20 +
            "A coalition air strike killed 11 civilians, including 3 children, in Raqqa on Monday.</p>"
            "</article></body></html>")  # fmt: skip
    (tmp_path / "p.html").write_text(html)
    code, out, err = _run(["extract", str(tmp_path / "p.html"), "--jsonl"])
    assert code == 0, err
    s = json.loads(out)["summary"]
    assert s["civilians_killed"]["min"] == 11 and s["children_killed"]["min"] == 3
    csv_path = tmp_path / "r.csv"
    csv_path.write_text(
        'key,body,day\na1,"Shelling killed 5 civilians in Idlib on Tuesday.",2017-03-02\na2,,2017-03-02\n'
    )
    code, out, err = _run(
        [
            "extract",
            str(csv_path),
            "--text-column",
            "body",
            "--id-column",
            "key",
            "--date-column",
            "day",
            "--jsonl",
        ]
    )
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0]["id"] == "a1" and rows[0]["summary"]["civilians_killed"] == {"min": 5, "max": 5}
    assert set(rows[0]["summary"]) >= {
        "civilians_killed",
        "children_killed",
        "women_killed",
        "noncivilians_killed",
        "actor",
        "weapon",
    }
    assert rows[0]["claims"][0]["date"]["value"]["date"] == "2017-02-28"
    assert rows[1]["error"] == "empty text"


def test_into_db_links_candidate_incidents(db_url: str, tmp_path: Path) -> None:
    from civcas.store.drafts import list_drafts, set_status
    from civcas.store.engine import Store
    from civcas.store.schema import incident

    store = Store(db_url)
    with store.begin() as conn:
        for code, day, lat, lon, bell in [
            ("CS1", date(2017, 8, 16), 35.947, 38.991, "US-led Coalition"),  # match
            ("CS2", date(2017, 8, 10), 35.947, 38.991, "US-led Coalition"),  # wrong date
            ("CS3", date(2017, 8, 16), 36.30, 37.20, "US-led Coalition"),  # far away
            ("CS4", date(2017, 8, 17), 35.950, 38.995, "Russian Military"),  # other actor
        ]:
            conn.execute(incident.insert().values(code=code, source_kind="test", source_id=code,
                         content_hash=code, date_start=day, latitude=lat, longitude=lon,
                         belligerents=bell, location_precision="neighbourhood"))  # fmt: skip
    store.dispose()
    f = tmp_path / "r.txt"
    f.write_text(
        "A US-led coalition airstrike killed 12 civilians in the Daraiya neighbourhood of Raqqa on Wednesday, 16 August 2017."
    )
    code, out, err = _run(["--db", db_url, "extract", str(f), "--into-db"])
    assert code == 0, err
    store = Store(db_url)
    drafts = list_drafts(store)
    assert len(drafts) == 1
    d = drafts[0]
    assert d["status"] == "draft" and d["killed_min"] == 12
    assert [c["code"] for c in d["candidates"]] == ["CS1"]
    assert d["claim"]["civilians_killed"]["spans"][0]["text"] == "12 civilians"
    set_status(store, d["id"], "accepted", "tester")
    assert list_drafts(store) == [] and list_drafts(store, "accepted")[0]["reviewed_by"] == "tester"
    store.dispose()


def test_arabic_eval_sets() -> None:
    from civcas.extract.arabic_eval import score_arabic

    # development set: its errors were used to fix the Arabic rules (see docs/extract.md)
    dev = score_arabic(FIX / "arabic_eval.csv")["accuracy"]
    assert dev["civilians_killed"] >= 0.9 and dev["weapon"] >= 0.9 and dev["actor"] >= 0.9
    # first held-out set: its errors were later used to fix rules, so it is a second
    # development set now (measured before those fixes: civilians 73%, actor 79%)
    first = score_arabic(FIX / "arabic_heldout.csv")["accuracy"]
    assert first["civilians_killed"] >= 0.85 and first["actor"] >= 0.85
    # second held-out set: written before those fixes, scored, never tuned on
    # (measured: civilians 96%, actor 96%, weapon 96%, place 100%)
    held = score_arabic(FIX / "arabic_heldout2.csv")["accuracy"]
    assert held["civilians_killed"] >= 0.9 and held["actor"] >= 0.9
    assert held["weapon"] >= 0.9 and held["place"] >= 0.9


def test_arabic_plural_without_number_does_not_crash() -> None:
    # "مقتل مدنيين" (civilians were killed, no number) once raised KeyError
    claims = extract_text("مقتل مدنيين وإصابة آخرين بقصف على مدينة إدلب", date(2018, 1, 1))
    assert all(c.civilians_killed is None or c.civilians_killed.value["min"] for c in claims)


def test_fakes_held_out_half(shared_data: Path, tmp_path: Path) -> None:
    """Scored on the half of fakes-dev.csv never read while writing the rules.

    The issue's target (80%) is reached, narrowly for civilian deaths and actor: the
    thresholds are the levels measured on the held-out half (civilian deaths 80.4%, actor
    80.9%, cause 85.3%, presence recall 93.5%; see benchmarks/results/extract.md), minus a
    small margin.
    """
    path = shared_data / "fa-kes" / "input" / "fakes-dev.csv"
    pred = tmp_path / "p.jsonl"
    code, out, err = _run(
        ["extract-eval", str(path), "--json", "--half", "held-out", "--predictions", str(pred)]
    )
    assert code == 0, err
    s = json.loads(out)["held-out"]
    assert s["n"] > 200
    f = s["fields"]
    assert f["nb_civilians"]["exact"] >= 0.79
    assert f["actor"]["exact"] >= 0.79
    assert f["cause_of_death"]["exact"] >= 0.84
    assert s["civilian_deaths_presence"]["recall"] >= 0.9
    first = json.loads(pred.read_text().splitlines()[0])
    assert set(first) == {
        "unit_id",
        "nb_civilians",
        "nb_children",
        "nb_women",
        "nb_noncivilians",
        "actor",
        "cause_of_death",
    }
    allowed = {"syrian government or russian troops", "unknown", "ISIS", "international coalition forces",
               "armed opposition groups", "self administration forces", "al-nusra front"}  # fmt: skip
    assert all(json.loads(line)["actor"] in allowed for line in pred.read_text().splitlines())


def test_arabic_diacritics_duals_and_adjectival_actors() -> None:
    text = "قُتِلَ طفلان وأُصيبت امرأة بقصف مدفعي تركي على قرية قرب مدينة عفرين"
    rep = extract_report(text, date(2018, 3, 1), "ar")
    assert rep.summary["children_killed"] == {"min": 2, "max": 2}
    assert rep.summary["actor"] == "Turkey" and rep.summary["weapon"] == "artillery/shelling"
    span = rep.claims[0].children_killed.spans[0]  # type: ignore[union-attr]
    assert text[span.start : span.end] == span.text == "طفلان"  # offsets into the text as given
    rep = extract_report("استشهد مدنيان بغارة جوية روسية على بلدة في ريف إدلب", None, "ar")
    assert rep.summary["civilians_killed"] == {"min": 2, "max": 2}
    assert rep.summary["actor"] == "Russia"


def test_totals_breakdowns_and_attribution_elsewhere() -> None:
    s = extract_report(
        "3 nurses among 40 dead in town. Shelling killed 40 people on Monday."
    ).summary
    assert s["civilians_killed"] == {"min": 40, "max": 40}
    s = extract_report(
        "Air strikes killed 50 people in the town on Tuesday, a monitor said. "
        "Nine fighters were among the dead, it added."
    ).summary
    assert s["civilians_killed"] == {"min": 41, "max": 41}
    s = extract_report(
        "The death toll from Monday's bombing of a crowded market in the north of the town "
        "rose to 33, a monitor said."
    ).summary
    assert s["civilians_killed"] == {"min": 33, "max": 33}
    # the casualty sentence names nobody; a later sentence says who carried the raids out
    s = extract_report(
        "Air raids killed 12 civilians in a village on Friday, a monitor said. Residents "
        "fled to nearby fields. The monitor said the raids were carried out by Russian "
        "warplanes."
    ).summary
    assert s["actor"] == "Russia" and s["weapon"] == "airstrike"
    # a party named only as the besieger is not blamed for the deaths
    s = extract_report(
        "A blast killed 9 civilians in a town besieged by rebels, the monitor said."
    ).summary
    assert s["actor"] == "unknown"


@pytest.mark.parametrize(
    "text,actor",
    [
        # a bombing: parties named near it are its target unless stated as the doer
        ("A car bomb killed 17 people near the headquarters of Ahrar al-Sham in Idlib on "
         "Sunday. No group has claimed responsibility.", "unknown"),
        ("A suicide bomber killed 29 people at a border crossing on Thursday. In an online "
         "statement Daesh has claimed responsibility for the attack.", "ISIS"),
        # the Free Syrian Army is not the Syrian army; "Turkish-backed" fighters are rebels
        ("Free Syrian Army fighters shelled the town killing 4 civilians.", "armed opposition"),
        # the dead are named with their group; the doer is the one left
        ("Thirty one Islamic State (IS) group militants have been killed in U.S.-led "
         "coalition air strikes in northern Syria.", "US-led coalition"),
        # blame wording makes a plain mention strong
        ("Washington blames the Syrian government for the attack which it says killed "
         "1400 people.", "Syrian government"),
        # "by X" after a statement is not an attack by X
        ("A blast killed 8 people in Hasakeh on Monday. The YPG is listed as a terrorist "
         "organisation by Turkey.", "unknown"),
        # a speaker is a source, not the doer
        ("Coalition aircraft struck Raqqa overnight. ISIS said at least 10 people were "
         "killed.", "US-led coalition"),
        # the subject carries a parenthesis and its allies
        ("Al-Nusra (Qaeda branch in the Levant) and other armed groups affiliated to it "
         "targeted with rocket shells several neighbourhoods killing 4 civilians.",
         "al-Nusra Front"),
    ],
)  # fmt: skip
def test_actor_roles(text: str, actor: str) -> None:
    assert extract_report(text, date(2016, 10, 6)).summary["actor"] == actor


@pytest.mark.parametrize(
    "text,killed",
    [
        # a civilian figure below the children killed before it is a part, not the total
        ("Air strikes on a school killed 22 children, UNICEF said. Six teachers also died, "
         "while the monitor said 35 people in total had died.", 35),
        # a vague headline points at the precise figure that fits it
        ("Air strikes kill dozens in Aleppo. State media said two people were killed when "
         "mortars struck Damascus. The monitor said air strikes killed 29 people on "
         "Sunday.", 29),
        # "and N others" add to the toll
        ("Gunmen shot dead two people and killed 23 others in the village on Monday.", 25),
        # a people toll made up of the combatants it lists is not a civilian toll
        ("35 dead in battle for base. At least 29 fighters from the Hazm movement were "
         "killed along with six Nusra Front militants.", 0),
        # a report about combatants: a civilian figure deep in the text is another story
        ("A total of 24 Daesh terrorists were killed near Raqqa on Monday. "
         + "The offensive goes on. " * 40 + "Earlier, 84 civilians were killed.", 0),
        # a "people" figure equal to the combatants killed gives way to a civilian one
        ("Jihadists killed 150 in an assault on an army checkpoint. The militants killed "
         "150 soldiers and guards as they overran it. Shelling of a nearby village killed "
         "7 civilians.", 7),
        # a total over several places whose first place-by-place figure is the total
        # itself: all its dead were in that place, and the total is that toll
        ("Three people killed, 14 injured in rocket attacks on Damascus, Latakia and Homs. "
         "Five people were injured in Damascus when shells hit the Old City. Three people "
         "were killed and four injured when a rocket hit a street in Homs city. Two people "
         "were injured in Latakia. Last month two people were killed in a similar attack.", 3),
        # ... but a mere restatement of the total is not a place's figure
        ("Nine people killed in rocket attacks on Damascus and Homs. Rocket attacks across "
         "the country killed nine people, state media said. In Damascus four people "
         "were killed in the Old City.", 4),
    ],
)  # fmt: skip
def test_which_figure_is_the_civilian_toll(text: str, killed: int) -> None:
    from civcas.extract.evaluate import predict

    row = {"unit_id": "x", "article_content": text, "date": "10/6/16"}
    assert predict(row)[0]["nb_civilians"] == killed


# Sentences written for this test in the forms English war reporting uses; the expected
# toll is what each sentence states (a reader's answer, not the code's output)
NEWS_SENTENCES = [
    ("Syrian government air strikes killed 11 civilians including four children in the "
     "rebel-held town of Douma on Tuesday the Syrian Observatory for Human Rights said.", 11),
    ("At least 15 people were killed and 30 wounded when a car bomb exploded in a market in "
     "the town of Azaz a monitor said.", 15),
    ("The death toll from Sunday's air strikes on Idlib has risen to 23 including 9 children "
     "the Observatory said.", 23),
    ("A mother and her three children were killed when a shell hit their house in Aleppo.", 4),
    ("Twelve people including seven civilians were killed in clashes between rebels and "
     "government forces.", 7),
    ("The bombing killed at least 40 people including 15 soldiers the monitor said.", 25),
    ("Clashes killed 30 fighters on both sides. Government shelling also killed 4 civilians "
     "in the area.", 4),
    ("Two children were among 9 people killed in air strikes on Saraqeb.", 9),
    ("A US-led coalition strike killed a woman and her four children in Mayadin.", 5),
    ("Civilian casualties: at least 22 dead after air strikes on a market in Maarat "
     "al-Numan.", 22),
    ("Rescue workers pulled 12 bodies from the rubble after the air strike on Idlib city.", 12),
    ("Over 100 people were killed in a week of bombardment. On Monday alone 27 civilians "
     "died.", 27),
    ("Activists said 35 people had been killed including 10 rebels in the government "
     "offensive.", 25),
    ("The number of civilians killed in Monday's strikes on Jisr al-Shughur rose to 32.", 32),
    ("Three brothers were killed when a rocket hit their home.", 3),
    ("A rocket attack on a school killed 6 pupils and a teacher.", 7),
    ("Shelling killed 3 children and their mother in Douma.", 4),
    ("Half a dozen civilians died in the shelling.", 6),
    ("More than 280000 people have died in the five-year war. Shelling killed 6 people in "
     "Aleppo on Tuesday, the monitor said.", 6),
    ("Over 1,000 civilians have been killed in Aleppo this month. Air strikes on Tuesday "
     "killed 27 people in the east of the city.", 27),
    ("The United Nations estimates that 470000 Syrians have been killed. A car bomb killed 9 "
     "people in Azaz on Sunday.", 9),
    ("Air strikes killed 12 people in Idlib, a Britain-based war monitor said.", 12),
    ("The strike killed 16 people, most of them fighters, the monitor said.", 0),
    ("Islamic State fighters killed 35 people in the village, mostly members of a "
     "pro-government militia.", 0),
    ("Air strikes killed 16 people, most of them civilians.", 16),
    ("Air strikes killed 16 people in the town where most fighters had left.", 16),
    ("Shelling killed 2 civilians and his brother said it was the regime.", 2),
    ("At least 12 people were killed in air strikes on the town on Monday. The death toll "
     "later rose to 15, the monitor said.", 15),
    ("Twelve people were killed in shelling on Monday. The toll rose to 15 on Tuesday, "
     "activists said.", 15),
    ("Islamic State jihadists killed 23 Kurdish fighters and 6 civilians in an attack on the "
     "town.", 6),
    ("Government shelling on Eastern Ghouta killed 19 civilians on Monday. Rebel rocket fire "
     "on Damascus killed 4 people the same day, state media said.", 19),
    # the noun's own passive predicate governs it, not the verb before the "and"
    ("A roadside bomb killed a farmer and 14 others in a minibus were injured near Tal "
     "Abyad.", 1),
    ("Shelling killed two children and 9 people at the market were wounded.", 2),
    ("Five members of a single family were killed in a regime air raid on Douma.", 5),
    ("Warplanes killed ten members of the Al-Ahmad family in their home.", 10),
    # ages are not tolls
    ("Two children aged 5 and 7 were killed in the shelling.", 2),
    # a total over several weeks is a running total, not the day's toll
    ("The regime offensive has killed 100 people in two weeks including 60 civilians. On "
     "Monday air strikes killed 8 civilians in the town of Kafr Hamra.", 8),
    ("The rocket attack led to the martyrdom of 3 civilians in the neighbourhood.", 3),
    # an update worded "bringing the toll to N"
    ("Shelling killed 9 people in the market on Monday. Two of the wounded died on Tuesday "
     "bringing the toll to 11.", 11),
    # civilians by what they were doing or their trade
    ("Twelve demonstrators were killed when security forces opened fire in Homs.", 12),
    ("Three civil defence volunteers were killed in the strike on the bakery.", 3),
    ("Four aid workers were killed when their convoy was hit.", 4),
    ("Nine fishermen were killed by a drone on the Euphrates.", 9),
    # the next sentence says who the dead were
    ("A suicide attack on an army post killed 9 people. The victims were all soldiers.", 0),
    ("A suicide attack on a market killed 9 people. The victims were all shoppers.", 9),
    # the crew of a downed military aircraft are not civilians
    ("A military transport helicopter was shot down near Saraqeb. The ministry said all "
     "four people on board had died.", 0),
    # "dead and wounded" counts both: not a death toll
    ("The army said the militants left behind dozens of dead and wounded fighters.", 0),
    # another country's news in a Syria report ("dozens" is read as at least 24)
    ("Regime shelling on Douma left dozens dead on Monday. In neighbouring Iraq meanwhile "
     "at least 40 people were killed in a bombing in Baghdad.", 24),
    # combatants told "also" are more dead, not the same ones
    ("Two people were killed and 15 injured when a car bomb exploded in Homs. The blast "
     "also killed two soldiers manning a checkpoint.", 2),
    ("The raids killed two brothers and a cousin in the village of Kafranbel.", 3),
]  # fmt: skip


@pytest.mark.parametrize("text,killed", NEWS_SENTENCES)
def test_news_sentences(text: str, killed: int) -> None:
    s = extract_report(text, date(2016, 9, 1)).summary
    assert ((s["civilians_killed"] or {}).get("min") or 0) == killed


def test_parent_and_children_counts() -> None:
    s = extract_report("A mother and her three children were killed in the shelling.").summary
    assert s["civilians_killed"]["min"] == 4 and s["children_killed"]["min"] == 3


NEWS_ACTORS = [
    ("Regime helicopters dropped barrel bombs on Daraya killing 8 civilians.",
     "Syrian government"),
    ("Warplanes believed to be Russian struck a hospital in Idlib killing 5 people.", "Russia"),
    ("Unidentified warplanes struck the town of Ariha killing 7 civilians.", "unknown"),
    ("Islamic State militants shelled the government-held district killing 6 civilians.",
     "ISIS"),
    ("Rebels fired mortars at the government-held part of Aleppo killing 3 children.",
     "armed opposition"),
    ("Hayat Tahrir al-Sham executed 5 men accused of collaborating with the regime.",
     "al-Nusra Front"),
    ("A car bomb exploded in Jableh killing 12 people. Islamic State claimed responsibility.",
     "ISIS"),
    ("A car bomb exploded in a government-held area of Homs killing 12 people.", "unknown"),
    ("Pro-government militias killed 13 civilians in the village activists said.",
     "Syrian government"),
    ("Iranian militias summarily executed six young men in the neighbourhood.",
     "Syrian government"),
    ("The SDF said 12 civilians were killed by Islamic State snipers as they tried to flee "
     "Raqqa.", "ISIS"),
    ("Coalition jets struck an ISIS-held village near Manbij killing 56 civilians, a monitor "
     "said.", "US-led coalition"),
    # "the toll from X's strikes": X did it (not "fire from" a target's position)
    ("The death toll from the regime airstrikes on the town of Khan Sheikhoun rose to 30 "
     "including 10 children activists said.", "Syrian government"),
    # "claimed the attack" is a claim of responsibility, like "claimed responsibility"
    ("A bomb planted in a car exploded in Qamishli killing 6 people. ISIS later claimed the "
     "attack through its Amaq agency.", "ISIS"),
    # the toll's sentence gives an unnamed doer: a party named for another attack is not it
    ("Two civilians were killed on Monday by rocket shells fired by terrorist groups on a "
     "neighbourhood of Hama city. Meanwhile ISIS shelled the village of Salamiyah killing a "
     "shepherd.", "unknown"),
    ("Unidentified gunmen shot dead 3 civilians at a checkpoint near Daraa. Government "
     "forces shelled villages nearby.", "unknown"),
    # "terrorist shells", and no party is named as doing anything anywhere
    ("Terrorist shells killed 4 civilians in Jaramana on Sunday. ISIS and Daesh sleeper "
     "cells and IS remnants are active in the desert east of the town.", "unknown"),
    # rebel alliances and Kurdish-led forces by their own names
    ("Jaish al-Fatah fighters shelled the Shiite villages of Fuaa and Kafraya killing 4 "
     "civilians.", "armed opposition"),
    ("Nour al-Din al-Zenki fighters fired mortars at the district killing 2 civilians.",
     "armed opposition"),
    ("Kurdish-led forces backed by US air strikes killed 7 civilians in a raid on the "
     "village.", "SDF"),
    ("Opposition shelling killed 4 civilians in government-held Aleppo.", "armed opposition"),
    # "blamed on X" blames X ("on" is not a target here)
    ("Twelve civilians died in a strike on a market in Idlib that activists blamed on "
     "Moscow.", "Russia"),
    # a party denying the deaths is the one accused of them, not a mere speaker
    ("The US-led coalition denied that its strikes killed 30 civilians near Manbij.",
     "US-led coalition"),
    ("Iraqi Shiite militias fighting alongside the army killed 6 civilians.",
     "Syrian government"),
    ("An ISIS-claimed suicide bombing killed 30 people in Azaz.", "ISIS"),
    ("The Tiger Forces shelled the village killing 7 civilians.", "Syrian government"),
    ("The Army of Islam fired shells at Damascus killing 2 civilians.", "armed opposition"),
    # "strikes from X's warplanes": from the doer (not "recaptured from")
    ("Eighteen civilians were killed by strikes from coalition warplanes.", "US-led coalition"),
    # ... but a party named in the toll's sentence is the doer
    ("Terrorists of the Nusra Front fired rocket shells on the town killing 4 civilians.",
     "al-Nusra Front"),
]  # fmt: skip


@pytest.mark.parametrize("text,actor", NEWS_ACTORS)
def test_news_actors(text: str, actor: str) -> None:
    assert extract_report(text, date(2016, 9, 1)).summary["actor"] == actor


NEWS_CAUSES = [
    ("Regime forces shelled the town with mortars killing 5 civilians.", "shelling"),
    ("A landmine left by Islamic State killed 4 children.", "explosion"),
    ("ISIS beheaded 4 men accused of spying.", "execution"),
    ("A chlorine gas attack killed 7 people in Saraqeb.", "chemical"),
    ("Gunmen opened fire on a bus killing 6 passengers.", "shooting"),
    ("Islamic State militants massacred 30 civilians with knives and guns.", "shooting"),
    ("A drone strike killed 5 civilians.", "shelling"),  # FA-KES files drones here
    ("Six civilians died from hunger in the besieged town of Madaya.", "unknown"),
]  # fmt: skip


@pytest.mark.parametrize("text,cause", NEWS_CAUSES)
def test_news_causes(text: str, cause: str) -> None:
    from civcas.extract.lexicon import FAKES_CAUSE

    weapon = extract_report(text, date(2016, 9, 1)).summary["weapon"]
    assert FAKES_CAUSE.get(weapon or "", "unknown") == cause
