"""`civcas link --from-db`: the victims in the record, list = the incident's source."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import insert, select

from civcas.cli.main import cli
from civcas.store import Store
from civcas.store.linkage import person_record
from civcas.store.schema import incident, victim


def test_link_from_db_writes_person_record(tmp_path, make_sim):
    db = tmp_path / "c.db"
    store = Store(str(db))
    sim = make_sim(500, seed=11)
    sim = sim[sim["date_of_death"] != ""]
    with store.begin() as conn:
        for n, ((lst, day, place), grp) in enumerate(
            sim.groupby(["list", "date_of_death", "place"])
        ):
            iid = conn.execute(insert(incident).values(
                code=f"{lst}-{n}", source_kind=lst, source_id=str(n), content_hash=str(n),
                date_start=__import__("datetime").date.fromisoformat(day), location_en=place or None,
            )).inserted_primary_key[0]  # fmt: skip
            conn.execute(insert(victim), [
                {"incident_id": iid, "name": r.name or None, "name_ar": r.name_ar or None,
                 "sex": r.sex or "unknown", "age": int(r.age) if r.age else None}
                for r in grp.itertuples()
            ])  # fmt: skip
    store.dispose()
    res = CliRunner().invoke(cli, ["--db", str(db), "link", "--from-db"])
    assert res.exit_code == 0, res.output
    store = Store(str(db))
    with store.connect() as conn:
        rows = conn.execute(select(person_record)).mappings().all()
    assert len(rows) == len(sim)
    assert {r["list"] for r in rows} == set(sim["list"])
    assert all(r["date_of_death"] is not None for r in rows)
    people = {r["person_id"] for r in rows}
    assert sim["true_id"].nunique() * 0.85 < len(people) < len(rows)
    store.dispose()
