"""Process lifetime: workers that die with their parent, and a clean stop on SIGTERM/SIGINT.

A worker process that outlives its parent holds hundreds of megabytes (models, the
gazetteer) and does nothing useful: nobody will ever read its results. So each worker
(1) asks the Linux kernel to SIGKILL it when its parent dies (``PR_SET_PDEATHSIG``) and
(2) runs a watchdog thread that notices the parent is gone on any platform. Workers
ignore SIGINT and SIGTERM: a Ctrl-C (sent to the whole process group) or a SIGTERM to the
group reaches the parent, which stops dispatching, stores what is in hand and shuts the
pool down, so the workers end with it instead of dying mid-document.

The parent turns SIGTERM and SIGINT into a stop request (:class:`StopSignals`): either a
flag the runner checks between documents, or an exception (:class:`Stopped`, a
``KeyboardInterrupt``) raised once in the main thread so ``finally`` blocks commit what
was read. A stopped command exits 128 + the signal number (130 for SIGINT, 143 for
SIGTERM), as a shell reports a process ended by that signal.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import Any

PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 0.5  # seconds between two looks at the parent's pid
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def exit_code(signum: int) -> int:
    """The exit status of a command stopped by ``signum`` (the shell's 128 + n)."""
    return 128 + signum


def signal_name(signum: int) -> str:
    return signal.Signals(signum).name


def die_with_parent(signum: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``signum`` to this process when its parent dies (Linux only).

    Returns whether the request was made; elsewhere the watchdog is the only guard.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent_pid: int, interval: float = WATCH_INTERVAL) -> threading.Thread:
    """Start a daemon thread that ends this process as soon as ``parent_pid`` is no longer its parent."""

    def watch() -> None:
        event = threading.Event()
        while os.getppid() == parent_pid:
            event.wait(interval)
        os._exit(1)  # the parent is gone: nobody will collect our results

    thread = threading.Thread(target=watch, name="parent-watchdog", daemon=True)
    thread.start()
    return thread


def init_worker_lifetime(parent_pid: int) -> None:
    """Run first in every worker: leave signals to the parent, and die with it."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    die_with_parent(signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request above was made
        os._exit(1)
    watch_parent(parent_pid)


class Stopped(KeyboardInterrupt):
    """Raised in the main thread by SIGTERM or SIGINT under ``StopSignals(raise_once=True)``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal_name(signum))
        self.signum = signum


class StopSignals:
    """Turn SIGTERM and SIGINT into a stop request while the block runs (main thread only).

    ``requested`` is the first signal received (or None). With ``raise_once`` the first
    signal also raises :class:`Stopped`. A second signal ends the process at once, as
    if no handler were set: the way out of a stage or a commit that does not finish.
    Outside the main thread it does nothing: Python delivers signals to the main thread.
    """

    def __init__(self, *, raise_once: bool = False) -> None:
        self.raise_once = raise_once
        self.requested: int | None = None
        self._previous: dict[int, Any] = {}
        self._deferring = 0
        self._pending = False

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """A block the stop exception must not cut in two (a database commit): a signal
        received inside it is raised when the block ends, not in the middle of it.

        A stop already requested is raised again at the end of every such block: Python
        drops an exception raised where it can only be ignored (a finalizer closing a
        file, a generator being collected), and a stop lost that way must still end the
        run at its next commit instead of letting it carry on to the end."""
        self._deferring += 1
        try:
            yield
        finally:
            self._deferring -= 1
        if self._deferring:
            return
        if self._pending or (self.raise_once and self.requested is not None):
            self._pending = False
            assert self.requested is not None
            raise Stopped(self.requested)

    def __call__(self) -> int | None:
        return self.requested

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.requested is not None:  # asked twice: the user means it, stop now (the workers die with us)
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        self.requested = signum
        if self.raise_once:
            if self._deferring:
                self._pending = True
                return
            raise Stopped(signum)

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()
