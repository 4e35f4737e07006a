"""The fusion commands as a user runs them: ``fuse --jsonl`` and ``process`` running fuse.

Two invented reports of one shelling, by two outlets, in our own words."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from tests.clitools import run

REPORT_A = ("Tripoli port shelled\nForces loyal to Khalifa Haftar shelled the port of Tripoli on Tuesday, "
            "killing three civilians, the health ministry said.")
REPORT_B = ("Port of Tripoli hit\nThe Libyan National Army shelled the port of Tripoli on Tuesday; two people "
            "were killed, officials said.")


def test_fuse_jsonl_contract() -> None:
    lines = [json.dumps({"id": "a", "text": REPORT_A, "published": "2020-02-18", "outlet": "Desert Wire"}),
             '{"id": 7, "text": "broken',
             json.dumps({"id": 2, "text": REPORT_B, "published": "2020-02-19", "outlet": "Harbour Post"}),
             json.dumps({"id": "same", "text": REPORT_A, "published": "2020-02-18"})]
    done = run("fuse", "--jsonl", stdin="\n".join(lines) + "\n", timeout=300)
    assert done.returncode == 1 and "<stdin>:2:" in done.stderr  # the bad line is named, the rest goes on
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in out] == ["a", 2, "same"]  # input order, input ids
    assert all(set(r) == {"id", "duplicate_of", "story", "events"} for r in out)
    incidents = [{e["incident_id"] for e in r["events"] if e["status"] == "main"} for r in out]
    assert incidents[0] and incidents[0] & incidents[1]  # one happening, two outlets, one incident
    assert all("evidence" in e and "incident_role" in e for r in out for e in r["events"])


def test_process_runs_fuse_unless_told_not_to(tmp_path: Path) -> None:
    from trucewatch.store import open_store
    from trucewatch.store.schema import Incident

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        json.dumps({"text": REPORT_A, "published": "2020-02-18", "outlet": "Desert Wire"}) + "\n"
        + json.dumps({"text": REPORT_B, "published": "2020-02-19", "outlet": "Harbour Post"}) + "\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    assert run("ingest", str(folder), "--db", db, "--create").returncode == 0
    assert run("process", "--db", db, "--no-fuse", timeout=300).returncode == 0
    store = open_store(db)
    try:
        with store.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Incident)) == 0
        assert run("process", "--db", db, timeout=300).returncode == 0  # nothing left to process; fuse runs
        with store.sessions() as session:
            assert session.scalar(select(func.max(Incident.corroboration))) == 2
        listed = run("incidents", "--db", db, "--json", "--min-corroboration", "2")
        assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 1
        shown = run("show", json.loads(listed.stdout)["id"], "--db", db)
        assert shown.returncode == 0 and "Desert Wire" in shown.stdout and "Harbour Post" in shown.stdout
        assert run("show", "inc-nothing", "--db", db).returncode == 2
    finally:
        store.close()
