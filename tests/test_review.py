"""Review: analysts confirm, reject, correct and undo through the API and the CLI; each action
is an audit row; a re-run of fusion keeps the reviewer's value and flags the conflict. On
SQLite and PostgreSQL, with a real server. The reports are invented (see test_fusion_incidents)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.api_server import served
from tests.test_fusion_incidents import doc, ev
from trucewatch.api import access
from trucewatch.ceasefire.ladder import ladder, stored_reviews
from trucewatch.fusion.query import detail
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.review import audit

PORT = [doc("a" * 32, "Desert Wire", ev(fatalities=2)), doc("b" * 32, "Harbour Post", ev(fatalities=3))]


@pytest.fixture
def fused(store: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str]:
    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    write_documents(store, PORT)
    fuse(store)
    with store.sessions() as session:
        from trucewatch.store.schema import Incident

        (incident,) = session.query(Incident.id).all()
    return store, incident[0]


def _token(store: Any, name: str, role: str) -> dict[str, str]:
    access.add_user(store, name, role)
    return {"Authorization": f"Bearer {access.create_token(store, name)}"}


def test_a_correction_survives_reprocessing_and_flags_the_conflict(fused: tuple[Any, str]) -> None:
    store, incident = fused
    analyst, viewer = _token(store, "amira", "analyst"), _token(store, "vera", "viewer")
    path = f"/api/v1/incidents/{incident}/review"
    body = {"action": "correct", "field": "fatalities", "value": 7, "reason": "hospital list of 7 names"}
    with served(store) as api:
        assert api.post(path, json=body).status_code == 401
        assert api.post(path, json=body, headers=viewer).status_code == 403
        done = api.post(path, json=body, headers=analyst)
        assert done.status_code == 200, done.text
        assert done.json()["before"] == 2 and done.json()["after"] == 7
        shown = api.get(f"/api/v1/incidents/{incident}").json()
        assert shown["fatalities"] == 7
        assert shown["review"]["fatalities"]["reviewer"] == "amira" and not shown["review"]["fatalities"]["conflict"]

        # re-processing: the first report now gives 5; fusion's own figure moves from 2 to 3
        write_documents(store, [doc("a" * 32, "Desert Wire", ev(fatalities=5))])
        fuse(store)
        shown = api.get(f"/api/v1/incidents/{incident}").json()
        decision = shown["review"]["fatalities"]
        assert shown["fatalities"] == 7 and decision["machine_value"] == 3 and decision["conflict"] is True
        # a reviewer who sees it and decides again clears the flag
        api.post(path, json={**body, "value": 6, "reason": "a seventh name was a duplicate"}, headers=analyst)
        again = api.get(f"/api/v1/incidents/{incident}").json()["review"]["fatalities"]
        assert again["value"] == 6 and again["conflict"] is False

        log = api.get("/api/v1/audit", params={"target": incident}, headers=analyst).json()["items"]
        assert [(e["action"], e["actor"], e["field"]) for e in log] == [("correct", "amira", "fatalities")] * 2
        assert log[0]["before"] == {"value": 2, "reviewed": False} and log[1]["before"] == {"value": 7, "reviewed": True}
        assert api.get("/api/v1/audit", headers=viewer).status_code == 403


def test_undo_goes_back_to_the_value_before(fused: tuple[Any, str]) -> None:
    store, incident = fused
    analyst = _token(store, "omar", "analyst")
    with served(store) as api:
        path = f"/api/v1/incidents/{incident}/review"
        first = api.post(path, json={"action": "correct", "field": "location", "value": "Tripoli port",
                                     "reason": "the port, not the city"}, headers=analyst).json()
        second = api.post(path, json={"action": "correct", "field": "location", "value": "Tripoli harbour",
                                      "reason": "the outlet's own word"}, headers=analyst).json()
        assert api.post(f"/api/v1/audit/{first['audit_id']}/undo", json={}, headers=analyst).status_code == 400
        undone = api.post(f"/api/v1/audit/{second['audit_id']}/undo", json={"reason": "wrong"}, headers=analyst)
        assert undone.status_code == 200 and undone.json()["after"] == "Tripoli port"
        assert api.get(f"/api/v1/incidents/{incident}").json()["location"] == "Tripoli port"
        # undo the undo? no: act again. Undo the first: the machine's own value comes back
        assert api.post(f"/api/v1/audit/{undone.json()['audit_id']}/undo", json={}, headers=analyst).status_code == 400
        last = api.post(f"/api/v1/audit/{first['audit_id']}/undo", json={}, headers=analyst)
        assert last.status_code == 400  # an undo came after it: only the latest action on a field can be undone
    entries = list(audit.entries(store, incident))
    assert [e["action"] for e in entries] == ["correct", "correct", "undo"] and entries[-1]["undoes"] == second["audit_id"]


def test_a_confirmation_reaches_the_top_of_the_ladder(fused: tuple[Any, str]) -> None:
    store, incident = fused
    record = detail(store, incident)
    assert ladder(record).step != "confirmed"
    from trucewatch.review import actions

    actions.review(store, incident, "amira", "confirm", reason="seen by the field team")
    (verdict,) = stored_reviews(store, incident)
    assert verdict.confirmed and verdict.reviewer == "amira"
    assert ladder(record, reviews=[verdict]).step == "confirmed"
    actions.review(store, incident, "amira", "reject", reason="the field team withdrew it")
    assert not stored_reviews(store, incident)[0].confirmed


@pytest.mark.parametrize("body, status", [
    ({"action": "correct", "field": "fatalities", "value": 3}, 400),  # no reason
    ({"action": "correct", "field": "notes", "value": "x", "reason": "r"}, 400),  # not correctable
    ({"action": "correct", "field": "fatalities", "value": -1, "reason": "r"}, 400),
    ({"action": "correct", "field": "event_date", "value": "18/02/2020", "reason": "r"}, 400),
    ({"action": "correct", "field": "latitude", "value": 95, "reason": "r"}, 400),
    ({"action": "reject"}, 400),
    ({"action": "reject", "reason": "nul\u0000inside"}, 400),
    ({"action": "promote"}, 422),
])
def test_bad_reviews_are_refused(fused: tuple[Any, str], body: dict[str, Any], status: int) -> None:
    store, incident = fused
    analyst = _token(store, "amira", "analyst")
    with served(store) as api:
        got = api.post(f"/api/v1/incidents/{incident}/review", json=body, headers=analyst)
        assert got.status_code == status and got.headers["content-type"] == "application/problem+json"
        assert api.post("/api/v1/incidents/inc-none/review", json={"action": "confirm"},
                        headers=analyst).status_code == 404
    assert list(audit.entries(store)) == []


def test_review_and_audit_export_commands(fused: tuple[Any, str], tmp_path: Any) -> None:
    from trucewatch.cli import app

    store, incident = fused
    access.add_user(store, "amira", "analyst")
    access.add_user(store, "vera", "viewer")
    runner = CliRunner()
    base = ["--db", store.url]
    bad = runner.invoke(app, ["review", incident, "confirm", "--as", "vera", *base])
    assert bad.exit_code == 2  # a viewer does not review
    done = runner.invoke(app, ["review", incident, "correct", "--field", "fatalities", "--value", "4",
                               "--reason", "=HYPERLINK(\"http://x\")", "--as", "amira", *base])
    assert done.exit_code == 0, done.output
    out = tmp_path / "audit.csv"
    assert runner.invoke(app, ["audit", "export", "--format", "csv", "-o", str(out), *base]).exit_code == 0
    (row,) = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert row["actor"] == "amira" and row["reason"].startswith("'=")  # a spreadsheet shows it as text
    lines = runner.invoke(app, ["audit", "export", *base]).stdout.splitlines()
    assert json.loads(lines[0])["after"] == {"value": 4, "reviewed": True}
