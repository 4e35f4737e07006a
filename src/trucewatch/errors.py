"""The errors every layer raises, and the exit status each one means on the command line.

A user (or a script driving trucewatch) needs to tell three things apart: some input
was bad (fix the input), the command was used wrongly (fix the call), or the store or
the system failed (nothing about the input is wrong; retry later). Each layer raises
one of these with a message that names the file, line or database concerned; the CLI
prints the message, never a traceback, and exits with the class's code.

Exit codes: 0 all went through; 1 some input rejected or some document failed;
2 usage error; 3 store or system fault; 130 / 143 ``ingest`` or ``process`` stopped by
SIGINT (Ctrl-C) / SIGTERM after storing what it had in hand (128 + the signal number).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_FAULT = 3
EXIT_INTERRUPTED = 130


class TrucewatchError(Exception):
    """Base class: a failure with a message fit to show a user as it is."""

    exit_code = EXIT_INPUT


class InputError(TrucewatchError):
    """An input cannot be read; the message names it (and the line)."""

    exit_code = EXIT_INPUT


class UsageError(TrucewatchError):
    """The command was asked for something it cannot do (a bad option, a refused output path)."""

    exit_code = EXIT_USAGE


class StoreFault(TrucewatchError):
    """The database cannot be used: missing, read-only, corrupted, too new, full, or gone.

    Never a property of one document: a batch that meets it stops and says so instead
    of rejecting its documents one by one.
    """

    exit_code = EXIT_FAULT
    transient = False  # True for a fault that may clear by itself (disk full, a lock, a lost connection)


class StoreMissing(StoreFault):
    """No trucewatch store where one was named; ``--create`` makes one (``what`` says what is missing)."""

    def __init__(self, what: str, advice: str | None = "pass --create to make one") -> None:
        super().__init__(f"{what}; {advice}" if advice else what)
        self.what = what


class StoreDamaged(StoreFault):
    """The database file is damaged; ``finding`` says how, without the advice to run check."""

    def __init__(self, finding: str, advice: str | None = None) -> None:  # one argument: re-wrapped with more said
        super().__init__(f"{finding}: {advice}" if advice else finding)
        self.finding = finding


class SystemFault(TrucewatchError):
    """The machine refused: disk full, out of memory, a worker killed, a timeout."""

    exit_code = EXIT_FAULT
