"""Merging and splitting agreement records, on SQLite and PostgreSQL with a real server: a
merge shows one agreement (and survives a rebuild from the news), a split makes a record
of its own from some documents' reports (and survives a rebuild), each undone; the command
line and the dashboard's forms do the same. The reports are ours (see test_ceasefire_news)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.api_server import served
from tests.test_api_incidents import _agreements
from tests.test_ceasefire_news import _add_document, _add_event, _fill
from trucewatch.api import access
from trucewatch.ceasefire.news import build_from_news
from trucewatch.ceasefire.query import detail, iter_agreements
from trucewatch.ceasefire.scope import agreement_id_of
from trucewatch.review import audit
from trucewatch.store.schema import AgreementPin

#: a second outlet on the June truce, a day after it: the builder groups it with the truce
REPORT_F = ("Envoys of the Government of National Accord and the Libyan National Army signed a pledge on Saturday "
            "to reopen the coastal road.")


@pytest.fixture
def news(store: Any) -> tuple[Any, dict[str, str]]:
    docs = _fill(store)
    with store.session() as session:
        f = docs["f"] = _add_document(session, REPORT_F)
        _add_event(session, f, REPORT_F, 1, "main", "2020-06-06", "pledge", [REPORT_F])
    with store.session() as session:
        build_from_news(session)
    return store, docs


def _news(store: Any) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in iter_agreements(store) if r["origin"] == "news"}


def _documents(record: dict[str, Any]) -> set[str]:
    return {s["document_id"] for s in record["sources"] if s["document_id"]}


def _token(store: Any, name: str, role: str) -> dict[str, str]:
    access.add_user(store, name, role)
    return {"Authorization": f"Bearer {access.create_token(store, name)}"}


def _rebuild(store: Any) -> None:
    with store.session() as session:
        build_from_news(session)


def test_merge_shows_one_agreement_survives_a_rebuild_and_is_undone(news: Any) -> None:
    store, _docs = news
    (truce,) = [r for r in _news(store).values() if r["kind"] == "truce"]
    gna, lna = sorted((r for r in _news(store).values() if r["kind"] == "unilateral_declaration"),
                      key=lambda r: r["parties"][0]["actor_id"])
    analyst, viewer = _token(store, "amira", "analyst"), _token(store, "vera", "viewer")
    path = f"/api/v1/agreements/{lna['id']}/merge"
    body = {"into": gna["id"], "reason": "one halt to operations, declared by both the same day"}
    with served(store) as api:
        assert api.post(path, json=body).status_code == 401
        assert api.post(path, json=body, headers=viewer).status_code == 403
        assert api.post(path, json={**body, "into": lna["id"]}, headers=analyst).status_code == 400
        assert api.post(path, json={**body, "into": "news-nothere"}, headers=analyst).status_code == 404
        assert api.post(path, json={"into": gna["id"]}, headers=analyst).status_code == 422  # no reason
        done = api.post(path, json=body, headers=analyst)
        assert done.status_code == 200, done.text
        assert done.json()["agreement_id"] == lna["id"] and done.json()["after"] == gna["id"]

        listed = api.get("/api/v1/agreements", params={"origin": "news"}).json()["items"]
        assert sorted(r["id"] for r in listed) == sorted([truce["id"], gna["id"]])
        shown = api.get(f"/api/v1/agreements/{gna['id']}").json()
        assert shown["merged_from"] == [lna["id"]]
        assert sorted(p["actor_id"] for p in shown["parties"]) == ["ly_gna", "ly_lna"]
        went = api.get(f"/api/v1/agreements/{lna['id']}", follow_redirects=False)
        assert went.status_code == 307 and went.headers["location"] == f"/api/v1/agreements/{gna['id']}"
        assert went.json() == {"id": lna["id"], "merged_into": gna["id"]}
        # the merged record is acted on through the other
        again = api.post(path, json=body, headers=analyst)
        assert again.status_code == 400 and gna["id"] in again.json()["detail"]
        assert api.post(f"/api/v1/agreements/{lna['id']}/review", json={"action": "confirm"},
                        headers=analyst).status_code == 400
        assert agreement_id_of(store, lna["id"]) == gna["id"]
        log = api.get("/api/v1/audit", params={"target": gna["id"]}, headers=analyst).json()["items"]
        assert [(e["action"], e["target_id"]) for e in log] == [("merge", lna["id"])]  # the record merged into

        _rebuild(store)  # the machine makes both records again: the merge holds
        assert sorted(_news(store)) == sorted([truce["id"], gna["id"]])
        assert detail(store, lna["id"])["id"] == gna["id"]  # type: ignore[index]

        undone = api.post(f"/api/v1/audit/{done.json()['audit_id']}/undo", json={}, headers=analyst)
        assert undone.status_code == 200, undone.text
        assert sorted(_news(store)) == sorted([truce["id"], gna["id"], lna["id"]])
        assert api.get(f"/api/v1/agreements/{lna['id']}", follow_redirects=False).status_code == 200
        assert "merged_from" not in api.get(f"/api/v1/agreements/{gna['id']}").json()


def test_split_makes_a_record_of_its_own_survives_a_rebuild_and_is_undone(news: Any) -> None:
    store, docs = news
    (truce,) = [r for r in _news(store).values() if r["kind"] == "truce"]
    assert _documents(truce) == {docs["a"], docs["b"], docs["e"], docs["f"]}
    _agreements(store)  # imported records, which cannot be split
    analyst = _token(store, "amira", "analyst")
    path = f"/api/v1/agreements/{truce['id']}/split"
    reason = "the road pledge is a separate arrangement"
    with served(store) as api:
        assert api.post("/api/v1/agreements/truce-0/split", json={"documents": [docs["a"]], "reason": reason},
                        headers=analyst).status_code == 400
        stranger = api.post(path, json={"documents": [docs["c"]], "reason": reason}, headers=analyst)
        assert stranger.status_code == 400 and docs["c"] in stranger.json()["detail"]
        every = sorted(_documents(truce))
        assert api.post(path, json={"documents": every, "reason": reason}, headers=analyst).status_code == 400
        assert api.post(path, json={"documents": [], "reason": reason}, headers=analyst).status_code == 422
        # the extension report only adds a later step: alone it founds nothing
        later = api.post(path, json={"documents": [docs["e"]], "reason": reason}, headers=analyst)
        assert later.status_code == 400 and "later steps" in later.json()["detail"]
        with store.sessions() as session:  # a refused split leaves no pin behind
            assert session.scalars(select(AgreementPin)).all() == []

        done = api.post(path, json={"documents": [docs["f"]], "reason": reason}, headers=analyst)
        assert done.status_code == 200, done.text
        new_id = done.json()["after"]
        records = _news(store)
        assert _documents(records[truce["id"]]) == {docs["a"], docs["b"], docs["e"]}
        assert _documents(records[new_id]) == {docs["f"]}
        assert records[new_id]["effective_from"] == "2020-06-06"
        assert api.get(f"/api/v1/agreements/{new_id}").json()["id"] == new_id

        _rebuild(store)  # every later build keeps the split
        records = _news(store)
        assert _documents(records[truce["id"]]) == {docs["a"], docs["b"], docs["e"]}
        assert _documents(records[new_id]) == {docs["f"]}

        log = api.get("/api/v1/audit", params={"target": truce["id"]}, headers=analyst).json()["items"]
        assert [(e["target_kind"], e["action"], e["field"]) for e in log] == [("agreement", "split", "split")]
        undone = api.post(f"/api/v1/audit/{log[0]['id']}/undo", json={}, headers=analyst)
        assert undone.status_code == 200, undone.text
        records = _news(store)
        assert new_id not in records
        assert _documents(records[truce["id"]]) == {docs["a"], docs["b"], docs["e"], docs["f"]}
        assert api.get(f"/api/v1/agreements/{new_id}").status_code == 404


def test_agreement_merge_and_split_on_the_command_line(news: Any, tmp_path: Any) -> None:
    from trucewatch.cli import app

    store, docs = news
    (truce,) = [r for r in _news(store).values() if r["kind"] == "truce"]
    gna, lna = sorted((r for r in _news(store).values() if r["kind"] == "unilateral_declaration"),
                      key=lambda r: r["parties"][0]["actor_id"])
    access.add_user(store, "amira", "analyst")
    runner = CliRunner()
    base = ["--db", store.url, "--as", "amira"]
    bad = runner.invoke(app, ["review", truce["id"], "split", "--agreement", "--event", "x", "--reason", "r", *base])
    assert bad.exit_code == 2 and "--document" in bad.output
    split = runner.invoke(app, ["review", truce["id"], "split", "--agreement", "--document", docs["f"],
                                "--reason", "a separate pledge", *base])
    assert split.exit_code == 0, split.output
    assert len(_news(store)) == 4
    merged = runner.invoke(app, ["review", lna["id"], "merge", "--agreement", "--into", gna["id"],
                                 "--reason", "declared together", *base])
    assert merged.exit_code == 0, merged.output
    assert len(_news(store)) == 3
    shown = runner.invoke(app, ["agreements", "show", lna["id"], "--db", store.url])
    assert shown.exit_code == 0 and gna["id"] in shown.output
    out = tmp_path / "audit.jsonl"
    assert runner.invoke(app, ["audit", "export", "-o", str(out), "--db", store.url]).exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["action"], r["target_kind"], r["target_id"], r["field"]) for r in rows] == [
        ("split", "agreement", truce["id"], "split"), ("merge", "agreement", lna["id"], "merged_into")]


def test_dashboard_forms_merge_and_split_agreements(news: Any) -> None:
    store, docs = news
    (truce,) = [r for r in _news(store).values() if r["kind"] == "truce"]
    gna, lna = sorted((r for r in _news(store).values() if r["kind"] == "unilateral_declaration"),
                      key=lambda r: r["parties"][0]["actor_id"])
    access.add_user(store, "amira", "analyst")
    token = access.create_token(store, "amira")
    with served(store, secure_cookies=False) as web:
        def csrf(page: str) -> str:
            return re.search(r'name="csrf" value="([^"]+)"', web.get(page).text).group(1)  # type: ignore[union-attr]

        assert 'action="/agreements/' not in web.get(f"/agreements/{truce['id']}").text  # signed out: no forms
        assert web.post("/login", data={"token": token, "csrf": csrf("/login")}).status_code == 303
        page = web.get(f"/agreements/{truce['id']}").text
        assert f'action="/agreements/{truce["id"]}/merge"' in page
        assert f'action="/agreements/{truce["id"]}/split"' in page and f'value="{docs["f"]}"' in page
        assert web.post(f"/agreements/{lna['id']}/merge", data={"into": gna["id"], "reason": "same"}
                        ).status_code == 403  # no CSRF token
        moved = web.post(f"/agreements/{lna['id']}/merge", data={"into": gna["id"], "reason": "declared together",
                                                                 "csrf": csrf(f"/agreements/{lna['id']}")})
        assert moved.status_code == 303 and moved.headers["location"] == f"/agreements/{gna['id']}"
        went = web.get(f"/agreements/{lna['id']}", follow_redirects=False)
        assert went.status_code == 307 and went.headers["location"] == f"/agreements/{gna['id']}"
        assert f"<code>{lna['id']}</code>" in web.get(f"/agreements/{gna['id']}").text
        refused = web.post(f"/agreements/{truce['id']}/split", data={"reason": "apart",
                                                                     "csrf": csrf(f"/agreements/{truce['id']}")})
        assert refused.status_code == 303 and "error=" in refused.headers["location"]
        split = web.post(f"/agreements/{truce['id']}/split", data={"document": [docs["f"]], "reason": "apart",
                                                                   "csrf": csrf(f"/agreements/{truce['id']}")})
        assert split.status_code == 303 and split.headers["location"] == f"/agreements/{truce['id']}"
    assert [e["action"] for e in audit.entries(store)] == ["merge", "split"]
    assert len(_news(store)) == 3
