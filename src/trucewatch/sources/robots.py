"""robots.txt, read once an hour per site, with RFC 9309's rules for a file that cannot be read.

A missing robots.txt (any 4xx) allows everything; a server error or an unreachable site
means "do not crawl for now" (the fetch fails as transient and is tried again later).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser
from urllib.parse import urlsplit

ROBOTS_TTL = 3600.0
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB


@dataclass
class _Rules:
    parser: RobotFileParser | None  # None: everything allowed
    read_at: float


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class RobotsCache:
    """Answers "may we fetch this URL?" from each site's robots.txt.

    ``load(robots_url)`` returns (status, body) or raises the fetcher's error; it is the
    fetcher's own plain GET, so the file is fetched with the same delay, caps and retries.
    """

    def __init__(self, user_agent: str, load: Callable[[str], tuple[int, bytes]], *, ttl: float = ROBOTS_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.user_agent = user_agent
        self.load = load
        self.ttl = ttl
        self.clock = clock
        self._rules: dict[str, _Rules] = {}

    def rules(self, url: str) -> RobotFileParser | None:
        site = origin(url)
        cached = self._rules.get(site)
        if cached is None or self.clock() - cached.read_at > self.ttl:
            status, body = self.load(f"{site}/robots.txt")
            parser: RobotFileParser | None = None
            if 200 <= status < 300:
                parser = RobotFileParser()
                parser.parse(body.decode("utf-8", errors="replace").splitlines())
            cached = self._rules[site] = _Rules(parser, self.clock())
        return cached.parser

    def allowed(self, url: str) -> bool:
        parser = self.rules(url)
        return parser is None or parser.can_fetch(self.user_agent, url)

    def crawl_delay(self, url: str) -> float | None:
        parser = self.rules(url)
        if parser is None:
            return None
        delay = parser.crawl_delay(self.user_agent)
        return float(delay) if delay is not None else None
