"""A delay per host between two requests, so following forty feeds of one site never hammers it."""

from __future__ import annotations

import time
from collections.abc import Callable


class HostDelay:
    """Spaces out requests to the same host by at least ``delay`` seconds (or the host's own
    robots.txt Crawl-delay, when it asks for more, up to ``max_delay``)."""

    def __init__(self, delay: float, *, max_delay: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.delay = delay
        self.max_delay = max_delay
        self.clock = clock
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self._own: dict[str, float] = {}

    def ask_for(self, host: str, seconds: float) -> None:
        """The host's own wish (Crawl-delay), honoured when it is longer than ours."""
        self._own[host] = min(max(seconds, 0.0), self.max_delay)

    def delay_for(self, host: str) -> float:
        return max(self.delay, self._own.get(host, 0.0))

    def wait(self, host: str) -> float:
        """Sleep until ``host`` may be asked again, then note the request; returns the seconds slept."""
        last = self._last.get(host)
        slept = 0.0
        if last is not None:
            slept = last + self.delay_for(host) - self.clock()
            if slept > 0:
                self.sleep(slept)
            else:
                slept = 0.0
        self._last[host] = self.clock()
        return slept
