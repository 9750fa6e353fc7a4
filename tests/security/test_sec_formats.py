"""Exchange-format attacks of issue 15: formula injection in CSV exports, XLSX zip bombs,
unterminated quotes in CSV imports.

Each test replays the attack through the library or the CLI (click's runner on
``civcas.cli.main``) and checks the written file, the database and the memory used.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from civcas.cli.main import cli
from civcas.io import csvsafe
from civcas.io.demo import load_demo
from civcas.io.export import CSV_COLUMNS
from civcas.io.importers import import_file
from civcas.model.errors import InputError
from civcas.model.records import Incident, Place
from civcas.store import Store
from civcas.store.schema import incident
from civcas.store.writer import IncidentWriter

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "civcas" / "io" / "mappings" / "civcas_csv.yaml"
SHARED = ROOT.parent / "shared" / "data"
GED_FIXTURE = ROOT / "tests" / "io" / "fixtures" / "ucdp_ged.csv"

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "@SUM(1)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "=1+1",
    "-1+1",
    "\t=1",
    "\r=1",
    "-",
    "'=already quoted",
    "''@two apostrophes",
    "'tis an ordinary apostrophe",
    "'",
    "plain text",
]


def _cli(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _count(db: str) -> int:
    s = Store(db)
    with s.connect() as conn:
        n = int(conn.execute(select(func.count()).select_from(incident)).scalar_one())
    s.dispose()
    return n


# --- formula-safe CSV --------------------------------------------------------------------


def test_escape_rule_is_lossless() -> None:
    trig = "=+-@\t\r"
    samples = {
        a + b + c
        for a in ("", "'", "''", "'''")
        for b in (*trig, "x", "'", "")
        for c in ("", "1", "=")
    }
    for s in samples | set(HOSTILE):
        e = csvsafe.escape(s)
        assert csvsafe.unescape(e) == s, (s, e)
        assert not e or e[0] not in trig, (s, e)  # nothing a spreadsheet would evaluate
    assert csvsafe.escape("'tis") == "'tis" and csvsafe.escape("'=x") == "''=x"
    assert csvsafe.safe_cell(-3.5) == -3.5 and csvsafe.safe_cell(-2) == -2


def _hostile_store(db: str) -> Store:
    s = Store(db)
    load_demo(s)
    with s.begin() as conn:
        w = IncidentWriter(conn, "test", None)
        for i, h in enumerate(HOSTILE):
            w.add(
                Incident(
                    source_kind="test",
                    source_id=f"h{i}",
                    code=f"H{i:02d}",
                    date_start=dt.date(2017, 7, 1 + i),
                    place=Place(
                        name_en=h,
                        name_ar=h,
                        country=h,
                        latitude=-12.25 - i,
                        longitude=-3.5 - i,
                    ),
                    raw={"i": i},
                )
            )
        w.flush()
    return s


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("fmt") / "hostile.db")
    _hostile_store(db).dispose()
    return db


def _export(db: str, out: Path, fmt: str = "csv") -> Path:
    res = _cli("--db", db, "export", "--format", fmt, "-o", str(out))
    assert res.exit_code == 0, res.output
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_csv_export_escapes_formula_cells(hostile_db: str, tmp_path: Path) -> None:
    rows = {r["code"]: r for r in _rows(_export(hostile_db, tmp_path / "a.csv"))}
    for i, h in enumerate(HOSTILE):
        r = rows[f"H{i:02d}"]
        for col in ("location_en", "location_ar", "country"):
            assert r[col] == csvsafe.escape(h), (col, h, r[col])
            assert r[col][:1] not in ("=", "+", "-", "@", "\t", "\r"), (col, r[col])
        # numbers are never prefixed: negative coordinates stay numbers
        assert float(r["longitude"]) == -3.5 - i and not r["longitude"].startswith("'")
        assert float(r["latitude"]) == -12.25 - i and not r["latitude"].startswith("'")
    assert rows["H00"]["location_en"] == "'" + HOSTILE[0]
    assert rows["H11"]["location_en"] == "'tis an ordinary apostrophe"  # left as it is
    # nothing else in the whole file starts with a formula character
    with (tmp_path / "a.csv").open(newline="", encoding="utf-8") as fh:
        for line in csv.reader(fh):
            for cell in line:
                if cell[:1] in ("=", "+", "@", "\t", "\r"):
                    pytest.fail(f"unescaped cell {cell!r}")
                if cell[:1] == "-":
                    float(cell)  # only numbers may start with a minus


def test_ged_export_escapes_formula_cells(hostile_db: str, tmp_path: Path) -> None:
    rows = {r["civcas_code"]: r for r in _rows(_export(hostile_db, tmp_path / "g.csv", "ucdp-ged"))}
    r = rows["H00"]
    assert r["where_coordinates"] == "'" + HOSTILE[0]
    assert r["country"] == "'" + HOSTILE[0]
    assert r["longitude"] == "-3.5"


def test_web_download_stream_is_escaped(hostile_db: str) -> None:
    from civcas.model.filters import IncidentFilter
    from civcas.web.downloads import stream_export

    s = Store(hostile_db)
    text = "".join(stream_export(s, "csv", IncidentFilter()))
    s.dispose()
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert rows["H00"]["location_en"] == "'" + HOSTILE[0]
    assert rows["H03"]["location_en"] == "'-2+3"
    assert rows["H03"]["longitude"] == "-6.5"


def _db_content(db: str) -> dict[str, tuple[Any, ...]]:
    """Every exported fact of every incident, by code (ids and import bookkeeping left out)."""
    s = Store(db)
    cols = [
        c
        for c in incident.c
        if c.name in CSV_COLUMNS and c.name not in ("source_kind", "source_id", "content_hash")
    ]
    with s.connect() as conn:
        out = {r[0]: tuple(r[1:]) for r in conn.execute(select(incident.c.code, *cols))}
    s.dispose()
    return out


def test_csv_round_trip_is_lossless(hostile_db: str, tmp_path: Path) -> None:
    a = _export(hostile_db, tmp_path / "a.csv")
    db2, db3 = str(tmp_path / "2.db"), str(tmp_path / "3.db")
    res = import_file(Store(db2), "csv", a, mapping=MAPPING)
    assert res.inserted == 547 + len(HOSTILE) and res.rejected == 0
    s2 = Store(db2)
    with s2.connect() as conn:
        got = {
            r.code: r
            for r in conn.execute(
                select(
                    incident.c.code,
                    incident.c.location_en,
                    incident.c.country,
                    incident.c.longitude,
                )
            )
        }
    s2.dispose()
    for i, h in enumerate(HOSTILE):
        r = got[f"H{i:02d}"]
        want = h.strip() or None  # the importer strips blanks around every text cell
        assert r.location_en == want and r.country == want, (h, r)
        assert r.longitude == -3.5 - i
    b = _export(db2, tmp_path / "b.csv")
    import_file(Store(db3), "csv", b, mapping=MAPPING)
    c = _export(db3, tmp_path / "c.csv")

    # the same file again, but for content_hash: the hash of the original row, which
    # here is the previous export's row (a re-import records where it came from)
    def _no_hash(p: Path) -> list[list[str]]:
        with p.open(newline="", encoding="utf-8") as fh:
            return [r[:-1] for r in csv.reader(fh)]

    assert CSV_COLUMNS[-1] == "content_hash"
    assert _no_hash(b) == _no_hash(c)
    assert _db_content(db2) == _db_content(db3)
    # and the first export's facts came through unchanged (but for what the importer
    # itself normalises: the source kind and id of a re-import, blanks around text)
    ra = {r["code"]: r for r in _rows(a)}
    rb = {r["code"]: r for r in _rows(b)}
    assert ra.keys() == rb.keys()
    for code, first in ra.items():
        for col in CSV_COLUMNS:
            if col in ("source_kind", "source_id", "content_hash", "named_victims"):
                continue  # a re-import's own; victims are what CSV leaves out
            if code.startswith("H") and col in ("location_en", "location_ar", "country"):
                continue  # compared above, after the importer's strip()
            assert rb[code][col] == first[col], (code, col, first[col], rb[code][col])


def test_link_output_is_escaped(tmp_path: Path) -> None:
    import pandas as pd

    from civcas.link.run import link_files

    res = _cli("simulate-lists", "--people", "200", "--seed", "3", "-o", str(tmp_path / "sim"))
    assert res.exit_code == 0, res.output
    files = sorted((tmp_path / "sim").glob("*.csv"))
    df = pd.read_csv(files[0], dtype=str, keep_default_na=False)
    hostile = ['=HYPERLINK("http://evil","x")', "@SUM(1)", "-2+3"]
    for i, h in enumerate(hostile):
        df.loc[i, "name"] = h
    df["lon"] = [f"{-3.5 - i}" for i in range(len(df))]  # a numeric column, read as text
    df.to_csv(files[0], index=False)
    out = tmp_path / "linked.csv"
    link_files(files, out, None)
    rows = _rows(out)
    names = [r["name"] for r in rows]
    for h in hostile:
        assert "'" + h in names and h not in names
    assert all(not r["lon"].startswith("'") for r in rows if r["lon"])
    assert float(rows[0]["lon"]) == -3.5
    for r in rows:
        for cell in r.values():
            assert cell[:1] not in ("=", "+", "@", "\t", "\r"), cell
    # linking the output again reads the names it held, not their escaped form
    from civcas.link.records import read_list

    again = read_list(out)
    for h in hostile:
        assert h in set(again["name"]) and "'" + h not in set(again["name"])


def test_public_interview_export_is_escaped(
    store: Store, users: dict[str, Any], tmp_path: Path
) -> None:
    from civcas.workflow import interviews, protected

    for i, h in enumerate(HOSTILE[:5]):
        interviews.add(
            store,
            users["admin"],
            {
                "code": f"=I{i}",
                "place": h,
                "notes": h,
                "consent": "yes",
                "latitude": -3.5,
                "longitude": -12.25,
            },
            incidents=["T0"],
        )
    protected.public_export(store, tmp_path / "pub")
    with (tmp_path / "pub" / "interviews.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows  # consented, linked to a published incident: listed
    for r in rows:
        for col, cell in r.items():
            if cell[:1] == "-":
                assert col in ("latitude", "longitude"), (col, cell)
                float(cell)
            assert cell[:1] not in ("=", "+", "@", "\t", "\r"), (col, cell)


# --- XLSX decompression limits ---------------------------------------------------------


def _workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["_uuid", "today", "witness_name", "incident_codes"])
    ws.append(["u-1", "2017-08-01", "W1", "T0"])
    wb.save(path)
    return path


def _bomb(path: Path, pad_mb: int) -> Path:
    """A valid XLSX whose sheet XML carries ``pad_mb`` MB of whitespace between rows:
    it compresses about a thousand to one, and a parser holds it all in memory."""
    src = _workbook(path.with_suffix(".src.xlsx"))
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            head, tail = data.split(b"</row>", 1)
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(member, "w", force_zip64=True) as fh:
                fh.write(head + b"</row>")
                chunk = b" " * (1 << 20)
                for _ in range(pad_mb):
                    fh.write(chunk)
                fh.write(tail)
    return path


def _peak_rss_mb(script: str) -> tuple[str, float]:
    code = (
        "import resource, sys\n"
        + script
        + "\nprint('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    out = p.stdout + p.stderr
    rss = [float(line.split()[1]) for line in p.stdout.splitlines() if line.startswith("RSS ")]
    assert rss, out
    return out, rss[0]


@pytest.fixture(scope="module")
def big_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _bomb(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", 400)


def test_zip_bomb_refused_before_parsing_with_low_memory(big_bomb: Path) -> None:
    assert big_bomb.stat().st_size < 2_000_000  # a small upload...
    script = (
        "from civcas.model.errors import InputError\n"
        "from civcas.workflow.interviews import KOBO_MAPPING, read_xlsx\n"
        "import civcas.io.mapping, openpyxl  # imported before the baseline\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print('BASE', base)\n"
        "try:\n"
        f"    read_xlsx({str(big_bomb)!r}, KOBO_MAPPING)\n"
        "    print('READ')\n"
        "except InputError as exc:\n"
        "    print('REFUSED', exc)\n"
    )
    out, rss = _peak_rss_mb(script)
    base = float(out.split("BASE ", 1)[1].split()[0])
    assert "REFUSED" in out, out
    assert str(big_bomb) in out and "uncompressed" in out, out
    assert rss - base < 50, (rss, base, out)  # ...that was never inflated


def test_zip_bomb_refused_by_mapping_import(big_bomb: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "m.json"
    mapping.write_text(
        json.dumps({"source_kind": "kobo", "id": "_uuid", "columns": {"date_start": "today"}})
    )
    db = str(tmp_path / "m.db")
    with pytest.raises(InputError) as err:
        import_file(Store(db), "csv", big_bomb, mapping=mapping)
    assert str(big_bomb) in str(err.value) and "uncompressed" in str(err.value)
    assert _count(db) == 0


def test_ratio_bomb_under_the_size_limit_refused(tmp_path: Path) -> None:
    from civcas.workflow.interviews import KOBO_MAPPING, read_xlsx

    bomb = _bomb(tmp_path / "ratio.xlsx", 20)  # 20 MB: under the total, a thousand to one
    with pytest.raises(InputError) as err:
        read_xlsx(bomb, KOBO_MAPPING)
    assert "ratio" in str(err.value) and str(bomb) in str(err.value)


def test_odd_member_names_refused(tmp_path: Path) -> None:
    from civcas.io.xlsx_guard import check_xlsx

    good = _workbook(tmp_path / "good.xlsx")
    check_xlsx(good)  # a normal workbook passes
    for name in ("../evil.xml", "/abs.xml", "xl/../../x.xml", "C:/x.xml", "xl\\x.xml", "inner.zip"):
        bad = tmp_path / "bad.xlsx"
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
            for info in zin.infolist():
                zout.writestr(info, zin.read(info.filename))
            zout.writestr(name, b"<x/>")
        with pytest.raises(InputError) as err:
            check_xlsx(bad)
        assert str(bad) in str(err.value), name
    notzip = tmp_path / "not.xlsx"
    notzip.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError):
        check_xlsx(notzip)


def test_too_many_members_refused(tmp_path: Path) -> None:
    from civcas.io.xlsx_guard import check_xlsx

    good = _workbook(tmp_path / "good.xlsx")
    bad = tmp_path / "many.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        for i in range(60):
            zout.writestr(f"xl/media/m{i}.bin", b"")
    check_xlsx(bad)
    with pytest.raises(InputError) as err:
        check_xlsx(bad, max_members=50)
    assert "members" in str(err.value)


def test_normal_workbook_still_imports(store: Store, users: dict[str, Any], tmp_path: Path) -> None:
    from civcas.workflow import interviews

    counts = interviews.import_xlsx(store, users["admin"], _workbook(tmp_path / "ok.xlsx"))
    assert counts["inserted"] == 1


def test_zip_bomb_through_web_upload(store: Store, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from wf_helpers import ADMIN, PASSWORD

    from civcas.web.app import create_app
    from civcas.workflow import accounts

    accounts.add_user(store, ADMIN, "imp", "admin", PASSWORD)
    token = accounts.create_token(store, ADMIN, "imp")
    bomb = _bomb(tmp_path / "web.xlsx", 30)
    client = TestClient(create_app(store))
    r = client.post(
        "/api/workflow/interviews/import",
        files={"file": ("bomb.xlsx", bomb.read_bytes())},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code in (400, 413, 422), r.text
    assert "ratio" in r.text or "uncompressed" in r.text


# --- unterminated quotes ---------------------------------------------------------------


def _ged_with(tmp_path: Path, edit: Any, name: str = "ged.csv") -> Path:
    lines = GED_FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True)
    p = tmp_path / name
    p.write_text("".join(edit(lines)), encoding="utf-8")
    return p


def _stray_quote(lines: list[str], n: int = 3) -> list[str]:
    """Row ``n``'s where_coordinates gets an opening quote that never closes."""
    cells = lines[n].split(",")
    cells[25] = '"' + cells[25]
    return [*lines[:n], ",".join(cells), *lines[n + 1 :]]


def _assert_refused(res: Any, path: Path, line: int, db: str) -> None:
    out = res.output
    assert res.exit_code != 0, out
    assert str(path) in out or path.name in out, out
    assert f"line {line}" in out, out
    assert "where_coordinates" in out, out
    assert "quote" in out, out
    assert _count(db) == 0  # nothing imported


def test_unterminated_quote_to_end_of_file(tmp_path: Path) -> None:
    p = _ged_with(tmp_path, _stray_quote)
    db = str(tmp_path / "q.db")
    res = _cli("--db", db, "import", "ucdp-ged", str(p))
    _assert_refused(res, p, 4, db)
    res = _cli("--db", db, "import", "ucdp-ged", "--skip-invalid", str(p))
    _assert_refused(res, p, 4, db)


def test_stray_quote_swallowing_rows_until_a_later_quote(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines = _stray_quote(lines)
        cells = lines[9].split(",")
        cells[22] = '"Air strikes, again"'  # a proper quoted field further down
        lines[9] = ",".join(cells)
        return lines

    p = _ged_with(tmp_path, edit)
    db = str(tmp_path / "q.db")
    _assert_refused(_cli("--db", db, "import", "ucdp-ged", str(p)), p, 4, db)


def test_stray_quote_closed_by_a_stray_quote_at_a_field_end(tmp_path: Path) -> None:
    """The swallowed text ends in a quote followed by a comma: strict CSV is happy, the
    field count even matches; the swallowed lines look like whole rows."""

    def edit(lines: list[str]) -> list[str]:
        lines = _stray_quote(lines)
        cells = lines[8].split(",")
        cells[25] = cells[25] + '"'
        lines[8] = ",".join(cells)
        return lines

    p = _ged_with(tmp_path, edit)
    db = str(tmp_path / "q.db")
    _assert_refused(_cli("--db", db, "import", "ucdp-ged", str(p)), p, 4, db)


def test_mapped_csv_unterminated_quote(tmp_path: Path) -> None:
    p = tmp_path / "field.csv"
    p.write_text(
        "id,date,where_coordinates,killed\n1,2017-06-01,Raqqa,1\n"
        '2,2017-06-02,"Tabqa,2\n3,2017-06-03,Mayadin,3\n',
        encoding="utf-8",
    )
    m = tmp_path / "m.json"
    m.write_text(
        json.dumps(
            {
                "source_kind": "ngo",
                "id": "id",
                "columns": {
                    "date_start": "date",
                    "location_en": "where_coordinates",
                    "killed_min": "killed",
                },
            }
        )
    )
    db = str(tmp_path / "q.db")
    res = _cli("--db", db, "import", "csv", "--mapping", str(m), str(p))
    _assert_refused(res, p, 3, db)


def test_legitimate_multiline_fields_still_import(tmp_path: Path) -> None:
    p = tmp_path / "notes.csv"
    p.write_text(
        "id,date,where_coordinates,killed\n"
        '1,2017-06-01,"Raqqa\nnear the ""old"" bridge, east bank\n\nsecond paragraph",1\n'
        "2,2017-06-02,Tabqa,2\n",
        encoding="utf-8",
    )
    m = tmp_path / "m.json"
    m.write_text(
        json.dumps(
            {
                "source_kind": "ngo",
                "id": "id",
                "columns": {
                    "date_start": "date",
                    "location_en": "where_coordinates",
                    "killed_min": "killed",
                },
            }
        )
    )
    res = import_file(Store(str(tmp_path / "ok.db")), "csv", p, mapping=m)
    assert res.inserted == 2


REAL = [
    ("ucdp-ged", "conflict-exports/ucdp-ged-23.1-sample.csv"),
    ("acled", "conflict-exports/acled-2016-sample.csv"),
    ("acled", "conflict-exports/acled-burkina-faso-1997-2020.csv"),
    ("acled", "conflict-exports/acled-kenya-2019.csv"),
    ("ibc", "ipsed/derived/ibc-incidents.csv"),
]


@pytest.mark.parametrize(("kind", "rel"), REAL, ids=[r for _, r in REAL])
def test_real_files_with_multiline_fields_still_import(kind: str, rel: str, tmp_path: Path) -> None:
    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"{path} not present")
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        records = sum(1 for _ in csv.reader(fh)) - 1
    res = import_file(Store(str(tmp_path / "real.db")), kind, path, skip_invalid=True)
    assert res.rows_read == records


@pytest.mark.parametrize(
    "rel",
    [
        "syrian-archive-airwars/derived/airwars_syria_incidents.csv",
        "the-killings-they-tweeted/static/data.csv",
        "conflict-exports/ucdp-ged-23.1-sample.csv",
    ],
)
def test_real_multiline_files_read_whole(rel: str) -> None:
    from civcas.io.common import csv_rows

    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"{path} not present")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        want = [r for r in csv.reader(fh)][1:]
    got = list(csv_rows(path))
    assert len(got) == len(want)


def test_overlap_table_with_a_stray_quote_refused_by_the_cli(tmp_path: Path) -> None:
    p = tmp_path / "overlap.csv"
    p.write_text(
        'A,B,C,count\n1,1,1,27\n1,1,0,"181\n1,0,1,18\n1,0,0,177\n0,1,1,4\n', encoding="utf-8"
    )
    res = _cli("estimate", str(p))
    assert res.exit_code != 0
    assert str(p) in res.output and "line 3" in res.output and "'count'" in res.output


def test_real_overlap_tables_still_read() -> None:
    from civcas.estimate import read_overlap_csv

    path = SHARED / "mse" / "kosovo_1999_4lists.csv"
    if not path.exists():
        pytest.skip(f"{path} not present")
    tables = read_overlap_csv(path)
    assert int(tables[None].counts.sum()) > 0


def test_extraction_csv_with_a_stray_quote_is_one_error(tmp_path: Path) -> None:
    from civcas.extract.intake import read_sources

    p = tmp_path / "reports.csv"
    p.write_text(
        'id,text\nr1,"Five killed in an air strike\nr2,Two injured\nr3,Three killed\n',
        encoding="utf-8",
    )
    items = list(read_sources([p]))
    assert len(items) == 1 and items[0].error, items
    assert "line 2" in items[0].error and "'text'" in items[0].error
