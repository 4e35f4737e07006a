"""The authorisation matrix: every role (none, viewer, analyst, admin, a revoked token)
against every endpoint and method, on a public server and on a token-only one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api_server import served
from tests.test_api_incidents import PORT, _agreements
from tests.test_api_resources import _talks
from trucewatch.api import access
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents

ROLES = ("anonymous", "revoked", "viewer", "analyst", "admin")
READS = ["/api/v1/incidents", "/api/v1/incidents/{incident}", "/api/v1/agreements", "/api/v1/agreements/truce-0",
         f"/api/v1/documents/{'a' * 32}", "/api/v1/search?q=Invented", "/api/v1/documents", "/api/v1/events",
         "/api/v1/events/{event}", "/api/v1/stories", "/api/v1/stories/{story}", "/api/v1/talks",
         "/api/v1/talks/round-0", "/api/v1/incidents?agreement=truce-0&min_step=alleged&language=en",
         *(f"/api/v1/exports/{what}.{fmt}" for what in ("incidents", "events") for fmt in ("csv", "jsonl", "geojson"))]


def _expected(role: str, read_mode: str, write: bool) -> int:
    if role == "revoked":
        return 401  # a bad token is refused even where none is needed
    if write:
        return {"anonymous": 401, "viewer": 403}.get(role, 200)
    if role == "anonymous" and read_mode == "token":
        return 401
    return 200


@pytest.mark.parametrize("read_mode", ["public", "token"])
def test_every_role_against_every_endpoint(store: Any, monkeypatch: pytest.MonkeyPatch, read_mode: str) -> None:
    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    write_documents(store, PORT)
    fuse(store)
    _agreements(store)
    _talks(store)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in ("viewer", "analyst", "admin"):
        access.add_user(store, f"{role}-1", role)
        headers[role] = {"Authorization": f"Bearer {access.create_token(store, f'{role}-1')}"}
    access.add_user(store, "gone", "admin")
    revoked = access.create_token(store, "gone")
    access.revoke_token(store, revoked)
    headers["revoked"] = {"Authorization": f"Bearer {revoked}"}
    with store.sessions() as session:
        from trucewatch.store.schema import Incident

        from trucewatch.store.schema import Event, Story

        incident = session.query(Incident.id).scalar()
        ids = {"incident": incident, "event": session.query(Event.id).first()[0],
               "story": session.query(Story.id).first()[0]}
    failures = []
    with served(store, read=read_mode, per_minute=0) as api:
        for role in ROLES:
            for path in READS + ["/api/v1/audit"]:
                url = path.format(**ids)
                want = 403 if path == "/api/v1/audit" and role == "viewer" else _expected(
                    role, read_mode, write=path == "/api/v1/audit")
                got = api.get(url, headers=headers[role]).status_code
                if got != want:
                    failures.append(f"{role} GET {url}: {got}, wanted {want}")
            review = api.post(f"/api/v1/incidents/{incident}/review", json={"action": "confirm"},
                              headers=headers[role])
            if review.status_code != _expected(role, read_mode, write=True):
                failures.append(f"{role} POST review: {review.status_code}")
            if review.status_code == 200:
                undo = api.post(f"/api/v1/audit/{review.json()['audit_id']}/undo", json={}, headers=headers[role])
                if undo.status_code != 200:
                    failures.append(f"{role} POST undo: {undo.status_code}")
            else:  # an undo by a caller who may not write is refused before anything is looked up
                undo = api.post("/api/v1/audit/1/undo", json={}, headers=headers[role])
                if undo.status_code != _expected(role, read_mode, write=True):
                    failures.append(f"{role} POST undo: {undo.status_code}")
            # merging, splitting and reviewing incidents and agreements: refused before anything
            # is looked up for those who may not write; for analysts, a merge into no incident is
            # a 404 and a split of an event it does not hold (or of an imported agreement) a 400
            # (so the data stays as it is); what is done is undone for the next role
            for path, body, allowed in ((f"/api/v1/incidents/{incident}/merge", {"into": "inc-none", "reason": "r"}, 404),
                                        (f"/api/v1/incidents/{incident}/split", {"events": ["none"], "reason": "r"}, 400),
                                        ("/api/v1/agreements/truce-0/review", {"action": "confirm"}, 200),
                                        ("/api/v1/agreements/truce-1/merge", {"into": "truce-0", "reason": "r"}, 200),
                                        ("/api/v1/agreements/truce-0/split", {"documents": ["d"], "reason": "r"}, 400)):
                want = _expected(role, read_mode, write=True)
                got = api.post(path, json=body, headers=headers[role])
                if got.status_code != (allowed if want == 200 else want):
                    failures.append(f"{role} POST {path}: {got.status_code}")
                if got.status_code == 200:
                    undo = api.post(f"/api/v1/audit/{got.json()['audit_id']}/undo", json={}, headers=headers[role])
                    if undo.status_code != 200:
                        failures.append(f"{role} POST undo of {path}: {undo.status_code}")
            for method in ("PUT", "DELETE", "PATCH"):
                got = api.request(method, "/api/v1/incidents", headers=headers[role]).status_code
                if got != 405:
                    failures.append(f"{role} {method} /api/v1/incidents: {got}")
    assert failures == []
