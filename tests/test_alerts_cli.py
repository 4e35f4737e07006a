"""``trucewatch alerts`` as a user runs it: add a rule, fuse, read the alert on stdout; a
second fuse and a full check send nothing new; bad options are refused by name."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clitools import run
from tests.test_fusion_incidents import doc, ev


def alerts_in(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def test_alerts_from_the_command_line(tmp_path: Path) -> None:
    from trucewatch.fusion.synthetic import write_documents
    from trucewatch.store import open_store

    db = str(tmp_path / "t.db")
    store = open_store(db, create=True)
    try:
        write_documents(store, [doc("a" * 32, "Desert Wire", ev(claimant="Government of National Accord"))])
    finally:
        store.close()
    refused = run("alerts", "add", "bad", "--db", db, "--min-step", "rumoured")
    assert refused.returncode == 2 and "--min-step" in refused.stderr
    refused = run("alerts", "add", "bad", "--db", db, "--bbox", "13,north,14,33")
    assert refused.returncode == 2 and "--bbox" in refused.stderr
    added = run("alerts", "add", "libya", "--db", db, "--country", "Libya", "--type", "Shelling/artillery/missile attack")
    assert added.returncode == 0, added.stderr
    waiting = run("alerts", "add", "geneva", "--db", db, "--agreement", "ly_geneva_2020_10", "--to",
                  str(tmp_path / "geneva.jsonl"))
    assert waiting.returncode == 0 and "applied once agreement records exist" in waiting.stderr

    fused = run("fuse", "--db", db, timeout=300)
    assert fused.returncode == 0, fused.stderr
    (alert,) = alerts_in(fused.stdout)
    assert (alert["rule"], alert["alert"], alert["step"]) == ("libya", "new", "alleged")
    assert alert["ladder"]["allegations"][0]["by_actor"] == "ly_gna"
    assert not (tmp_path / "geneva.jsonl").exists()

    again = run("fuse", "--db", db, timeout=300)
    assert again.returncode == 0 and alerts_in(again.stdout) == []
    checked = run("alerts", "check", "--db", db, "--all", timeout=300)
    assert checked.returncode == 0 and alerts_in(checked.stdout) == []
    assert "0 new alerts, 0 updates" in checked.stderr and "waiting for agreement records: geneva" in checked.stderr

    listed = [json.loads(line) for line in run("alerts", "list", "--db", db, "--json").stdout.splitlines()]
    assert [(r["name"], r["sent"]) for r in listed] == [("libya", 1), ("geneva", 0)]
    assert run("alerts", "remove", "libya", "--db", db).returncode == 0
    missing = run("alerts", "remove", "libya", "--db", db)
    assert missing.returncode == 2 and "no alert rule 'libya'" in missing.stderr
