"""Shared fixtures: a store on every backend (a real SQLite file, a real PostgreSQL server).

The PostgreSQL server is started here, in a temporary cluster on 127.0.0.1, from the
Debian ``postgresql`` binaries; each test gets its own database. Without the binaries
the PostgreSQL variants skip, unless TRUCEWATCH_REQUIRE_PG=1 (set by CI) makes that
a failure. TRUCEWATCH_TEST_PG_URL points the suite at an existing server instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
ROOT = Path(__file__).resolve().parents[1]


def _test_gazetteer() -> str:
    """The gazetteer index the suite uses: built once into .test-cache/, never the user's own."""
    from trucewatch.extract.places.gazetteer import BUILD_VERSION, fingerprint

    return str(ROOT / ".test-cache" / f"gazetteer-v{BUILD_VERSION}-{fingerprint()}.sqlite")


# Set before any test runs, so every stage, CLI call and subprocess shares one index.
os.environ["TRUCEWATCH_GAZETTEER"] = os.environ.get("TRUCEWATCH_TEST_GAZETTEER") or _test_gazetteer()
# ... and one cache of derived data (the actor knowledge base), never the user's own.
os.environ.setdefault("TRUCEWATCH_CACHE_DIR", str(ROOT / ".test-cache" / "derived"))


@pytest.fixture(scope="session", autouse=True)
def shared_gazetteer() -> None:
    """Build (first run) or open the shared test gazetteer before any test runs.

    Done here, once, so that no test pays for the build (20-45 s) inside its own time
    limit, in particular the CLI tests that run ``trucewatch`` in a subprocess with a
    120 s timeout. A failure is only warned about here: it is remembered by
    ``open_gazetteer`` and fails the tests that need the gazetteer, not the whole suite.
    """
    from trucewatch.extract.places.gazetteer import open_gazetteer

    try:
        open_gazetteer()
    except Exception as exc:  # noqa: BLE001 - reported by the tests that use it
        warnings.warn(f"the shared test gazetteer could not be built: {exc}", stacklevel=1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found and "postgresql" in os.path.realpath(found):
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else found


def _unavailable(reason: str) -> None:
    if os.environ.get("TRUCEWATCH_REQUIRE_PG") == "1":
        pytest.fail(f"PostgreSQL is required here (TRUCEWATCH_REQUIRE_PG=1) but {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of a PostgreSQL server for this test session (without a database name)."""
    url = os.environ.get("TRUCEWATCH_TEST_PG_URL")
    if url:
        yield url.rstrip("/")
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        _unavailable("initdb/pg_ctl not found (apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="trucewatch-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as 'postgres'
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and there is no 'postgres' user")
        for path in (base, sockets):
            os.chown(path, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    log = base / "server.log"
    subprocess.run(prefix + [initdb, "-D", str(data), "-A", "trust", "-U", "trucewatch", "-E", "UTF8",
                             "--locale=C.UTF-8" if Path("/usr/lib/locale/C.utf8").exists() else "--locale=C"],
                   check=True, capture_output=True)
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    started = subprocess.run(prefix + [pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
                             capture_output=True, text=True)
    if started.returncode != 0:
        _unavailable(f"server did not start: {started.stderr or log.read_text(errors='replace')}")
    try:
        yield f"postgresql://trucewatch@127.0.0.1:{port}"
    finally:
        subprocess.run(prefix + [pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{pg_server}/{name}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL on each backend: the same test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'trucewatch.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    from trucewatch.store import open_store

    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    return SEEDS


@pytest.fixture
def fresh_ner(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """``fresh_ner(tagger="off")``: the NER model loaded afresh in the test, whatever an
    earlier test loaded or turned off, with its tagger or not (``TRUCEWATCH_NER_TAGGER``);
    skips when the model is not installed or not usable."""
    import importlib.util

    from trucewatch.text import ner

    def load(tagger: str = "off") -> Any:
        if importlib.util.find_spec(ner.MODEL_PACKAGE) is None:
            pytest.skip("the NER model is not installed")
        monkeypatch.delenv("TRUCEWATCH_NO_NER", raising=False)
        monkeypatch.setenv("TRUCEWATCH_NER_TAGGER", tagger)
        monkeypatch.setattr(ner, "_checked", None)
        monkeypatch.setattr(ner, "_loaded", None)
        nlp, status = ner.load_ner()
        if nlp is None:
            pytest.skip(f"the NER model is not usable here: {status.reason}")
        return nlp

    return load
