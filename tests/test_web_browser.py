"""The dashboard in a real headless Chromium (Debian's package, driven by Playwright's Python
API; no browser download): the map draws, filters go into the URL, an incident opens, a
hostile report runs nothing, reading works with JavaScript off, and nothing is fetched
from anywhere but the server. Screenshots go to TRUCEWATCH_SCREENSHOTS (or the test's
temporary folder)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.test_web_pages import HOSTILE, _incident, site  # noqa: F401 - the fixture

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("TRUCEWATCH_REQUIRE_BROWSER"):
            pytest.fail("TRUCEWATCH_REQUIRE_BROWSER is set but no chromium is installed")
        pytest.skip("no chromium installed (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        launched = play.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("TRUCEWATCH_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _watch(page: Any, base: str) -> dict[str, list[str]]:
    """Record what a page does that it should not: dialogs, errors, requests elsewhere."""
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "elsewhere": []}
    host = urlparse(base).netloc
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: seen["elsewhere"].append(r.url) if urlparse(r.url).netloc != host else None)
    return seen


def test_dashboard_map_filter_and_incident(browser: Any, site: Any, shots: Path) -> None:  # noqa: F811
    web, store = site
    base = str(web.base_url)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = _watch(page, base)
    page.goto(base + "/")
    page.wait_for_selector("#map[data-ready=true]", timeout=20_000)
    page.wait_for_selector("#map path.leaflet-interactive, #map .marker-cluster", timeout=20_000)
    page.wait_for_function("document.querySelectorAll('#map svg path').length > 100", timeout=20_000)  # outlines
    page.screenshot(path=str(shots / "incidents.png"), full_page=True)
    page.fill("input[name=since]", "2020-04-01")
    page.click("form.filters button")
    page.wait_for_url("**/?*since=2020-04-01*")
    assert page.locator("table.incidents tbody tr").count() == 5
    page.screenshot(path=str(shots / "filtered.png"), full_page=True)
    page.click("table.incidents tbody tr:first-child a")
    page.wait_for_selector("article.report mark")
    assert "/incidents/inc-" in page.url
    page.screenshot(path=str(shots / "incident.png"), full_page=True)
    assert seen == {"dialogs": [], "errors": [], "elsewhere": []}
    page.close()


def test_a_hostile_report_runs_nothing(browser: Any, site: Any, shots: Path) -> None:  # noqa: F811
    web, store = site
    base = str(web.base_url)
    page = browser.new_page()
    seen = _watch(page, base)
    for path in (f"/incidents/{_incident(store, '2021-01-05')}", "/", "/search?q=hostile"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("img[src=x]").count() == 0 and page.locator("main script").count() == 0
        assert HOSTILE[:20] in page.inner_text("main")  # shown as text
    page.screenshot(path=str(shots / "hostile.png"), full_page=True)
    assert seen["dialogs"] == [] and seen["elsewhere"] == []
    page.close()


def test_reading_with_javascript_off(browser: Any, site: Any) -> None:  # noqa: F811
    web, _store = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(str(web.base_url) + "/")
    assert page.locator("table.incidents tbody tr").count() == 7
    assert not page.locator("#map").is_visible()  # the map needs script; the table does not
    page.click("table.incidents tbody tr:first-child a")
    assert page.locator("article.report").count() >= 1
    context.close()


def test_an_analyst_signs_in_and_reviews(browser: Any, site: Any, shots: Path) -> None:  # noqa: F811
    from trucewatch.api import access
    from trucewatch.review import audit

    web, store = site
    base = str(web.base_url)
    access.add_user(store, "amira", "analyst")
    token = access.create_token(store, "amira")
    incident = _incident(store, "2020-02-18")
    page = browser.new_page()
    seen = _watch(page, base)
    page.goto(base + f"/incidents/{incident}")
    assert page.locator(".review-form").count() == 0  # not signed in: no form
    page.goto(base + "/login")
    page.fill("input[name=token]", token)
    page.click("main form button")
    page.wait_for_selector(".who")
    assert "amira (analyst)" in page.inner_text(".who")
    page.goto(base + f"/incidents/{incident}")
    page.select_option("select[name=action]", "correct")
    page.select_option("select[name=field]", "fatalities")
    page.fill("input[name=value]", "5")
    page.fill("input[name=reason]", "the hospital's list")
    page.click(".review-form button")
    page.wait_for_selector("text=reviewed by amira")
    page.screenshot(path=str(shots / "reviewed.png"), full_page=True)
    (entry,) = list(audit.entries(store, incident))
    assert (entry["actor"], entry["action"], entry["field"], entry["after"]["value"]) == (
        "amira", "correct", "fatalities", 5)
    access.revoke_token(store, token)  # a revoked token ends the session at once
    page.goto(base + f"/incidents/{incident}")
    assert page.locator(".who").count() == 0 and page.locator(".review-form").count() == 0
    assert seen["errors"] == [] and seen["elsewhere"] == []
    page.close()
