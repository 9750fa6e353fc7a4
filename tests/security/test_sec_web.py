"""Issue 15, item 1 and the headers: stored XSS through ``javascript:`` links, the security
headers and the request-size limits, replayed through the library, the CLI, the JSON API
and HTML forms of a real uvicorn server.

- a contributor (library, form, JSON API, CLI) cannot store a script as a link;
- an importer keeps the row but not the link, and says so in its report;
- a script already in the database (a legacy row) is shown as text, never as a link, in
  the incident page, the workspace, the JSON twins, the API and the report;
- every response carries the CSP and the other headers; signed-in answers are no-store;
- an oversized body is refused with 413, by Content-Length and while streaming.
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from sec_web_helpers import (
    BAD_URLS,
    LEGACY,
    LEGACY_LINKS,
    PAYLOAD,
    build_db,
    followable_urls,
    login,
    unsafe_links,
)
from serving import uvicorn_server
from wf_helpers import ADMIN, PASSWORD

from civcas.model import InputError, check_url, safe_url
from civcas.model.filters import IncidentFilter
from civcas.store import Store
from civcas.store.queries import get_incident
from civcas.workflow import accounts, editing

GOOD_URLS = [
    "https://example.org/a?b=c#d",
    "http://127.0.0.1:8080/x",
    "HTTPS://EXAMPLE.ORG/",
    "https://ar.example.org/الرقة",
    "/incidents/CS1640",
]
BODY_LIMIT = 64 * 1024
UPLOAD_LIMIT = 256 * 1024


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of a real server over a database with a legacy row."""
    tmp = tmp_path_factory.mktemp("secweb")
    db = build_db(tmp / "sec.db")
    with uvicorn_server(
        db,
        tmp,
        CIVCAS_MAX_BODY_BYTES=str(BODY_LIMIT),
        CIVCAS_MAX_UPLOAD_BYTES=str(UPLOAD_LIMIT),
    ) as base:
        yield base, db


@pytest.fixture
def anon(live: tuple[str, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live[0], timeout=30) as c:
        yield c


@pytest.fixture
def admin(live: tuple[str, str]) -> Iterator[tuple[httpx.Client, str]]:
    with httpx.Client(base_url=live[0], timeout=30) as c:
        yield c, login(c, "ada")


@pytest.fixture
def contributor(live: tuple[str, str]) -> Iterator[tuple[httpx.Client, str]]:
    with httpx.Client(base_url=live[0], timeout=30) as c:
        yield c, login(c, "cora")


# ---- the validator ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_URLS)
def test_validator_refuses_scripts_and_tricks(bad: str) -> None:
    assert safe_url(bad) is None
    with pytest.raises(InputError) as exc:
        check_url(bad, "source url")
    text = str(exc.value)
    assert "source url" in text and "http://" in text and "https://" in text


@pytest.mark.parametrize("good", GOOD_URLS)
def test_validator_keeps_real_links_exactly(good: str) -> None:
    assert safe_url(good) == good
    assert check_url(f"  {good} ", "url") == good
    assert check_url("", "url") is None and check_url(None, "url") is None


def test_validator_fast_path_agrees_with_the_character_check() -> None:
    """Plain ASCII skips the per-character check: for every character of the ASCII range
    and a sample beyond it, the answer is the one the per-character rule gives."""
    from civcas.model.urls import _bad_char

    for code in [*range(0x80), 0x85, 0xA0, 0x200B, 0x202E, 0x2028, 0x3000, 0x627, 0xFEFF]:
        ch = chr(code)
        url = f"https://example.org/a{ch}b"
        assert (safe_url(url) is None) == _bad_char(ch), repr(ch)


# ---- a contributor, through the library ------------------------------------------------


@pytest.mark.parametrize("bad", BAD_URLS[:6])
def test_library_refuses_script_links(store: Store, users: dict[str, Any], bad: str) -> None:
    who = users["contributor"]
    with pytest.raises(InputError, match="url"):
        editing.create(store, who, {"location_en": "x", "url": bad})
    mine = editing.create(store, who, {"location_en": "x"})
    with pytest.raises(InputError, match="url"):
        editing.add_child(store, who, mine["code"], "source", {"url": bad}, expected_version=None)
    res = users["researcher"]
    for kind, values in (
        ("statement", {"belligerent": "US-led Coalition", "url": bad}),
        ("assessment", {"belligerent": "US-led Coalition", "strike_report_url": bad}),
    ):
        with pytest.raises(InputError, match="url"):
            editing.add_child(store, res, "T0", kind, values, expected_version=None)
    with pytest.raises(InputError, match="url"):
        editing.edit(store, res, "T0", {"url": bad}, expected_version=None)
    stored = get_incident(store, "T0")
    assert stored["url"] is None
    assert all(safe_url(s["url"]) for s in stored["sources"])
    assert not [s for s in stored["statements"] if s["url"]]


# ---- a contributor, through the real server (JSON API and HTML forms) ------------------


@pytest.mark.parametrize("bad", BAD_URLS[:6])
def test_api_and_forms_refuse_script_links(
    contributor: tuple[httpx.Client, str], admin: tuple[httpx.Client, str], bad: str
) -> None:
    c, csrf = contributor
    h = {"X-CSRF-Token": csrf}
    r = c.post("/api/workflow/incidents", json={"fields": {"url": bad}}, headers=h)
    assert r.status_code == 422, r.text  # a value that does not fit: named (issue 24)
    assert r.json()["error"]["parameter"] == "url"
    msg = r.json()["error"]["message"]
    assert "'url'" in msg and "https://" in msg
    made = c.post("/api/workflow/incidents", json={"fields": {"location_en": "x"}}, headers=h)
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    r = c.post(
        f"/api/workflow/incidents/{code}/records/source", json={"values": {"url": bad}}, headers=h
    )
    assert r.status_code == 400, r.text
    # the workspace's HTML form, with the session's CSRF token
    r = c.post(
        f"/work/incidents/{code}/records/source",
        data={"url": bad, "publisher": "p", "csrf_token": csrf},
        follow_redirects=False,
    )
    # refused with the form again (what was typed kept, as text, never as a link)
    assert r.status_code == 422, r.text
    assert 'id="source-url-error"' in r.text and 'href="' + bad not in r.text
    r = c.post("/work/incidents", data={"url": bad, "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 422, r.text
    assert 'id="new-url-error"' in r.text
    got = c.get(f"/api/workflow/incidents/{code}").json()
    assert got["sources"] == [] and got["url"] is None
    # an admin editing the JSON API: statement and strike report links
    a, acsrf = admin
    for kind, values in (
        ("statement", {"belligerent": "US-led Coalition", "url": bad}),
        ("assessment", {"belligerent": "US-led Coalition", "strike_report_url": bad}),
    ):
        r = a.post(
            f"/api/workflow/incidents/T1/records/{kind}",
            json={"values": values},
            headers={"X-CSRF-Token": acsrf},
        )
        assert r.status_code == 400, r.text
    r = a.post(
        "/api/workflow/incidents/T1/edit",
        json={"changes": {"url": bad}},
        headers={"X-CSRF-Token": acsrf},
    )
    assert r.status_code == 422 and r.json()["error"]["parameter"] == "url", r.text
    # a web capture's address
    r = a.post(
        "/api/workflow/evidence",
        files={"file": ("page.html", b"<p>capture</p>", "text/html")},
        data={"kind": "web_capture", "url": bad},
        headers={"X-CSRF-Token": acsrf},
    )
    assert r.status_code == 400, r.text


def test_a_good_link_is_still_accepted(contributor: tuple[httpx.Client, str]) -> None:
    c, csrf = contributor
    r = c.post(
        "/api/workflow/incidents",
        json={"fields": {"url": " https://example.org/ok "}},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 201, r.text
    assert r.json()["url"] == "https://example.org/ok"


# ---- the CLI ------------------------------------------------------------------------------


def test_cli_evidence_refuses_script_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from civcas.cli.main import cli

    monkeypatch.setenv("CIVCAS_EVIDENCE_DIR", str(tmp_path / "ev"))
    db = str(tmp_path / "cli.db")
    f = tmp_path / "capture.html"
    f.write_text("<p>page</p>")
    run = CliRunner().invoke
    r = run(cli, ["--db", db, "evidence", "add", str(f), "--kind", "web_capture",
                  "--url", "javascript:alert(1)"])  # fmt: skip
    assert r.exit_code != 0
    assert "url" in r.output and "https://" in r.output
    ok = run(cli, ["--db", db, "evidence", "add", str(f), "--kind", "web_capture",
                   "--url", "https://example.org/page"])  # fmt: skip
    assert ok.exit_code == 0, ok.output


# ---- importers: the row is kept, the link is not, the report says so ------------------


MAPPING = """source_kind: monitor
id: id
columns:
  date_start: date
  location_en: place
  killed_min: killed
  killed_max: killed
  url: link
"""


def test_csv_import_keeps_row_drops_script_link(tmp_path: Path) -> None:
    from civcas.cli.main import cli

    rows = ["id,date,place,killed,link", "1,2017-06-01,A,1,https://example.org/1"]
    rows += [f'{i},2017-06-0{i},P{i},1,"{u}"' for i, u in enumerate(BAD_URLS[:6], start=2)]
    csv_path = tmp_path / "monitor.csv"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    db = str(tmp_path / "imp.db")
    r = CliRunner().invoke(
        cli, ["--db", db, "import", "csv", str(csv_path), "--mapping", str(mapping), "--json"]
    )
    assert r.exit_code == 0, r.output
    result = json.loads(r.output[r.output.index("{") :])
    assert result["inserted"] == 7 and result["rejected"] == 0
    reported = next(v for k, v in result["unmapped"].items() if "incident.url" in k)
    assert sum(reported.values()) == 6
    store = Store(f"sqlite:///{db}")
    assert get_incident(store, "monitor-1")["url"] == "https://example.org/1"
    for i, bad in enumerate(BAD_URLS[:6], start=2):
        inc = get_incident(store, f"monitor-{i}")
        assert inc["url"] is None
        assert json.loads(inc["raw"])["link"] == bad  # the raw row is kept as it was
    store.dispose()


def test_demo_format_import_drops_every_link_kind(tmp_path: Path) -> None:
    from civcas.io import import_file

    record = {
        "source_id": "9",
        "code": "DEMO-9",
        "date_start": "2017-06-01",
        "url": "javascript:alert(1)",
        "belligerents": [{"name": "US-led Coalition", "strike_report_url": "//evil.example"}],
        "statements": [{"belligerent": "US-led Coalition", "url": "data:text/html,x"}],
    }
    path = tmp_path / "demo.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump({"format": "civcas-demo/1", "incidents": [record]}, fh)
    store = Store(f"sqlite:///{tmp_path / 'demo.db'}")
    result = import_file(store, "civcas-demo", path)
    assert result.inserted == 1
    keys = " ".join(result.unmapped)
    for where in ("incident.url", "assessment.strike_report_url", "statement.url"):
        assert where in keys, keys
    inc = get_incident(store, "DEMO-9")
    assert inc["url"] is None
    assert inc["belligerents"][0]["strike_report_url"] is None
    assert inc["statements"][0]["url"] is None
    assert json.loads(inc["raw"])["url"] == "javascript:alert(1)"


def test_source_links_are_scrubbed_for_every_reader() -> None:
    from sec_web_helpers import legacy_incident

    from civcas.io.links import scrub_incident

    inc = legacy_incident()
    unmapped: dict[str, dict[str, int]] = {}
    scrub_incident(inc, unmapped)
    assert inc.url is None and inc.sources[0].url is None
    assert inc.sources[1].url == "https://example.org/fine"
    assert inc.statements[0].url is None and inc.belligerents[0].strike_report_url is None
    assert sum(sum(v.values()) for v in unmapped.values()) == 4


# ---- a script already stored renders as text everywhere ----------------------------------


def _no_script_links(html: str) -> None:
    bad = unsafe_links(html)
    assert bad == [], f"links the allowlist refuses: {bad}"
    hrefs = " ".join(followable_urls(html)).lower()
    assert "javascript" not in hrefs and "data:" not in hrefs and "//evil" not in hrefs


def test_legacy_script_links_render_as_text_on_public_page(anon: httpx.Client) -> None:
    for lang in ("en", "ar"):
        r = anon.get(f"/incidents/{LEGACY}", params={"lang": lang})
        assert r.status_code == 200
        _no_script_links(r.text)
        assert 'class="unsafe-url"' in r.text
        assert "javascript:window.__pwned=1" in r.text  # shown, readable, as text
    # a fine link in the same incident is still a link
    assert 'href="https://example.org/fine"' in r.text


@pytest.mark.parametrize("path", [f"/incidents/{LEGACY}.json", f"/api/incidents/{LEGACY}"])
def test_legacy_script_links_are_null_in_json(anon: httpx.Client, path: str) -> None:
    got = anon.get(path).json()
    inc = got.get("incident", got)  # the page's twin wraps it, the API does not
    assert inc["url"] is None and inc["url_unsafe"] == PAYLOAD
    assert inc["sources"][0]["url"] is None
    assert inc["sources"][0]["url_unsafe"] == LEGACY_LINKS["source.url"]
    assert inc["sources"][1]["url"] == "https://example.org/fine"
    assert "url_unsafe" not in inc["sources"][1]
    assert inc["statements"][0]["url"] is None
    assert inc["belligerents"][0]["strike_report_url"] is None
    assert inc["belligerents"][0]["strike_report_url_unsafe"] == LEGACY_LINKS["strike_report_url"]
    listed = anon.get("/api/incidents", params={"limit": 500}).json()["incidents"]
    row = next(i for i in listed if i["code"] == LEGACY)
    assert row.get("url") is None


def test_legacy_script_links_render_as_text_in_workspace(admin: tuple[httpx.Client, str]) -> None:
    c, _ = admin
    r = c.get(f"/work/incidents/{LEGACY}")
    assert r.status_code == 200
    _no_script_links(r.text)
    assert "unsafe-url" in r.text
    inc = c.get(f"/api/workflow/incidents/{LEGACY}").json()
    assert inc["url"] is None and inc["url_unsafe"] == PAYLOAD
    assert inc["sources"][0]["url"] is None
    _no_script_links(c.get("/work").text)


def test_legacy_script_link_in_a_draft(store: Store, users: dict[str, Any]) -> None:
    """The draft review page and its JSON twin."""
    from fastapi.testclient import TestClient

    from civcas.store import drafts
    from civcas.web import create_app

    did = drafts.add_draft(
        store, {"source_id": "s", "url": "javascript:alert(document.cookie)", "claim_json": {}}
    )
    c = TestClient(create_app(store, cache_ttl=0))
    r = c.post("/api/workflow/login", json={"name": users["researcher"].name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    r = c.get(f"/work/drafts/{did}")
    assert r.status_code == 200, r.text
    _no_script_links(r.text)
    assert "javascript:alert(document.cookie)" in r.text
    assert (
        r.headers["cache-control"] == "no-store"
        and "script-src 'self'" in r.headers["content-security-policy"]
    )
    d = c.get(f"/work/drafts/{did}.json").json()
    assert d["url"] is None and d["url_unsafe"] == "javascript:alert(document.cookie)"
    listed = c.get("/work/drafts.json").json()["drafts"]
    assert all(x.get("url") is None for x in listed)


def test_legacy_script_links_in_the_report(live: tuple[str, str]) -> None:
    from civcas.report.html import build_report

    store = Store(live[1])
    html = build_report(store, IncidentFilter(), "civcas report")
    store.dispose()
    _no_script_links(html)
    assert LEGACY in html and "unsafe-url" in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp and "default-src 'none'" in csp.group(1) and "script" not in csp.group(1)


def test_every_public_and_workspace_page_has_only_safe_links(
    anon: httpx.Client, admin: tuple[httpx.Client, str]
) -> None:
    for path in ("/", "/map", "/incidents", "/victims", "/downloads", "/methodology"):
        _no_script_links(anon.get(path).text)
    c, _ = admin
    for path in ("/work", "/work/incidents/T0", "/work/interviews"):
        _no_script_links(c.get(path).text)


@pytest.mark.parametrize(
    "path", ["/%2Fevil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "/%2F%5Cevil.example"]
)
def test_a_crafted_path_does_not_put_an_offsite_link_on_the_page(
    anon: httpx.Client, path: str
) -> None:
    """The language switch, the JSON link and the filter form repeat the page's own path:
    ``//evil.example`` (or ``/\\evil``) there would be a link off the site."""
    r = anon.get(path)
    assert r.status_code == 404
    _no_script_links(r.text)
    for url in followable_urls(r.text):
        assert url.startswith("/") and not url.startswith(("//", "/\\")), url


# ---- headers ---------------------------------------------------------------------------

PUBLIC_PATHS = [
    "/", "/dashboard", "/map", "/incidents", "/incidents/T0", f"/incidents/{LEGACY}",
    "/victims", "/downloads", "/methodology", "/index.json", "/map.json", "/incidents.json",
    "/api/summary", "/api/incidents", "/api/incidents/T0", "/openapi.json", "/api/docs",
    "/static/css/site.css", "/static/js/map.js", "/static/js/api-docs.js",
    "/downloads/incidents.csv", "/login", "/no-such-page", "/api/incidents/NOPE",
]  # fmt: skip
WORK_PATHS = [
    "/work", "/work/incidents/T0", "/work/interviews", "/api/workflow/me",
    "/api/workflow/incidents/T0", "/api/workflow/users", "/", "/incidents/T0", "/api/summary",
]  # fmt: skip


def _directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def _check_headers(r: httpx.Response) -> None:
    h = r.headers
    d = _directives(h.get("content-security-policy", ""))
    assert d.get("default-src") == ["'self'"], (r.url, h.get("content-security-policy"))
    assert d["script-src"] == ["'self'"] and d["style-src"] == ["'self'"]
    assert d["object-src"] == ["'none'"] and d["base-uri"] == ["'none'"]
    assert d["frame-ancestors"] == ["'none'"] and d["form-action"] == ["'self'"]
    assert set(d["img-src"]) <= {"'self'", "data:"} and set(d["worker-src"]) == {"'self'"}
    assert "'unsafe-inline'" not in str(d) and "'unsafe-eval'" not in str(d)
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "no-referrer"
    assert h["cross-origin-opener-policy"] == "same-origin"


def test_every_public_response_carries_the_headers(anon: httpx.Client) -> None:
    for path in PUBLIC_PATHS:
        r = anon.get(path)
        _check_headers(r)
    # an error answer and a method not allowed, too
    _check_headers(anon.post("/api/summary"))
    _check_headers(anon.get("/work"))  # 401


def test_signed_in_answers_are_not_stored(admin: tuple[httpx.Client, str]) -> None:
    c, _ = admin
    for path in WORK_PATHS:
        r = c.get(path)
        assert r.status_code == 200, (path, r.status_code)
        _check_headers(r)
        assert r.headers["cache-control"] == "no-store", path


def test_token_answers_are_not_stored(live: tuple[str, str]) -> None:
    store = Store(live[1])
    token = accounts.create_token(store, ADMIN, "ada")
    store.dispose()
    r = httpx.get(
        live[0] + "/api/incidents", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"


def test_public_pages_have_no_inline_script_or_style(
    anon: httpx.Client, admin: tuple[httpx.Client, str]
) -> None:
    """What the CSP would block, checked in the markup: inline scripts, handlers, styles."""
    c, _ = admin
    pages = [anon.get(p) for p in ("/", "/map", "/incidents", f"/incidents/{LEGACY}",
                                   "/victims", "/downloads", "/methodology", "/login",
                                   "/api/docs")]  # fmt: skip
    pages += [c.get(p) for p in ("/work", "/work/incidents/T0", "/work/interviews")]
    for r in pages:
        html = r.text
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S | re.I)
        for attrs, body in scripts:
            assert "src=" in attrs or 'type="application/json"' in attrs, (r.url, attrs)
            assert not body.strip() or 'type="application/json"' in attrs, r.url
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, re.I), r.url
        assert not re.search(r"<[^>]+\sstyle\s*=", html, re.I), r.url
        assert "<style" not in html.lower(), r.url
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        assert title and "<" not in title.group(1) and "csrf" not in title.group(1), r.url
        assert not re.search(r'(src|href)="(https?:)?//(?!127\.0\.0\.1)', html.split("<main")[0])


def test_api_docs_served_locally(anon: httpx.Client) -> None:
    html = anon.get("/api/docs").text
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in srcs
    assert all(s.startswith("/") or s.startswith("data:") for s in srcs), srcs
    for s in srcs:
        if s.startswith("/static/"):
            assert anon.get(s).status_code == 200, s


# ---- request size ------------------------------------------------------------------------


def _raw_request(
    base: str, head: str, chunks: Iterator[bytes] | None = None
) -> tuple[int, str, int]:
    """Send ``head`` (and ``chunks`` until the server answers); (status, body, bytes sent)."""
    host, port = base.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(head.encode("latin-1"))
        s.setblocking(False)
        data = b""
        deadline = time.monotonic() + 30
        for chunk in chunks or iter(()):
            try:
                data += s.recv(65536)
                break  # the server has answered
            except BlockingIOError:
                pass
            try:
                s.setblocking(True)
                s.sendall(chunk)
                sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            finally:
                s.setblocking(False)
            if time.monotonic() > deadline:
                break
        s.setblocking(True)
        s.settimeout(30)
        while b"\r\n\r\n" not in data or len(data) < data.index(b"\r\n\r\n") + 4 + 10:
            try:
                more = s.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not more:
                break
            data += more
    status = int(data.split(b" ", 2)[1])
    return status, data.decode("utf-8", "replace"), sent


PART = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n'


def _head(path: str, ctype: str, length: str) -> str:
    framing = f"Content-Length: {length}" if length != "chunked" else "Transfer-Encoding: chunked"
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {ctype}\r\n"
            f"{framing}\r\n\r\n")  # fmt: skip


def test_oversized_body_by_content_length_is_413(live: tuple[str, str]) -> None:
    base = live[0]
    # a 10 MB JSON body is announced and never sent: the answer comes before it
    status, body, _ = _raw_request(
        base, _head("/api/workflow/login", "application/json", "10000000")
    )
    assert status == 413 and "too large" in body
    status, body, _ = _raw_request(
        base, _head("/api/workflow/evidence", "multipart/form-data; boundary=x", str(10 << 20))
    )
    assert status == 413 and f"{UPLOAD_LIMIT:,}" in body
    # within the upload limit, the same endpoint answers as usual (not logged in)
    blob = PART + b"a" * (BODY_LIMIT * 2) + b"\r\n--x--\r\n"
    r = httpx.post(base + "/api/workflow/evidence", content=blob,
                   headers={"Content-Type": "multipart/form-data; boundary=x"}, timeout=30)  # fmt: skip
    assert r.status_code != 413


def _chunked(size: int, total: int, first: bytes = b"") -> Iterator[bytes]:
    if first:
        yield f"{len(first):x}\r\n".encode() + first + b"\r\n"
    piece = b"a" * size
    for _ in range(total // size):
        yield f"{size:x}\r\n".encode() + piece + b"\r\n"
    yield b"0\r\n\r\n"


def test_oversized_chunked_body_is_413(live: tuple[str, str]) -> None:
    base = live[0]
    status, body, sent = _raw_request(
        base, _head("/api/workflow/login", "application/json", "chunked"), _chunked(8192, 4 << 20)
    )
    assert status == 413 and "too large" in body
    assert sent < 4 << 20  # answered before the whole body was sent
    status, body, _ = _raw_request(
        base,
        _head("/api/workflow/evidence", "multipart/form-data; boundary=x", "chunked"),
        _chunked(16384, 8 << 20, PART),
    )
    assert status == 413 and f"{UPLOAD_LIMIT:,}" in body


def test_default_limits() -> None:
    from civcas.web.app import create_app

    app = create_app(Store("sqlite://"))
    assert app.state.body_limits == {"upload": 25 << 20, "body": 1 << 20}
    app = create_app(Store("sqlite://"), max_upload_bytes=10, max_body_bytes=5)
    assert app.state.body_limits == {"upload": 10, "body": 5}


def test_csp_names_the_tile_server_only_when_configured() -> None:
    from civcas.web.security import content_security_policy

    plain = _directives(content_security_policy(None))
    assert plain["img-src"] == ["'self'", "data:"] and plain["connect-src"] == ["'self'"]
    tiles = _directives(content_security_policy("https://{s}.tile.example.org/{z}/{x}/{y}.png"))
    assert tiles["img-src"] == ["'self'", "data:", "https://*.tile.example.org"]
    assert tiles["script-src"] == ["'self'"]  # tiles are images, never scripts
    odd = _directives(content_security_policy("javascript:alert(1)"))
    assert odd["img-src"] == ["'self'", "data:"]
