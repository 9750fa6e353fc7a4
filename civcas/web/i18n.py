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


def _read(path: Path) -> dict[str, str]:
    data: dict[str, str] = json.loads(
        path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates
    )
    return data


@cache
def catalogue(lang: str) -> dict[str, str]:
    """``{lang}.json`` and the parts kept apart (``work.{lang}.json``: the work area's
    strings); a key defined in two of them is refused as well."""
    data = _read(HERE / f"{lang}.json")
    for part in sorted(HERE.glob(f"*.{lang}.json")):
        more = _read(part)
        twice = sorted(set(data) & set(more))
        if twice:
            raise ValueError(f"i18n catalogue: {part.name} defines {twice[0]!r} again")
        data.update(more)
    return data


def translator(lang: str) -> Callable[..., str]:
    own, en = catalogue(lang), catalogue("en")

    def t(key: str, **kw: object) -> str:
        text = own.get(key) or en.get(key) or key
        return text.format(**kw) if kw else text

    return t


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"
