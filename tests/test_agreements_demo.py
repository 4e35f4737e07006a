"""The demo corpus's agreements, built from the news by the demo (as ``process`` builds them
after fuse) and written to its ``agreements.jsonl``.

The corpus (invented reports about the real 2020 Libya process) holds the 12 January
truce, the Berlin conference of 19 January, the parallel declarations of 21 August and
the Geneva agreement of 23 October; each must come out as an agreement record, and the
demo prints each with its dates and status.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.clitools import run


@pytest.fixture(scope="module")
def demo_agreements(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[dict[str, Any]]]:
    directory = tmp_path_factory.mktemp("demo-agreements")
    done = run("demo", "--dir", str(directory), timeout=600)
    assert done.returncode == 0, done.stderr
    (directory / "stdout.txt").write_text(done.stdout, encoding="utf-8")
    db = str(directory / "trucewatch.db")
    exported = (directory / "agreements.jsonl").read_text(encoding="utf-8")
    listed = run("agreements", "list", "--db", db, "--json")
    records = [json.loads(line) for line in exported.splitlines()]
    assert [r | {"schema_version": records[0]["schema_version"]} for r in map(json.loads, listed.stdout.splitlines())
            ] == records  # the demo's export is the store's list
    return db, records


def test_the_demo_prints_the_agreements_and_the_talks(demo_agreements: tuple[str, list[dict[str, Any]]]) -> None:
    db, records = demo_agreements
    stdout = (Path(db).parent / "stdout.txt").read_text(encoding="utf-8")
    for record in records:
        assert f"{record['name']}: {record['kind']}, {record['status']}" in " ".join(stdout.split())
    assert f"{len(records)} agreements (expires" in stdout
    assert f"wrote {Path(db).parent / 'agreements.jsonl'} ({len(records)} agreements)" in stdout
    (geneva,) = [r for r in records if r["signed"] == "2020-10-23"]
    assert f"signed 2020-10-23, effective from {geneva['effective_from']}, expires" in " ".join(stdout.split())
    rounds = [line for line in stdout.splitlines() if "Joint Military" in line]
    assert any("2020-10-19" in line and "2020-10-23" in line and "Geneva" in line for line in rounds)
    assert any("2020-11-02" in line and "2020-11-04" in line and "Ghadames" in line for line in rounds)


def _ids(entries: list[dict[str, Any]]) -> set[str]:
    return {e["actor_id"] for e in entries if e["actor_id"]}


def test_the_january_truce(demo_agreements: tuple[str, list[dict[str, Any]]]) -> None:
    _, records = demo_agreements
    (truce,) = [r for r in records if (r["effective_from"] or "").startswith("2020-01-12")]
    assert truce["kind"] in ("truce", "ceasefire")
    assert truce["effective_from"] == "2020-01-12T00:00+02:00"  # "2200 GMT on Saturday", in Libya's offset
    assert {"ly_gna", "ly_lna"} <= _ids(truce["parties"])
    assert {"turkey", "russia"} <= _ids(truce["mediators"])
    assert truce["scope"]["places"][0]["name"] == "Libya"
    assert any(s["status"] == "violated" for s in truce["status_history"])
    assert all(s["document_id"] and s["evidence"] for s in truce["sources"])


def test_berlin_and_the_august_declarations(demo_agreements: tuple[str, list[dict[str, Any]]]) -> None:
    _, records = demo_agreements
    (berlin,) = [r for r in records if r["effective_from"] == "2020-01-19"]
    assert "Berlin" in berlin["name"] and "united_nations" in _ids(berlin["mediators"])
    declarations = [r for r in records if r["effective_from"] == "2020-08-21"]
    assert [r["kind"] for r in declarations] == ["unilateral_declaration"] * 2
    assert sorted(p["actor_id"] for r in declarations for p in r["parties"]) == ["ly_hor", "ly_presidential_council"]
    assert all(r["status"] == "declared" for r in declarations)


def test_the_geneva_agreement(demo_agreements: tuple[str, list[dict[str, Any]]]) -> None:
    db, records = demo_agreements
    (geneva,) = [r for r in records if r["signed"] == "2020-10-23"]
    assert geneva["kind"] == "ceasefire" and geneva["effective_from"] == "2020-10-23"
    assert {"ly_gna", "ly_lna"} <= _ids(geneva["parties"])
    assert "united_nations" in _ids(geneva["mediators"])
    assert {"type": "foreign_fighters", "due": "2021-01-23"} == {
        k: v for k, v in next(p for p in geneva["provisions"] if p["type"] == "foreign_fighters").items()
        if k in ("type", "due")}  # "within three months of signing"
    again = run("agreements", "build", "--db", db)
    assert "(0 new, 0 updated" in again.stdout and "0 no longer supported removed" in again.stdout


def test_the_demo_writes_the_report_of_the_january_truce_with_the_port_shelling_in_scope(
        demo_agreements: tuple[str, list[dict[str, Any]]]) -> None:
    """The demo's compliance report is the January truce's; the 18 February port shelling is in its
    scope, alleged by the GNA (the step: alleged), with the LNA's denial beside it ("an army spokesman"
    of the report that named the LNA's forces) and more than one source."""
    import sqlite3

    db, records = demo_agreements
    (january,) = [r for r in records if (r["effective_from"] or "").startswith("2020-01-12")]
    html = (Path(db).parent / "report.html").read_text(encoding="utf-8")
    assert january["name"] in html and "<script" not in html.lower()
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT i.corroboration, s.ladder FROM incident_scope s JOIN incidents i ON i.id = s.incident_id "
            "WHERE s.agreement_id = ? AND s.in_scope = 1 AND i.event_date = '2020-02-18' "
            "AND i.sub_event_type = 'Shelling/artillery/missile attack'", (january["id"],)).fetchall()
    assert len(rows) == 1
    corroboration, ladder = rows[0][0], json.loads(rows[0][1])
    assert corroboration >= 2
    assert any(a["by_actor"] == "ly_gna" for a in ladder["allegations"])
    assert ladder["denials"] and all(d["denies"] for d in ladder["denials"])
    assert any(d["claimant_actor"] == "ly_lna" for d in ladder["denials"])
    with sqlite3.connect(db) as conn:
        (step,) = conn.execute(
            "SELECT s.step FROM incident_scope s JOIN incidents i ON i.id = s.incident_id WHERE s.agreement_id = ? "
            "AND s.in_scope = 1 AND i.event_date = '2020-02-18' AND i.sub_event_type = 'Shelling/artillery/missile attack'",
            (january["id"],)).fetchone()
    assert step == "alleged"


def test_the_berlin_pledge_names_states_among_its_parties(demo_agreements: tuple[str, list[dict[str, Any]]]) -> None:
    _, records = demo_agreements
    (berlin,) = [r for r in records if r["effective_from"] == "2020-01-19"]
    named = _ids(berlin["parties"]) | _ids(berlin["mediators"])
    assert berlin["parties"] and {"egypt", "turkey", "russia"} <= named


def test_the_demo_store_is_served_by_the_dashboard(demo_agreements: tuple[str, list[dict[str, Any]]]) -> None:
    """`make demo` ends by naming `trucewatch serve`; the demo's store then shows its incidents,
    the port shelling's page with its sources, and the January truce's page with it in scope."""
    import sqlite3

    from tests.api_server import served
    from trucewatch.store import open_store

    db, records = demo_agreements
    assert "trucewatch serve --db" in (Path(db).parent / "stdout.txt").read_text(encoding="utf-8")
    (january,) = [r for r in records if (r["effective_from"] or "").startswith("2020-01-12")]
    with sqlite3.connect(db) as conn:
        (port,) = conn.execute("SELECT id FROM incidents WHERE event_date = '2020-02-18' "
                               "AND sub_event_type = 'Shelling/artillery/missile attack'").fetchone()
    store = open_store(f"sqlite:///{db}")
    try:
        with served(store) as web:
            home = web.get("/")
            assert home.status_code == 200 and f'href="/incidents/{port}"' in home.text
            page = web.get(f"/incidents/{port}")
            assert page.status_code == 200 and page.text.count("<mark>") >= 2
            truce = web.get(f"/agreements/{january['id']}")
            assert truce.status_code == 200 and f'href="/incidents/{port}"' in truce.text
            assert web.get("/api/v1/incidents", params={"since": "2020-02-18", "until": "2020-02-18"}).json()["items"]
    finally:
        store.close()


def test_a_reviewed_incident_survives_reprocessing(demo_agreements: tuple[str, list[dict[str, Any]]]) -> None:
    """A reviewer corrects the port shelling's toll and confirms it, splits a report out of
    one incident and merges two others; `process --reprocess` re-extracts and re-fuses every
    report, and the incidents keep the reviewer's values and shape, with the audit rows
    exported. (Last in this module: it changes the demo's store.)"""
    import sqlite3

    from trucewatch.review import actions
    from trucewatch.store import open_store

    from trucewatch.review import structure

    db, _records = demo_agreements
    with sqlite3.connect(db) as conn:
        (port,) = conn.execute("SELECT id FROM incidents WHERE event_date = '2020-02-18' "
                               "AND sub_event_type = 'Shelling/artillery/missile attack'").fetchone()
        members = conn.execute("SELECT incident_id, document_id, event_id FROM incident_events WHERE role = 'member' "
                               "ORDER BY incident_id, document_id, event_id").fetchall()
    by_incident: dict[str, dict[str, list[str]]] = {}
    for inc, document, event in members:
        by_incident.setdefault(inc, {}).setdefault(document, []).append(event)
    # a split: a report of another outlet taken out of an incident told by several
    (split_from, told) = next((i, docs) for i, docs in sorted(by_incident.items(), key=lambda x: (x[0] == port, x[0]))
                              if len(docs) >= 2)
    split_doc = sorted(told)[-1]
    # a merge: two incidents told once each, neither the port's nor the one split
    once = [i for i, docs in sorted(by_incident.items()) if len(docs) == 1 and i not in (port, split_from)]
    merged, into = once[0], once[1]
    merged_events = [e for docs in by_incident[merged].values() for e in docs]
    store = open_store(f"sqlite:///{db}")
    try:
        actions.review(store, port, "amira", "correct", field="fatalities", value=9, reason="the hospital's list")
        actions.review(store, port, "amira", "confirm", reason="seen by the field team")
        new = structure.split(store, split_from, "amira", "another strike that day", documents=[split_doc]).after
        structure.merge(store, merged, into, "amira", "one happening, told twice")
    finally:
        store.close()
    done = run("process", "--reprocess", "--db", db, timeout=900)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        (fatalities,) = conn.execute("SELECT fatalities FROM incidents WHERE id = ?", (port,)).fetchone()
        step = conn.execute("SELECT step FROM incident_scope WHERE incident_id = ? AND in_scope = 1", (port,)).fetchone()
        split_now = {inc for (inc,) in conn.execute(
            "SELECT incident_id FROM incident_events WHERE document_id = ? AND role = 'member' AND event_id IN "
            f"({','.join('?' * len(told[split_doc]))})", (split_doc, *told[split_doc]))}
        merged_now = {inc for (inc,) in conn.execute(
            f"SELECT incident_id FROM incident_events WHERE event_id IN ({','.join('?' * len(merged_events))})",
            merged_events)}
        gone = conn.execute("SELECT count(*) FROM incidents WHERE id = ?", (merged,)).fetchone()
    assert fatalities == 9 and step == ("confirmed",)
    assert split_now == {new}  # the split report stays apart
    assert merged_now == {into} and gone == (0,)  # the merged reports stay together
    exported = run("audit", "export", "--db", db)
    assert [json.loads(line)["action"] for line in exported.stdout.splitlines()] == [
        "correct", "confirm", "split", "merge"]
