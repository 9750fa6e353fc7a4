"""Links of a rendered page, from the live app's URLs to the published files.

The live app links by path and query (``/incidents/CS327%20TS005``, ``/map?lang=ar``,
``/incidents?offset=500``); a static site has one file per page and language. Every
link attribute a page can carry (href, src, action, and the map's data-points and
data-outlines) is mapped to a file and written relative to the page, so the site works
under any folder of any host. Language-neutral files (JSON twins, downloads, static
assets) live once at the root; pages of a language other than the first live under
``<lang>/``. A link to a path the static site does not have (a workspace page) loses its
href: nothing on a published page points at a server that is not there.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from .filenames import incident_file

PAGES = {
    "/": "index",
    "/dashboard": "index",
    "/index": "index",
    "/map": "map",
    "/incidents": "incidents",
    "/victims": "victims",
    "/downloads": "downloads",
    "/methodology": "methodology",
}
PAGED = {"incidents", "victims"}
NEUTRAL_PREFIXES = ("/static/", "/downloads/")
NEUTRAL_FILES = {"/openapi.json": "openapi.json"}
_ATTR = re.compile(r'\b(href|src|action|data-points|data-outlines)="([^"]*)"')


@dataclass(frozen=True)
class SiteLayout:
    """Where each language's pages go and how lists are paged."""

    langs: tuple[str, ...]
    page_size: int
    codes: frozenset[str] = frozenset()

    def lang_dir(self, lang: str) -> str:
        return "" if lang == self.langs[0] else f"{lang}/"

    def page_file(self, name: str, lang: str, page: int = 1) -> str:
        suffix = f"-{page}" if page > 1 else ""
        return f"{self.lang_dir(lang)}{name}{suffix}.html"

    def twin_file(self, name: str, page: int = 1) -> str:
        suffix = f"-{page}" if page > 1 else ""
        return f"{name}{suffix}.json"

    def target(self, url: str, lang: str) -> str | None:
        """The site file (from the root) a live-app URL stands for, from a page in
        ``lang``; None when the static site has no such file."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return url  # not ours: left alone (external links went through safe_url)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        want = query.get("lang", [lang])[0]
        if want in self.langs:
            lang = want
        frag = f"#{parts.fragment}" if parts.fragment else ""
        if path in NEUTRAL_FILES:
            return NEUTRAL_FILES[path] + frag
        if path.startswith(NEUTRAL_PREFIXES):
            return path[1:] + frag
        if path.startswith("/incidents/"):
            code = path[len("/incidents/") :]
            # a code may itself end in ".json": it is a page unless the stripped code
            # is an incident too (then, as in the live app, the link is that one's twin)
            if code.endswith(".json") and (code not in self.codes or code[:-5] in self.codes):
                return incident_file(code[: -len(".json")], "json")
            return self.lang_dir(lang) + incident_file(code, "html") + frag
        twin = path.endswith(".json")
        base = path[: -len(".json")] if twin else path
        name = PAGES.get(base.rstrip("/") or "/")
        if name is None:
            return None
        page = 1
        if name in PAGED:
            try:
                offset = int(query.get("offset", ["0"])[0])
            except ValueError:
                offset = 0
            page = max(offset, 0) // self.page_size + 1
        if twin:
            return self.twin_file(name, page)
        return self.page_file(name, lang, page) + frag


def relative(target: str, page: str) -> str:
    """``target`` (a path from the site root) as seen from the file ``page``."""
    if "#" in target:
        target, frag = target.split("#", 1)
        frag = "#" + frag
    else:
        frag = ""
    rel = posixpath.relpath(target, posixpath.dirname(page) or ".")
    return rel + frag


def rewrite(text: str, page: str, lang: str, layout: SiteLayout) -> str:
    """``text`` (a rendered page, written to ``page``) with every link made static."""

    def one(m: re.Match[str]) -> str:
        attr, value = m.group(1), html.unescape(m.group(2))
        if not value or value.startswith(("#", "data:", "mailto:")):
            return m.group(0)
        got = layout.target(value, lang)
        if got is None:
            return f'data-unpublished="{html.escape(value)}"'
        if got == value:
            return m.group(0)
        return f'{attr}="{html.escape(relative(got, page))}"'

    return _ATTR.sub(one, text)


def root_of(page: str) -> str:
    """The site root as seen from ``page`` ("" at the root, "../" one folder down)."""
    depth = page.count("/")
    return "../" * depth
