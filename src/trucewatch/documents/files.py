"""Files as the operating system hands them over: names as printable text, and only
regular files opened, so a FIFO, a device or a symlink loop is named instead of read.

A file name is bytes on POSIX and need not be UTF-8; Python keeps such bytes as
surrogates, which neither a terminal nor a database accepts. ``display_path`` is the
one form a name is shown and stored in.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import IO


def display_path(path: str | bytes | os.PathLike[str]) -> str:
    """A path as text that can always be printed and stored: bytes that are not UTF-8
    become ``\\xNN`` escapes and control characters (a newline in a file name) too."""
    return one_line(os.fsencode(path).decode("utf-8", "backslashreplace"))


def one_line(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


def os_reason(exc: OSError) -> str:
    """What an OS error means for a user, in a few words."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    if exc.errno == errno.EISDIR:
        return "is a directory"
    return f"cannot read: {(exc.strerror or str(exc)).lower()}"


_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def not_regular(mode: int) -> str | None:
    """Why a file of this mode cannot be read as a document, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    return f"not a regular file ({kind})"


class Refused(Exception):
    """A file that is not read, with the reason a user sees."""


def open_regular(path: Path) -> tuple[IO[bytes], int]:
    """Open a regular file for reading, following symlinks; raise Refused for anything else.

    The type is checked before opening (a FIFO would block the open) and again on the
    open descriptor, opened non-blocking, so a file swapped in between cannot hang us.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise Refused("broken symlink") from exc
        raise Refused(os_reason(exc)) from exc
    reason = not_regular(info.st_mode)
    if reason:
        raise Refused(reason)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Refused(os_reason(exc)) from exc
    try:
        info = os.fstat(fd)
        reason = not_regular(info.st_mode)
        if reason:
            raise Refused(reason)
        return os.fdopen(fd, "rb"), info.st_size
    except BaseException:
        os.close(fd)
        raise
