"""``trucewatch watch`` and ``trucewatch sources`` as a user runs them: killed mid-poll and
restarted, stopped by SIGTERM, asked for its status, and one whole round through process and fuse."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clitools import TRUCEWATCH, run
from tests.sources_server import Route, SourcesServer, article_html, rss, serving

ARTICLES = 12


@pytest.fixture
def server() -> Iterator[SourcesServer]:
    with serving() as srv:
        yield srv


def _slow_feed(srv: SourcesServer, tmp_path: Path, delay: float) -> Path:
    links = [f"/a/{n}" for n in range(ARTICLES)]
    srv.route("/feed.xml", Route(body=rss(srv.base, links), content_type="application/rss+xml", etag='"f1"'))
    for n in range(ARTICLES):
        srv.route(f"/a/{n}", Route(body=article_html(n), delay=delay))
    path = tmp_path / "sources.yaml"
    path.write_text(f"fetch: {{host_delay: 0, timeout: 5s}}\nsources:\n"
                    f"  - {{name: wire, kind: feed, url: '{srv.base}/feed.xml', outlet: Wire, interval: 1h}}\n",
                    encoding="utf-8")
    return path


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([TRUCEWATCH, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(check, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def _article_hits(srv: SourcesServer) -> dict[str, int]:
    return {f"/a/{n}": srv.count(f"/a/{n}") for n in range(ARTICLES)}


def _stored_urls(db: Path | str) -> list[str]:
    """The stored documents' URLs, from a SQLite file or any database URL."""
    from sqlalchemy import text

    from trucewatch.store import open_store

    store = open_store(str(db), upgrade=False, create=False)
    try:
        with store.engine.connect() as conn:
            return sorted(url for (url,) in conn.execute(text("SELECT url FROM documents")))
    finally:
        store.close()


def test_killed_mid_poll_and_restarted_loses_and_duplicates_nothing(server: SourcesServer, tmp_path: Path,
                                                                   db_url: str) -> None:
    sources = _slow_feed(server, tmp_path, delay=0.3)
    db = db_url  # SQLite and PostgreSQL
    proc = _start("watch", "--no-process", "--sources", str(sources), "--db", str(db), "--create")
    try:
        _wait_for(lambda: sum(_article_hits(server).values()) >= 4)
    finally:
        proc.kill()  # SIGKILL: no handler, no cleanup, an article request in flight
        proc.communicate(timeout=30)
    before = _stored_urls(db)
    assert 2 <= len(before) < ARTICLES  # killed mid-poll
    hits_before = _article_hits(server)
    done = run("watch", "--once", "--no-process", "--sources", str(sources), "--db", str(db))
    assert done.returncode == 0, done.stderr[-2000:]
    after = _stored_urls(db)
    assert after == sorted(server.url(f"/a/{n}") for n in range(ARTICLES))  # nothing lost, nothing twice
    assert set(before) <= set(after)
    hits = _article_hits(server)
    assert all(hits[f"/a/{n}"] >= 1 for n in range(ARTICLES))
    twice = [path for path, count in hits.items() if count > 1]
    # only an article whose request was in flight when the kill came may be asked for again, never a stored one
    assert len(twice) <= 1 and all(hits_before[p] == 1 and server.url(p) not in before for p in twice)
    assert server.count("/feed.xml") == 1  # its listing was committed before the kill; not due for an hour
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [line["event"] for line in lines][0] == "watch.started"
    assert sum(1 for line in lines if line["event"] == "item.stored") == ARTICLES - len(before)


def test_sigterm_finishes_the_item_in_hand_and_exits(server: SourcesServer, tmp_path: Path) -> None:
    sources = _slow_feed(server, tmp_path, delay=0.6)
    db = tmp_path / "watch.db"
    proc = _start("watch", "--no-process", "--sources", str(sources), "--db", str(db), "--create")
    _wait_for(lambda: sum(_article_hits(server).values()) >= 3)
    second = run("watch", "--no-process", "--sources", str(sources), "--db", str(db), timeout=30)
    assert second.returncode == 2
    assert f"another trucewatch watch is already running on the database {db}" in " ".join(second.stderr.split())
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err[-2000:]
    requested = [p for p, count in _article_hits(server).items() if count]
    stored = _stored_urls(db)
    assert stored == sorted(server.url(p) for p in requested)  # the one in hand was finished and stored
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert lines[-1]["event"] == "watch.stopped" and lines[-1]["signal"] == signal.SIGTERM
    again = run("sources", "poll", "--sources", str(sources), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert len(_stored_urls(db)) == ARTICLES
    assert all(count == 1 for count in _article_hits(server).values())


def test_status_shows_each_source(server: SourcesServer, tmp_path: Path) -> None:
    server.route("/feed.xml", Route(body=rss(server.base, ["/a/1", "/a/gone"]), content_type="application/rss+xml"))
    server.route("/a/1", Route(body=article_html(1)))
    server.route("/down.xml", Route(status=500))
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"fetch: {{host_delay: 0, retries: 0}}\nsources:\n"
                       f"  - {{name: wire, kind: feed, url: '{server.base}/feed.xml'}}\n"
                       f"  - {{name: down, kind: feed, url: '{server.base}/down.xml'}}\n"
                       f"  - {{name: later, kind: feed, url: '{server.base}/later.xml'}}\n", encoding="utf-8")
    db = tmp_path / "t.db"
    polled = run("sources", "poll", "--sources", str(sources), "--db", str(db), "--create", "--source", "wire",
                 "--source", "down")
    assert polled.returncode == 1  # a source and an item failed; the rest was stored
    assert f"{server.base}/down.xml: HTTP 500" in polled.stderr and f"{server.base}/a/gone: HTTP 404" in polled.stderr
    shown = run("sources", "status", "--sources", str(sources), "--db", str(db), "--json")
    assert shown.returncode == 0, shown.stderr
    rows = {row["source"]: row for row in map(json.loads, shown.stdout.splitlines())}
    assert rows["wire"]["items"] == {"stored": 1, "unchanged": 0, "pending": 0, "failed": 1}
    assert rows["wire"]["last_result"] == "ok" and rows["wire"]["last_item_error"] == "HTTP 404"
    assert rows["down"]["last_result"] == "error" and rows["down"]["last_error"] == "HTTP 500"
    assert rows["down"]["errors_in_a_row"] == 1 and rows["down"]["fetch_errors"] == 1
    assert rows["later"]["last_fetch"] is None and rows["later"]["polls"] == 0
    table = run("sources", "status", "--sources", str(sources), "--db", str(db))
    assert "never polled" in table.stdout and "HTTP 500" in table.stdout


def test_check_names_the_line_of_a_mistake(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: wire\n    kind: feed\n    url: https://example.org/feed\n"
                       "    interval: often\n", encoding="utf-8")
    done = run("sources", "check", "--sources", str(sources))
    assert done.returncode == 2
    assert f"{sources}:5: source 'wire': interval: expected a duration" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr
    example = Path(__file__).resolve().parents[1] / "docs" / "sources.example.yaml"
    ok = run("sources", "check", "--sources", str(example))
    assert ok.returncode == 0 and "5 sources, no problems" in ok.stdout


def test_one_round_processes_fuses_and_alerts(server: SourcesServer, tmp_path: Path) -> None:
    """The whole loop once: stored articles go through the stages and fuse, and fuse's alert check
    sends the matching incidents to the rule's file."""
    links = ["/a/1", "/a/2"]
    server.route("/feed.xml", Route(body=rss(server.base, links), content_type="application/rss+xml"))
    for n in (1, 2):
        server.route(f"/a/{n}", Route(body=article_html(n)))
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"fetch: {{host_delay: 0}}\nsources:\n  - {{name: wire, kind: feed, url: '{server.base}/feed.xml', "
                       "outlet: Wire, language: en}\n", encoding="utf-8")
    db = tmp_path / "t.db"
    alerts = tmp_path / "alerts.jsonl"
    added = run("alerts", "add", "libya", "--db", str(db), "--create", "--to", str(alerts), "--country", "Libya")
    assert added.returncode == 0, added.stderr
    done = run("watch", "--once", "--sources", str(sources), "--db", str(db))
    assert done.returncode == 0, done.stderr[-3000:]
    names = [json.loads(line)["event"] for line in done.stderr.splitlines() if line.startswith("{")]
    assert names.index("poll.done") < names.index("process.done") < names.index("fuse.done") < names.index(
        "ceasefire.done")
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT count(DISTINCT document_id) FROM stage_runs WHERE status = 'ok'").fetchone()[0]
        fused = conn.execute("SELECT count(*) FROM fuse_state").fetchone()[0]
        incidents = conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
    assert runs == 2 and fused == 2 and incidents >= 1
    sent = [json.loads(line) for line in alerts.read_text(encoding="utf-8").splitlines()]
    assert sent and all("incident" in json.dumps(alert) for alert in sent)
    assert os.path.getsize(db) > 0
