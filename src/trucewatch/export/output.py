"""Safe output files for exports: never onto a database, never half written.

One swapped argument (``export --db t.db -o t.db``) used to truncate the store to a CSV
header. So an output path is checked before anything is opened for writing: the
database itself (by real path and by inode, so ``./``, ``../``, symlinks and hard links
are all caught), its ``-wal``, ``-shm`` and ``-journal`` files, and any existing file
that starts with SQLite's 16-byte header are refused with a ``UsageError``. The export
is written to a temporary file in the target's folder and renamed over the target
(``os.replace``, atomic on POSIX) only when it finished; on a failure the temporary file
is removed and a previous export is left as it was.

Targets that are not regular files (``/dev/null``, ``/dev/stdout``, a FIFO) cannot be
replaced; they are written through, as a shell redirection would.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

from trucewatch.errors import SystemFault, UsageError

SQLITE_MAGIC = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")


def database_files(database: str | None) -> list[Path]:
    """The files a SQLite database URL (or path) stands for: the database and its side files."""
    if not database:
        return []
    if "://" in database:
        try:
            url = make_url(database)
        except Exception:  # not a URL we can read: nothing on disk to protect by name
            return []
        if not url.drivername.startswith("sqlite") or not url.database or url.database == ":memory:":
            return []
        path = url.database
    else:
        path = database
    base = os.path.realpath(os.path.expanduser(path))
    return [Path(base + suffix) for suffix in ("", *SIDE_FILES)]


def _is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except PermissionError as exc:
        raise UsageError(f"cannot write {path}: it exists and cannot be read to make sure it is not a database; "
                         "choose another output file") from exc


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(path: Path, database: str | None = None) -> Path:
    """The file to write for ``path`` (its real path), or a ``UsageError`` saying why not.

    Nothing is opened for writing here; the checks run before the store is opened, so a
    refused export leaves the database exactly as it was.
    """
    shown = str(path)
    real = Path(os.path.realpath(os.path.expanduser(path)))
    protected = database_files(database)
    for candidate in protected:
        if real == candidate or _same_file(real, candidate):
            what = "the database" if candidate == protected[0] else f"the database's {candidate.name[len(protected[0].name):]} file"
            raise UsageError(f"refusing to write {shown}: it is {what} ({protected[0]}); "
                             "choose another output file with -o")
    with contextlib.suppress(OSError):
        given = os.stat(os.path.expanduser(path))
        if not stat.S_ISREG(given.st_mode) and not stat.S_ISDIR(given.st_mode):
            return Path(os.path.expanduser(path))  # /dev/null, /dev/stdout, a FIFO: written through, never read
    try:
        info = os.stat(real)
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror or exc}") from exc
    if info is None:
        blocking = next((p for p in real.parents if p.exists()), None)
        if blocking is not None and not blocking.is_dir():
            raise UsageError(f"cannot write {shown}: {blocking} is not a folder")
        if not real.parent.is_dir():
            raise UsageError(f"cannot write {shown}: no such folder {real.parent}; "
                             "create it first or choose another path")
        return real
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"cannot write {shown}: {shown} is a folder; give a file name, e.g. {path / 'export.csv'}")
    if stat.S_ISREG(info.st_mode) and _is_sqlite_file(real):
        raise UsageError(f"refusing to write {shown}: it is a SQLite database file; choose another output file with -o")
    return real


def _temporary(folder: Path, name: str, mode: int) -> tuple[Path, int]:
    """A new file next to the target; ``mode`` is filtered by the umask, like ``open(..., "w")``."""
    for _ in range(100):
        candidate = folder / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return candidate, os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
    raise SystemFault(f"cannot create a temporary file in {folder}")


def _os_error(shown: str, exc: OSError) -> Exception:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UsageError(f"cannot write {shown}: {exc.strerror}; choose another output file")
    return SystemFault(f"cannot write {shown}: {exc.strerror or exc}")


@contextlib.contextmanager
def safe_output(path: Path, database: str | None = None) -> Iterator[IO[str]]:
    """A UTF-8 text handle whose content lands at ``path`` only if the block finishes.

    ``database`` is the ``--db`` value or URL in use, so its files are refused too.
    """
    shown = str(path)
    real = check_output(path, database)
    try:
        info: os.stat_result | None = os.stat(real)
    except (FileNotFoundError, NotADirectoryError):
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        with open(real, "w", encoding="utf-8", newline="") as handle:  # a device or a FIFO: write through
            yield handle
        return
    if info is not None and not os.access(real, os.W_OK):
        # the rename below needs only the folder's permission: without this check a file
        # we may not write (another user's, or read-only on purpose) would be replaced
        raise UsageError(f"{shown} is not writable by you; choose another output file")
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666
    try:
        temp, fd = _temporary(real.parent, real.name, mode)
    except OSError as exc:
        raise _os_error(shown, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            if info is not None:
                os.fchmod(handle.fileno(), mode)  # keep an existing export's permissions
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, real)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise _os_error(shown, exc) from exc
        raise
