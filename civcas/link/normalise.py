"""Names and places -> clean comparison keys, before Splink sees them.

Why here and not in Splink SQL: Arabic-script normalisation, transliteration and the
name-chain rules are easier to read, test and keep identical across DuckDB and Spark in
Python. Work is done once per distinct string (or token), so a million records with a few
hundred thousand distinct names stay fast.

Three layers:
1. ``normalise_arabic`` / ``normalise_latin``: spelling noise that carries no meaning
   (hamza seats, taa marbuta, alif maqsura, diacritics, tatweel; accents, apostrophes).
2. ``transliterate``: one canonical Latin rendering of Arabic script (our own table).
3. ``skeleton``: a consonant key that Latin variants and transliterated Arabic share
   (Mohammed/Muhammad/Mhd/محمد -> ``mhmd``), plus known variant groups.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# --- Arabic script --------------------------------------------------------------------

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_AR_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ة": "ه",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian kaf
        "ڤ": "ف",
        "پ": "ب",
        "گ": "ك",
        "٠": "0",
    }
)
_AR_LETTERS = re.compile("[\u0600-\u06ff]")
_AR_OTHER = re.compile(r"[^\u0600-\u06ffA-Za-z0-9\s-]")
_AR_ABD = re.compile(r"عبد\s*ال")
_AR_ABU_JOINED = re.compile(r"(?<!\S)ابو(?=\S)")
_APOSTROPHES = re.compile(r"[’'`ʿʾ‘]")
_LATIN_OTHER = re.compile(r"[^a-z0-9\s-]")


def has_arabic(text: str | None) -> bool:
    return bool(text) and bool(_AR_LETTERS.search(text or ""))


def normalise_arabic(text: str | None) -> str:
    """Fold the spelling variants of Arabic script that do not change a name.

    Alef with hamza above/below/madda and wasla -> bare alef; hamza on waw/yaa -> the
    seat letter; taa marbuta -> haa; alif maqsura -> yaa; diacritics and tatweel removed.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _AR_DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_AR_FOLD).replace("ء", "")
    text = _AR_OTHER.sub(" ", text)
    return " ".join(text.split())


# Our canonical transliteration (a simple, reversible-enough scheme close to what
# monitors write in English: kh, sh, gh, dh, th; ain and hamza as an apostrophe).
_TRANSLIT = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d",
    "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t",
    "ظ": "z", "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "و": "u", "ي": "i",
}  # fmt: skip


@lru_cache(maxsize=200_000)
def transliterate(text: str | None) -> str:
    """Arabic script -> the one canonical Latin rendering civcas uses (lower case).

    Applied after :func:`normalise_arabic`, so hamza forms and taa marbuta already agree.
    Initial waw/yaa are consonants (w, y); elsewhere long vowels (u, i).
    """
    words = []
    for word in normalise_arabic(text).split():
        out = []
        for i, ch in enumerate(word):
            if ch == "و" and (i == 0 or word[i - 1] == "ا"):
                out.append("w")
            elif ch == "ي" and i == 0:
                out.append("y")
            elif ch == "ه" and i == len(word) - 1 and i > 0 and word[i - 1] not in "ال":
                out.append("a")  # taa marbuta (folded to haa) at the end of a word
            else:
                piece = _TRANSLIT.get(ch, ch if ch.isascii() else "")
                if piece.startswith("h") and out and out[-1] in _DIGRAPH_FIRST:
                    out.append("'")  # s+h is not sh: keep the letters apart
                out.append(piece)
        words.append("".join(out))
    return " ".join(w for w in words if w)


_DIGRAPH_FIRST = {"s", "k", "g", "d", "t", "c", "p"}


# --- Latin script ---------------------------------------------------------------------


def normalise_latin(text: str | None) -> str:
    """Lower case, accents and apostrophes removed, hyphens kept (they mark al-)."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    text = _APOSTROPHES.sub("", text)
    return " ".join(_LATIN_OTHER.sub(" ", text).split())


# Abd al-X in its many spellings -> "abd X" (then joined into one token).
_ABD_RULES = [
    (re.compile(r"\babd[\s-]+(?:[aeiu]l[\s-]+)?"), "abd "),
    (re.compile(r"\babd[aeiou]l[\s-]*"), "abd "),
    (re.compile(r"\babd[aeiu](?=(sh|[rstdzn])\1)"), "abd "),
]
_SUN_ARTICLE = re.compile(r"^(?:al|el|ul|il|a[rstdzn]|ash|ath|adh|e[rstdzn])-(?=\w)")
# relations and titles (Mr, Mrs, Dr, Doctor): not part of anyone's name
# billah (معتصم بالله, Muatasim billah: "in God"): a name's ending that the press leaves
# out; joined, the ministry's "معتصم بالله رائد" took its father's place
_DROP_WORDS = {"bin", "ibn", "bint", "ben", "binti", "son", "daughter", "wife", "of", "mr", "mrs",
               "dr", "doctor", "billah", "bellah", "ballah"}  # fmt: skip
_ABU_WORDS = {"abu", "abou", "abo", "abuu"}
_AR_DROP = {"بن", "بنت", "ابن", "ابنه", "زوجه", "د", "بالله"}  # د: Dr. written short
# Mr, Mrs (without the article, Sayyid is a name), Dr and doctor (m, f)
_AR_TITLES = {"السيد", "السيده", "الدكتور", "الدكتوره", "الطبيب", "الطبيبه"}
_AR_ABU = {"ابو"}


def _latin_tokens(text: str) -> list[str]:
    pieces = [p for w in text.split() for p in _latin_word(w)]
    return _join_prefixes(pieces, "abd", _ABU_WORDS, _DROP_WORDS)


@lru_cache(maxsize=200_000)
def _latin_word(word: str) -> tuple[str, ...]:
    """One written word -> its name pieces (Abdulrahman -> abd, rahman; al-Ali -> ali).

    Per word, so that a million names made of a few thousand words cost a few thousand
    calls; "al"/"el"/"ul" standing alone (Abd al Rahman) are dropped.
    """
    s = normalise_latin(word)
    if "abd" in s:
        for rule, repl in _ABD_RULES:
            s = rule.sub(repl, s)
    out: list[str] = []
    for w in s.split():
        if "-" in w:
            out.extend(_SUN_ARTICLE.sub("", w).replace("-", " ").split())
        else:
            out.append(w)
    return tuple(w for w in out if w not in {"al", "el", "ul", "il"})


def _arabic_tokens(text: str) -> list[str]:
    pieces = [p for w in text.split() for p in _arabic_word(w)]
    # a title opens a name (السيد محمد: Mr Muhammad); inside a chain the same word is a
    # name (محمد السيد محمد العقاد: al-Sayed, the father; dropped, it shifted the chain)
    while pieces and pieces[0] in _AR_TITLES:
        pieces.pop(0)
    pieces = [p[2:] if p in _AR_TITLES else p for p in pieces]
    return _join_prefixes(pieces, "عبد", _AR_ABU, _AR_DROP)


@lru_cache(maxsize=200_000)
def _arabic_word(word: str) -> tuple[str, ...]:
    """One written word -> its pieces (عبدالرحمن -> عبد, رحمن; ابوصهيبان -> ابو, صهيبان)."""
    s = normalise_arabic(word)
    if "عبد" in s:
        s = _AR_ABD.sub("عبد ", s)
    if "ابو" in s:
        s = _AR_ABU_JOINED.sub("ابو ", s)
    out = []
    for i, w in enumerate(s.split()):
        if w in _AR_TITLES:  # with its article: _arabic_tokens decides
            out.append(w)
            continue
        # the article is written with a plain alef: إلهام (Ilham) and ألطاف are names
        hamza = i == 0 and word.lstrip("\u0640")[:1] in "أإآ"
        if w.startswith("ال") and len(w) > 3 and not hamza:
            w = w[2:]
        out.append(w)
    return tuple(out)


# Second words of compound names written apart or together: Izz al-Din = عز الدين =
# عزالدين, Saqallah = ساق الله: joined to the word before, with the article (as the joined
# spelling has it), so both spellings give one word (the article has been dropped from
# the separate word by then). Ministry list against the Airwars list, dev half: "عز الدين
# بدر الحسنات" was given عز, father الدين.
_JOIN_AFTER = {"دين": "الدين", "له": "الله", "din": "aldin", "deen": "aldin", "dine": "aldin",
               "allah": "allah", "ullah": "allah", "alla": "allah"}  # fmt: skip


def _join_prefixes(words: list[str], abd: str, abu: set[str], drop: set[str]) -> list[str]:
    out: list[str] = []
    carry = ""
    for w in words:
        if w in drop:
            continue
        if w in _JOIN_AFTER and out and not carry and not out[-1].startswith(("abd", "عبد")):
            out[-1] += _JOIN_AFTER[w]
            continue
        if w == abd or w in abu:
            carry += "abd" if w == abd else "abu"
            continue
        out.append(carry + w if carry else w)
        carry = ""
    if carry:
        out.append(carry)
    return out


_DIGRAPHS = [
    ("kh", "x"), ("sh", "$"), ("ch", "$"), ("gh", "j"), ("dj", "j"), ("dh", "d"),
    ("th", "t"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("c", "k"), ("g", "j"),
    ("v", "f"), ("p", "b"), ("'", ""),
]  # fmt: skip
_VOWELS = re.compile(r"[aeiouyw]")
_LEAD_VOWELS = set("aeiou'")
_DOUBLE = re.compile(r"(.)\1+")

# Known variant groups: skeletons that the field writes for the same name.
VARIANT_GROUPS: dict[str, str] = {
    "mhd": "mhmd",  # Mhd, Mohd -> Muhammad
    "mhmt": "mhmd",  # Mehmet
    "mhmmd": "mhmd",
    "abdlh": "abdl",  # Abdallah / Abdullah / عبدالله
}


# Common names whose consonants are the same as another common name's and that only the
# long vowel tells apart (Arabic script writes it: محمود / محمد, حسين / حسن, علاء / علي).
# Matched on the lower-case Latin word or the transliteration, before vowels are dropped.
# Without them Mahmoud was Muhammad and Hussein was Hasan, and brothers Muhammad and
# Mahmoud killed together were one person.
LONG_VOWEL_NAMES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^m[aeiou]?h?m+(?:ou|oo|uu|u)d$"), "mhmwd"),  # Mahmoud, Mahmud, محمود
    (re.compile(r"^m[aeiou]?hd(?:i|y|ee)$"), "mhdy"),  # Mahdi, Mehdi, مهدي (not Mhd)
    (re.compile(r"^h[aeiou]?s+(?:ei|ai|ay|ey|ee|ie|i|y)n$"), "hsyn"),  # Hussein, حسين
    (re.compile(r"^(?:'|a)l+(?:aa|a'a|a'|a)$"), "ala"),  # Alaa, Ala'a, علاء (not Ali)
]


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """Consonant key of one Latin token (Arabic tokens are transliterated first)."""
    if has_arabic(token):
        token = transliterate(token)
    t = token.lower()
    for pattern, fixed in LONG_VOWEL_NAMES:
        if pattern.match(t):
            return fixed
    # a name that starts with a vowel, ain or hamza keeps a mark of it: Ali ('l') is not
    # Lama or Hilal, Aws is not Sami; without it the shortest keys collide everywhere
    lead = "a" if t[:1] in _LEAD_VOWELS else ""
    # an initial y or w is a consonant (Yasser, Yusuf, Walid; initial yaa and waw in
    # Arabic): dropped with the vowels, Yasser was Nasser's key less one letter and
    # Yahya was just "h"
    if t[:1] in "yw" and len(t) > 1:
        lead, t = t[0], t[1:]
    for a, b in _DIGRAPHS:
        t = t.replace(a, b)
    if len(t) > 2 and t.endswith("h") and t[-2] in "aeiou":
        t = t[:-1]
    # doubled letters first (Muhammad = Mohamed), so that Dawud keeps both d's apart
    t = _DOUBLE.sub(r"\1", t)
    key = lead + _VOWELS.sub("", t)
    if len(key) > 1 and key.endswith("h"):
        key = key[:-1]
    key = VARIANT_GROUPS.get(key, key)
    return key or t[:1]


_DENTALS = re.compile(r"[tz]")


def fold_dentals(key: str | None) -> str | None:
    """A name key with t and z read as d: ذ is written dh, th, z or d (Moaz / معاذ,
    Shatha / Shaza / شذا), ض and ظ d or z. Too coarse for the key itself (Nizar is not
    Nadir); a comparison level of its own."""
    return None if key is None else _DENTALS.sub("d", key)


@dataclass(frozen=True)
class NameChain:
    """given, father, grandfather, family as consonant keys; tokens keeps all of them."""

    given: str | None
    father: str | None
    grandfather: str | None
    family: str | None
    tokens: tuple[str, ...]
    canonical: str
    spelt: tuple[str | None, ...] = (None, None, None, None)


@lru_cache(maxsize=200_000)
def text_words(text: str) -> tuple[str, tuple[str, ...]]:
    """("ar", words) when ``text`` is Arabic script that yields words, else ("la", words)."""
    if has_arabic(text):
        toks = _arabic_tokens(text)
        if toks:
            return "ar", tuple(toks)
    return "la", tuple(_latin_tokens(text))


# What a name chain leaves out (the record and search keep it): text in brackets or
# backticks (an alias, a kunya, a maiden or a married family: "Shorouk Mustafa Hassan
# al-Jamal (al-Khatib)", "Zuhdiyah ... Qannan (`Umm Issa`") and a kunya after the name
# ("Etemad Miqdad.. Umm Ahmed", "Imad Muhammad Marouf - Abu Ashraf", "... البشيتي ام
# خالد"). Left in, they took the family's place at the end of the chain. (Titles that
# open a name, Hajj or Sheikh, are left: lists that copy them copy them everywhere, and
# dropping them was measured to lose more such pairs than it found.)
_BRACKETED = re.compile(r"\([^)]*\)?|\[[^\]]*\]?|`[^`]*`?|‘[^’]*’?")
_KUNYA_WORDS = r"(?:abu|abou|abo|umm|um|om|oum|ابو|أبو|ام|أم)"
# a run of dots is matched from its first dot only, and whole (possessive): tried from
# every dot of a long run, a cell of 40,000 dots took a minute
_KUNYA_MARKED = re.compile(
    rf"(?:(?<!\.)\.{{2,}}+|\s[-–]|[-–]\s|[،,;])\s*+{_KUNYA_WORDS}\s+\S+\s*$", re.I
)
_MOTHER_OF = {"umm", "um", "om", "oum", "ام"}


# a quick test first: most names have none of it (a million names: one search each)
_MAYBE_NOT_CHAIN = re.compile(r"[(\[`‘,;،]|\.\.|\s[-–]|[-–]\s|\s(?:umm?|o?um|om|ام|أم)\s", re.I)


@lru_cache(maxsize=200_000)
def chain_text(text: str) -> str:
    """The part of a written name that is the chain (see the note above)."""
    if not _MAYBE_NOT_CHAIN.search(text):
        return text
    t = _BRACKETED.sub(" ", text)
    t = _KUNYA_MARKED.sub(" ", t)
    words = t.replace("..", " ").split()
    if len(words) >= 4:  # "... Umm Khaled" after a name of two words or more: her kunya
        mother = words[-2].lower()
        if (normalise_arabic(mother) if has_arabic(mother) else mother) in _MOTHER_OF:
            words = words[:-2]
    return " ".join(words)


def name_words(name: str | None, name_ar: str | None = None) -> tuple[str, tuple[str, ...]]:
    """(script, words) after joining Abd/Abu, dropping bin/ibn and al-: Arabic preferred.

    Arabic words stay in (normalised) Arabic script: the script tag lets comparisons tell
    a same-script exact spelling from a cross-script match of consonant keys.
    """
    if name_ar:
        got = text_words(chain_text(name_ar))
        if got[0] == "ar":
            return got
    return text_words(chain_text(name or ""))


def name_tokens(name: str | None, name_ar: str | None = None) -> tuple[str, ...]:
    """Name words in the one canonical Latin transliteration."""
    script, words = name_words(name, name_ar)
    return tuple(transliterate(w) for w in words) if script == "ar" else words


ChainFields = tuple[str | None, str | None, str | None, str | None,
                    str | None, str | None, str | None, str | None]  # fmt: skip


_NO_WORD: tuple[None, None] = (None, None)


@lru_cache(maxsize=500_000)
def _word_fields(script: str, word: str) -> tuple[str, str]:
    """One word's key and its spelt form, each one object however many names share it."""
    return skeleton(word), script + ":" + word


@lru_cache(maxsize=200_000)
def chain_fields(script: str, words: tuple[str, ...]) -> ChainFields:
    """given, father, grandfather, family keys, then the same four spelt ("ar:..."/"la:...").

    Two words: given + family. Three: given, father, family. Four or more: given,
    father, grandfather, ..., family (the middle extras are left out).
    """
    n = len(words)
    if not n:
        return (None,) * 8
    wf = _word_fields
    g = wf(script, words[0])
    fa = wf(script, words[1]) if n >= 3 else _NO_WORD
    gr = wf(script, words[2]) if n >= 4 else _NO_WORD
    fam = wf(script, words[-1]) if n >= 2 else _NO_WORD
    return (g[0], fa[0], gr[0], fam[0], g[1], fa[1], gr[1], fam[1])


def texts_fields(texts: Sequence[str]) -> tuple[bytes, list[ChainFields]]:
    """Many distinct name strings at once (records.features, maybe in a worker process):
    per string b"a" when :func:`text_words` reads it as Arabic (else b"l"), and
    :func:`chain_fields` of its words.

    Each string comes once, so the per-string caches are skipped (at a million records
    they only churn); the per-word caches still hit.
    """
    words_of, fields_of = text_words.__wrapped__, chain_fields.__wrapped__
    got = [words_of(chain_text.__wrapped__(text)) for text in texts]
    scripts = bytes(97 if script == "ar" else 108 for script, _ in got)  # b"a", b"l"
    return scripts, [fields_of(script, words) for script, words in got]


def name_chain(name: str | None, name_ar: str | None = None) -> NameChain:
    """Split a name into its chain: given, father, grandfather, family (see chain_fields)."""
    script, words = name_words(name, name_ar)
    f = chain_fields(script, words)
    return NameChain(
        given=f[0],
        father=f[1],
        grandfather=f[2],
        family=f[3],
        tokens=tuple(skeleton(w) for w in words),
        canonical=" ".join(transliterate(w) if script == "ar" else w for w in words),
        spelt=f[4:],
    )


_PLACE_PAREN = re.compile(r"\([^)]*\)")
# words that say what kind of place it is, not which: neighbourhood, village, camp
_PLACE_KIND = {"hay", "hayy", "neighbourhood", "neighborhood", "district", "village", "town",
               "camp", "refugee", "حي", "قرية", "بلدة", "مدينة", "منطقة", "مخيم"}  # fmt: skip
_PLACE_SUN = re.compile(r"^(?:a[tdrsznl]|as?h|adh|ath)$")


@lru_cache(maxsize=100_000)
def place_key(place: str | None) -> str | None:
    """Comparison key of a place name (either script): kind words (حي, village),
    parentheses (Al Fardous (Aleppo)) and a sun-letter article written apart (Ar Raqqah,
    As Sukhnah) left out, the words' keys joined without spaces (Kafr Nabl = كفرنبل)."""
    if not place:
        return None
    place = _PLACE_PAREN.sub(" ", place)
    if has_arabic(place):
        raw = [w for w in normalise_arabic(place).split() if w not in _PLACE_KIND]
        words = [transliterate(w) for w in _arabic_tokens(" ".join(raw))]
    else:
        raw = [w for w in place.lower().split() if w not in _PLACE_KIND]
        raw = [w for k, w in enumerate(raw) if k == len(raw) - 1 or not _PLACE_SUN.match(w)]
        # taa marbuta in a construct is written t in Latin (Ma'arat al-Nu'man = معرة النعمان)
        raw = [w[:-1] if k < len(raw) - 1 and len(w) > 3 and w[-2:] in ("at", "et") else w
               for k, w in enumerate(raw)]  # fmt: skip
        words = _latin_tokens(" ".join(raw))
    key = "".join(skeleton(w) for w in words)
    return key or None
