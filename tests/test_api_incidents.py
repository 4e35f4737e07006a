"""The incidents API, served by a real uvicorn server on 127.0.0.1, on SQLite and PostgreSQL:
filters, cursor pages, ETags, problem+json errors and the OpenAPI document. The reports are
invented (see test_fusion_incidents)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from tests.api_server import served
from tests.test_fusion_incidents import BENGHAZI, CLASH, TRIPOLI, doc, ev
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents

PROBLEM = "application/problem+json"

# the Tripoli port shelling, told by two outlets, one of which also gives a toll
PORT = [doc("a" * 32, "Desert Wire", ev(fatalities=2)), doc("b" * 32, "Harbour Post", ev(fatalities=3))]
# other happenings, a month apart, each told once (six incidents in all, with the port)
OTHERS = [doc(f"{k:x}" * 32, f"Outlet {k}", ev(event_date=f"2020-{k + 2:02d}-10", **CLASH,
                                                **(BENGHAZI if k % 2 else TRIPOLI)))
          for k in range(1, 6)]


@pytest.fixture
def api(store: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    """The store with fused incidents, served on a free loopback port for the test's length."""
    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    write_documents(store, PORT + OTHERS)
    fuse(store)
    with served(store) as client:
        yield client


def test_list_and_detail(api: httpx.Client) -> None:
    page = api.get("/api/v1/incidents").json()
    assert len(page["items"]) == 6 and page["next"] is None
    port = next(i for i in page["items"] if i["event_date"] == "2020-02-18")
    assert port["corroboration"] == 2 and {s["outlet"] for s in port["sources"]} == {"Desert Wire", "Harbour Post"}
    assert port["disputed"]  # two tolls
    one = api.get(f"/api/v1/incidents/{port['id']}")
    assert one.status_code == 200 and one.headers["content-type"] == "application/json"
    body = one.json()
    assert {r["document_id"] for r in body["reports"]} == {"a" * 32, "b" * 32}
    span = body["reports"][0]["evidence"][0]
    assert span["end"] > span["start"] >= 0 and span["text"]
    assert body["consensus"]["values"]["fatalities"]


def test_filters(api: httpx.Client) -> None:
    def ids(**params: Any) -> list[str]:
        got = api.get("/api/v1/incidents", params=params)
        assert got.status_code == 200, got.text
        return [i["event_date"] for i in got.json()["items"]]

    assert ids(since="2020-04-01", until="2020-06-10") == ["2020-04-10", "2020-05-10", "2020-06-10"]
    assert ids(type="Armed clash") == [f"2020-{k + 2:02d}-10" for k in range(1, 6)]
    assert ids(min_corroboration=2) == ["2020-02-18"]
    assert ids(disputed="true") == ["2020-02-18"]
    assert len(ids(disputed="false")) == 5
    # Benghazi lies east of 15 degrees; Tripoli west of it
    assert ids(bbox="15,30,25,35") == ["2020-03-10", "2020-05-10", "2020-07-10"]
    assert ids(bbox="10,30,15,35", type="Battles") == ["2020-04-10", "2020-06-10"]
    assert ids(bbox="170,30,15,35") == ids(bbox="10,30,15,35")  # across the antimeridian: 170 east to 15 east
    assert ids(country="Libya") == ids() and ids(country="Sudan") == []


def test_cursor_pages_cover_everything_once(api: httpx.Client) -> None:
    whole = [i["id"] for i in api.get("/api/v1/incidents").json()["items"]]
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 4}
    while True:
        page = api.get("/api/v1/incidents", params=params).json()
        seen += [i["id"] for i in page["items"]]
        if page["next"] is None:
            break
        params["cursor"] = page["next"]
    assert seen == whole and len(seen) == 6


def test_etag_answers_304_when_nothing_changed(api: httpx.Client) -> None:
    first = api.get("/api/v1/incidents")
    etag = first.headers["etag"]
    again = api.get("/api/v1/incidents", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = api.get("/api/v1/incidents", params={"limit": 2}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


@pytest.mark.parametrize("path, status", [
    ("/api/v1/incidents/inc-nothing", 404),
    ("/api/v1/incidents?since=18-02-2020", 422),
    ("/api/v1/incidents?limit=0", 422),
    ("/api/v1/incidents?bbox=1,2,3", 422),
    ("/api/v1/incidents?bbox=10,40,20,30", 400),
    ("/api/v1/incidents?cursor=not-a-cursor", 400),
    ("/api/v1/incidents?cursor=WzEsMiwzXQ", 400),
    ("/api/v1/nothing-here", 404),
    ("/api/v1/incidents?country=Lib%00ya", 400),  # PostgreSQL takes no NUL in a text
    ("/api/v1/incidents/inc-%00", 400),
])
def test_errors_are_problems(api: httpx.Client, path: str, status: int) -> None:
    got = api.get(path)
    assert got.status_code == status and got.headers["content-type"] == PROBLEM
    body = got.json()
    assert body["status"] == status and body["title"] and body["instance"] == unquote(path.split("?")[0])


def test_wrong_method_is_a_problem(api: httpx.Client) -> None:
    got = api.delete("/api/v1/incidents")
    assert got.status_code == 405 and got.headers["content-type"] == PROBLEM


def test_openapi_document_lists_the_paths(api: httpx.Client) -> None:
    doc_ = api.get("/api/v1/openapi.json").json()
    assert {"/api/v1/incidents", "/api/v1/incidents/{incident_id}", "/api/v1/agreements",
            "/api/v1/agreements/{agreement_id}", "/api/v1/documents/{document_id}", "/api/v1/search"} <= set(doc_["paths"])
    listed = doc_["paths"]["/api/v1/incidents"]["get"]
    assert {p["name"] for p in listed["parameters"]} >= {"since", "until", "bbox", "cursor", "limit", "country"}


def _agreements(store: Any) -> None:
    from trucewatch.ceasefire.record import AgreementRecord, Party, StatusStep
    from trucewatch.ceasefire.save import SaveCounts, save_record

    with store.session() as session:
        for k, signed in enumerate(["2020-01-11", "2020-03-02", None, "2019-12-30"]):
            save_record(session, AgreementRecord(
                id=f"truce-{k}", name=f"Invented truce {k}", kind="truce", origin="import", country="Libya",
                signed=signed, parties=[Party("party", "Libyan National Army", "ly_lna", "ly_lna_side")],
                history=[StatusStep("agreed", signed or "2020-05-01", None, "test")]), SaveCounts())


def test_agreements_page_by_day_then_undated(api: httpx.Client, store: Any) -> None:
    _agreements(store)
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 3}
    while True:
        page = api.get("/api/v1/agreements", params=params).json()
        seen += [a["id"] for a in page["items"]]
        if page["next"] is None:
            break
        params["cursor"] = page["next"]
    assert seen == ["truce-3", "truce-0", "truce-1", "truce-2"]
    one = api.get("/api/v1/agreements/truce-0").json()
    assert one["name"] == "Invented truce 0" and one["parties"][0]["actor_id"] == "ly_lna"
    assert api.get("/api/v1/agreements", params={"actor": "ly_gna"}).json()["items"] == []
    missing = api.get("/api/v1/agreements/truce-9")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


def test_document_and_search(api: httpx.Client) -> None:
    body = api.get(f"/api/v1/documents/{'a' * 32}").json()
    assert body["text"].startswith("Invented report.") and body["outlet"] == "Desert Wire" and body["story"]
    word = body["text"].split()[3].strip(".")
    hits = api.get("/api/v1/search", params={"q": word}).json()["items"]
    assert "a" * 32 in {h["id"] for h in hits}
    too_long = api.get("/api/v1/search", params={"q": " ".join(["word"] * 40)})
    assert too_long.status_code == 400 and too_long.headers["content-type"] == PROBLEM
    assert api.get("/api/v1/documents/nothing").status_code == 404


def test_docs_page_and_security_headers(api: httpx.Client) -> None:
    page = api.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/api/v1/incidents/{incident_id}" in page.text and "IncidentDetail" in page.text
    assert "<script" not in page.text  # the reference reads with JavaScript off
    css = api.get("/static/docs.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    for answer in (page, css, api.get("/api/v1/incidents"), api.get("/api/v1/incidents/none")):
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "access-control-allow-origin" not in answer.headers  # CORS off
