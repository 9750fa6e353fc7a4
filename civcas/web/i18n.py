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


@cache
def catalogue(lang: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((HERE / f"{lang}.json").read_text(encoding="utf-8"))
    return data


def translator(lang: str) -> Callable[..., str]:
    own, en = catalogue(lang), catalogue("en")

    def t(key: str, **kw: object) -> str:
        text = own.get(key) or en.get(key) or key
        return text.format(**kw) if kw else text

    return t


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"
