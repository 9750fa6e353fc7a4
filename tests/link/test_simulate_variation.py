"""The simulator's name variation comes from real spelling changes, not from rules of its
own or the linker's functions (issue 17)."""

from __future__ import annotations

import ast
import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from civcas.link import spelling_changes as sc
from civcas.link.simulate import DEFAULT_LISTS, respell, simulate_lists

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
LINK = Path(sc.__file__).parent


def test_shipped_table_loads_with_rates():
    table = sc.load()
    assert set(table.variants) == {"moh_releases", "airwars_moh"}
    for source, scripts in table.variants.items():
        for script in ("ar", "latin"):
            assert len(scripts[script]) > 20, (source, script)
            for word, (variants, counts) in scripts[script].items():
                assert word.lower() not in {v.lower() for v in variants}, word
                assert all(c >= 1 for c in counts)
            rate = table.record_rate(source, script)
            assert 0 < rate < float(table.rates[source][script]["respelt"])  # type: ignore[arg-type]
    with open(sc.CHANGES_TABLE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["script", "source", "word", "variant", "count"]
    vocab = sc.vocabulary()
    assert all(sc._key(r["script"], r["word"]) in vocab[r["script"]] for r in rows)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def test_alignment_counts_respellings_joins_and_dropped_parts(tmp_path):
    moh = ["id", "name", "en_name", "age", "sex"]
    _write(tmp_path / sc.MOH_APRIL, moh, [
        ["1", "أحمد علي حسن شهاب", "Ahmed Ali Hassan Shehab", "40", "m"],
        ["2", "سعاد عبد الله محمد جوده", "Suad Abd Allah Muhammad Jodah", "65", "f"],
        ["3", "منير صبحي عارف عرفات", "Munir Subhi Aref Arafat", "30", "m"],
        ["4", "هاني سليم المدهون", "Hani Saleem Madhoun", "60", "m"],
        ["5", "ريم خالد سعيد النجار", "Reem Khaled Saeed Najjar", "9", "f"],
    ])  # fmt: skip
    _write(tmp_path / sc.MOH_AUGUST, [*moh, "dob", "source"], [
        ["1", "احمد على حسن شهاب", "Ahmed Ala Hassan Shehab", "40", "m", "", "h"],
        ["2", "سعاد عبدالله محمد جوده", "Suad Abdullah Muhammad Jodah", "65", "f", "", "h"],
        ["3", "خالد صبحي عارف عرفات", "Khaled Subhi Aref Arafat", "30", "m", "", "h"],
        ["4", "هاني ابراهيم سليم المدهون", "Hani Ibrahim Saleem Madhoun", "60", "m", "", "h"],
        ["5", "ريم خالد سعيد النجار", "Reem Khaled Saeed Najjar", "9", "f", "", "h"],
    ])  # fmt: skip
    aw = ["name_en", "name_ar", "age_years", "gender", "moh_id"]
    _write(tmp_path / sc.AIRWARS_GAZA, aw, [
        ["Reem Al-Najjar", "ريم النجار", "9", "f", "5"],
        ["Khaled Arafat", "خالد عرفات", "", "f", "3"],  # another sex: a relative's id
    ])  # fmt: skip
    t = sc.measure(tmp_path)
    ar, latin = t["moh_releases"]["ar"], t["moh_releases"]["latin"]
    assert ar.people == 5 and ar.changed == 4
    # both ways; a dissimilar given name (منير / خالد) is not a spelling
    assert ar.pairs[("أحمد", "احمد")] == ar.pairs[("احمد", "أحمد")] == 1
    assert ar.pairs[("علي", "على")] == 1 and ar.pairs[("عبد الله", "عبدالله")] == 1
    assert not any("منير" in p for p in ar.pairs) and ar.replaced == 1
    assert ar.dropped == 1 and ar.respelt == 2  # ids 1 (two words) and 2 (a join)
    assert ar.words_respelt == Counter({2: 1, 1: 1})
    assert latin.pairs[("Ali", "Ala")] == 1 and latin.pairs[("Abd Allah", "Abdullah")] == 1
    aw_ar, aw_latin = t["airwars_moh"]["ar"], t["airwars_moh"]["latin"]
    assert aw_ar.people == 1 and aw_ar.dropped == 1 and not aw_ar.pairs
    assert aw_latin.pairs[("Najjar", "Al-Najjar")] == 1  # the family name, at the end


@pytest.mark.skipif(not (SHARED / sc.MOH_APRIL).exists(), reason="needs ../shared/data")
def test_shipped_table_is_what_the_builder_makes(tmp_path):
    out, rates = tmp_path / "changes.csv", tmp_path / "rates.json"
    sc.build(SHARED, out, rates)
    assert out.read_text(encoding="utf-8") == sc.CHANGES_TABLE.read_text(encoding="utf-8")
    assert rates.read_text(encoding="utf-8") == sc.RATES_FILE.read_text(encoding="utf-8")


def test_respelling_follows_the_observed_frequencies():
    table = sc.load()
    variants, counts = table.of("airwars_moh", "ar", "أحمد")  # type: ignore[misc]
    rng = np.random.default_rng(4)
    seen = Counter(respell(["أحمد"], "ar", "airwars_moh", table, rng)[0] for _ in range(4000))
    assert set(seen) <= set(variants)
    top = variants[int(np.argmax(counts))]
    expected = max(counts) / sum(counts)
    assert abs(seen[top] / 4000 - expected) < 0.03, (seen.most_common(3), expected)
    # a word nobody was seen respelling stays as it is
    assert respell(["Zzyzx"], "latin", "airwars_moh", table, rng) == ["Zzyzx"]


def test_simulated_names_vary_only_by_observed_changes():
    sim = simulate_lists(3000, seed=11)
    table = sc.load()
    source = {p.name: p.spelling for p in DEFAULT_LISTS}
    people = sim.population.set_index("true_id")
    varied = Counter()
    parts = ("given", "father", "grand", "family")
    for rec in sim.records.itertuples():
        person = people.loc[rec.true_id]
        for col, script, suffix in (("name", "latin", "_en"), ("name_ar", "ar", "_ar")):
            text = getattr(rec, col)
            if not text:
                continue
            allowed = set()
            for p in parts:
                word = person[p + suffix]
                if word:
                    allowed |= set(word.split())
                    found = table.of(source[rec.list], script, word)
                    for v in found[0] if found else []:
                        allowed |= set(v.split())
            assert set(text.split()) <= allowed, (rec.list, text, person.to_dict())
            truth = {w for p in parts for w in str(person[p + suffix]).split()}
            varied[(rec.list, script)] += not set(text.split()) <= truth
    # the variation happens, at about the measured rates (monitor: Latin mostly respelt)
    counts = Counter(sim.records["list"])
    assert varied[("monitor", "latin")] > 0.3 * counts["monitor"], varied
    assert varied[("monitor", "ar")] > 0.05 * counts["monitor"], varied
    assert varied[("hospital", "ar")] < 0.1 * counts["hospital"], varied


def _imports(path: Path) -> set[str]:
    """Modules of civcas.link that a module imports (relative or absolute)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level == 1:
                out |= {mod} if mod else {a.name for a in node.names}
            elif mod.startswith("civcas.link."):
                out.add(mod.removeprefix("civcas.link.").split(".")[0])
        elif isinstance(node, ast.Import):
            out |= {
                a.name.removeprefix("civcas.link.").split(".")[0]
                for a in node.names
                if a.name.startswith("civcas.link.")
            }
    return out


def test_simulator_imports_nothing_of_the_linker():
    reached, todo = set(), ["simulate"]
    while todo:
        mod = todo.pop()
        if mod in reached:
            continue
        reached.add(mod)
        todo += sorted(_imports(LINK / f"{mod}.py"))
    assert "spelling_changes" in reached and "name_growth" in reached
    assert not reached & {"normalise", "records", "names", "pipeline", "model"}, reached
