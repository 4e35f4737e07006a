"""A real HTTP server on 127.0.0.1 for the sources tests: feeds, articles and every way a site misbehaves.

Routes are set per test (``server.route(path, Route(...))``); every request is recorded
(path and headers), so a test can say how often a URL was fetched and with which
validators. Nothing here leaves the loopback interface.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answered with 304 when the client sends it back
    last_modified: str | None = None
    delay: float = 0.0  # seconds before the answer starts
    drip: float = 0.0  # seconds between two 1 KB pieces of the body
    gzip: bool = False  # send the body gzip-compressed (Content-Encoding)
    length: bool = True  # send Content-Length
    stream: Callable[[], Iterator[bytes]] | None = None  # a body made on the fly (huge pages)


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float


class SourcesServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route | Callable[[Request], Route]] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                with server.lock:
                    server.requests.append(request)
                    route = server.routes.get(self.path)
                if callable(route):
                    route = route(request)
                if route is None:
                    route = Route(status=404, body=b"not found", content_type="text/plain")
                try:
                    server._answer(self, route, request)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def _answer(self, handler: BaseHTTPRequestHandler, route: Route, request: Request) -> None:
        if route.delay:
            time.sleep(route.delay)
        if route.etag and request.headers.get("if-none-match") == route.etag:
            handler.send_response(304)
            handler.send_header("ETag", route.etag)
            handler.end_headers()
            return
        if route.last_modified and request.headers.get("if-modified-since") == route.last_modified:
            handler.send_response(304)
            handler.end_headers()
            return
        body = gzip.compress(route.body) if route.gzip and route.stream is None else route.body
        handler.send_response(route.status)
        handler.send_header("Content-Type", route.content_type)
        if route.gzip:
            handler.send_header("Content-Encoding", "gzip")
        if route.etag:
            handler.send_header("ETag", route.etag)
        if route.last_modified:
            handler.send_header("Last-Modified", route.last_modified)
        for key, value in route.headers.items():
            handler.send_header(key, value)
        if route.length and route.stream is None:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if route.stream is not None:
            for piece in route.stream():
                handler.wfile.write(piece)
            return
        if route.drip:
            for start in range(0, len(body), 1024):
                handler.wfile.write(body[start:start + 1024])
                handler.wfile.flush()
                time.sleep(route.drip)
            return
        handler.wfile.write(body)

    def route(self, path: str, route: Route | Callable[[Request], Route]) -> str:
        with self.lock:
            self.routes[path] = route
        return self.base + path

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def count(self, path: str) -> int:
        return len(self.hits(path))


@contextmanager
def serving() -> Iterator[SourcesServer]:
    server = SourcesServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


HTTP_DATE = format_datetime(datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc), usegmt=True)

_PLACES = ["Sirte", "Misrata", "Tripoli", "Benghazi", "Gharyan", "Zawiya", "Tarhuna", "Jufra", "Ajdabiya", "Sabha",
           "Ubari", "Derna", "Tobruk", "Zintan", "Kufra", "Ghat"]


def article_text(n: int) -> list[str]:
    """Paragraphs of a distinct news article (n picks the place, the numbers and the day)."""
    place = _PLACES[n % len(_PLACES)]
    return [
        f"Clashes broke out near {place} on Tuesday morning despite the ceasefire agreed in Geneva, according "
        f"to local officials who spoke to reporters on condition of anonymity (report {n}).",
        f"At least {n + 3} fighters were killed and {2 * n + 5} civilians were wounded when artillery shells "
        f"landed on residential streets on the southern edge of {place}, the health ministry said.",
        f"The United Nations mission called on both sides to respect the truce and to return to the talks of "
        f"the Joint Military Commission, which are due to resume next week in the city of {place}.",
        f"Residents of {place} said the shelling lasted for {n % 5 + 2} hours and that many families fled "
        f"towards the coast road before the fighting stopped late in the afternoon.",
    ]


def article_html(n: int, *, title: str | None = None, published: str | None = "2026-12-01") -> bytes:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in article_text(n))
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    page = f"""<!DOCTYPE html><html lang="en"><head><title>{title or f"Clashes near {_PLACES[n % 16]} ({n})"}</title>
{meta}</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/about">About</a></nav>
<article><h1>{title or f"Clashes near {_PLACES[n % 16]} ({n})"}</h1>
{paragraphs}
</article>
<footer>Contact us. Privacy policy.</footer></body></html>"""
    return page.encode("utf-8")


def rss(base: str, links: list[str], *, title: str = "Test wire", summaries: dict[str, str] | None = None) -> bytes:
    items = "\n".join(
        f"""<item><title>Story {k}</title><link>{base}{link}</link><guid>{base}{link}</guid>
<pubDate>Tue, 0{1 + k % 8} Dec 2026 09:00:00 GMT</pubDate>
<description>{(summaries or {}).get(link, f"Summary of story {k}.")}</description></item>"""
        for k, link in enumerate(links))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{title}</title><link>{base}/</link><description>news</description>
{items}
</channel></rss>""".encode("utf-8")


def atom(base: str, links: list[str]) -> bytes:
    entries = "\n".join(
        f"""<entry><title>Atom story {k}</title><link href="{base}{link}"/><id>tag:test,2026:{link}</id>
<updated>2026-12-0{1 + k % 8}T09:00:00Z</updated><summary>Summary {k}.</summary></entry>"""
        for k, link in enumerate(links))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom test</title><id>tag:test,2026:feed</id>
<updated>2026-12-06T00:00:00Z</updated>
{entries}
</feed>""".encode("utf-8")
