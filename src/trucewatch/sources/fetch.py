"""Polite HTTP: conditional GET, robots.txt, a delay per host, retries, timeouts and caps.

Everything a monitor fetches goes through :class:`Fetcher`. A site is asked at most once
per ``host_delay`` seconds; a timeout, a lost connection, a 5xx or a 429 is tried again
after a backoff that doubles each time, with jitter (and never sooner than Retry-After);
a body is read raw and decompressed here, with the size cap applied to the decompressed
bytes, so a gzip bomb stops at the cap instead of filling memory; redirects are followed
by hand, at most ``max_redirects``, each hop checked against robots.txt, and a loop is
named as a loop. Every failure is a :class:`FetchError` that says whether trying again
later can help (``transient``).
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from trucewatch.sources.config import FetchSettings
from trucewatch.sources.hosts import HostDelay
from trucewatch.sources.robots import ROBOTS_MAX_BYTES, RobotsCache

REDIRECTS = (301, 302, 303, 307, 308)
ROBOTS_FAILURE_TTL = 300.0  # seconds a robots.txt that could not be read keeps its site closed


class FetchError(Exception):
    """A fetch that failed; ``transient`` says whether trying again later can help."""

    def __init__(self, url: str, reason: str, *, transient: bool, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.transient = transient
        self.status = status
        self.retry_after = retry_after
        self.tries = 1


@dataclass
class Fetched:
    """A response: its final URL (after redirects), status, body and the validators for next time."""

    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False
    tries: int = 1

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def size_text(n: int) -> str:
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def clean_url(url: str) -> str:
    """The URL without its #fragment (the server never sees it; two links differing by it are one page)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class Fetcher:
    """An HTTP client that behaves: one per poll (it keeps connections, robots.txt and host timing)."""

    def __init__(self, settings: FetchSettings, *, stop: Callable[[], object] | None = None,
                 sleep: Callable[[float], None] = time.sleep, jitter: Callable[[], float] = random.random,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.stop = stop or (lambda: None)
        self._sleep = sleep
        self.jitter = jitter
        self.hosts = HostDelay(settings.host_delay, sleep=self._pause)
        self.robots = RobotsCache(settings.user_agent, self._load_robots)
        self._robot_failures: dict[str, tuple[float, FetchError]] = {}
        self.requests = 0
        self.client = httpx.Client(
            follow_redirects=False, timeout=httpx.Timeout(settings.timeout), transport=transport,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"})

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- the public call ------------------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            robots: bool = True, max_size: int | None = None, accept: str | None = None) -> Fetched:
        """GET ``url`` politely; a 304 comes back as ``not_modified``, every failure as FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        chain = [url]
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(url, f"not an http(s) address: {current}", transient=False)
            if robots and self.settings.robots:
                self._check_robots(current)
            response = self._with_retries(current, headers, max_size or self.settings.max_size)
            if response.status not in REDIRECTS:
                response.url = current
                return response
            location = response.headers.get("location")
            if not location:
                raise FetchError(url, f"HTTP {response.status} redirect without a Location", transient=False,
                                 status=response.status)
            following = urljoin(current, location.strip())
            following = urlunsplit(urlsplit(following)._replace(fragment=""))
            if following in chain:
                raise FetchError(url, f"redirect loop: {self._chain(chain + [following])}", transient=False,
                                 status=response.status)
            chain.append(following)
            current = following
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects: {self._chain(chain)}",
                         transient=False)

    @staticmethod
    def _chain(urls: list[str]) -> str:
        shown = urls if len(urls) <= 6 else urls[:3] + ["..."] + urls[-2:]
        return " -> ".join(shown)

    # -- robots.txt ------------------------------------------------------------------------

    def _load_robots(self, robots_url: str) -> tuple[int, bytes]:
        try:
            response = self.get(robots_url, robots=False, max_size=ROBOTS_MAX_BYTES)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return exc.status, b""  # no robots.txt: everything is allowed
            if not exc.transient:  # too large, a redirect loop: RFC 9309 treats it as absent
                return 404, b""
            raise
        return response.status, response.body

    def _check_robots(self, url: str) -> None:
        site = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
        failed = self._robot_failures.get(site)
        if failed is not None and time.monotonic() - failed[0] < ROBOTS_FAILURE_TTL:
            raise FetchError(url, failed[1].reason, transient=True)
        try:
            allowed = self.robots.allowed(url)
        except FetchError as exc:
            error = FetchError(url, f"robots.txt could not be read ({exc.reason}); the site is not fetched "
                               "until it can be", transient=True)
            self._robot_failures[site] = (time.monotonic(), error)
            raise error from None
        delay = self.robots.crawl_delay(url)
        if delay is not None:
            self.hosts.ask_for(urlsplit(url).hostname or "", delay)
        if not allowed:
            raise FetchError(url, "disallowed by the site's robots.txt", transient=False)

    # -- one URL, with retries -------------------------------------------------------------

    def _pause(self, seconds: float) -> None:
        """Sleep, but give up early when a stop was asked for (the caller keeps the item for later)."""
        left = seconds
        while left > 0:
            if self.stop():
                raise FetchError("", "stopped while waiting", transient=True)
            step = min(left, 0.2)
            self._sleep(step)
            left -= step

    def _with_retries(self, url: str, headers: dict[str, str], max_size: int) -> Fetched:
        attempt = 0
        while True:
            try:
                response = self._once(url, headers, max_size)
                response.tries = attempt + 1
                return response
            except FetchError as exc:
                exc.tries = attempt + 1
                if not exc.transient or attempt >= self.settings.retries or self.stop():
                    if exc.transient and attempt:
                        exc.reason += f" ({attempt + 1} tries)"
                        exc.args = (f"{url}: {exc.reason}",)
                    raise
                delay = min(self.settings.max_backoff, self.settings.backoff * 2 ** attempt) * (0.5 + self.jitter())
                if exc.retry_after is not None:
                    delay = max(delay, min(exc.retry_after, self.settings.max_backoff))
                try:
                    self._pause(delay)
                except FetchError:
                    raise exc from None
                attempt += 1

    def _once(self, url: str, headers: dict[str, str], max_size: int) -> Fetched:
        self.hosts.wait(urlsplit(url).hostname or "")
        self.requests += 1
        deadline = time.monotonic() + self.settings.deadline
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                kept = {k.lower(): v for k, v in response.headers.items()}
                if status == 304:
                    return Fetched(url, status, headers=kept, not_modified=True)
                if status in REDIRECTS:
                    return Fetched(url, status, headers=kept)
                if status in (408, 429) or 500 <= status < 600:
                    raise FetchError(url, f"HTTP {status}", transient=True, status=status,
                                     retry_after=_retry_after(kept.get("retry-after")))
                if status >= 400:
                    raise FetchError(url, f"HTTP {status}", transient=False, status=status)
                if not 200 <= status < 300:
                    raise FetchError(url, f"unexpected HTTP {status}", transient=False, status=status)
                length = kept.get("content-length", "")
                if length.isdigit() and int(length) > max_size:
                    raise FetchError(url, f"too large: {size_text(int(length))} (Content-Length); the limit is "
                                     f"{size_text(max_size)}", transient=False, status=status)
                body = self._read(url, response, max_size, deadline)
                return Fetched(url, status, body=body, headers=kept)
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out (no answer within {self.settings.timeout:g} s)", transient=True) from None
        except httpx.TransportError as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise FetchError(url, f"connection failed: {detail}", transient=True) from None

    def _read(self, url: str, response: httpx.Response, max_size: int, deadline: float) -> bytes:
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("", "identity"):
            decoder = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            decoder = zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header, told apart by zlib
        else:
            raise FetchError(url, f"unsupported Content-Encoding {encoding!r}", transient=False)
        body = bytearray()
        raw_size = 0
        try:
            for chunk in response.iter_raw():
                raw_size += len(chunk)
                if raw_size > max_size:
                    raise FetchError(url, f"too large: more than {size_text(max_size)}", transient=False)
                if time.monotonic() > deadline:
                    raise FetchError(url, f"too slow: the response took longer than {self.settings.deadline:g} s",
                                     transient=True)
                body += decoder.decompress(chunk, max_size - len(body) + 1) if decoder else chunk
                if len(body) > max_size:
                    what = "decompresses to more than" if decoder else "more than"
                    raise FetchError(url, f"too large: {what} {size_text(max_size)} ({encoding}, "
                                     f"{size_text(raw_size)} sent)" if decoder else f"too large: {what} "
                                     f"{size_text(max_size)}", transient=False)
            if decoder is not None:
                body += decoder.flush()
                if len(body) > max_size:
                    raise FetchError(url, f"too large: decompresses to more than {size_text(max_size)}",
                                     transient=False)
                if not decoder.eof:
                    raise FetchError(url, f"the {encoding} body ends before its end", transient=True)
        except zlib.error as exc:
            raise FetchError(url, f"cannot decompress the {encoding} body: {exc}", transient=False) from None
        return bytes(body)
