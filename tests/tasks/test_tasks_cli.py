"""`civcas tasks ...` end to end on a SQLite file: import with gold, answers, consensus
rows, CSV exports (formula-safe), the volunteer role, and protected fields refused."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from civcas.cli.main import cli
from civcas.store import Store
from civcas.tasks import service
from civcas.workflow import roles
from civcas.workflow.roles import Actor

PASSWORD = "Euphrates-ledger-1917"


def _run(db: str, *args: str) -> str:
    r = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def test_import_answer_consensus_exports(tmp_path):
    db = str(tmp_path / "t.db")
    f = tmp_path / "items.csv"
    f.write_text(
        "item_id,title,text,gold\n"
        'r1,Market,"=HYPERLINK(""http://evil"")",yes\n'
        "r2,Clash,two fighters,no\n"
        "r3,Shelling,houses hit,\n",
        encoding="utf-8",
    )
    out = _run(db, "tasks", "import", str(f), "--kind", "report", "--k", "3")
    assert "3 items added" in out and "2 with a gold answer" in out
    assert "0 items added, 3 already there" in _run(
        db, "tasks", "import", str(f), "--kind", "report"
    )
    for name in ("ann", "bob", "cat"):
        assert "volunteer" in _run(
            db, "user", "add", name, "--role", "volunteer", "--password", PASSWORD
        )
    store = Store(db)
    from civcas.store.accounts import user_by_name

    with store.connect() as conn:
        vols = [Actor(n, "volunteer", user_by_name(conn, n)["id"]) for n in ("ann", "bob", "cat")]  # type: ignore[index]
    answers = {"ann": {"r1": "yes", "r2": "no", "r3": {"civilians": "yes", "killed": 4}},
               "bob": {"r1": "yes", "r2": "no", "r3": {"civilians": "yes", "killed": 5}},
               "cat": {"r1": "no", "r2": "yes", "r3": {"civilians": "yes", "killed": 400}}}  # fmt: skip
    for v in vols:
        while (t := service.next_task(store, v)) is not None:
            service.answer(store, v, t["task_id"], answers[v.name][t["item_id"]])
    rows = json.loads(_run(db, "tasks", "consensus", "--kind", "report", "--json"))
    by = {r["item_id"]: r for r in rows}
    assert set(by) == {"r1", "r2", "r3"}
    assert by["r1"]["answer"] == "yes" and by["r2"]["answer"] == "no"
    assert by["r3"]["answer"] == {"civilians": "yes", "killed": 5}  # 400 does not pull it
    assert all(r["n_answers"] == 3 for r in rows)
    assert set(rows[0]) == {"item_id", "answer", "confidence", "n_answers"}
    rel = list(csv.DictReader(io.StringIO(_run(db, "tasks", "reliability", "--kind", "report"))))
    cat = next(r for r in rel if r["volunteer"] == "cat")
    ann = next(r for r in rel if r["volunteer"] == "ann")
    assert cat["n_gold"] == "2" and cat["gold_accuracy"] == "0.0" and ann["gold_accuracy"] == "1.0"
    assert float(cat["estimated_accuracy"]) < float(ann["estimated_accuracy"])
    out_csv = tmp_path / "answers.csv"
    _run(db, "tasks", "answers", "--kind", "report", "--out", str(out_csv))
    text = out_csv.read_text(encoding="utf-8")
    assert len(list(csv.DictReader(io.StringIO(text)))) == 9
    for line in text.splitlines():
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_protected_columns_never_become_task_fields(tmp_path):
    db = str(tmp_path / "t.db")
    f = tmp_path / "items.csv"
    f.write_text("item_id,place,witness_name\nx1,Raqqa,Someone\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["--db", db, "tasks", "import", str(f), "--kind", "locate"])
    assert r.exit_code == 1 and "protected field" in r.output
    f.write_text(
        'item_id,a,b\nx1,"{""name"":""A"",""witness_contact"":""+963""}",{}\n', encoding="utf-8"
    )
    r = CliRunner().invoke(cli, ["--db", db, "tasks", "import", str(f), "--kind", "same-person"])
    assert r.exit_code == 1 and "witness_contact" in r.output


def test_volunteer_holds_no_editorial_permission():
    assert roles.check_role("volunteer") == "volunteer"
    assert not any(roles.can("volunteer", p) for p in roles.PERMISSIONS)
    assert roles.answers_tasks("volunteer") and not roles.answers_tasks("public")


def test_build_suggest_accept_from_the_command_line(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))
    from wf_helpers import seed_incidents

    from civcas.workflow import accounts, audit, editing

    db = str(tmp_path / "b.db")
    store = Store(db)
    seed_incidents(store, 3)
    out = _run(db, "tasks", "build", "--kind", "locate", "--k", "1", "--include-unpublished")
    assert "3 items added" in out
    accounts.add_user(store, Actor("cli:t", "admin"), "v", "volunteer", PASSWORD)
    v = accounts.authenticate(store, "v", PASSWORD)
    while (t := service.next_task(store, v)) is not None:
        service.answer(store, v, t["task_id"], {"lat": 35.5, "lon": 38.9})
    assert "3 new suggestion(s)" in _run(db, "tasks", "suggest", "--kind", "locate")
    rows = json.loads(_run(db, "tasks", "suggestions", "--json"))
    assert {r["item_id"] for r in rows} == {"incident-T0", "incident-T1", "incident-T2"}
    t0 = next(r for r in rows if r["item_id"] == "incident-T0")
    t1 = next(r for r in rows if r["item_id"] == "incident-T1")
    assert "accepted locate/incident-T0" in _run(
        db, "tasks", "accept", str(t0["id"]), "--reason", "ok"
    )
    assert "rejected locate/incident-T1" in _run(db, "tasks", "reject", str(t1["id"]))
    admin = Actor("cli:t", "admin")
    assert editing.get(store, admin, "T0")["latitude"] == 35.5
    assert editing.get(store, admin, "T1")["latitude"] != 35.5
    assert [r["action"] for r in audit.log(store, key="locate/incident-T1")] == ["task.reject"]
    r = CliRunner().invoke(cli, ["--db", db, "tasks", "accept", str(t0["id"])])
    assert r.exit_code == 1 and "already accepted" in r.output
