"""The gazetteer: a compact SQLite index of places and their names, opened lazily.

The index is built once from data installed with trucewatch (see
:mod:`trucewatch.places.build`) into the user's cache directory, then opened read-only
by every process that needs it: lookups are indexed queries behind an LRU cache, so
the resolver's resident memory stays small however many places are indexed. Users who
need every village add a full GeoNames dump with ``trucewatch gazetteer import``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

from trucewatch.places.model import Entry
from trucewatch.places.names import name_key, spelled_out

#: Bump when the schema or the bundled sources change: a new file is built beside the old.
BUILD_VERSION = "6"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS places (
    geonameid INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    country TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    population INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL,
    geonameid INTEGER NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (key, geonameid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS admin1 (
    country TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    geonameid INTEGER,
    PRIMARY KEY (country, code)
) WITHOUT ROWID;
"""

_COLUMNS = "geonameid, name, lat, lon, feature_class, feature_code, country, admin1, population, source"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Eight hex digits that change with the build version or any curated place file.

    The index file is named with it, so editing ``supplement.tsv`` (or upgrading to a
    release that did) builds a fresh index instead of silently using a stale one.
    """
    digest = hashlib.sha256(BUILD_VERSION.encode())
    folder = resources.files("trucewatch.resources").joinpath("places")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith((".tsv", ".txt")):
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return digest.hexdigest()[:8]


def default_path() -> Path:
    """``$TRUCEWATCH_GAZETTEER``, else ``gazetteer-v<N>-<fingerprint>.sqlite`` in the user's cache."""
    configured = os.environ.get("TRUCEWATCH_GAZETTEER")
    if configured:
        return Path(configured).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "trucewatch" / f"gazetteer-v{BUILD_VERSION}-{fingerprint()}.sqlite"


class GazetteerError(ValueError):
    """The index file cannot be used: corrupt, empty, unreadable or built by another version."""


class Gazetteer:
    """Read access to a built index. Thread-safe: one connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no gazetteer index here (run `trucewatch gazetteer build`)")
        self._local = threading.local()
        self._check()
        self._exact: frozenset[str] | None = None
        self.lookup = lru_cache(maxsize=100_000)(self._lookup)  # type: ignore[method-assign]
        self.entry = lru_cache(maxsize=20_000)(self._entry)  # type: ignore[method-assign]
        self._kinds = lru_cache(maxsize=100_000)(self._kinds_uncached)
        self.admin1_name = lru_cache(maxsize=10_000)(self._admin1_name)  # type: ignore[method-assign]

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("PRAGMA cache_size=-16000")  # 16 MB of pages at most
            self._local.conn = conn
        return conn

    def _check(self) -> None:
        """Fail now, naming the file, rather than on the first lookup of some document."""
        try:
            built = self.db.execute("SELECT value FROM meta WHERE key = 'build_version'").fetchone()
            self.db.execute("SELECT 1 FROM names LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            self.close()
            raise GazetteerError(f"{self.path}: not a usable gazetteer index ({exc}); "
                                 "rebuild it with `trucewatch gazetteer build --force`") from exc
        if built is None or built[0] != BUILD_VERSION:
            self.close()
            found = built[0] if built else "none"
            raise GazetteerError(f"{self.path}: built by another trucewatch version (index version {found}, "
                                 f"this one reads {BUILD_VERSION}); rebuild it with `trucewatch gazetteer build --force`")

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta"))

    def _lookup(self, key: str) -> tuple[Entry, ...]:
        """Every place indexed under ``key`` (a :func:`name_key`), most populous first."""
        if not key:
            return ()
        rows = self.db.execute(
            f"SELECT {', '.join('p.' + c.strip() for c in _COLUMNS.split(','))} FROM names n "
            "JOIN places p ON p.geonameid = n.geonameid WHERE n.key = ? ORDER BY p.population DESC",
            (key,),
        ).fetchall()
        return tuple(map(Entry._make, rows))

    def exact_forms(self) -> frozenset[str]:
        """Every name indexed to be matched exactly as written ("U.S.", "Ky."), loaded once."""
        if self._exact is None:
            self._exact = frozenset(k for (k,) in self.db.execute("SELECT key FROM names WHERE key >= '=' AND key < '>'"))
        return self._exact

    def search(self, name: str) -> tuple[Entry, ...]:
        """Every place called ``name`` in any indexed spelling, or written exactly so ("Ky.")."""
        key = name_key(name)
        folded = self.lookup(key)
        if not folded and (longer := spelled_out(key)):
            folded = self.lookup(longer)
        exact = self.lookup(f"={name.strip()}")
        return tuple(dict.fromkeys(exact + folded))

    def kinds(self, key: str) -> tuple[tuple[int, str], ...]:
        """``(geonameid, kind)`` pairs under ``key``: whether it is a name, an alternate, a demonym."""
        return self._kinds(key)

    def _kinds_uncached(self, key: str) -> tuple[tuple[int, str], ...]:
        return tuple(self.db.execute("SELECT geonameid, kind FROM names WHERE key = ?", (key,)).fetchall())

    def _entry(self, geonameid: int) -> Entry | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM places WHERE geonameid = ?", (geonameid,)).fetchone()
        return Entry(*row) if row else None

    def _admin1_name(self, country: str, code: str) -> str | None:
        row = self.db.execute("SELECT name FROM admin1 WHERE country = ? AND code = ?", (country, code)).fetchone()
        return row[0] if row else None

    def admin1_entry(self, country: str, code: str) -> Entry | None:
        """The gazetteer entry of a first-level division, when the index has one."""
        row = self.db.execute("SELECT geonameid FROM admin1 WHERE country = ? AND code = ?", (country, code)).fetchone()
        return self.entry(row[0]) if row and row[0] is not None else None

    def counts(self) -> dict[str, int]:
        places = self.db.execute("SELECT COUNT(*) FROM places").fetchone()[0]
        names = self.db.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        by_source = dict(self.db.execute("SELECT source, COUNT(*) FROM places GROUP BY source"))
        return {"places": places, "names": names, **{f"source:{k}": v for k, v in by_source.items()}}

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


_OPEN: dict[Path, Gazetteer] = {}
_FAILED: dict[Path, Exception] = {}
_OPEN_LOCK = threading.RLock()  # build_gazetteer calls forget() while open_gazetteer holds it


def open_gazetteer(path: Path | None = None, *, build: bool = True) -> Gazetteer:
    """The gazetteer at ``path`` (default :func:`default_path`), built first if missing."""
    target = Path(path) if path else default_path()
    with _OPEN_LOCK:
        if target in _OPEN:
            return _OPEN[target]
        if target in _FAILED:  # a pipeline must not retry a failed build for every document
            raise _FAILED[target]
        try:
            if not target.exists():
                if not build:
                    raise FileNotFoundError(f"{target}: no gazetteer index here (run `trucewatch gazetteer build`)")
                with build_lock(target):
                    if not target.exists():  # another process may have built it while we waited
                        from trucewatch.places.build import build_gazetteer

                        build_gazetteer(target)
            gazetteer = Gazetteer(target)
        except (OSError, sqlite3.Error, GazetteerError) as exc:
            error = exc if isinstance(exc, (OSError, GazetteerError)) else GazetteerError(f"{target}: {exc}")
            _FAILED[target] = error
            raise error from None
        _OPEN[target] = gazetteer
        return gazetteer


@contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock beside ``target`` so parallel workers build the index once."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def forget(path: Path | None = None) -> None:
    """Drop the cached handle on ``path`` (after it was rebuilt or imported into)."""
    with _OPEN_LOCK:
        for key in [k for k in _OPEN if path is None or k == Path(path)]:
            _OPEN.pop(key).close()
        for key in [k for k in _FAILED if path is None or k == Path(path)]:
            _FAILED.pop(key)


def index_key(name: str, kind: str) -> str:
    """The key a name is indexed under: exact for abbreviations ("Ky.", "US"), folded otherwise."""
    if kind == "abbr":
        stripped = name.strip()
        return f"={stripped}" if stripped else ""
    return name_key(name)


def write_rows(
    conn: sqlite3.Connection,
    places: Iterable[tuple[Entry, Iterable[tuple[str, str]]]],
    *,
    replace: bool = True,
) -> int:
    """Insert or replace places and their ``(name, kind)`` pairs; returns how many places.

    ``replace`` first drops the names a place had (an import over an existing index);
    a fresh build skips that lookup.
    """
    count = 0
    for entry, names in places:
        conn.execute(
            f"INSERT OR REPLACE INTO places ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (entry.geonameid, entry.name, entry.lat, entry.lon, entry.feature_class, entry.feature_code,
             entry.country, entry.admin1, entry.population, entry.source),
        )
        if replace:  # a dump's own names only: our demonyms and short forms ("Libyan", "Ky.") stay
            conn.execute("DELETE FROM names WHERE geonameid = ? AND kind IN ('name', 'alt')", (entry.geonameid,))
        keys: dict[str, str] = {}
        for name, kind in names:
            key = index_key(name, kind)
            if key and key not in keys:
                keys[key] = kind
        conn.executemany(
            "INSERT OR IGNORE INTO names (key, geonameid, kind) VALUES (?,?,?)",
            [(key, entry.geonameid, kind) for key, kind in keys.items()],
        )
        count += 1
    return count
