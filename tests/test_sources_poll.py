"""A poll pass over a real local server where most things go wrong: each failure is logged with
its reason, the rest of the pass goes on, and a second pass fetches nothing twice (SQLite and PostgreSQL)."""

from __future__ import annotations

import gzip
import json
import logging
import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.test_bad_input import nav_only_page
from tests.sources_server import HTTP_DATE, Route, SourcesServer, article_html, atom, rss, serving
from trucewatch.sources import events
from trucewatch.sources.config import parse_sources
from trucewatch.sources.poll import Poller
from trucewatch.store.schema import Document, IngestError, SourceItem, SourcePoll, SourceResource

LONG_SUMMARY = ("Officials said the ceasefire held in most districts overnight although residents reported "
                "sporadic gunfire near the airport road and several families left the area before dawn.")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self, event: str) -> list[str]:
        return [r.getMessage() for r in self.records if getattr(r, "event", None) == event]


@pytest.fixture
def logged() -> Iterator[_Collect]:
    handler = _Collect()
    events.LOGGER.addHandler(handler)
    level = events.LOGGER.level
    events.LOGGER.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        events.LOGGER.removeHandler(handler)
        events.LOGGER.setLevel(level)


@pytest.fixture
def server() -> Iterator[SourcesServer]:
    with serving() as srv:
        yield srv


def _routes(srv: SourcesServer) -> None:
    """Two good feeds, five broken ones, and articles that fail in every way."""
    base = srv.base
    srv.route("/robots.txt", Route(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
    wire_links = ["/a/1", "/a/2", "/a/3", "/a/flaky", "/a/bomb", "/a/loop", "/private/a", "/a/menu", "/a/pdf",
                  "/a/huge"]
    summaries = {link: LONG_SUMMARY + f" ({link})" for link in ("/a/bomb", "/private/a")}
    srv.route("/wire.xml", Route(body=rss(base, wire_links, summaries=summaries), etag='"w1"',
                                 content_type="application/rss+xml"))
    srv.route("/atom.xml", Route(body=atom(base, ["/a/4", "/a/1"]), last_modified=HTTP_DATE,
                                 content_type="application/atom+xml"))
    srv.route("/broken.xml", Route(body=b"<?xml version='1.0'?><rss><channel><title>cut off",
                                   content_type="application/rss+xml"))
    srv.route("/down.xml", Route(status=500))
    srv.route("/slow.xml", Route(body=rss(base, ["/a/9"]), delay=2.0))
    srv.route("/loop.xml", Route(status=302, headers={"Location": "/loop2.xml"}))
    srv.route("/loop2.xml", Route(status=302, headers={"Location": "/loop.xml"}))
    srv.route("/bomb.xml", Route(body=gzip.compress(b" " * (32 * 1024 * 1024)), headers={"Content-Encoding": "gzip"}))
    srv.route("/huge.xml", Route(body=b"<rss>" + b"x" * (3 * 1024 * 1024) + b"</rss>"))
    for n in (1, 2, 3, 4):
        srv.route(f"/a/{n}", Route(body=article_html(n)))
    srv.route("/a/flaky", Route(status=503))
    srv.route("/a/bomb", Route(body=gzip.compress(b"<p>" + b"a" * (32 * 1024 * 1024)),
                               headers={"Content-Encoding": "gzip"}))
    srv.route("/a/loop", Route(status=301, headers={"Location": "/a/loop"}))
    srv.route("/private/a", Route(body=article_html(7)))
    srv.route("/a/menu", Route(body=nav_only_page().encode()))
    srv.route("/a/pdf", Route(body=b"%PDF-1.4", content_type="application/pdf"))
    srv.route("/a/huge", Route(body=b"<html><body><p>" + b"word " * (700 * 1024) + b"</p></body></html>"))
    api = {"data": {"reports": [
        {"uuid": "r1", "headline": "Field report one", "body": {"text": "\n".join(["Observers counted eleven "
         "mortar rounds landing near the port of Misrata on Monday evening, the monitoring team said."] * 2)},
         "when": "2026-12-02"},
        {"uuid": "r2", "headline": "Linked report", "link": f"{base}/a/2"},
    ]}}
    srv.route("/api", Route(body=json.dumps(api).encode(), content_type="application/json"))


def _config(srv: SourcesServer, tmp_path: Path, inbox: Path) -> str:
    base = srv.base
    return f"""
fetch: {{host_delay: 0, retries: 1, backoff: 10ms, timeout: 500ms, deadline: 5s, max_size: 2MB, settle: 0s}}
sources:
  - {{name: wire, kind: feed, url: "{base}/wire.xml", outlet: Test Wire, language: en}}
  - {{name: atom, kind: feed, url: "{base}/atom.xml", outlet: Atom Daily}}
  - {{name: broken, kind: feed, url: "{base}/broken.xml"}}
  - {{name: down, kind: feed, url: "{base}/down.xml"}}
  - {{name: slow, kind: feed, url: "{base}/slow.xml"}}
  - {{name: loop, kind: feed, url: "{base}/loop.xml"}}
  - {{name: bomb, kind: feed, url: "{base}/bomb.xml"}}
  - {{name: huge, kind: sitemap, url: "{base}/huge.xml"}}
  - name: api
    kind: json
    url: "{base}/api"
    items: data.reports
    fields: {{text: body.text, title: headline, url: link, id: uuid, published: when}}
    outlet: Partner
  - {{name: inbox, kind: folder, path: "{inbox}", outlet: Field team}}
"""


def _documents(store) -> list[tuple[str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    with store.sessions() as s:
        return sorted((d.id, d.url, d.outlet) for d in s.scalars(select(Document)))


def test_a_pass_survives_every_failure_and_fetches_nothing_twice(store, server, logged, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _routes(server)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "2026-12-03_report.txt").write_text("Monitors report that the truce held in Sirte.\n\n" + "\n".join(
        ["The joint commission met in Sirte on Wednesday and agreed to open the coastal road next week."] * 2),
        encoding="utf-8")
    (inbox / "empty.txt").write_text("", encoding="utf-8")
    config = parse_sources(_config(server, tmp_path, inbox), tmp_path / "sources.yaml")
    poller = Poller(store, config)
    first = poller.run()

    failed = {line.split(": ", 1)[1] for line in logged.lines("fetch.failed")}
    b = server.base
    assert "not a readable feed: " in "".join(failed) and f"{b}/broken.xml" in "".join(logged.lines("fetch.failed"))
    assert "HTTP 500 (2 tries)" in failed
    assert "timed out (no answer within 0.5 s) (2 tries)" in failed
    assert f"redirect loop: {b}/loop.xml -> {b}/loop2.xml -> {b}/loop.xml" in failed
    assert any(r.startswith("too large: decompresses to more than 2 MB (gzip, ") for r in failed)
    assert "too large: 3 MB (Content-Length); the limit is 2 MB" in failed
    assert first.source_errors == 6

    deferred = logged.lines("item.deferred")
    assert deferred == [f"{b}/a/flaky: HTTP 503 (2 tries); trying again in 60 s (attempt 1 of 5)"]
    used = logged.lines("item.summary_used")
    assert any(line.startswith(f"{b}/a/bomb: too large: decompresses to more than 2 MB") for line in used)
    assert f"{b}/private/a: disallowed by the site's robots.txt; stored the listing's summary instead" in used
    item_failed = logged.lines("item.failed")
    assert f"{b}/a/loop: redirect loop: {b}/a/loop -> {b}/a/loop" in item_failed
    assert f"{b}/a/menu: no article text found: the page holds only navigation or boilerplate" in item_failed
    assert f"{b}/a/pdf: not an HTML page (application/pdf)" in item_failed
    assert any(line.startswith(f"{b}/a/huge: too large") for line in item_failed)
    assert any("empty.txt: empty file" in line for line in item_failed)
    assert server.count("/private/a") == 0

    docs = _documents(store)
    urls = {url for _, url, _ in docs}
    for n in (1, 2, 3, 4):
        assert f"{b}/a/{n}" in urls
    assert f"{b}/a/bomb" in urls and f"{b}/private/a" in urls  # their summaries
    # /a/1 is in two feeds and /a/2 in a feed and the API: each fetched once, stored once
    assert server.count("/a/1") == 1 and server.count("/a/2") == 1
    assert sum(1 for _, url, _ in docs if url == f"{b}/a/1") == 1
    with store.sessions() as s:
        outlets = {d.url: d.outlet for d in s.scalars(select(Document))}
        api_doc = s.scalar(select(Document).where(Document.title == "Field report one"))
        inbox_doc = s.scalar(select(Document).where(Document.source_path.like("%2026-12-03_report.txt")))
        rejected = set(s.scalars(select(IngestError.reason)))
        bomb_doc = s.scalar(select(Document).where(Document.url == f"{b}/a/bomb"))
    assert outlets[f"{b}/a/4"] == "Atom Daily" and outlets[f"{b}/a/3"] == "Test Wire"
    assert api_doc is not None and api_doc.outlet == "Partner" and api_doc.published == "2026-12-02"
    assert inbox_doc is not None and inbox_doc.outlet == "Field team" and inbox_doc.published == "2026-12-03"
    assert bomb_doc.extra["text_basis"] == "listing summary" and bomb_doc.text.startswith("Officials said")
    assert "disallowed by the site's robots.txt" in rejected  # counted by trucewatch status, like ingest's
    assert first.stored == len(docs) == 8  # 4 articles, 2 summaries, the API record, the report

    # a second pass: the validators go back, nothing is listed or fetched again
    before = {path: server.count(path) for path in ("/a/1", "/a/2", "/a/3", "/a/4", "/a/bomb", "/a/flaky",
                                                   "/wire.xml", "/atom.xml")}
    again = poller.run(force=True)
    assert again.new_items == 0 and again.stored == 0 and again.not_modified == 2
    assert server.hits("/wire.xml")[-1].headers["if-none-match"] == '"w1"'
    assert server.hits("/atom.xml")[-1].headers["if-modified-since"] == HTTP_DATE
    for path in ("/a/1", "/a/2", "/a/3", "/a/4", "/a/bomb", "/a/flaky"):
        assert server.count(path) == before[path], path  # the flaky one waits for its retry time
    assert _documents(store) == docs

    # once its retry time has come the flaky article is tried again, and stored once it answers
    server.route("/a/flaky", Route(body=article_html(11)))
    later = Poller(store, config, clock=lambda: datetime.now(timezone.utc) + timedelta(minutes=2))
    third = later.run()
    assert third.stored == 1 and server.count("/a/flaky") == before["/a/flaky"] + 1
    assert third.polled == 0  # two minutes on, no source is due again (15 minutes by default)
    with store.sessions() as s:
        statuses = dict(s.execute(select(SourceItem.url, SourceItem.status)).all())
        resources = {r.url: r for r in s.scalars(select(SourceResource))}
        polls = {p.source: p for p in s.scalars(select(SourcePoll))}
    assert statuses[f"{b}/a/flaky"] == "stored" and statuses[f"{b}/a/loop"] == "failed"
    assert "pending" not in statuses.values()
    assert resources[f"{b}/down.xml"].errors_in_a_row == 2 and resources[f"{b}/down.xml"].last_error == "HTTP 500 (2 tries)"
    assert resources[f"{b}/wire.xml"].not_modified == 1 and resources[f"{b}/wire.xml"].etag == '"w1"'
    assert polls["wire"].polls == 2 and polls["down"].last_error == "HTTP 500 (2 tries)"


def test_a_broken_feed_with_entries_is_read_with_a_warning(store, server, logged, tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = rss(server.base, ["/a/1"]).replace(b"<title>Story 0</title>", b"<title>Story & 0</title>")
    server.route("/feed", Route(body=body, content_type="application/rss+xml"))
    server.route("/a/1", Route(body=article_html(1)))
    config = parse_sources(f"fetch: {{host_delay: 0}}\nsources:\n  - {{name: f, kind: feed, url: '{server.base}/feed'}}\n",
                           tmp_path / "s.yaml")
    summary = Poller(store, config).run()
    assert summary.stored == 1
    warnings = logged.lines("listing.warning")
    assert len(warnings) == 1 and "the feed is not well-formed" in warnings[0] and "read 1 entries anyway" in warnings[0]


def test_sitemaps_and_sitemap_indexes(store, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    b = server.base
    server.route("/sitemap.xml", Route(body=f"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{b}/news.xml</loc></sitemap><sitemap><loc>{b}/old.xml.gz</loc></sitemap></sitemapindex>""".encode(),
                                       content_type="application/xml"))
    server.route("/news.xml", Route(body=f"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{b}/a/1</loc><news:news><news:publication_date>2026-11-30T10:00:00Z</news:publication_date>
<news:title>One</news:title></news:news></url></urlset>""".encode(), etag='"n1"'))
    server.route("/old.xml.gz", Route(body=gzip.compress(f"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{b}/a/2</loc><lastmod>2026-11-01</lastmod></url></urlset>""".encode()), content_type="application/gzip"))
    server.route("/a/1", Route(body=article_html(1, published=None)))
    server.route("/a/2", Route(body=article_html(2)))
    config = parse_sources(f"fetch: {{host_delay: 0}}\nsources:\n  - {{name: s, kind: sitemap, url: '{b}/sitemap.xml'}}\n",
                           tmp_path / "s.yaml")
    poller = Poller(store, config)
    assert poller.run().stored == 2
    with store.sessions() as s:
        first = s.scalar(select(Document).where(Document.url == f"{b}/a/1"))
    assert first.published.startswith("2026-11-30") and first.extra["published_from"] == "listing"
    poller.run(force=True)
    assert server.count("/news.xml") == 2 and server.hits("/news.xml")[-1].headers["if-none-match"] == '"n1"'
    assert server.count("/a/1") == 1 and server.count("/a/2") == 1


def test_a_watched_folder_reads_each_file_once_and_a_changed_file_again(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report = inbox / "report.txt"
    report.write_text("The truce held in Gharyan on Monday, the local council said in a statement.\n", encoding="utf-8")
    (inbox / "draft.txt.part").write_text("half written", encoding="utf-8")
    config = parse_sources(f"fetch: {{settle: 0s}}\nsources:\n  - {{name: inbox, kind: folder, path: '{inbox}'}}\n",
                           tmp_path / "s.yaml")
    poller = Poller(store, config)
    assert poller.run().stored == 1
    assert poller.run(force=True).new_items == 0
    from trucewatch.sources.status import collect

    missing = parse_sources(f"sources:\n  - {{name: gone, kind: folder, path: '{tmp_path / 'gone'}'}}\n",
                            tmp_path / "s2.yaml")
    assert Poller(store, missing).run().source_errors == 1
    row = {r["source"]: r for r in collect(store, missing)}["gone"]
    assert row["last_result"] == "error" and row["last_error"] == "no such folder"
    report.write_text("Fighting resumed in Gharyan on Tuesday, the local council said in a statement.\n",
                      encoding="utf-8")
    os.utime(report, (time.time() - 100, time.time() - 100))  # a new mtime, however coarse the clock
    changed = poller.run(force=True)
    assert changed.new_items == 1 and changed.stored == 1
    with store.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 2


def test_one_watch_per_database(store, db_url) -> None:  # type: ignore[no-untyped-def]
    from trucewatch.errors import UsageError
    from trucewatch.sources.watch import only_watch
    from trucewatch.store import open_store

    other = open_store(db_url)
    try:
        with only_watch(store):
            with pytest.raises(UsageError, match="another trucewatch watch is already running"):
                with only_watch(other):
                    pass
        with only_watch(other):  # released with the block
            pass
    finally:
        other.close()


def test_the_per_pass_cap_leaves_items_for_the_next_pass_without_refetching(store, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from trucewatch.sources import fetchlog

    links = [f"/a/{n}" for n in range(5)]
    server.route("/feed", Route(body=rss(server.base, links), content_type="application/rss+xml"))
    for n in range(5):
        server.route(f"/a/{n}", Route(body=article_html(n)))
    config = parse_sources(f"fetch: {{host_delay: 0, articles_per_poll: 2}}\nsources:\n"
                           f"  - {{name: f, kind: feed, url: '{server.base}/feed'}}\n", tmp_path / "s.yaml")
    poller = Poller(store, config)
    assert poller.run().stored == 2
    now = datetime.now(timezone.utc)
    assert fetchlog.next_wake(store, config.sources, now) == now  # the rest is ready: watch does not sleep
    assert poller.run().stored == 2 and poller.run().stored == 1
    assert server.count("/feed") == 1  # the feed is not due again; its items were recorded
    assert fetchlog.next_wake(store, config.sources, now) > now + timedelta(minutes=14)
    assert [server.count(link) for link in links] == [1] * 5


def test_a_stop_while_waiting_to_retry_a_listing_is_no_failure(store, server, logged, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from trucewatch.sources.config import FetchSettings
    from trucewatch.sources.fetch import Fetcher

    server.route("/feed", Route(status=503))
    stop = {"now": False}

    def sleep(_seconds: float) -> None:
        stop["now"] = True  # SIGTERM arrives during the backoff

    config = parse_sources(f"sources:\n  - {{name: f, kind: feed, url: '{server.base}/feed'}}\n", tmp_path / "s.yaml")
    fetcher = Fetcher(FetchSettings(host_delay=0, backoff=30), sleep=sleep, stop=lambda: stop["now"])
    summary = Poller(store, config, stop=lambda: stop["now"], fetcher=fetcher).run()
    assert summary.stopped and summary.source_errors == 0 and logged.lines("fetch.failed") == []
    with store.sessions() as s:
        assert s.scalar(select(func.count()).select_from(SourcePoll)) == 0  # still due: polled first next time


def test_a_gzip_sitemap_is_capped_after_decompression() -> None:
    from trucewatch.sources.parse import ParseError, parse_sitemap

    bomb = gzip.compress(b"<urlset>" + b" " * (8 * 1024 * 1024) + b"</urlset>")
    with pytest.raises(ParseError, match="too large: the gzip sitemap decompresses to more than 1 MB"):
        parse_sitemap(bomb, max_size=1024 * 1024)
    assert parse_sitemap(bomb, max_size=16 * 1024 * 1024).items == []
