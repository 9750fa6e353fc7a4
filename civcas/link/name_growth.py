"""An open vocabulary of names for the simulator: real names first, new ones as often as
the victim lists show them.

The shipped table holds only names borne by two or more victims: 938 family names.
Drawn from it alone, a million simulated people share those 938, where the victim
lists' own rate of new names (a family name seen for the first time in 40% of
incidents) predicts tens of thousands, and "two strangers with the same name" becomes
the commonest case. So names are seated by a Pitman-Yor process (a Chinese restaurant
with discount d and concentration theta, both fitted to how many names the lists saw
once, twice...): the shipped names start with their counts, each name seen once but not
shipped is a made-up name seated once, and every later draw is a new name with
probability (theta + d K) / (theta + n). New names are made by a letter-trigram model of
the real names of that kind (Arabic script) and rendered in Latin script with short
vowels between consonants, as English spellings of Arabic names write them.

Nothing here passes through the linker (normalise, records, names): a name is "the same
name" as another when the vocabulary itself pairs them (one shared spelling, Arabic or
Latin: موسى and موسي are both Musa), and a made-up name's Latin is this module's own
rendering, kept whatever key the linker would give it.
"""

from __future__ import annotations

import bisect
import random
from collections import Counter
from itertools import accumulate

import numpy as np

from .vocabulary import NamePool, fit_pitman_yor

_LONG = set("aui'")
# How English writers render Arabic letters in names (the commonest choice; the made-up
# names only need a plausible Latin form, the lists' variation comes later from
# spelling_changes). Hamza seats and taa marbuta are read as what they sound like.
_LATIN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ء": "'", "ؤ": "'", "ئ": "'", "ب": "b",
    "ت": "t", "ة": "a", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "و": "u", "ي": "i", "ى": "a",
}  # fmt: skip


def _romanise(word: str) -> list[str]:
    """The letters of an Arabic word in Latin, one unit per letter (initial waw and yaa
    as w and y): kaf then haa stay k, h (Kahlum), not the digraph kh."""
    out = []
    for i, ch in enumerate(word):
        if ch == "و" and (i == 0 or word[i - 1] == "ا"):
            out.append("w")
        elif ch == "ي" and i == 0:
            out.append("y")
        elif _LATIN.get(ch):
            out.append(_LATIN[ch])
    return out


def same_name_groups(en: list[str], ar: list[str]) -> list[str]:
    """One label per vocabulary entry; entries sharing an Arabic or a Latin spelling
    (and so, through them, a chain of entries) get one label."""
    parent = list(range(len(ar)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, key in enumerate([*("ar:" + a for a in ar), *("en:" + e.lower() for e in en)]):
        k = i % len(ar)
        if key in first:
            parent[root(k)] = root(first[key])
        else:
            first[key] = k
    return [ar[root(i)] for i in range(len(ar))]


class NameMaker:
    """Made-up names of one kind: Arabic from a letter-trigram model of the real ones."""

    def __init__(self, arabic_names: list[str], rnd: random.Random) -> None:
        self.rnd = rnd
        self.known = set(arabic_names)
        nxt: dict[str, Counter[str]] = {}
        for word in sorted(self.known):  # sorted: set order changes with PYTHONHASHSEED
            if " " in word:
                continue
            chars = "^^" + word + "$"
            for i in range(2, len(chars)):
                nxt.setdefault(chars[i - 2 : i], Counter())[chars[i]] += 1
        self.table = {k: (list(c), list(accumulate(c.values()))) for k, c in nxt.items()}

    def arabic(self) -> str:
        for _ in range(200):
            word, state = "", "^^"
            while len(word) < 10:
                letters, cum = self.table[state]
                ch = letters[_pick(cum, self.rnd)]
                if ch == "$":
                    break
                word += ch
                state = state[1] + ch
            bare = word[2:] if word.startswith("ال") else word  # a made-up al-X needs an X
            # two same letters in a row: a doubled consonant is written once (with a shadda)
            doubled = any(a == b for a, b in zip(word, word[1:], strict=False))
            if 3 <= len(bare) <= 8 and not doubled and word not in self.known:
                self.known.add(word)
                return word
        raise RuntimeError("could not make a new name")  # pragma: no cover

    def make(self) -> tuple[str, str]:
        """A new name (Latin, Arabic): the Latin is what an English writer would put,
        not a recording error (those come later, from the lists' error models)."""
        ar = self.arabic()
        return self.latin(ar), ar

    def latin(self, arabic: str) -> str:
        if arabic.startswith("ال"):  # the article: al-Ghanam
            return "al-" + self.latin(arabic[2:])
        units = _romanise(arabic)
        out: list[str] = []
        for i, u in enumerate(units):
            if i == 0 and u == "'":
                continue  # an initial ain is written as its vowel: 'Uthman -> Uthman
            if out and u not in _LONG and out[-1] not in _LONG and out[-1][-1] not in "aeiou":
                out.append(self.rnd.choice("aaaiu"))
            out.append(u)
        if units and units[0] == "'" and (not out or out[0] not in _LONG):
            out.insert(0, self.rnd.choice("aaou"))
        return "".join(out).capitalize()


def _pick(cum: list[int], rnd: random.Random) -> int:
    return bisect.bisect_right(cum, rnd.random() * cum[-1])


class NameSeating:
    """Names drawn one by one from a Pitman-Yor process seeded with the real names."""

    def __init__(self, pool: NamePool, hist: dict[str, int], rng: np.random.Generator) -> None:
        self.rnd = random.Random(int(rng.integers(2**62)))
        self.d, self.theta = fit_pitman_yor(hist)
        self.maker = NameMaker(list(pool.ar), self.rnd)
        self.en: list[str] = list(pool.en)
        self.ar: list[str] = list(pool.ar)
        self.ident = same_name_groups(self.en, self.ar)
        counts = [max(1, round(c)) for c in pool.count]
        unseen = sum(hist.values()) - len(set(self.ident))  # seen once, not shipped
        for _ in range(max(0, unseen)):
            self._new_table()
            counts.append(1)
        self.counts = counts
        self.seats = [k for k, c in enumerate(counts) for _ in range(c)]

    def _new_table(self) -> int:
        en, ar = self.maker.make()
        self.en.append(en)
        self.ar.append(ar)
        self.ident.append(ar)
        return len(self.ar) - 1

    def _choose(self) -> int:
        n, k = len(self.seats), len(self.counts)
        if self.rnd.random() * (self.theta + n) < self.theta + self.d * k:
            self.counts.append(0)
            return self._new_table()
        while True:  # a table with probability (count - d) / (n - d K)
            j = self.seats[int(self.rnd.random() * n)]
            c = self.counts[j]
            if self.rnd.random() * c < c - self.d:
                return j

    def __call__(self, avoid: set[str] | None = None) -> int:
        """The next name (an index into ``en``/``ar``); with ``avoid``, not one in it
        (names compared by :func:`same_name_groups`)."""
        for _ in range(50):
            k = self._choose()
            if not avoid or self.ident[k] not in avoid:
                break
        self.counts[k] += 1
        self.seats.append(k)
        return k
