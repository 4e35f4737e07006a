"""The dashboard's pages over HTTP from a real server (no browser: these read the HTML as a
browser with JavaScript off would get it). Hostile text from a report shows as text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api_server import served
from tests.test_api_incidents import OTHERS, PORT, _agreements
from tests.test_fusion_incidents import doc, ev
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.review import actions

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def site(store: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[httpx.Client, Any]]:
    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    hostile = doc("e" * 32, HOSTILE, ev(event_date="2021-01-05", location=HOSTILE, actor1=HOSTILE,
                                      evidence=[{"field": "sentence", "start": 0, "end": 30, "text": "x"}]))
    hostile["text"] = HOSTILE + " Invented report of a hostile page, with its script in the text. " * 3
    write_documents(store, PORT + OTHERS + [hostile])
    fuse(store)
    _agreements(store)
    with served(store) as client:
        yield client, store


def _incident(store: Any, day: str) -> str:
    from sqlalchemy import select

    from trucewatch.store.schema import Incident

    with store.sessions() as session:
        return session.scalars(select(Incident.id).where(Incident.event_date == day)).one()


def test_incidents_page_filters_from_the_url(site: tuple[httpx.Client, Any]) -> None:
    web, _store = site
    page = web.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count('href="/incidents/inc-') == 7 and "Incidents by week" in page.text
    assert 'id="map"' in page.text and "/static/vendor/leaflet/leaflet.js" in page.text
    only = web.get("/", params={"since": "2020-04-01", "until": "2020-06-30", "type": "Armed clash"})
    assert only.text.count('href="/incidents/inc-') == 3 and 'value="2020-04-01"' in only.text  # kept in the form
    bad = web.get("/", params={"since": "yesterday"})
    assert bad.status_code == 400 and "since must be a YYYY-MM-DD date" in bad.text


def test_incidents_page_takes_the_api_filters(site: tuple[httpx.Client, Any]) -> None:
    """Agreement, ladder step, confidence and language, as the API's list takes them."""
    web, _store = site
    assert web.get("/", params={"language": "en"}).text.count('href="/incidents/inc-') == 7
    arabic = web.get("/", params={"language": "ar"})
    assert arabic.status_code == 200 and 'href="/incidents/inc-' not in arabic.text and 'value="ar"' in arabic.text
    nowhere = web.get("/", params={"agreement": "no-such-agreement"})
    assert nowhere.status_code == 200 and 'href="/incidents/inc-' not in nowhere.text
    assert "<option value=\"confirmed\"" in nowhere.text  # the ladder steps to choose from
    for params, message in (({"step": "certain"}, "step must be one of"),
                            ({"min_confidence": "2"}, "min-confidence must be between 0 and 1"),
                            ({"min_confidence": "high"}, "min_confidence must be a number from 0 to 1"),
                            ({"language": "<b>"}, "language must be a language code")):
        refused = web.get("/", params=params)
        assert refused.status_code == 400 and message in refused.text


def test_incident_page_shows_sources_and_evidence_in_context(site: tuple[httpx.Client, Any]) -> None:
    web, store = site
    incident = _incident(store, "2020-02-18")
    actions.review(store, incident, "amira", "correct", field="fatalities", value=4, reason="hospital list")
    page = web.get(f"/incidents/{incident}").text
    assert "Desert Wire" in page and "Harbour Post" in page and page.count("<mark>") >= 2
    assert "reviewed by amira" in page and ">4" in page
    assert web.get("/incidents/inc-none").status_code == 404


def test_hostile_report_shows_as_text(site: tuple[httpx.Client, Any]) -> None:
    web, store = site
    incident = _incident(store, "2021-01-05")
    for path in (f"/incidents/{incident}", "/", "/search?q=hostile"):
        page = web.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;" in page, path


def test_agreement_search_and_review_pages(site: tuple[httpx.Client, Any]) -> None:
    web, store = site
    page = web.get("/agreements/truce-0")
    assert page.status_code == 200 and "Invented truce 0" in page.text and "Libyan National Army" in page.text
    assert web.get("/agreements/none").status_code == 404
    hits = web.get("/search", params={"q": "Invented"}).text
    assert hits.count('href="/api/v1/documents/') >= 2
    assert web.get("/search", params={"q": " ".join(["w"] * 40)}).status_code == 400
    queue = web.get("/review").text
    assert "Disputed, not yet reviewed (1)" in queue  # the port shelling's two tolls
    actions.review(store, _incident(store, "2020-02-18"), "amira", "confirm")
    assert "Disputed, not yet reviewed (0)" in web.get("/review").text


def _analyst_and_port(store: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The port shelling fused, and a token of the analyst amira."""
    from trucewatch.api import access

    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    write_documents(store, PORT)
    fuse(store)
    access.add_user(store, "amira", "analyst")
    return access.create_token(store, "amira"), _incident(store, "2020-02-18")


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None, "the page has no CSRF token"
    return found.group(1)


def test_forms_need_the_session_csrf_token(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    token, incident = _analyst_and_port(store, monkeypatch)
    with served(store, secure_cookies=False) as web:  # plain HTTP client: the cookie must travel without TLS
        csrf = _csrf(web.get("/login").text)
        assert web.post("/login", data={"token": token}).status_code == 403  # no CSRF token
        assert web.post("/login", data={"token": token + "x", "csrf": csrf}).status_code == 401
        signed = web.post("/login", data={"token": token, "csrf": csrf})
        assert signed.status_code == 303
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        page = web.get(f"/incidents/{incident}").text
        fresh = _csrf(page)
        form = {"action": "confirm", "reason": "seen"}
        assert web.post(f"/incidents/{incident}/review", data=form).status_code == 403
        assert web.post(f"/incidents/{incident}/review", data={**form, "csrf": csrf}).status_code == 403  # stale
        done = web.post(f"/incidents/{incident}/review", data={**form, "csrf": fresh})
        assert done.status_code == 303 and "Confirmed by amira" in web.get(f"/incidents/{incident}").text
    with served(store) as web:  # by default the cookie is Secure
        assert "secure" in web.get("/login").headers["set-cookie"].lower()


def test_a_token_only_server_lets_readers_sign_in(store: Any) -> None:
    from trucewatch.api import access

    access.add_user(store, "vera", "viewer")
    token = access.create_token(store, "vera")
    with served(store, read="token", secure_cookies=False) as web:
        assert web.get("/").status_code == 401
        login = web.get("/login")
        assert login.status_code == 200
        csrf = _csrf(login.text)
        assert web.post("/login", data={"token": token, "csrf": csrf}).status_code == 303
        home = web.get("/")
        assert home.status_code == 200 and "vera (viewer)" in home.text
        assert ".review-form" not in home.text


def test_a_session_cookie_alone_changes_nothing_through_the_api(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's writes want the token in the request; a signed-in browser's cookie, which a
    forged cross-site request could carry, is not enough."""
    token, incident = _analyst_and_port(store, monkeypatch)
    with served(store, secure_cookies=False) as web:
        csrf = _csrf(web.get("/login").text)
        assert web.post("/login", data={"token": token, "csrf": csrf}).status_code == 303
        assert "amira (analyst)" in web.get("/").text  # signed in
        assert web.post(f"/api/v1/incidents/{incident}/review", json={"action": "confirm"}).status_code == 401
        assert web.get("/api/v1/audit").status_code == 401
