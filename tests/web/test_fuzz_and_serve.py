"""Hostile query values never produce a 500; `civcas serve --demo` serves the demo."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

NASTY = ["", " ", "-1", "0", "1e309", "NaN", "%", "_", "'; DROP TABLE incident; --",
         "\u202e", "الرقة", "x" * 5000, "2017-02-29", "9999-12-31", "0001-01-01",
         "Confirmed,,Fair", ",", "1,2,3,4", "-date", "--date"]  # fmt: skip
ENDPOINTS = {
    "/api/summary": ["from", "to", "belligerent", "governorate", "grades", "near"],
    "/api/incidents": [
        "from",
        "to",
        "belligerent",
        "governorate",
        "grades",
        "near",
        "limit",
        "offset",
        "sort",
    ],  # fmt: skip
    "/incidents.json": ["limit", "offset", "sort", "grades"],
    "/victims.json": ["q", "limit", "offset"],
    "/map.json": ["near", "governorate"],
}


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_hostile_values_are_200_or_a_400_naming_the_parameter(
    http: httpx.Client, path: str
) -> None:
    for name in ENDPOINTS[path]:
        for value in NASTY:
            r = http.get(path, params={name: value})
            assert r.status_code in (200, 400), (path, name, value, r.status_code, r.text[:200])
            body = r.json()
            if r.status_code == 400:
                assert body["error"]["parameter"] == name, (path, name, value, body)


def test_incident_codes_with_odd_characters_are_404_not_500(http: httpx.Client) -> None:
    for code in ("%2F%2F", "..%2F..%2Fetc", "CS1%00", "ق", "a" * 3000):
        r = http.get(f"/api/incidents/{code}")
        assert r.status_code == 404, (code, r.status_code, r.text[:200])


def test_serve_demo_prints_the_url_and_serves_the_demo(tmp_path: object) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CIVCAS_DB": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "civcas.cli.main", "serve", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        url = None
        deadline = time.monotonic() + 90
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            m = re.search(r"(http://127\.0\.0\.1:\d+)", line)
            url = m.group(1) if m else None
        assert url == f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                r = httpx.get(url + "/api/summary", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert r.json()["incidents"] == 547
        assert "Raqqa" in httpx.get(url + "/incidents", timeout=5).text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
