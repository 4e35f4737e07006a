"""The rest of the API's resources and filters, served by a real uvicorn server on 127.0.0.1, on
SQLite and PostgreSQL: documents, events, stories and talks listed and paged, the incident
filters agreement, ladder step, confidence and language, and the streamed exports, which must
hold what paging through the list with the same filters shows. The reports are invented."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api_server import served
from tests.test_api_incidents import OTHERS, PORT, PROBLEM, _agreements
from tests.test_fusion_incidents import CLASH, doc, ev
from trucewatch.ceasefire.talks_record import Fact, TalksRecord
from trucewatch.ceasefire.talks_store import TalksCounts, save_round
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.store.schema import Incident, IncidentScope

# an Arabic report of its own happening, with a hostile-looking actor name (formula-safe CSV)
ARABIC = doc("9" * 32, "Wakala", ev(event_date="2020-09-10", **CLASH, actor1="=HYPERLINK(\"x\")", confidence=0.9),
             ev(event_date="2020-09-01", status="background", confidence=0.2), published="2020-09-11")
ARABIC["language"] = "ar"
# the port reports carry confidences; the others none
DOCS = [{**PORT[0], "events": [{**PORT[0]["events"][0], "confidence": 0.8}]},
        {**PORT[1], "events": [{**PORT[1]["events"][0], "confidence": 0.4}]}, *OTHERS, ARABIC]
STEPS = ("alleged", "reported", "corroborated", "confirmed")


def _scope(store: Any) -> dict[str, str]:
    """Stored scope rows (as ``trucewatch scope`` writes them); {name: incident id}."""
    with store.sessions() as session:
        by_day = {i.event_date: i.id for i in session.query(Incident)}
    days = {"port": "2020-02-18", "march": "2020-03-10", "april": "2020-04-10", "may": "2020-05-10",
            "september": "2020-09-10"}
    named = {name: by_day[day] for name, day in days.items() if day in by_day}
    now = dt.datetime.now(dt.timezone.utc)
    rows = [("port", "truce-0", True, "corroborated"), ("march", "truce-0", None, "alleged"),
            ("april", "truce-1", True, "reported"), ("april", "truce-0", False, None),
            ("may", "truce-0", True, "reported"), ("may", "truce-1", True, "confirmed")]
    with store.session() as session:
        session.add_all(IncidentScope(incident_id=named[name], agreement_id=agreement, in_scope=inside, rule="test",
                                      evidence={}, step=step, rank=STEPS.index(step) + 1 if step else None,
                                      checked_at=now)
                        for name, agreement, inside, step in rows if name in named)
    return named


def _talks(store: Any) -> None:
    with store.session() as session:
        for k, start in enumerate(["2020-10-20", None, "2020-02-03"]):
            fact = Fact("venue", "Geneva", "a" * 32, 0, 8, "Invented")
            save_round(session, TalksRecord(id=f"round-{k}", name=f"Invented round {k}", forum="jmc_5plus5",
                                            track="military" if k != 1 else "political", country="Libya",
                                            start=start, end=start, venue="Geneva", facts=[fact]), TalksCounts())


@pytest.fixture
def world(store: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    write_documents(store, DOCS)
    fuse(store)
    _agreements(store)
    named = _scope(store)
    _talks(store)
    with served(store, per_minute=0) as client:
        yield client, named


def _walk(api: httpx.Client, path: str, limit: int, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list, page by page."""
    seen: list[dict[str, Any]] = []
    query: dict[str, Any] = {"limit": limit, **params}
    for _ in range(100):  # a cursor that does not move on fails here instead of looping
        got = api.get(path, params=query)
        assert got.status_code == 200, got.text
        page = got.json()
        seen += page["items"]
        if page["next"] is None:
            return seen
        assert page["items"], "a page with a next cursor holds something"
        query["cursor"] = page["next"]
    raise AssertionError(f"{path} did not end within 100 pages")


def _ids(api: httpx.Client, **params: Any) -> set[str]:
    return {i["id"] for i in _walk(api, "/api/v1/incidents", 500, **params)}


def test_incident_filters_agreement_step_confidence_language(world: tuple[httpx.Client, dict[str, str]]) -> None:
    api, named = world
    assert _ids(api, agreement="truce-0") == {named["port"], named["may"]}
    assert _ids(api, agreement="truce-0", undetermined="true") == {named["port"], named["may"], named["march"]}
    assert _ids(api, agreement="truce-1") == {named["april"], named["may"]}
    assert _ids(api, agreement="no-such-truce") == set()
    # the step under an agreement, and (without one) the highest under any it is or may be in
    assert _ids(api, agreement="truce-0", step="reported") == {named["may"]}
    assert _ids(api, step="reported") == {named["april"]}  # may is confirmed under truce-1
    assert _ids(api, step="confirmed") == {named["may"]}
    assert _ids(api, step="alleged") == {named["march"]}
    assert _ids(api, min_step="corroborated") == {named["port"], named["may"]}
    assert _ids(api, min_step="alleged") == set(named.values()) - {named["september"]}
    # confidence: the best of the reports carrying it
    assert _ids(api, min_confidence=0.5) == {named["port"], named["september"]}
    assert _ids(api, min_confidence=0.85) == {named["september"]}
    assert _ids(api, language="ar") == {named["september"]}
    assert len(_ids(api, language="en")) == 6
    # filters combine, and a page of a filtered list is a page: paging by 1 covers the same set
    assert _ids(api, min_step="alleged", country="Libya", since="2020-03-01") == {named["march"], named["april"],
                                                                                  named["may"]}
    assert {i["id"] for i in _walk(api, "/api/v1/incidents", 1, min_step="alleged")} == _ids(api, min_step="alleged")


@pytest.mark.parametrize("query, status", [
    ("step=confirmedish", 422), ("min_step=", 422), ("min_confidence=1.5", 422), ("min_confidence=x", 422),
    ("undetermined=true", 400), ("cursor=WzAsIjIwMjAiXQ", 400),
])
def test_bad_incident_filters_are_problems(world: tuple[httpx.Client, dict[str, str]], query: str, status: int) -> None:
    api, _ = world
    got = api.get(f"/api/v1/incidents?{query}")
    assert got.status_code == status and got.headers["content-type"] == PROBLEM, got.text


def test_documents_list_filters_and_pages(world: tuple[httpx.Client, dict[str, str]]) -> None:
    api, _ = world
    every = _walk(api, "/api/v1/documents", 500)
    assert len(every) == len(DOCS) and len({d["id"] for d in every}) == len(DOCS)
    assert [d["id"] for d in _walk(api, "/api/v1/documents", 2)] == [d["id"] for d in every]
    days = [d["published"] for d in every]
    assert days == sorted(days)
    assert [d["id"] for d in _walk(api, "/api/v1/documents", 10, language="ar")] == ["9" * 32]
    assert [d["id"] for d in _walk(api, "/api/v1/documents", 10, since="2020-09-11")] == ["9" * 32]
    assert len(_walk(api, "/api/v1/documents", 10, until="2020-02-19")) == len(DOCS) - 1
    assert [d["outlet"] for d in _walk(api, "/api/v1/documents", 10, outlet="Desert Wire")] == ["Desert Wire"]
    assert all(d["story"] for d in every) and "text" not in every[0]


def test_events_list_filters_detail_and_pages(world: tuple[httpx.Client, dict[str, str]]) -> None:
    api, named = world
    every = _walk(api, "/api/v1/events", 500)
    assert len(every) == 9 and len({e["event_id"] for e in every}) == 9
    assert [e["event_id"] for e in _walk(api, "/api/v1/events", 2)] == [e["event_id"] for e in every]
    assert {e["status"] for e in _walk(api, "/api/v1/events", 50, status="background")} == {"background"}
    assert len(_walk(api, "/api/v1/events", 50, language="ar")) == 2
    assert len(_walk(api, "/api/v1/events", 50, document_id="9" * 32, status="main")) == 1
    assert {e["document_id"] for e in _walk(api, "/api/v1/events", 50, min_confidence=0.5)} == {"a" * 32, "9" * 32}
    east = _walk(api, "/api/v1/events", 50, bbox="15,30,25,35")
    assert east and all(e["longitude"] > 15 for e in east)
    assert [e["event_date"] for e in _walk(api, "/api/v1/events", 50, since="2020-09-01", until="2020-09-05")] == [
        "2020-09-01"]
    main = next(e for e in every if e["document_id"] == "a" * 32)
    one = api.get(f"/api/v1/events/{main['event_id']}").json()
    assert one["evidence"] and one["evidence"][0]["end"] > one["evidence"][0]["start"]
    assert one["incidents"] == [{"incident_id": named["port"], "role": "member", "score": one["incidents"][0]["score"]}]
    missing = api.get("/api/v1/events/nothing")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert api.get("/api/v1/events", params={"status": "rumoured"}).status_code == 422


def test_stories_list_and_detail(world: tuple[httpx.Client, dict[str, str]]) -> None:
    api, _ = world
    every = _walk(api, "/api/v1/stories", 500)
    assert [s["id"] for s in _walk(api, "/api/v1/stories", 1)] == [s["id"] for s in every]
    assert sum(s["size"] for s in every) == len(DOCS)
    story = api.get(f"/api/v1/documents/{'9' * 32}").json()["story"]
    assert [s["id"] for s in _walk(api, "/api/v1/stories", 50, language="ar")] == [story]
    one = api.get(f"/api/v1/stories/{story}").json()
    assert "9" * 32 in [m["document_id"] for m in one["members"]] and len(one["members"]) == one["size"]
    assert all(isinstance(m["decision"], dict) for m in one["members"])
    assert all(s["last_date"] >= "2020-09-01" for s in _walk(api, "/api/v1/stories", 50, since="2020-09-01"))
    assert api.get("/api/v1/stories/nothing").status_code == 404


def test_talks_list_and_detail(world: tuple[httpx.Client, dict[str, str]]) -> None:
    api, _ = world
    assert [r["id"] for r in _walk(api, "/api/v1/talks", 1)] == ["round-2", "round-0", "round-1"]
    assert [r["id"] for r in _walk(api, "/api/v1/talks", 5, track="political")] == ["round-1"]
    assert [r["id"] for r in _walk(api, "/api/v1/talks", 5, since="2020-03-01")] == ["round-0"]
    one = api.get("/api/v1/talks/round-0").json()
    assert one["venue"]["name"] == "Geneva" and one["venue"]["evidence"][0]["document_id"] == "a" * 32
    assert one["forum"]["id"] == "jmc_5plus5"
    assert api.get("/api/v1/talks/round-9").status_code == 404


@pytest.mark.parametrize("params", [{}, {"min_step": "alleged"}, {"language": "ar"}, {"since": "2020-04-01"}])
def test_incident_exports_match_the_list(world: tuple[httpx.Client, dict[str, str]], params: dict[str, Any]) -> None:
    api, _ = world
    listed = [i["id"] for i in _walk(api, "/api/v1/incidents", 2, **params)]
    jsonl = api.get("/api/v1/exports/incidents.jsonl", params=params)
    assert jsonl.status_code == 200 and jsonl.headers["content-type"] == "application/x-ndjson"
    assert jsonl.headers["content-disposition"] == 'attachment; filename="incidents.jsonl"'
    rows = [json.loads(line) for line in jsonl.text.splitlines()]
    assert [r["incident_id"] for r in rows] == listed
    got = api.get("/api/v1/exports/incidents.csv", params=params)
    assert got.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(got.text)))
    assert [r["incident_id"] for r in table] == listed
    geo = api.get("/api/v1/exports/incidents.geojson", params=params)
    assert geo.headers["content-type"] == "application/geo+json"
    collection = geo.json()
    assert collection["type"] == "FeatureCollection" and [f["id"] for f in collection["features"]] == listed


def test_exports_are_formula_safe_and_carry_the_ladder(world: tuple[httpx.Client, dict[str, str]]) -> None:
    api, named = world
    table = list(csv.DictReader(io.StringIO(api.get("/api/v1/exports/incidents.csv").text)))
    arabic = next(r for r in table if r["incident_id"] == named["september"])
    assert arabic["actor1"] == "'=HYPERLINK(\"x\")"  # neutralised, as trucewatch export writes it
    assert not any(cell.startswith(("=", "+", "@")) for row in table for cell in row.values() if cell)
    assert next(r for r in table if r["incident_id"] == named["may"])["ladder_step"] == "confirmed"
    events = api.get("/api/v1/exports/events.csv", params={"language": "ar"})
    assert events.headers["content-disposition"] == 'attachment; filename="events.csv"'
    rows = list(csv.DictReader(io.StringIO(events.text)))
    assert [r["event_id"] for r in rows] == [e["event_id"] for e in _walk(api, "/api/v1/events", 1, language="ar")]
    lines = api.get("/api/v1/exports/events.jsonl", params={"status": "background"}).text.splitlines()
    assert [json.loads(x)["status"] for x in lines] == ["background"]
    bad = api.get("/api/v1/exports/incidents.csv", params={"bbox": "10,40,20,30"})
    assert bad.status_code == 400 and bad.headers["content-type"] == PROBLEM


def test_new_lists_answer_304_with_their_etag(world: tuple[httpx.Client, dict[str, str]]) -> None:
    api, _ = world
    for path in ("/api/v1/documents", "/api/v1/events", "/api/v1/stories", "/api/v1/talks", "/api/v1/talks/round-0"):
        first = api.get(path)
        again = api.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b"", path


def test_cli_incidents_takes_the_same_filters(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.clitools import run
    from trucewatch.store import open_store

    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    db = str(tmp_path / "t.db")
    store = open_store(f"sqlite:///{db}")
    try:
        write_documents(store, DOCS)
        fuse(store)
        _agreements(store)
        named = _scope(store)
    finally:
        store.close()

    def listed(*options: str) -> set[str]:
        done = run("incidents", "--db", db, "--json", *options)
        assert done.returncode == 0, done.stderr
        return {json.loads(line)["id"] for line in done.stdout.splitlines()}

    assert listed("--step", "confirmed") == {named["may"]}
    assert listed("--min-step", "corroborated", "--min-confidence", "0.5") == {named["port"]}
    assert listed("--language", "ar") == {named["september"]}
    refused = run("incidents", "--db", db, "--min-step", "certain")
    assert refused.returncode == 2 and "alleged, reported" in refused.stderr
