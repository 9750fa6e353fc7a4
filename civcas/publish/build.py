"""`civcas publish --static DIR`: the public side as files, signed.

One build renders every public page through the real app (:mod:`.render`), rewrites its
links to the file-name rule (:mod:`.links`, :mod:`.filenames`), adds the data the
browser needs to filter the dashboard and search names without a server (:mod:`.scan`,
:mod:`.search`), copies the JavaScript and map assets, and signs a manifest of every file
(:mod:`.manifest`). A rebuild into the same folder re-renders only the incident pages
whose content changed (their stamps are kept in ``build-state.json``) and the summaries.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..model.filters import IncidentFilter
from ..store.engine import Store
from .filenames import file_stem, incident_file
from .links import SiteLayout, relative, rewrite
from .manifest import FORMAT, MANIFEST, read_manifest, sign_manifest, write_manifest
from .render import AppRenderer
from .scan import TALLY_FIELDS, scan
from .search import build_index
from .workers import Job, render_parallel, render_some, write_atomic

WEB = Path(__file__).resolve().parent.parent / "web"
HERE = Path(__file__).resolve().parent
STATE = "build-state.json"
PAGE_SIZE = 500
SUMMARY_PAGES = ("map", "downloads", "methodology")
DOWNLOADS = ("csv", "geojson", "json")
STATIC_JS = "static/js/static-site.js"
PARALLEL_FROM = 1000  # incidents to render before worker processes pay for their start
# strings of the static site itself (the app's catalogues hold the pages' own)
LABELS = {
    "en": {
        "snapshot": "Data snapshot",
        "checkpoint": "audit checkpoint",
        "manifest": "signed manifest",
        "no_checkpoint": "no signed checkpoint",
        "filtered_note": "Filtered in your browser from the published incidents; the charts "
        "and the map show the whole published record.",
        "matching_incidents": "Incidents",
        "search_note": "Searched in your browser: names in any spelling or script, codes and places.",
    },
    "ar": {
        "snapshot": "لقطة البيانات",
        "checkpoint": "نقطة تدقيق موقّعة",
        "manifest": "البيان الموقّع",
        "no_checkpoint": "لا نقطة تدقيق موقّعة",
        "filtered_note": "صُفّيت في متصفحك من الحوادث المنشورة؛ الرسوم والخريطة تعرض السجل "
        "المنشور كله.",
        "matching_incidents": "الحوادث",
        "search_note": "البحث في متصفحك: الأسماء بأي تهجئة أو خط، والرموز والأماكن.",
    },
}


@dataclass
class PublishReport:
    """What a build did: files written and kept, incidents rendered, time per phase."""

    out: str
    files: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    incidents: int = 0
    incidents_rendered: int = 0
    snapshot: str = ""
    checkpoint_seq: int | None = None
    fingerprint: str = ""
    full_rebuild: bool = True
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _Writer:
    """Writes files under the site root, keeping each one's SHA-256; a file whose bytes
    are already there is not touched (its time stays, a sync tool skips it)."""

    def __init__(self, root: Path, previous: dict[str, str]) -> None:
        self.root, self.previous = root, previous
        self.files: dict[str, str] = {}
        self.written = self.unchanged = 0

    def put(self, rel: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        self.files[rel] = digest
        path = self.root / rel
        if self.previous.get(rel) == digest and path.is_file():
            self.unchanged += 1
            return
        write_atomic(path, data)
        self.written += 1

    def record(self, rel: str, digest: str) -> None:
        """A file a worker process wrote."""
        self.files[rel] = digest
        self.written += 1

    def keep(self, rel: str, digest: str | None = None) -> None:
        """A file left from the last build, unchanged (its recorded digest stands)."""
        self.files[rel] = digest or self.previous[rel]
        self.unchanged += 1


def _fingerprint(parts: list[Any]) -> str:
    """What every page depends on besides its own data: software, templates,
    catalogues, static files, this package, and the build's options."""
    h = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode())
    h.update(__version__.encode())
    for base in (WEB / "templates", WEB / "i18n", HERE):
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.suffix in {".html", ".json", ".py"}:
                h.update(p.relative_to(base).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:32]


def _victims_in_page_order(victims: list[dict[str, Any]], url: str) -> list[str]:
    """Each victim's incident code in the victims page's order (incident date, then
    victim id; no date first on SQLite, last on PostgreSQL, as their ORDER BY puts it)."""
    nulls_first = url.startswith("sqlite")

    def key(v: dict[str, Any]) -> tuple[int, str, int]:
        undated = v["date"] is None
        return (int(not undated) if nulls_first else int(undated), v["date"] or "", v["id"] or 0)

    return [v["code"] for v in sorted(victims, key=key)]


def _hash(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:24]


def _load_state(root: Path) -> dict[str, Any]:
    try:
        doc = json.loads((root / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _stamp_line(lang: str, root: str, stamp: dict[str, Any], *, live: bool) -> str:
    """The footer line: data snapshot, checkpoint, manifest. Incident pages carry it
    empty and static-site.js fills it from site.json (their bytes then change only when
    the incident does); so do the list pages, kept while their slice is unchanged."""
    lab = LABELS.get(lang, LABELS["en"])
    href = html.escape(root + MANIFEST)
    if not live:
        return (
            f'<p class="site-stamp" id="site-stamp" data-site="{html.escape(root)}site.json">'
            f'<a href="{href}">{html.escape(lab["manifest"])}</a></p>'
        )
    cp = stamp.get("checkpoint")
    cp_text = (
        f'{html.escape(lab["checkpoint"])} <bdi dir="ltr"><code id="site-checkpoint">'
        f"#{cp['seq']} {html.escape(str(cp['head'])[:16])}</code></bdi>"
        if cp
        else html.escape(lab["no_checkpoint"])
    )
    return (
        f'<p class="site-stamp" id="site-stamp">{html.escape(lab["snapshot"])} '
        f'<bdi dir="ltr"><code id="site-snapshot">{html.escape(stamp["snapshot"])}</code></bdi>'
        f' · {cp_text} · <a href="{href}">{html.escape(lab["manifest"])}</a>'
        f' <bdi dir="ltr"><code>{html.escape(stamp["fingerprint"])}</code></bdi></p>'
    )


def finish_page(
    body: bytes, rel: str, lang: str, layout: SiteLayout, stamp: dict[str, Any], *, live: bool
) -> bytes:
    """A rendered page made static: links rewritten, footer stamp and the static-mode
    script added."""
    text = rewrite(body.decode("utf-8"), rel, lang, layout)
    root = relative(".", rel)
    root = "" if root == "." else root + "/"
    line = _stamp_line(lang, root, stamp, live=live)
    text = text.replace("</footer>", line + "\n</footer>", 1)
    script = f'<script src="{html.escape(root + STATIC_JS)}"></script>\n'
    text = text.replace("</body>", script + "</body>", 1)
    return text.encode("utf-8")


def _json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _with_files(body: bytes) -> bytes:
    """The map's points with each incident's file name (map.js links by code; the
    static script follows the file-name rule through this field)."""
    doc = json.loads(body)
    fields = doc.get("fields") or []
    if "code" in fields and "file" not in fields:
        at = fields.index("code")
        doc["fields"] = [*fields, "file"]
        doc["points"] = [[*p, file_stem(p[at])] for p in doc.get("points") or []]
    return _json(doc)


def _copy_static(w: _Writer) -> None:
    base = WEB / "static"
    for p in sorted(base.rglob("*")):
        if p.is_file() and "swagger-ui" not in p.parts:
            w.put("static/" + p.relative_to(base).as_posix(), p.read_bytes())


def publish_static(
    store: Store,
    out: Path,
    f: IncidentFilter | None = None,
    *,
    langs: tuple[str, ...] = ("en", "ar"),
    base_url: str | None = None,
    downloads: bool = True,
    make_checkpoint: bool = False,
    processes: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> PublishReport:
    """Publish the public side of ``store`` (under filter ``f``) as a static site in
    ``out``; a second call into the same folder rewrites only what changed."""
    from ..web.i18n import LANGS
    from ..workflow import audit, keys

    f = f or IncidentFilter()
    for lang in langs:
        if lang not in LANGS:
            raise ValueError(f"--lang: {lang!r}; expected some of {', '.join(LANGS)}")
    say = progress or (lambda _m: None)
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal t0
        now = time.perf_counter()
        timings[name] = round(now - t0, 3)
        t0 = now

    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o755)  # a published site is public, whatever the umask
    old = read_manifest(out) or {}
    old_files: dict[str, str] = old.get("files") or {}
    state = _load_state(out)
    options = {"filter": f.as_params(), "langs": list(langs), "base_url": base_url}
    fp = _fingerprint([options, PAGE_SIZE])
    incremental = state.get("fingerprint") == fp and bool(old_files)
    w = _Writer(out, old_files if incremental else {})

    key = keys.installation_key(store)
    if make_checkpoint:
        audit.make_checkpoint(store)
    checkpoint = audit.latest_checkpoint(store)
    r = AppRenderer(store, f)
    summary = r.app.state.service.summary(f)
    stamp = {
        "snapshot": summary["snapshot_sha256"],
        "checkpoint": checkpoint,
        "fingerprint": keys.fingerprint(keys.public_b64(key)),
    }
    lap("setup")

    data = scan(store, f)
    layout = SiteLayout(langs=tuple(langs), page_size=PAGE_SIZE, codes=frozenset(data.stamps))
    lap("scan")
    say(f"{len(data.stamps):,} incidents")

    # --- summary pages, every build ---------------------------------------------------
    def page(path: str, name: str, lang: str, pg: int = 1, **params: Any) -> None:
        rel = layout.page_file(name, lang, pg)
        w.put(rel, finish_page(r.get(path, lang, **params), rel, lang, layout, stamp, live=True))

    for lang in langs:
        page("/", "index", lang)
        for name in SUMMARY_PAGES:
            page(f"/{name}", name, lang)
    w.put("index.json", r.get("/index.json"))
    for name in SUMMARY_PAGES:
        body = r.get(f"/{name}.json")
        w.put(f"{name}.json", _with_files(body) if name == "map" else body)
    n_inc = len(data.stamps)
    n_vic = len(data.victims)
    old_pages: dict[str, str] = state.get("pages", {}) if incremental else {}
    new_pages: dict[str, str] = {}
    codes = list(data.stamps)
    victim_codes = _victims_in_page_order(data.victims, store.url)

    def page_key(name: str, pg: int) -> str:
        """What a list page shows: its slice of the incidents (in the list's own order,
        by date) and the total; a victims page, the incidents of its slice of victims."""
        part = (victim_codes if name == "victims" else codes)[(pg - 1) * PAGE_SIZE : pg * PAGE_SIZE]
        part = sorted(set(part)) if name == "victims" else part
        return _hash([n_inc, [(c, data.stamps[c]) for c in part]])

    for name, total in (("incidents", n_inc), ("victims", n_vic)):
        pages = max(1, -(-total // PAGE_SIZE))
        for pg in range(1, pages + 1):
            rels = [layout.twin_file(name, pg)] + [
                layout.page_file(name, lang, pg) for lang in langs
            ]
            slice_key = page_key(name, pg)
            new_pages[rels[0]] = slice_key
            if old_pages.get(rels[0]) == slice_key and all(rel in old_files for rel in rels):
                for rel in rels:
                    w.keep(rel)
                continue
            params: dict[str, Any] = {"limit": PAGE_SIZE, "offset": (pg - 1) * PAGE_SIZE}
            for lang, rel in zip(langs, rels[1:], strict=True):
                body = r.get(f"/{name}", lang, **params)
                w.put(rel, finish_page(body, rel, lang, layout, stamp, live=False))
            w.put(rels[0], r.get(f"/{name}.json", **params))
    w.put("openapi.json", r.get("/openapi.json"))
    lap("summaries")

    # --- incident pages: only those whose stamp changed --------------------------------
    before: dict[str, str] = state.get("incidents", {}) if incremental else {}
    todo: list[str] = []
    for code, st in data.stamps.items():
        rels = [incident_file(code, "json")] + [
            layout.lang_dir(lang) + incident_file(code, "html") for lang in langs
        ]
        if before.get(code) == st and all(rel in old_files for rel in rels):
            for rel in rels:
                w.keep(rel)
        else:
            todo.append(code)
    job = Job(store.url, str(out), f.as_params(), layout, stamp, tuple(todo))
    procs = processes if processes is not None else min(os.cpu_count() or 1, 4)
    if procs > 1 and len(todo) >= PARALLEL_FROM:
        done = render_parallel(job, procs)
    else:
        done = render_some(job, r)
    for rel, digest in done:
        w.record(rel, digest)
    rendered = len(todo)
    lap("incidents")
    say(f"{rendered:,} incident pages rendered")

    # --- what the browser filters and searches ---------------------------------------
    from ..web.i18n import catalogue

    wanted = ("conceded_deaths", "ratio", "ratio_none", "ratio_known", "incidents_count",
              "credible_count", "likely_note", "likely_any_party", "coverage_sentence",
              "known_of", "with_figure", "injured", "children_killed", "women_killed",
              "men_killed")  # fmt: skip
    grade_names = list(summary["by_grade"]) + list(summary["likely"]["grades"])
    tally_doc = {
        "format": "civcas-tally-data/1",
        "snapshot_sha256": stamp["snapshot"],
        "filter": f.as_params(),
        "fields": TALLY_FIELDS,
        "rows": data.tally_rows,
        "likely_grades": summary["likely"]["grades"],
        "by_grade_keys": list(summary["by_grade"]),
        "by_assessment_keys": list(summary["by_assessment"]),
        "labels": {
            lang: {
                **{k: catalogue(lang).get(k) or catalogue("en").get(k, k) for k in wanted},
                **{g: catalogue(lang).get(g) or g for g in grade_names},
                **LABELS.get(lang, LABELS["en"]),
            }
            for lang in langs
        },
        "km_per_deg": _km_per_deg(),
    }
    w.put("data/tally.json", _json(tally_doc))
    index = build_index(data.victims, data.incidents)
    index["labels"] = {lang: LABELS.get(lang, LABELS["en"]) for lang in langs}
    w.put("search/index.json", _json(index))
    w.put("site.json", _json({"langs": list(langs), "labels": LABELS, **stamp}))
    lap("data")

    # --- downloads (may be kept from the last build) ----------------------------------
    for fmt in DOWNLOADS:
        rel = f"downloads/incidents.{fmt}"
        if not downloads and rel in old_files and (out / rel).is_file():
            w.keep(rel, old_files[rel])  # (kept even when the pages are all rebuilt)
        else:
            w.put(rel, r.get(f"/downloads/incidents.{fmt}"))
    lap("downloads")
    _copy_static(w)

    # --- what is gone, the state, the manifest ----------------------------------------
    removed = 0
    for rel in set(old_files) - set(w.files) - {STATE}:
        path = out / rel
        if path.is_file():
            path.unlink()
            removed += 1
    state_doc = {"fingerprint": fp, "incidents": data.stamps, "pages": new_pages}
    w.put(STATE, _json(state_doc))
    doc = {
        "format": FORMAT,
        "generated": audit.now(),
        "software_version": __version__,
        "base_url": base_url,
        "filter": f.as_params(),
        "languages": list(langs),
        "snapshot_sha256": stamp["snapshot"],
        "checkpoint": checkpoint,
        "incidents": n_inc,
        "files": dict(sorted(w.files.items())),
    }
    write_manifest(out, sign_manifest(doc, key))
    lap("manifest")
    return PublishReport(
        out=str(out),
        files=len(w.files),
        written=w.written,
        unchanged=w.unchanged,
        removed=removed,
        incidents=n_inc,
        incidents_rendered=rendered,
        snapshot=stamp["snapshot"],
        checkpoint_seq=checkpoint.get("seq") if checkpoint else None,
        fingerprint=stamp["fingerprint"],
        full_rebuild=not incremental,
        timings=timings,
    )


def _km_per_deg() -> float:
    from ..store.queries import KM_PER_DEG

    return float(KM_PER_DEG)


def clean_tmp(out: Path) -> None:
    """Remove half-written files a killed build left (``*.tmp~``)."""
    for p in out.rglob("*.tmp~"):
        p.unlink()
    shutil.rmtree(out / ".tmp", ignore_errors=True)
