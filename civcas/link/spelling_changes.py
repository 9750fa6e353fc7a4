"""Real spelling changes of name words, for the simulator's name variation.

The simulator must not vary names with rules of its own: rules written for it are the
rules the linker's normaliser undoes, and a benchmark on such lists measures the
generator. So its variation is drawn from what real lists did to the same person's name:

- ``moh_releases``: the Gaza Ministry of Health's releases of 2024-04-13 and 2024-08-08,
  the same identity number in both (one register rewriting its own names);
- ``airwars_moh``: the Airwars Gaza list against the 2024-08-08 release, through the
  Airwars ``moh_id`` (a list built from media and family reports against the register).

For each person, the two names' words are aligned (:func:`align`: the cheapest alignment
that keeps the order, where a word kept or spelt otherwise, two words written as one,
and a part on one side only are the steps; with no part missing, words at the same
place; with one, only the given and family names and the joined words are paired), and
every word spelt otherwise (:func:`respelling`) is counted as a pair, both ways,
separately for Arabic and Latin script. A word replaced by a dissimilar one is another
name, not a spelling: it is counted in the rates, not in the table. Latin pairs are
taken only from people whose Arabic given and family names are the same name on both
sides (Mahmoud against Ahmed is a relative's id or another name, not a spelling).

Shipped (``data/spelling_changes.csv``: script, source, word, variant, count; only words
of the simulator's vocabulary, ``data/name_frequencies.csv``; no other field of the
sources) with the measured rates (``data/spelling_rates.json``). Rebuild with
``python -m civcas.link.spelling_changes [SHARED_DATA_DIR]`` (default ``../shared/data``).

Imports nothing of the linker (normalise, records, names): the point is that the
variation owes nothing to it.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

DATA = Path(__file__).parent / "data"
CHANGES_TABLE = DATA / "spelling_changes.csv"
RATES_FILE = DATA / "spelling_rates.json"
VOCABULARY = DATA / "name_frequencies.csv"
MOH_APRIL = Path("gaza-moh/moh_20240413.csv")
MOH_AUGUST = Path("gaza-moh/moh_20240808.csv")
AIRWARS_GAZA = Path("airwars-gaza-data/data/victims.csv")

# Two Latin words at least this similar (difflib ratio on their letters) are one word
# spelt otherwise (Mohammed / Muhammad); below it, another word (a corrected name, or a
# wrong id). Arabic words: one letter apart (two in words of 8 letters or more), since
# between two short Arabic names a ratio of 0.67 is one letter (علي / على) or another
# name (محمود / احمد).
SIMILAR = 0.5
_ARABIC = re.compile("[\u0600-\u06ff]")
# Two words written as one (Abu Raida / Aburida) only when the letters nearly agree:
# "Manal" against "Manal Taha" is a part added, not a split.
JOINED = 0.75
_DROP = 0.7  # cost of a part left out or added, against 1 - similarity of a respelling
_PAREN = re.compile(r"\([^)]*\)")
_PLACEHOLDER = {"child", "of", "unnamed", "unknown", "member", "family", "son", "daughter",
                "wife", "sons", "طفل", "طفلة", "مجهول", "ابن", "ابنة", "زوجة", "بنت", "عائلة"}  # fmt: skip


def _letters(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalpha())


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, _letters(a), _letters(b), autojunk=False).ratio()


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def respelling(a: str, b: str) -> bool:
    """Two words are one word spelt otherwise (see :data:`SIMILAR`)."""
    if _ARABIC.search(a + b):
        x, y = _letters(a), _letters(b)
        return _edits(x, y) <= (2 if max(len(x), len(y)) >= 8 else 1)
    return _similarity(a, b) >= SIMILAR


def _joined(pair: list[str], word: str) -> float:
    """How alike two words are to one word written without the space (Abu Raida /
    Aburida); 0 when a piece is one letter, or when one piece alone is as like the word
    (Manal Taha / Manal, Mohammad Al / Muhammad: a part added, not a split)."""
    pieces = [_letters(p) for p in pair]
    if any(len(p) < 2 for p in pieces):
        return 0.0
    joined = _similarity("".join(pieces), word)
    if max(_similarity(p, word) for p in pieces) > joined - 0.05:
        return 0.0
    return joined


@dataclass
class Alignment:
    """What happened between two writings of one name."""

    respelt: list[tuple[str, str]] = field(default_factory=list)  # similar words, or joins
    replaced: int = 0  # a word at the same place replaced by a dissimilar one
    dropped: int = 0  # parts on one side only


def align(before: list[str], after: list[str]) -> Alignment:
    """Pair the words of two writings of one name: the cheapest alignment in order, where
    a step is a word kept or spelt otherwise (1 - similarity; a dissimilar word costs
    1), two words written as one (:data:`JOINED`), or a part on one side only.

    Words at the same place are simply paired when no part is missing; with a part
    left out, only the first and the last words, and words written as one, count."""
    out = Alignment()
    n, m = len(before), len(after)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    step: dict[tuple[int, int], tuple[int, int]] = {}
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            c = cost[i][j]
            if c == inf:
                continue
            moves = [(1, 0, _DROP), (0, 1, _DROP)]
            if i < n and j < m:
                same = before[i].lower() == after[j].lower()
                s = 1.0 if same else _similarity(before[i], after[j])
                ok = same or respelling(before[i], after[j])
                moves.append((1, 1, 1 - s if ok else 1.0))
            if i + 1 < n and j < m:  # two words written as one
                s = _joined(before[i : i + 2], after[j])
                if s >= JOINED:
                    moves.append((2, 1, 1 - s))
            if i < n and j + 1 < m:
                s = _joined(after[j : j + 2], before[i])
                if s >= JOINED:
                    moves.append((1, 2, 1 - s))
            for di, dj, w in moves:
                ni, nj = i + di, j + dj
                if ni <= n and nj <= m and c + w < cost[ni][nj]:
                    cost[ni][nj] = c + w
                    step[(ni, nj)] = (di, dj)
    path = []
    i, j = n, m
    while i or j:
        di, dj = step[(i, j)]
        path.append((i - di, j - dj, di, dj))
        i, j = i - di, j - dj
    straight = all(di and dj for _, _, di, dj in path)
    for i, j, di, dj in reversed(path):
        a, b = " ".join(before[i : i + di]), " ".join(after[j : j + dj])
        differ = a.lower() != b.lower()  # Al-Abadla / al-Abadla: one spelling
        if di == 0 or dj == 0:
            out.dropped += 1
        elif differ and di != dj:  # two words written as one: safe anywhere
            out.respelt.append((a, b))
        elif differ and (straight or (i, j) == (0, 0) or (i + 1, j + 1) == (n, m)):
            # with a part missing, a middle word may face the father's name or the
            # grandfather's: only the given and the family names line up surely
            if respelling(a, b):
                out.respelt.append((a, b))
            else:
                out.replaced += 1
    return out


def _words(name: str) -> list[str]:
    return _PAREN.sub(" ", name).replace("`", " ").split()


def _usable(words: list[str]) -> bool:
    """A name to learn spellings from: two words or more, no digits, no placeholder."""
    return len(words) >= 2 and not any(
        w.lower() in _PLACEHOLDER or any(ch.isdigit() for ch in w) for w in words
    )


@dataclass
class _Tally:
    people: int = 0
    changed: int = 0
    respelt: int = 0
    replaced: int = 0
    dropped: int = 0
    words_respelt: Counter[int] = field(default_factory=Counter)
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, before: str, after: str, pairs: bool = True) -> None:
        """Count one person's two writings; with ``pairs`` False, in the rates only."""
        a, b = _words(before), _words(after)
        if not (_usable(a) and _usable(b)):
            return
        self.people += 1
        if [w.lower() for w in a] == [w.lower() for w in b]:
            return
        self.changed += 1
        al = align(a, b)
        self.replaced += al.replaced > 0
        self.dropped += al.dropped > 0
        if al.respelt:
            self.respelt += 1
            self.words_respelt[min(len(al.respelt), 3)] += 1
        for x, y in al.respelt if pairs else []:
            self.pairs[(x, y)] += 1
            self.pairs[(y, x)] += 1

    def rates(self) -> dict[str, object]:
        n = max(1, self.people)
        return {
            "people": self.people,
            "any_change": round(self.changed / n, 4),
            "respelt": round(self.respelt / n, 4),
            "replaced": round(self.replaced / n, 4),
            "part_dropped_or_added": round(self.dropped / n, 4),
            "words_respelt": {str(k): v for k, v in sorted(self.words_respelt.items())},
        }


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _same_person(reg: dict[str, str], rec: dict[str, str]) -> bool:
    """The Airwars record is the person the register's id names, not a relative whose
    id it carries: same sex, ages within two years where both are known, and the
    Arabic names start and end with words spelt alike."""
    if rec["gender"] and reg["sex"] and rec["gender"] != reg["sex"]:
        return False
    try:
        if abs(float(rec["age_years"]) - float(reg["age"])) > 2 and float(reg["age"]) >= 0:
            return False
    except ValueError:
        pass
    return _ends_agree(reg["name"], rec["name_ar"])


def _ends_agree(a: str, b: str) -> bool:
    """Two Arabic writings start with one given name and end with one family name."""
    x, y = _words(a), _words(b)
    return bool(x and y) and all(
        p == q or respelling(p, q) for p, q in ((x[0], y[0]), (x[-1], y[-1]))
    )


def measure(shared_data: Path) -> dict[str, dict[str, _Tally]]:
    """Tallies per source and script (``ar``, ``latin``) from the shared data."""
    april = {r["id"]: r for r in _read(shared_data / MOH_APRIL)}
    august = {r["id"]: r for r in _read(shared_data / MOH_AUGUST)}
    out = {s: {"ar": _Tally(), "latin": _Tally()} for s in ("moh_releases", "airwars_moh")}
    for pid, old in april.items():
        new = august.get(pid)
        if new:
            out["moh_releases"]["ar"].add(old["name"], new["name"])
            same = _ends_agree(old["name"], new["name"])
            out["moh_releases"]["latin"].add(old["en_name"], new["en_name"], pairs=same)
    for r in _read(shared_data / AIRWARS_GAZA):
        reg = august.get(r["moh_id"])
        if not reg:
            continue
        if not _same_person(reg, r):
            continue
        out["airwars_moh"]["ar"].add(reg["name"], r["name_ar"])
        if r["name_en"]:
            out["airwars_moh"]["latin"].add(reg["en_name"], r["name_en"])
    return out


def vocabulary(path: Path = VOCABULARY) -> dict[str, set[str]]:
    """The simulator's name words per script (Latin compared in lower case)."""
    words: dict[str, set[str]] = {"ar": set(), "latin": set()}
    for r in _read(path):
        words["ar"].add(r["name_ar"])
        words["latin"].add(r["name_en"].lower())
    return words


def _key(script: str, word: str) -> str:
    return word.lower() if script == "latin" else word


def build(shared_data: Path, out: Path = CHANGES_TABLE, rates_out: Path = RATES_FILE) -> Path:
    """Write the table (only pairs whose word is in the simulator's vocabulary, both
    words starting with a letter) and the rates."""
    tallies = measure(shared_data)
    vocab = vocabulary()
    rows = []
    for source, by_script in tallies.items():
        for script, t in by_script.items():
            for (a, b), c in t.pairs.items():
                if _key(script, a) in vocab[script] and a[:1].isalpha() and b[:1].isalpha():
                    rows.append((script, source, a, b, c))
    rows.sort(key=lambda r: (r[0], r[1], r[2], -r[4], r[3]))
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["script", "source", "word", "variant", "count"])
        w.writerows(rows)
    rates = {s: {k: t.rates() for k, t in by.items()} for s, by in tallies.items()}
    rates_out.write_text(json.dumps(rates, indent=1, ensure_ascii=False) + "\n")
    return out


@dataclass
class SpellingChanges:
    """Per source and script, each word's observed variants and how often each was
    seen; the measured rates (see :func:`build`)."""

    variants: dict[str, dict[str, dict[str, tuple[list[str], list[float]]]]]
    rates: dict[str, dict[str, dict[str, object]]]

    def of(self, source: str, script: str, word: str) -> tuple[list[str], list[float]] | None:
        """The word's variants in that source (and their counts), or None."""
        return self.variants[source][script].get(_key(script, word))

    def record_rate(self, source: str, script: str) -> float:
        """Probability that one list's record of a name is respelt: the measured share
        R of people whose two writings differ in spelling comes from two independent
        writings, so each one is respelt with r where 1 - R = (1 - r)**2."""
        share = float(self.rates[source][script]["respelt"])  # type: ignore[arg-type]
        return 1 - (1 - share) ** 0.5

    def words_respelt(self, source: str, script: str) -> tuple[list[int], list[float]]:
        """How many words a respelt name has respelt (1, 2, 3 or more) and how often."""
        hist = self.rates[source][script]["words_respelt"]
        assert isinstance(hist, dict)
        return [int(k) for k in hist], [float(v) for v in hist.values()]


def load(path: Path = CHANGES_TABLE, rates: Path = RATES_FILE) -> SpellingChanges:
    """The shipped table and rates."""
    counts: dict[str, dict[str, dict[str, Counter[str]]]] = {}
    for r in _read(path):
        script = r["script"]
        by_word = counts.setdefault(r["source"], {"ar": {}, "latin": {}})[script]
        by_word.setdefault(_key(script, r["word"]), Counter())[r["variant"]] += int(r["count"])
    variants = {
        src: {s: {w: (list(c), [float(n) for n in c.values()]) for w, c in by.items()}
              for s, by in scripts.items()}
        for src, scripts in counts.items()
    }  # fmt: skip
    return SpellingChanges(variants, json.loads(rates.read_text()))


if __name__ == "__main__":  # pragma: no cover
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data")
    print(build(shared))
    print(RATES_FILE.read_text())
