"""``trucewatch watch``: poll, ingest, process, fuse and alert, until told to stop.

Each round polls the due sources (one :class:`~trucewatch.sources.poll.Poller` pass),
then, when documents arrived, runs the extraction stages, fuse (which checks the alert
rules after each batch) and the ceasefire step, exactly as ``trucewatch process`` does;
then it sleeps until the next source or retry is due. A stop (SIGTERM, Ctrl-C) is seen
between two items, two documents or two fuse batches: the one in hand is finished and
stored, and the loop ends. Everything is logged as JSON lines (``sources.events``).
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text

from trucewatch.sources import events, fetchlog
from trucewatch.sources.config import SourcesConfig
from trucewatch.sources.poll import Poller, PollSummary, utcnow
from trucewatch.errors import UsageError
from trucewatch.store import Store
from trucewatch.store.db import sqlite_path

MAX_SLEEP = 60.0  # seconds: the loop looks at the time at least this often
MIN_SLEEP = 1.0
_LOCK_KEY = 0x74776174  # PostgreSQL advisory lock of the one watch of a database
_ALREADY = "another trucewatch watch is already running on the database {}; stop it first (one watch per database)"


@contextmanager
def only_watch(store: Store) -> Iterator[None]:
    """Hold the database's watch lock for the block: two watches would poll the same sources
    and race for the same items. A flock beside a SQLite file; an advisory lock on PostgreSQL
    (held by a connection of its own, released when the process ends however it ends)."""
    path = sqlite_path(store.url)
    if path is not None:
        with open(f"{path}.watch-lock", "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UsageError(_ALREADY.format(store.name)) from None
            yield
        return
    if store.dialect != "postgresql":
        yield
        return
    with store.engine.connect() as conn:
        if not conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": _LOCK_KEY}):
            raise UsageError(_ALREADY.format(store.name))
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
            conn.commit()


@dataclass
class WatchSummary:
    rounds: int = 0
    stored: int = 0
    processed: int = 0
    failures: int = 0  # sources, items or documents that failed (logged)
    stopped_by: int | None = None
    problems: list[str] = field(default_factory=list)


class Watch:
    def __init__(self, store: Store, config: SourcesConfig, *, stop: Callable[[], int | None],
                 process: bool = True, workers: int = 1, clock: Callable[[], datetime] = utcnow,
                 sleep: Callable[[float], None] = time.sleep, max_sleep: float = MAX_SLEEP) -> None:
        self.store = store
        self.config = config
        self.stop = stop
        self.process = process
        self.workers = workers
        self.clock = clock
        self.sleep = sleep
        self.max_sleep = max_sleep
        self.summary = WatchSummary()
        self.poller = Poller(store, config, stop=stop, clock=clock)

    def run(self, *, once: bool = False) -> WatchSummary:
        events.info("watch.started", f"watching {len(self.config.sources)} sources from {self.config.path}",
                    sources=[s.name for s in self.config.sources], once=once or None)
        backlog = self.process  # documents a previous run stored but did not process
        try:
            while True:
                polled = self.round()
                if self.process and (polled.stored or backlog) and not self._stopped():
                    self.work()
                    backlog = False
                if once or self._stopped():
                    break
                self.wait()
                if self._stopped():
                    break
        finally:
            self.poller.close()
        if self.summary.stopped_by is not None:
            events.info("watch.stopped", f"stopped by signal {self.summary.stopped_by} after finishing the item in "
                        "hand; run again to continue", signal=self.summary.stopped_by, rounds=self.summary.rounds)
        return self.summary

    def _stopped(self) -> bool:
        if self.summary.stopped_by is None:
            self.summary.stopped_by = self.stop()
        return self.summary.stopped_by is not None

    def round(self) -> PollSummary:
        polled = self.poller.run()
        self.summary.rounds += 1
        self.summary.stored += polled.stored
        self.summary.failures += polled.source_errors + polled.failed
        events.info("poll.done", polled.describe(), polled=polled.polled, fetched=polled.fetched,
                    not_modified=polled.not_modified, source_errors=polled.source_errors, new_items=polled.new_items,
                    stored=polled.stored, unchanged=polled.unchanged, failed=polled.failed, deferred=polled.deferred,
                    stopped=polled.stopped or None)
        return polled

    def work(self) -> None:
        """Process, fuse (alerts after each batch), ceasefire: the steps of ``trucewatch process``."""
        from trucewatch.ceasefire.run import build_ceasefire
        from trucewatch.fusion.run import fuse
        from trucewatch.pipeline.runner import process

        done = process(self.store, None, workers=self.workers, stop=self.stop)
        self.summary.processed += done.documents
        self.summary.failures += len(done.errors)
        for problem in done.errors:
            events.error("process.failed", problem)
        events.info("process.done", f"processed {done.documents} documents ({done.stage_runs} stage runs, "
                    f"{len(done.errors)} failed)", documents=done.documents, failed=len(done.errors))
        if done.stopped_by is not None or self._stopped():
            return
        fused = fuse(self.store, stop=self.stop)
        events.info("fuse.done", f"fused {fused.documents} documents into incidents ({fused.changed} changed)",
                    documents=fused.documents, changed=fused.changed)
        if fused.stopped_by is not None or self._stopped():
            return
        ceasefire = build_ceasefire(self.store)
        for problem in ceasefire.errors:
            events.error("ceasefire.failed", problem)
        events.info("ceasefire.done", ceasefire.describe())

    def wait(self) -> None:
        """Sleep until a source or a retry is due (at most ``max_sleep``), waking for a stop."""
        now = self.clock()
        wake = fetchlog.next_wake(self.store, self.config.sources, now)
        seconds = self.max_sleep if wake is None else (wake - now).total_seconds()
        seconds = min(self.max_sleep, max(MIN_SLEEP, seconds))
        events.info("watch.sleeping", f"next look in {seconds:.0f} s", seconds=round(seconds, 1))
        left = seconds
        while left > 0 and not self._stopped():
            step = min(left, 0.2)
            self.sleep(step)
            left -= step
