"""The one URL allowlist: what civcas will store as a link, and put in an ``href``.

Anything that arrives from outside (an imported cell, a form field, a JSON body, a CLI
option) and is meant to be a link goes through here before it is stored, and every page,
JSON twin and report asks again before it renders a stored value as a link (the
database may hold rows written before this check existed, or by another tool).

Allowed, and nothing else:

- absolute ``http://`` or ``https://`` URLs with a host (``https://example.org/a?b``);
- the project's own relative links: a path that starts with exactly one ``/``.

Refused: every other scheme (``javascript:``, ``data:``, ``vbscript:``, ``file:``...),
protocol-relative ``//host`` links, and any value holding a control character, a
whitespace or invisible formatting character (browsers drop some of them, so
``java\\tscript:`` would run), or a backslash (browsers read ``\\`` as ``/``). The check
is on the raw text, so a value is never "repaired" into something else; the only
normalisation is :func:`check_url` trimming the spaces around a typed value.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from .errors import InputError, RowProblem

MAX_URL = 4096
SCHEMES = ("http", "https")
EXPECTED = (
    "an http:// or https:// URL with a host, or a site path starting with a single '/' "
    f"(no spaces, control characters or backslashes; at most {MAX_URL} characters)"
)


# printable ASCII but the backslash: what nearly every real link is made of, checked in
# one regex pass; only a value with other characters is checked character by character
_PLAIN = re.compile(r"[!-\[\]-~]*")


def _bad_char(ch: str) -> bool:
    if ch == "\\" or ch.isspace():
        return True
    # Cc: controls (tab, newline, NUL...); Cf: invisible formatting (zero-width,
    # bidi overrides that make a link read as something else); Zs/Zl/Zp: separators
    return unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn")


def safe_url(value: object) -> str | None:
    """``value`` itself when it is a link civcas may store and render, else ``None``.

    Pure and strict: no trimming, no decoding; what is returned is exactly what was given.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_URL:
        return None
    if not _PLAIN.fullmatch(value) and any(_bad_char(ch) for ch in value):
        return None
    if value.startswith("/"):
        return None if value.startswith("//") else value
    scheme, sep, _ = value.partition("://")
    if not sep or scheme.lower() not in SCHEMES:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return None
    return value


def check_url(value: object, field: str = "url") -> str | None:
    """A typed-in URL, checked: the trimmed value, ``None`` for blank, or an InputError.

    The error names the field, shows the value and says what is expected, as every other
    input error does (the web answers it as a 400, the CLI as a clear message).
    """
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else value
    if text == "":
        return None
    ok = safe_url(text)
    if ok is None:
        raise InputError(
            f"invalid {field}: not a safe link",
            problems=[RowProblem(1, field, value, EXPECTED)],
        )
    return ok


__all__ = ["EXPECTED", "MAX_URL", "check_url", "safe_url"]
