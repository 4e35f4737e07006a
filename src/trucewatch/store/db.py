"""Opening a store: URL resolution, engine settings and migrations on open.

SQLite is the embedded default (WAL so readers never block the writer, foreign keys
on); any SQLAlchemy URL works, PostgreSQL included. Every open brings the schema to
the newest Alembic revision, so a user never runs a separate migrate step.

A database is only made when the caller says so (``create=True``; the CLI's
``--create``), so a mistyped path is an error instead of a new, empty store. The
first migration runs under a lock (a ``flock`` on the SQLite file's folder, a
transaction-level advisory lock on PostgreSQL) and re-reads the revision once it
holds it, so two commands opening the same new database at once both succeed.
Errors the database raises that are not about one value (read-only, damaged, full,
gone) become :class:`~trucewatch.errors.StoreFault` naming the database.
"""

from __future__ import annotations

import fcntl
import math
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.orm import Session, sessionmaker

from trucewatch.errors import StoreDamaged, StoreFault, StoreMissing, UsageError

T = TypeVar("T")

DEFAULT_DB_FILE = "trucewatch.db"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
STATEMENT_TIMEOUT_ENV = "TRUCEWATCH_STATEMENT_TIMEOUT"
DEFAULT_STATEMENT_TIMEOUT = 60.0
_MIGRATION_LOCK_KEY = 0x7472_7563_6577  # "trucew": the PostgreSQL advisory lock for migrations


class QueryTimeout(StoreFault):
    """A query ran past the statement timeout and was stopped (on the server too)."""


def resolve_url(db: str | None = None) -> str:
    """Turn ``--db`` / ``TRUCEWATCH_DB`` / the default into a SQLAlchemy URL.

    A value with ``://`` is taken as a URL; anything else is a SQLite file path.
    """
    value = db or os.environ.get("TRUCEWATCH_DB") or DEFAULT_DB_FILE
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names (None for other backends and in-memory databases)."""
    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def display_name(url: str) -> str:
    """How messages name a database: the SQLite file, or the URL without its password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL SQLAlchemy cannot parse is shown as given
        return url


def statement_timeout() -> float:
    """Seconds a read query may run (TRUCEWATCH_STATEMENT_TIMEOUT; 0: no limit).

    Anything but a finite number >= 0 is a usage error: a negative, infinite or NaN
    value would silently mean "no limit", or fail deep in the driver.
    """
    value = os.environ.get(STATEMENT_TIMEOUT_ENV, "").strip()
    if not value:
        return DEFAULT_STATEMENT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise UsageError(f"{STATEMENT_TIMEOUT_ENV}={value!r} is not a number of seconds (give one >= 0; 0: no limit)")
    return seconds


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    # Switching a new file to WAL while another process is making it can fail with
    # "database is locked" at once, without SQLite's busy wait: try again briefly.
    for delay in (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, None):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if delay is None or "locked" not in str(exc):
                raise
            time.sleep(delay)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# What a database error means, by its message (SQLite) or SQLSTATE class (PostgreSQL).
_DAMAGED = ("database disk image is malformed", "file is not a database", "malformed database schema")
_BUSY = ("database is locked", "database table is locked", "deadlock detected")
_READ_ONLY = ("attempt to write a readonly database", "readonly database", "read-only transaction")
_FULL = ("database or disk is full", "no space left on device", "disk full")
_GONE = ("disk i/o error", "unable to open database file", "server closed the connection", "connection refused",
         "terminating connection", "connection is closed", "the connection is lost", "consuming input failed",
         "connection failed", "could not connect", "not currently accepting connections",
         "does not allow connections", "permission denied for database", "no connection to the server")


def classify_fault(url: str, exc: BaseException) -> StoreFault | None:
    """The store fault a database error stands for, or None when it is about the values sent.

    A fault that may clear by itself (disk full, connection lost, a lock another
    program holds) is marked ``transient``, so a writer retries it; read-only or
    damaged is not.
    """
    if isinstance(exc, StoreFault):  # already translated by the engine's error hook
        return exc
    return _classify(url, exc)


def _fault(message: str, *, transient: bool = False) -> StoreFault:
    fault = StoreFault(message)
    fault.transient = transient
    return fault


# Pauses before each new try of a write that met a store fault which may clear by itself.
STORE_RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0)


def retry_store_write(url: str, write: Callable[[], T]) -> T:
    """Run one write transaction; a transient store fault is retried with backoff, then
    raised as a StoreFault (with ``tries``), a lasting one at once. Any other error (a
    value the database refuses) is raised as it is, for the caller to blame on its row."""
    for tries, delay in enumerate((*STORE_RETRY_DELAYS, None), start=1):
        try:
            return write()
        except Exception as exc:
            fault = classify_fault(url, exc)
            if fault is None:
                raise
            if delay is None or not fault.transient:
                fault.tries = tries  # type: ignore[attr-defined]
                raise fault from exc
            time.sleep(delay)
    raise AssertionError("unreachable")


def _classify(url: str, exc: BaseException) -> StoreFault | None:
    name = display_name(url)
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).strip()
    lower = message.lower()
    first = message.splitlines()[0] if message else type(orig).__name__
    sqlstate = getattr(orig, "sqlstate", None) or ""
    errorname = getattr(orig, "sqlite_errorname", None) or ""  # e.g. SQLITE_IOERR_SHORT_READ
    code = errorname.split("_")[1] if errorname.count("_") else ""
    if code == "INTERRUPT" or sqlstate == "57014" or lower == "interrupted":
        return QueryTimeout(f"a query on the database {name} was stopped (statement timeout or interrupt)")
    if sqlstate == "3D000" or ("database" in lower and "does not exist" in lower):
        return _fault(f"no database {name} on the server ({first}): make it first (createdb), "
                      "then pass --create to set it up")
    if any(s in lower for s in _DAMAGED) or code in ("CORRUPT", "NOTADB") or sqlstate.startswith("XX0"):
        return StoreDamaged(f"the database {name} is damaged ({first})", f"run trucewatch check --db {name}")
    if any(s in lower for s in _READ_ONLY) or code == "READONLY" or sqlstate == "25006":
        return _fault(f"the database {name} is read-only ({first}): make it writable, or use a copy you can write")
    if any(s in lower for s in _FULL) or code == "FULL" or sqlstate in ("53100", "53200"):
        return _fault(f"the database {name} is full ({first}): free disk space, then run the command again",
                      transient=True)
    if any(s in lower for s in _BUSY) or code in ("BUSY", "LOCKED") or sqlstate in ("40P01", "55P03"):
        return _fault(f"the database {name} is busy ({first}): another program holds a lock on it; "
                      "run the command again when it is done", transient=True)
    if (any(s in lower for s in _GONE) or code in ("IOERR", "CANTOPEN") or sqlstate.startswith("08")
            or sqlstate in ("57P01", "57P02", "57P03")):
        return _fault(f"the database {name} cannot be reached ({first}): check it is up and reachable, "
                      "then run the command again", transient=True)
    return None


#: PostgreSQL connections an engine keeps open (and as many more it may open at busy moments).
POOL_SIZE = 20


def make_engine(url: str) -> Engine:
    """Create an engine with the settings trucewatch relies on for each backend."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        # a pool as large as the API server's busy moments: beyond the pool's size each
        # connection handed back is closed, and under 20 clients most requests paid for a
        # new PostgreSQL backend (idle connections cost the server little)
        engine = create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_SIZE)

    def translate(context: ExceptionContext) -> BaseException | None:
        if getattr(context, "is_pre_ping", False):
            return None
        return classify_fault(url, context.original_exception)

    event.listen(engine, "handle_error", translate)
    return engine


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _sqlite_migration_lock(path: Path) -> Iterator[None]:
    """An exclusive ``flock`` on the database's folder while its schema is made or upgraded.

    The folder, not the file (which may not exist yet) nor a sibling lock file (left
    behind): a flock on a directory is independent of SQLite's own POSIX locks.
    """
    try:
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError as exc:
        raise StoreFault(f"cannot open the folder of the database {path}: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a filesystem without flock: the re-check and SQLite's own write lock remain
            pass
        yield
    finally:
        os.close(fd)  # releases the flock


def schema_revision(engine: Engine) -> str:
    """The database's schema revision; a StoreFault when it has none or one newer than this trucewatch."""
    with engine.connect() as conn:
        current = _current_revision(conn)
    name = display_name(str(engine.url))
    script = ScriptDirectory.from_config(_alembic_config())
    if current is None:
        raise StoreFault(f"the database {name} holds no trucewatch schema")
    if current not in {rev.revision for rev in script.walk_revisions()}:
        raise StoreFault(f"the database {name} was made by a newer trucewatch (schema revision {current}); "
                         "upgrade trucewatch to use it")
    return current


def migrate(engine: Engine, *, create: bool = True) -> None:
    """Upgrade the database to the newest revision if it is behind.

    Refuses a database made by a newer trucewatch, and (unless ``create``) one that
    holds no trucewatch schema at all.
    """
    cfg = _alembic_config()
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    known = {rev.revision for rev in script.walk_revisions()}
    name = display_name(str(engine.url))

    def verdict(current: str | None) -> bool:
        """True when an upgrade is needed; raises when the database must not be touched."""
        if current is not None and current not in known:
            raise StoreFault(f"the database {name} was made by a newer trucewatch (schema revision {current}); "
                             "upgrade trucewatch to use it")
        if current is None and not create:
            raise StoreMissing(f"the database {name} holds no trucewatch schema", "pass --create to make one there")
        return current != head

    with engine.connect() as conn:
        if not verdict(_current_revision(conn)):
            return
    path = sqlite_path(str(engine.url))
    lock = _sqlite_migration_lock(path) if path is not None else _noop()
    with lock, engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        if not verdict(_current_revision(conn)):  # another process migrated while we waited
            return
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@contextmanager
def _noop() -> Iterator[None]:
    yield


@dataclass
class Store:
    """An open database: its URL, engine and a session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def name(self) -> str:
        """The database as messages name it (no password)."""
        return display_name(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self.sessions() as session:
            with session.begin():
                yield session

    @contextmanager
    def reading(self, timeout: float | None = None) -> Iterator[Connection]:
        """A connection for read queries that may not run longer than ``timeout`` seconds.

        PostgreSQL gets ``SET LOCAL statement_timeout``, so the server stops the query
        itself even when the client is gone; SQLite gets a progress handler that
        interrupts the query once the deadline has passed (checked as the query runs,
        so it does not depend on a timer thread being scheduled in time).
        Batch work (ingest, process) does not use this, so it is never cut short.
        Default: TRUCEWATCH_STATEMENT_TIMEOUT, else 60 s; 0 means no limit.
        """
        seconds = statement_timeout() if timeout is None else timeout
        raw = None
        try:
            with self.engine.connect() as conn:
                if seconds > 0:
                    if self.dialect == "postgresql":
                        conn.execute(text("SELECT set_config('statement_timeout', :ms, true)"),
                                     {"ms": str(max(1, int(seconds * 1000)))})
                    elif self.dialect == "sqlite":
                        deadline = time.monotonic() + seconds
                        raw = conn.connection.driver_connection
                        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)  # type: ignore[union-attr]
                try:
                    yield conn
                finally:
                    if raw is not None:
                        raw.set_progress_handler(None, 0)  # the pooled connection goes back unlimited
                conn.rollback()
        except QueryTimeout:
            raise QueryTimeout(f"the query took longer than {seconds:g} s and was stopped "
                               f"(database {self.name}; raise {STATEMENT_TIMEOUT_ENV} to allow more)") from None

    def close(self) -> None:
        self.engine.dispose()


def open_store(db: str | None = None, *, upgrade: bool = True, create: bool = True) -> Store:
    """Open (and by default migrate) the store named by ``db``.

    With ``create=False`` a database that does not exist yet (a missing SQLite file, a
    PostgreSQL database without the trucewatch schema) is a StoreFault naming it,
    instead of a new empty store. Library callers keep the old behaviour (create).
    """
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            if not create:
                raise StoreMissing(f"no database at {path}")
            if not path.parent.is_dir():
                if path.parent.exists():
                    raise StoreFault(f"cannot make the database {path}: {path.parent} is not a folder")
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreFault(f"cannot make the folder for the database {path}: {exc.strerror}") from exc
        elif path.is_dir():
            raise StoreFault(f"{path} is a folder, not a database file")
    try:
        engine = make_engine(url)
    except Exception as exc:  # noqa: BLE001 - a URL SQLAlchemy cannot use: say which
        raise StoreFault(f"cannot open the database {display_name(url)}: {exc}") from exc
    if upgrade:
        try:
            migrate(engine, create=create)
        except BaseException:
            engine.dispose()
            raise
    return Store(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
