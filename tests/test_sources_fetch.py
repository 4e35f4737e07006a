"""The polite fetcher against a real server on 127.0.0.1: every misbehaviour gets its own clear error."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator

import pytest

from tests.sources_server import HTTP_DATE, Route, SourcesServer, serving
from trucewatch.sources.config import FetchSettings
from trucewatch.sources.fetch import Fetcher, FetchError


@pytest.fixture
def server() -> Iterator[SourcesServer]:
    with serving() as srv:
        yield srv


def _fetcher(**settings: object) -> tuple[Fetcher, list[float]]:
    slept: list[float] = []
    values = {"host_delay": 0.0, "backoff": 1.0, "retries": 3, "timeout": 2.0, "deadline": 10.0, **settings}
    fetcher = Fetcher(FetchSettings(**values), sleep=slept.append, jitter=lambda: 0.5)  # type: ignore[arg-type]
    return fetcher, slept


def test_conditional_get_sends_the_validators_and_reads_304(server: SourcesServer) -> None:
    url = server.route("/feed", Route(body=b"<rss/>", etag='"v7"', last_modified=HTTP_DATE))
    fetcher, _ = _fetcher()
    first = fetcher.get(url)
    assert first.body == b"<rss/>" and first.etag == '"v7"' and first.last_modified == HTTP_DATE
    again = fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    sent = server.hits("/feed")[-1].headers
    assert sent["if-none-match"] == '"v7"' and sent["if-modified-since"] == HTTP_DATE
    assert "if-none-match" not in server.hits("/feed")[0].headers


def test_server_errors_are_retried_with_doubling_backoff(server: SourcesServer) -> None:
    url = server.route("/down", Route(status=500, body=b"oops"))
    fetcher, slept = _fetcher()
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert caught.value.transient and caught.value.status == 500
    assert str(caught.value) == f"{url}: HTTP 500 (4 tries)"
    assert server.count("/down") == 4
    # 1, 2, 4 s (jitter fixed at the middle: x1), each slept in slices
    assert pytest.approx(sum(slept)) == 7.0


def test_a_server_that_recovers_is_read(server: SourcesServer) -> None:
    calls = []

    def flaky(_request: object) -> Route:
        calls.append(1)
        return Route(status=503) if len(calls) < 3 else Route(body=b"fine")

    url = server.route("/flaky", flaky)
    fetcher, _ = _fetcher()
    response = fetcher.get(url)
    assert response.body == b"fine" and response.tries == 3


def test_retry_after_is_honoured(server: SourcesServer) -> None:
    url = server.route("/busy", Route(status=429, headers={"Retry-After": "5"}))
    fetcher, slept = _fetcher(retries=1, backoff=0.1)
    with pytest.raises(FetchError, match="HTTP 429"):
        fetcher.get(url)
    assert pytest.approx(sum(slept)) == 5.0


def test_client_errors_are_not_retried(server: SourcesServer) -> None:
    url = server.route("/gone", Route(status=404))
    fetcher, slept = _fetcher()
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert not caught.value.transient and caught.value.reason == "HTTP 404"
    assert server.count("/gone") == 1 and slept == []


def test_a_slow_answer_times_out(server: SourcesServer) -> None:
    url = server.route("/slow", Route(body=b"late", delay=1.5))
    fetcher, _ = _fetcher(timeout=0.3, retries=1, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert caught.value.transient and caught.value.reason == "timed out (no answer within 0.3 s) (2 tries)"
    assert time.monotonic() - started < 1.5


def test_a_dripping_answer_is_cut_at_the_deadline(server: SourcesServer) -> None:
    url = server.route("/drip", Route(body=b"x" * 20 * 1024, drip=0.1))
    fetcher, _ = _fetcher(deadline=0.5, retries=0)
    with pytest.raises(FetchError, match=r"too slow: the response took longer than 0.5 s"):
        fetcher.get(url)


def test_redirects_are_followed_and_loops_named(server: SourcesServer) -> None:
    server.route("/old", Route(status=301, headers={"Location": "/new"}))
    server.route("/new", Route(body=b"here"))
    server.route("/loop/a", Route(status=302, headers={"Location": "/loop/b"}))
    server.route("/loop/b", Route(status=302, headers={"Location": "/loop/a"}))
    for k in range(10):
        server.route(f"/chain/{k}", Route(status=307, headers={"Location": f"/chain/{k + 1}"}))
    fetcher, _ = _fetcher(max_redirects=3)
    moved = fetcher.get(server.url("/old"))
    assert moved.body == b"here" and moved.url == server.url("/new")
    with pytest.raises(FetchError) as loop:
        fetcher.get(server.url("/loop/a"))
    assert loop.value.reason == (f"redirect loop: {server.url('/loop/a')} -> {server.url('/loop/b')} -> "
                                 f"{server.url('/loop/a')}")
    assert server.count("/loop/a") == 1 and server.count("/loop/b") == 1
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetcher.get(server.url("/chain/0"))
    assert server.count("/chain/4") == 0


def test_a_redirect_to_another_scheme_is_refused(server: SourcesServer) -> None:
    url = server.route("/sneaky", Route(status=302, headers={"Location": "file:///etc/passwd"}))
    fetcher, _ = _fetcher()
    with pytest.raises(FetchError, match="not an http.s. address: file:///etc/passwd"):
        fetcher.get(url)


def test_gzip_is_decoded_and_a_gzip_bomb_stopped_at_the_cap(server: SourcesServer) -> None:
    server.route("/small.gz", Route(body=b"<p>hello</p>" * 100, gzip=True))
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100 * 1024
    server.route("/bomb", Route(body=bomb, headers={"Content-Encoding": "gzip"}))
    fetcher, _ = _fetcher(max_size=1024 * 1024)
    assert fetcher.get(server.url("/small.gz")).body == b"<p>hello</p>" * 100
    with pytest.raises(FetchError) as caught:
        fetcher.get(server.url("/bomb"))
    assert not caught.value.transient
    assert caught.value.reason.startswith("too large: decompresses to more than 1 MB (gzip, ")


def test_huge_pages_are_refused(server: SourcesServer) -> None:
    server.route("/huge", Route(body=b"a" * (3 * 1024 * 1024)))

    def endless() -> Iterator[bytes]:
        for _ in range(200):
            yield b"b" * 64 * 1024

    server.route("/endless", Route(stream=endless))
    fetcher, _ = _fetcher(max_size=1024 * 1024)
    with pytest.raises(FetchError, match=r"too large: 3 MB \(Content-Length\); the limit is 1 MB"):
        fetcher.get(server.url("/huge"))
    with pytest.raises(FetchError, match=r"too large: more than 1 MB"):
        fetcher.get(server.url("/endless"))


def test_robots_txt_is_obeyed(server: SourcesServer) -> None:
    server.route("/robots.txt", Route(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
    server.route("/private/page", Route(body=b"secret"))
    server.route("/public/page", Route(body=b"open"))
    fetcher, _ = _fetcher()
    assert fetcher.get(server.url("/public/page")).body == b"open"
    with pytest.raises(FetchError) as caught:
        fetcher.get(server.url("/private/page"))
    assert caught.value.reason == "disallowed by the site's robots.txt" and not caught.value.transient
    assert server.count("/private/page") == 0 and server.count("/robots.txt") == 1


def test_a_redirect_into_a_disallowed_path_is_not_followed(server: SourcesServer) -> None:
    server.route("/robots.txt", Route(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
    server.route("/go", Route(status=302, headers={"Location": "/private/x"}))
    fetcher, _ = _fetcher()
    with pytest.raises(FetchError, match="disallowed by the site's robots.txt"):
        fetcher.get(server.url("/go"))
    assert server.count("/private/x") == 0


def test_an_unreadable_robots_txt_closes_the_site_for_now(server: SourcesServer) -> None:
    server.route("/robots.txt", Route(status=500))
    server.route("/page", Route(body=b"x"))
    fetcher, _ = _fetcher(retries=1, backoff=0.01)
    for _ in range(2):
        with pytest.raises(FetchError) as caught:
            fetcher.get(server.url("/page"))
        assert caught.value.transient and caught.value.reason.startswith("robots.txt could not be read (HTTP 500")
    assert server.count("/page") == 0 and server.count("/robots.txt") == 2  # the failure is remembered


def test_requests_to_one_host_are_spaced_out(server: SourcesServer) -> None:
    server.route("/robots.txt", Route(body=b"User-agent: *\nCrawl-delay: 1\n", content_type="text/plain"))
    for k in range(3):
        server.route(f"/p{k}", Route(body=b"x"))
    fetcher = Fetcher(FetchSettings(host_delay=0.1))
    for k in range(3):
        fetcher.get(server.url(f"/p{k}"))
    times = [server.hits(f"/p{k}")[0].at for k in range(3)]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.95, gaps  # the Crawl-delay (1 s, whole seconds only), longer than ours, wins


def test_a_stop_cuts_the_backoff_short(server: SourcesServer) -> None:
    url = server.route("/down", Route(status=500))
    stop = {"now": False}
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        stop["now"] = True

    fetcher = Fetcher(FetchSettings(host_delay=0, backoff=30, retries=5), sleep=sleep, stop=lambda: stop["now"])
    with pytest.raises(FetchError, match="HTTP 500"):
        fetcher.get(url)
    assert server.count("/down") == 1 and sum(slept) <= 0.2
