"""Review beyond one field, on SQLite and PostgreSQL with a real server: merging and splitting
incidents (kept by every later fuse of re-processed reports, undone), moving an incident on
the violation ladder (the stored steps follow; a machine change is flagged), and reviewing
agreements (kept over a rebuilt record, flagged, undone). The reports are invented."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.api_server import served
from tests.test_api_incidents import _agreements
from tests.test_api_resources import _scope
from tests.test_fusion_incidents import doc, ev
from trucewatch.api import access
from trucewatch.ceasefire.ladder import ladder, stored_reviews
from trucewatch.fusion.query import detail
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.review import audit
from trucewatch.store.schema import Incident, IncidentEvent, IncidentReview, IncidentScope

A, B, C = "a" * 32, "b" * 32, "c" * 32
#: two outlets on the port shelling of 18 February, and a third on one a month later (the
#: machine keeps that one apart: its date is too far)
PORT = [doc(A, "Desert Wire", ev(fatalities=2)), doc(B, "Harbour Post", ev(fatalities=3))]
LATER = [doc(C, "Coast Courier", ev(event_date="2020-03-20", fatalities=1), published="2020-03-21")]


@pytest.fixture
def api_store(store: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    write_documents(store, PORT + LATER)
    fuse(store)
    return store


def _token(store: Any, name: str, role: str) -> dict[str, str]:
    access.add_user(store, name, role)
    return {"Authorization": f"Bearer {access.create_token(store, name)}"}


def _by_document(store: Any) -> dict[str, set[str]]:
    """{incident: the documents of its links}; every incident row, even one with no link."""
    with store.sessions() as session:
        out: dict[str, set[str]] = {i: set() for i in session.scalars(select(Incident.id))}
        for inc, document in session.execute(select(IncidentEvent.incident_id, IncidentEvent.document_id)):
            out.setdefault(inc, set()).add(document)
    return out


def _holding(store: Any, document: str) -> str:
    (inc,) = [i for i, docs in _by_document(store).items() if document in docs]
    return inc


def test_merge_is_kept_by_re_fusing_and_undone(api_store: Any) -> None:
    store = api_store
    port, later = _holding(store, A), _holding(store, C)
    assert port != later and _holding(store, B) == port
    analyst, viewer = _token(store, "amira", "analyst"), _token(store, "vera", "viewer")
    body = {"into": port, "reason": "the same strike; the later outlet misdated it"}
    with served(store) as api:
        path = f"/api/v1/incidents/{later}/merge"
        assert api.post(path, json=body).status_code == 401
        assert api.post(path, json=body, headers=viewer).status_code == 403
        assert api.post(path, json={"into": port, "reason": ""}, headers=analyst).status_code == 400
        assert api.post(path, json={"into": "inc-none", "reason": "r"}, headers=analyst).status_code == 404
        assert api.post(f"/api/v1/incidents/{port}/merge", json={"into": port, "reason": "r"},
                        headers=analyst).status_code == 400
        done = api.post(path, json=body, headers=analyst)
        assert done.status_code == 200, done.text
        assert done.json()["after"] == port and done.json()["field"] == "merged_into"
        assert _by_document(store) == {port: {A, B, C}}
        moved = api.get(f"/api/v1/incidents/{later}", follow_redirects=False)
        assert moved.status_code == 307 and moved.headers["location"] == f"/api/v1/incidents/{port}"
        assert moved.json() == {"id": later, "merged_into": port}
        shown = api.get(f"/api/v1/incidents/{later}", follow_redirects=True).json()
        assert shown["id"] == port and shown["corroboration"] == 3
        assert api.post(path, json=body, headers=analyst).status_code == 400  # merged already

        # re-processing every report: the machine founds the later one again under its id,
        # and the stored merge sends it back into the port incident
        write_documents(store, [doc(A, "Desert Wire", ev(fatalities=4)), doc(B, "Harbour Post", ev(fatalities=3)),
                                doc(C, "Coast Courier", ev(event_date="2020-03-20", fatalities=6),
                                    published="2020-03-21")])
        fuse(store)
        assert _by_document(store) == {port: {A, B, C}}
        write_documents(store, [doc(C, "Coast Courier", ev(event_date="2020-03-20", fatalities=5),
                                    published="2020-03-21")])
        fuse(store)  # only the merged one's report
        assert _by_document(store) == {port: {A, B, C}}

        log = api.get("/api/v1/audit", params={"target": later}, headers=analyst).json()["items"]
        assert [(e["action"], e["actor"], e["field"], e["after"]["value"]) for e in log] == [
            ("merge", "amira", "merged_into", port)]
        assert log[0]["reason"] == body["reason"]
        undone = api.post(f"/api/v1/audit/{log[0]['id']}/undo", json={"reason": "not the same"}, headers=analyst)
        assert undone.status_code == 200, undone.text
        assert _by_document(store) == {port: {A, B}, later: {C}}
        assert api.get(f"/api/v1/incidents/{later}").json()["corroboration"] == 1
    write_documents(store, [doc(C, "Coast Courier", ev(event_date="2020-03-20", fatalities=7),
                                published="2020-03-21")])
    fuse(store)
    assert _by_document(store) == {port: {A, B}, later: {C}}  # apart again for good
    assert [e["action"] for e in audit.entries(store, later)] == ["merge", "undo"]


def test_split_is_kept_by_re_fusing_and_undone(api_store: Any) -> None:
    store = api_store
    port = _holding(store, A)
    analyst = _token(store, "omar", "analyst")
    with store.sessions() as session:
        (b_event,) = session.scalars(select(IncidentEvent.event_id).where(IncidentEvent.document_id == B))
        (a_event,) = session.scalars(select(IncidentEvent.event_id).where(IncidentEvent.document_id == A))
    with served(store) as api:
        path = f"/api/v1/incidents/{port}/split"
        assert api.post(path, json={"events": [b_event], "reason": "r"}).status_code == 401
        assert api.post(path, json={"events": ["nope"], "reason": "r"}, headers=analyst).status_code == 400
        assert api.post(path, json={"events": [a_event, b_event], "reason": "r"},
                        headers=analyst).status_code == 400  # nothing would be left
        assert api.post(path, json={"events": [b_event]}, headers=analyst).status_code == 422  # no reason
        done = api.post(path, json={"events": [b_event], "reason": "another shelling that morning"}, headers=analyst)
        assert done.status_code == 200, done.text
        new = done.json()["after"]
        assert new not in (port, None) and done.json()["others"] == [new]
        assert _by_document(store) == {port: {A}, new: {B}, _holding(store, C): {C}}
        assert api.get(f"/api/v1/incidents/{new}").json()["corroboration"] == 1

        # the machine would put B's report back with A's (it does, on its own): the split holds
        write_documents(store, [doc(A, "Desert Wire", ev(fatalities=4)), doc(B, "Harbour Post", ev(fatalities=5))])
        fuse(store)
        assert _by_document(store)[port] == {A} and _by_document(store)[new] == {B}
        write_documents(store, [doc(B, "Harbour Post", ev(fatalities=6))])
        fuse(store)
        assert _by_document(store)[port] == {A} and _by_document(store)[new] == {B}

        (entry,) = [e for e in audit.entries(store, port) if e["action"] == "split"]
        assert entry["after"] == {"value": new, "events": [b_event]} and entry["actor"] == "omar"
        undone = api.post(f"/api/v1/audit/{entry['id']}/undo", json={}, headers=analyst)
        assert undone.status_code == 200, undone.text
        assert _by_document(store)[port] == {A, B} and new not in _by_document(store)
        assert api.get(f"/api/v1/incidents/{new}").status_code == 404
    write_documents(store, [doc(B, "Harbour Post", ev(fatalities=7))])
    fuse(store)
    assert _by_document(store)[port] == {A, B}


def test_a_ladder_move_wins_and_a_machine_change_is_flagged(api_store: Any) -> None:
    from trucewatch.ceasefire.scope import restep

    store = api_store
    _agreements(store)
    named = _scope(store)  # the port incident in truce-0's scope, stored as corroborated
    port = named["port"]
    analyst, viewer = _token(store, "amira", "analyst"), _token(store, "vera", "viewer")
    assert ladder(detail(store, port)).step == "corroborated"  # two outlets report it as fact
    body = {"action": "ladder", "value": "alleged", "reason": "both outlets quote the same party statement"}
    with served(store) as api:
        path = f"/api/v1/incidents/{port}/review"
        assert api.post(path, json=body, headers=viewer).status_code == 403
        assert api.post(path, json={**body, "value": "proven"}, headers=analyst).status_code == 400
        assert api.post(path, json={**body, "reason": None}, headers=analyst).status_code == 400
        done = api.post(path, json=body, headers=analyst)
        assert done.status_code == 200, done.text
        assert (done.json()["before"], done.json()["after"]) == ("corroborated", "alleged")
        decision = api.get(f"/api/v1/incidents/{port}").json()["review"]["ladder_step"]
        assert decision["value"] == "alleged" and decision["machine_value"] == "corroborated"
        assert not decision["conflict"]
        # the stored step follows at once: the step filter and the export read it
        found = api.get("/api/v1/incidents", params={"agreement": "truce-0", "step": "alleged"}).json()["items"]
        assert port in [i["id"] for i in found]
        rows = api.get("/api/v1/exports/incidents.jsonl").text.splitlines()
        assert [json.loads(r)["ladder_step"] for r in rows if json.loads(r)["incident_id"] == port] == ["alleged"]
    assert ladder(detail(store, port), reviews=stored_reviews(store, port)).step == "alleged"

    # the second outlet now quotes a party: the evidence alone gives "reported" now
    write_documents(store, [doc(B, "Harbour Post", ev(fatalities=3, claimant="Libyan National Army"))])
    fuse(store)
    restep(store, port)  # as trucewatch scope (and process) does
    with store.sessions() as session:
        held = session.get(IncidentReview, (port, "ladder_step"))
        step = session.scalar(select(IncidentScope.step).where(IncidentScope.incident_id == port,
                                                               IncidentScope.agreement_id == "truce-0"))
    assert (held.value, held.machine_value, held.conflict, step) == ("alleged", "reported", True, "alleged")

    from trucewatch.review import actions

    (move,) = [e for e in audit.entries(store, port) if e["field"] == "ladder_step"]
    actions.undo(store, move["id"], "amira", "the statement was the outlet's own")
    with store.sessions() as session:
        assert session.get(IncidentReview, (port, "ladder_step")) is None
        step = session.scalar(select(IncidentScope.step).where(IncidentScope.incident_id == port,
                                                               IncidentScope.agreement_id == "truce-0"))
    assert step == "reported"  # the machine's own again


def test_agreement_review_survives_a_rebuild_and_undo(api_store: Any) -> None:
    from trucewatch.ceasefire.record import AgreementRecord, Party, StatusStep
    from trucewatch.ceasefire.save import SaveCounts, save_record

    store = api_store
    _agreements(store)
    analyst, viewer = _token(store, "amira", "analyst"), _token(store, "vera", "viewer")
    path = "/api/v1/agreements/truce-0/review"
    body = {"action": "correct", "field": "name", "value": "Tripoli truce of January", "reason": "the text's own title"}
    with served(store) as api:
        assert api.post(path, json=body).status_code == 401
        assert api.post(path, json=body, headers=viewer).status_code == 403
        assert api.post(path, json={**body, "field": "kind", "value": "armistice"}, headers=analyst).status_code == 400
        assert api.post(path, json={**body, "field": "parties"}, headers=analyst).status_code == 400
        assert api.post("/api/v1/agreements/truce-9/review", json=body, headers=analyst).status_code == 404
        done = api.post(path, json=body, headers=analyst)
        assert done.status_code == 200, done.text
        assert done.json()["agreement_id"] == "truce-0" and done.json()["target_kind"] == "agreement"
        assert api.post(path, json={"action": "confirm"}, headers=analyst).status_code == 200
        shown = api.get("/api/v1/agreements/truce-0").json()
        assert shown["name"] == "Tripoli truce of January" and shown["review"]["verdict"]["value"] == "confirmed"

        # the record is built again, and the machine's name has moved
        with store.session() as session:
            save_record(session, AgreementRecord(
                id="truce-0", name="Invented truce zero", kind="truce", origin="import", country="Libya",
                signed="2020-01-11", parties=[Party("party", "Libyan National Army", "ly_lna", "ly_lna_side")],
                history=[StatusStep("agreed", "2020-01-11", None, "test")]), SaveCounts())
        shown = api.get("/api/v1/agreements/truce-0").json()
        decision = shown["review"]["name"]
        assert shown["name"] == "Tripoli truce of January"
        assert decision["machine_value"] == "Invented truce zero" and decision["conflict"] is True
        assert 'href="/agreements/truce-0"' in api.get("/review").text  # in the review queue

        log = api.get("/api/v1/audit", params={"target": "truce-0"}, headers=analyst).json()["items"]
        assert [(e["target_kind"], e["action"], e["field"]) for e in log] == [
            ("agreement", "correct", "name"), ("agreement", "confirm", "verdict")]
        undone = api.post(f"/api/v1/audit/{log[0]['id']}/undo", json={}, headers=analyst)
        assert undone.status_code == 200 and undone.json()["after"] == "Invented truce zero"
        assert api.get("/api/v1/agreements/truce-0").json()["name"] == "Invented truce zero"


def test_review_verbs_on_the_command_line(api_store: Any, tmp_path: Any) -> None:
    from trucewatch.cli import app

    store = api_store
    port, later = _holding(store, A), _holding(store, C)
    _agreements(store)
    access.add_user(store, "amira", "analyst")
    runner = CliRunner()
    base = ["--db", store.url, "--as", "amira"]
    bad = runner.invoke(app, ["review", later, "merge", "--reason", "same", *base])
    assert bad.exit_code == 2 and "--into" in bad.output
    assert runner.invoke(app, ["review", later, "merge", "--into", port, "--reason", "same", *base]).exit_code == 0
    assert _by_document(store) == {port: {A, B, C}}
    shown = runner.invoke(app, ["show", later, "--db", store.url])
    assert shown.exit_code != 0 and f"merged into '{port}'" in str(shown.exception)  # (the entry point prints it)
    split = runner.invoke(app, ["review", port, "split", "--document", C, "--reason", "not the same after all", *base])
    assert split.exit_code == 0, split.output
    assert len([i for i, docs in _by_document(store).items() if docs == {C}]) == 1
    assert runner.invoke(app, ["review", port, "ladder", "--value", "reported", "--reason", "one source",
                               *base]).exit_code == 0
    assert runner.invoke(app, ["review", "truce-1", "reject", "--agreement", "--reason", "a duplicate row",
                               *base]).exit_code == 0
    out = tmp_path / "audit.jsonl"
    assert runner.invoke(app, ["audit", "export", "-o", str(out), "--db", store.url]).exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["action"], r["target_kind"], r["field"]) for r in rows] == [
        ("merge", "incident", "merged_into"), ("split", "incident", "split"), ("ladder", "incident", "ladder_step"),
        ("reject", "agreement", "verdict")]
    assert all(r["actor"] == "amira" and r["reason"] and r["at"] for r in rows)


def test_dashboard_forms_merge_split_and_ladder(api_store: Any) -> None:
    """With JavaScript off: plain form posts with the session's CSRF token."""
    import re

    store = api_store
    port, later = _holding(store, A), _holding(store, C)
    _agreements(store)
    access.add_user(store, "amira", "analyst")
    token = access.create_token(store, "amira")
    with served(store, secure_cookies=False) as web:  # plain HTTP client: the cookie must travel without TLS
        def csrf(page: str) -> str:
            return re.search(r'name="csrf" value="([^"]+)"', web.get(page).text).group(1)  # type: ignore[union-attr]

        assert web.post("/login", data={"token": token, "csrf": csrf("/login")}).status_code == 303
        page = web.get(f"/incidents/{later}").text
        assert f'action="/incidents/{later}/merge"' in page and 'name="event"' in page
        assert web.post(f"/incidents/{later}/merge", data={"into": port, "reason": "same"}).status_code == 403
        moved = web.post(f"/incidents/{later}/merge", data={"into": port, "reason": "same",
                                                            "csrf": csrf(f"/incidents/{later}")})
        assert moved.status_code == 303 and moved.headers["location"] == f"/incidents/{port}"
        went = web.get(f"/incidents/{later}", follow_redirects=False)
        assert went.status_code == 307 and went.headers["location"] == f"/incidents/{port}"
        with store.sessions() as session:
            (c_event,) = session.scalars(select(IncidentEvent.event_id).where(IncidentEvent.document_id == C))
        split = web.post(f"/incidents/{port}/split", data={"event": [c_event], "reason": "apart",
                                                          "csrf": csrf(f"/incidents/{port}")})
        assert split.status_code == 303
        assert len([i for i, docs in _by_document(store).items() if docs == {C}]) == 1
        stepped = web.post(f"/incidents/{port}/review", data={"action": "ladder", "value": "confirmed",
                                                              "reason": "the JMC's report",
                                                              "csrf": csrf(f"/incidents/{port}")})
        assert stepped.status_code == 303
        assert "Ladder step <strong>confirmed</strong>" in web.get(f"/incidents/{port}").text
        page = web.get("/agreements/truce-0").text
        assert 'action="/agreements/truce-0/review"' in page
        fixed = web.post("/agreements/truce-0/review", data={"action": "correct", "field": "country", "value": "Libya",
                                                            "reason": "checked", "csrf": csrf("/agreements/truce-0")})
        assert fixed.status_code == 303 and "country reviewed by amira" in web.get("/agreements/truce-0").text
    assert [e["action"] for e in audit.entries(store)] == ["merge", "split", "ladder", "correct"]
