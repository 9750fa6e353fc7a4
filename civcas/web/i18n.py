"""The interface in English and Arabic: catalogues are JSON files in ``i18n/``.

A missing key falls back to English, then to the key itself, so a new string never
breaks a page; ``tests/web`` checks the catalogues have the same keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

LANGS = ("en", "ar")
RTL = {"ar"}
HERE = Path(__file__).parent / "i18n"


def _no_duplicates(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """json.loads keeps the last of two equal keys; here a second one is a mistake (a new
    string that silently replaced an old one), so it is refused."""
    out: dict[str, str] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"i18n catalogue: the key {k!r} is defined twice")
        out[k] = v
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    text = (HERE / f"{lang}.json").read_text(encoding="utf-8")
    data: dict[str, str] = json.loads(text, object_pairs_hook=_no_duplicates)
    return data


def translator(lang: str) -> Callable[..., str]:
    own, en = catalogue(lang), catalogue("en")

    def t(key: str, **kw: object) -> str:
        text = own.get(key) or en.get(key) or key
        return text.format(**kw) if kw else text

    return t


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"
