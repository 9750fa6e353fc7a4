"""Links in rendered HTML: a stored URL becomes an ``<a href>`` only if it passes the allowlist.

Shared by the web pages, the workspace and the report (Jinja global ``url_link``), so no
template writes ``href="{{ value }}"`` itself. A value that fails
:func:`civcas.model.urls.safe_url` (``javascript:``, ``data:``, ``//host``... left in the
database by an old import or another tool) is shown as text in a
``<span class="unsafe-url">``: it can be read and fixed, never followed.

:func:`checked_links` is the same rule for JSON: an unsafe ``url`` (or
``strike_report_url``) becomes ``null`` and its text moves to ``url_unsafe``.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..model.urls import safe_url

LINK_FIELDS = ("url", "strike_report_url")
UNSAFE_SUFFIX = "_unsafe"


def _attrs(attrs: dict[str, Any]) -> Markup:
    out = Markup("")
    for k, v in attrs.items():
        if v is None or v is False:
            continue
        name = k.rstrip("_").replace("_", "-")  # class_ -> class, data_x -> data-x
        out += Markup(' {}="{}"').format(name, v)
    return out


def url_link(url: Any, label: Any = None, **attrs: Any) -> Markup:
    """``<a href=url>label</a>`` for a safe link; the text in a span for anything else.

    ``label`` defaults to the URL itself. ``rel="noopener noreferrer"`` unless given.
    """
    shown = url if label is None or label == "" else label
    if url is None or url == "":
        return escape("" if shown is None else shown)
    ok = safe_url(url)
    if ok is not None:
        attrs.setdefault("rel", "noopener noreferrer")
        return Markup('<a href="{}"{}>{}</a>').format(ok, _attrs(attrs), shown)
    attrs.pop("rel", None)
    cls = " ".join(x for x in ("unsafe-url", attrs.pop("class_", None)) if x)
    text = str(url) if shown == url else f"{shown} ({url})"
    return Markup('<span class="{}" title="not a safe link: shown as text"{}>{}</span>').format(
        cls, _attrs(attrs), text
    )


def checked_links(obj: Any) -> Any:
    """``obj`` (dicts and lists, recursively) with every unsafe link field moved aside.

    ``{"url": "javascript:x"}`` becomes ``{"url": None, "url_unsafe": "javascript:x"}``;
    safe and empty values are left as they are (a new dict is returned, ``obj`` is kept).
    """
    if isinstance(obj, list):
        return [checked_links(x) for x in obj]
    if not isinstance(obj, dict):
        return obj
    out: dict[str, Any] = {}
    for k, v in obj.items():
        if k in LINK_FIELDS and isinstance(v, str) and v and safe_url(v) is None:
            out[k] = None
            out[k + UNSAFE_SUFFIX] = v
        else:
            out[k] = checked_links(v) if isinstance(v, dict | list) else v
    return out


def install(env: Any) -> None:
    """Make ``url_link`` available to every template of a Jinja environment."""
    env.globals["url_link"] = url_link


__all__ = ["LINK_FIELDS", "checked_links", "install", "url_link"]
