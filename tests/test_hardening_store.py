"""Hardening of the store (issue 13): a missing, read-only, damaged, too new, full or lost
database is one clear message and exit 3, never a traceback, a new empty store or a
batch of false rejections; concurrent first opens, repeated rejections and runaway
queries are handled.

CLI behaviour is tested through the real console script in subprocesses; store
behaviour on a real SQLite file and on the real PostgreSQL server of the fixtures.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.pool import Pool

from tests.clitools import TRUCEWATCH, run
from trucewatch.documents.ingest import ingest
from trucewatch.errors import StoreFault
from trucewatch.store import open_store
from trucewatch.store.schema import Document, IngestError
from trucewatch.store.search import search_documents

SLOW_QUERY = ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 2000000000) "
              "SELECT count(*) FROM r")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRUCEWATCH_DB"}
    env.update(extra)
    return env


def _cli(*args: str, cwd: Path | None = None, prefix: tuple[str, ...] = (), timeout: float = 120,
         **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, TRUCEWATCH, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env=_env(**env))


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr


def _report(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def _made(db_url: str, tmp_path: Path) -> str:
    """A trucewatch database holding two documents; returns the --db value."""
    store = open_store(db_url)
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    _report(inbox, "a.txt", "Talks in Geneva\n\nThe Joint Military Commission met in Geneva on Monday.")
    _report(inbox, "b.txt", "Shelling in Tripoli\n\nShells hit a market in Tripoli, residents said.")
    assert ingest(store, [str(inbox)]).ingested == 2
    store.close()
    return db_url.removeprefix("sqlite:///")


# 1 and 6. A mistyped --db is an error naming it (exit 3), not a new empty database.

def test_missing_database_is_refused_without_create(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    for args in (["export"], ["status"], ["search", "Geneva"], ["process"]):
        done = _cli(*args, "--db", str(typo))
        assert done.returncode == 3, (args, done.stderr)
        assert f"no database at {typo}; pass --create to make one" in done.stderr
        _no_traceback(done)
    assert not typo.exists()
    note = _report(tmp_path, "a.txt", "A report that names no date.")
    refused = _cli("ingest", str(note), "--db", str(typo))
    assert refused.returncode == 3 and not typo.exists()
    made = _cli("ingest", str(note), "--db", str(typo), "--create")
    assert made.returncode == 0 and "ingested 1" in made.stdout
    assert _cli("export", "--db", str(typo)).returncode == 0  # exists now: no --create needed


def test_env_var_database_needs_create_too(tmp_path: Path) -> None:
    typo = tmp_path / "env-typo.db"
    done = _cli("status", TRUCEWATCH_DB=str(typo))
    assert done.returncode == 3 and f"no database at {typo}" in done.stderr and not typo.exists()


def test_default_path_is_created_without_create(tmp_path: Path) -> None:
    note = _report(tmp_path, "a.txt", "A report that names no date.")
    done = _cli("ingest", str(note), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "trucewatch.db").is_file()


def test_library_open_store_still_creates(tmp_path: Path) -> None:
    open_store(str(tmp_path / "lib.db")).close()
    assert (tmp_path / "lib.db").is_file()
    with pytest.raises(StoreFault, match="no database at .*nope.db; pass --create"):
        open_store(str(tmp_path / "nope.db"), create=False)


def test_postgres_database_without_schema_needs_create(pg_url: str) -> None:
    done = _cli("status", "--db", pg_url)
    assert done.returncode == 3 and "holds no trucewatch schema; pass --create" in done.stderr
    _no_traceback(done)
    assert _cli("status", "--db", pg_url, "--create").returncode == 0
    assert _cli("status", "--db", pg_url).returncode == 0


def test_postgres_database_that_does_not_exist(pg_server: str) -> None:
    done = _cli("status", "--db", f"{pg_server}/no_such_db_{uuid.uuid4().hex[:8]}")
    assert done.returncode == 3 and "no database" in done.stderr and "createdb" in done.stderr, done.stderr
    _no_traceback(done)


def test_check_refuses_a_database_without_the_schema(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        Path(db_url.removeprefix("sqlite:///")).write_bytes(b"")  # an empty file: a SQLite database with no tables
    done = _cli("check", "--db", db_url.removeprefix("sqlite:///"))
    assert done.returncode == 3 and "holds no trucewatch schema" in done.stderr, done.stderr
    _no_traceback(done)


def test_unreachable_postgres_is_a_store_fault() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = _cli("status", "--db", f"postgresql://someone:secret@127.0.0.1:{port}/nothing")
    assert done.returncode == 3 and "cannot be reached" in done.stderr
    assert "secret" not in done.stderr
    _no_traceback(done)


# 2. A read-only database: one message, exit 3.

@pytest.fixture
def read_only_copy(tmp_path: Path) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """A database nobody running the CLI may write, and the prefix to run the CLI as that user.

    As root chmod stops nothing, so the CLI runs as 'nobody' on root-owned files;
    otherwise the files are simply made read-only for the current user.
    """
    db = Path(_made(f"sqlite:///{tmp_path / 'src.db'}", tmp_path))
    folder = Path(tempfile.mkdtemp(prefix="trucewatch-ro-"))
    os.chmod(folder, 0o755)
    copy = folder / "ro.db"
    shutil.copyfile(db, copy)
    note = _report(folder, "new.txt", "A new report from Sirte about shelling.")
    os.chmod(note, 0o644)
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("setpriv is needed to run the CLI as an unprivileged user")
        os.chmod(copy, 0o644)
        prefix: tuple[str, ...] = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
    else:
        os.chmod(copy, 0o444)
        os.chmod(folder, 0o555)
        prefix = ()
    try:
        yield copy, prefix
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_read_only_database_on_ingest_and_process(read_only_copy: tuple[Path, tuple[str, ...]]) -> None:
    db, prefix = read_only_copy
    for args in (["ingest", str(db.parent / "new.txt")], ["process"]):
        done = _cli(*args, "--db", str(db), prefix=prefix, HOME="/tmp")
        assert done.returncode == 3, (args, done.stderr)
        assert f"the database {db} is read-only" in done.stderr
        _no_traceback(done)


def test_read_only_file_in_writable_folder(tmp_path: Path) -> None:
    db = Path(_made(f"sqlite:///{tmp_path / 'src.db'}", tmp_path))
    folder = Path(tempfile.mkdtemp(prefix="trucewatch-ro-"))
    try:
        os.chmod(folder, 0o777)
        copy = folder / "ro.db"
        shutil.copyfile(db, copy)
        note = _report(folder, "new.txt", "A new report from Sirte about shelling.")
        os.chmod(note, 0o644)
        if os.geteuid() == 0:
            os.chmod(copy, 0o644)
            prefix: tuple[str, ...] = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
        else:
            os.chmod(copy, 0o444)
            prefix = ()
        done = _cli("ingest", str(note), "--db", str(copy), prefix=prefix, HOME="/tmp")
        assert done.returncode == 3 and f"the database {copy} is read-only" in done.stderr, done.stderr
        _no_traceback(done)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# 3. Damage: `trucewatch check`, and a clear message from every other command.

def _corrupt_documents_table(path: Path) -> None:
    """Overwrite the root page of the documents table with garbage (the file stays a valid SQLite file)."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'documents'").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


def test_check_reports_a_clean_database(db_url: str, tmp_path: Path) -> None:
    db = _made(db_url, tmp_path)
    done = _cli("check", "--db", db)
    assert done.returncode == 0, done.stderr
    assert "no problems found" in done.stdout


def test_check_and_commands_on_a_corrupted_sqlite_file(tmp_path: Path) -> None:
    db = Path(_made(f"sqlite:///{tmp_path / 'bad.db'}", tmp_path))
    _corrupt_documents_table(db)
    checked = _cli("check", "--db", str(db))
    assert checked.returncode == 3, checked.stdout + checked.stderr
    assert f"the database {db} is damaged" in checked.stderr
    _no_traceback(checked)
    for args in (["status"], ["export", "--what", "documents"], ["search", "Geneva"]):
        done = _cli(*args, "--db", str(db))
        assert done.returncode == 3, (args, done.stderr)
        assert f"the database {db} is damaged" in done.stderr and "run trucewatch check" in done.stderr
        _no_traceback(done)


def test_check_finds_orphans(db_url: str, tmp_path: Path) -> None:
    """Rows whose parent is gone (possible after a crash with foreign keys off, or by hand)."""
    db = _made(db_url, tmp_path)
    store = open_store(db_url)
    with store.engine.begin() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:
            conn.exec_driver_sql("SET session_replication_role = replica")  # FK triggers off
        conn.execute(text("INSERT INTO stage_runs (document_id, stage, version, status, ran_at) "
                          "VALUES ('0000gone', 'time', '1', 'ok', CURRENT_TIMESTAMP)"))
        conn.execute(text("UPDATE documents SET raw_sha256 = 'missingblob' WHERE title = 'Talks in Geneva'"))
    store.close()
    done = _cli("check", "--db", db)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "stage_runs" in done.stdout and "documents" in done.stdout and "raw_blobs" in done.stdout
    _no_traceback(done)


# 4. A database from a newer trucewatch is refused by name.

def test_newer_schema_is_refused(db_url: str, tmp_path: Path) -> None:
    db = _made(db_url, tmp_path)
    store = open_store(db_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    store.close()
    for args in (["status"], ["ingest", str(tmp_path / "inbox")]):
        done = _cli(*args, "--db", db)
        assert done.returncode == 3, done.stderr
        assert "was made by a newer trucewatch (schema revision 0099); upgrade trucewatch" in done.stderr
        _no_traceback(done)


# 5. Concurrent first opens of one new database all succeed.

_OPEN_AT = """
import sys, time
from trucewatch.store import open_store
start, url = float(sys.argv[1]), sys.argv[2]
time.sleep(max(0.0, start - time.time()))  # all eight open at the same instant
open_store(url, create=True).close()
"""


def _open_together(url: str, n: int = 8) -> list[subprocess.CompletedProcess[str]]:
    """``n`` real processes opening ``url`` at the same moment (imports done before, so they truly overlap)."""
    start = time.time() + 4
    procs = [subprocess.Popen([sys.executable, "-c", _OPEN_AT, str(start), url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=_env()) for _ in range(n)]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate()) for p in procs]


def test_concurrent_first_opens(db_url: str, pg_server_or_none: str | None, tmp_path: Path) -> None:
    urls = [db_url]
    if db_url.startswith("sqlite"):
        urls += [f"sqlite:///{tmp_path / f'again{i}.db'}" for i in range(2)]
    else:
        import psycopg

        for i in range(2):
            name = f"t_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(f"{pg_server_or_none}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            urls.append(f"{pg_server_or_none}/{name}")
    try:
        for url in urls:
            for done in _open_together(url):
                assert done.returncode == 0, done.stderr[-2000:]
            store = open_store(url, create=False)
            with store.engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
            store.close()
        with ThreadPoolExecutor(8) as pool:  # and through the CLI, as the issue met it
            fresh = f"sqlite:///{tmp_path / 'cli.db'}" if db_url.startswith("sqlite") else urls[-1]
            results = list(pool.map(lambda _: _cli("status", "--db", fresh.removeprefix("sqlite:///"), "--create"),
                                    range(8)))
        assert [r.returncode for r in results] == [0] * 8, [r.stderr for r in results]
    finally:
        if pg_server_or_none:
            import psycopg

            with psycopg.connect(f"{pg_server_or_none}/postgres", autocommit=True) as admin:
                for url in urls[1:]:
                    admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.fixture
def pg_server_or_none(db_url: str, request: pytest.FixtureRequest) -> str | None:
    """The PostgreSQL server URL for the PostgreSQL variant of a test (None on SQLite)."""
    return None if db_url.startswith("sqlite") else request.getfixturevalue("pg_server")


# 7. A store fault mid-batch: no false rejections, retried, then exit 3 with the summary.

def _corpus(folder: Path, n: int, size: int = 6000) -> Path:
    folder.mkdir()
    for i in range(n):
        words = " ".join(f"w{i}x{j}" for j in range(size // 8))
        _report(folder, f"r{i:03d}.txt", f"Report {i} on the truce in sector {i}.\n\n{words}.")
    return folder


def _stored_counts(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return (session.scalar(select(func.count()).select_from(Document)),
                session.scalar(select(func.count()).select_from(IngestError)))


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    import trucewatch.store.db as module

    monkeypatch.setattr(module, "STORE_RETRY_DELAYS", (0.05, 0.1, 0.2))


def _pages_for(tmp_path: Path, corpus: Path, n: int) -> int:
    """How many pages a database holding the first ``n`` files of ``corpus`` takes (measured, not guessed)."""
    probe = tmp_path / "probe"
    probe.mkdir()
    for path in sorted(corpus.iterdir())[:n]:
        shutil.copy(path, probe)
    store = open_store(str(tmp_path / "probe.db"))
    ingest(store, [str(probe)])
    store.close()
    conn = sqlite3.connect(tmp_path / "probe.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    return pages


def _cap_pages(pages: int):  # type: ignore[no-untyped-def]
    """Every new SQLite connection may grow its file to ``pages`` pages: a full disk, for real."""
    def limit(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")
    event.listen(Pool, "connect", limit)
    return limit


def test_full_disk_mid_ingest_is_a_store_fault_without_rejections(tmp_path: Path, fast_backoff: None) -> None:
    url = f"sqlite:///{tmp_path / 'full.db'}"
    corpus = _corpus(tmp_path / "corpus", 40)
    limit = _cap_pages(_pages_for(tmp_path, corpus, 15))
    try:
        store = open_store(url)
        with pytest.raises(StoreFault) as fault:
            ingest(store, [str(corpus)], batch_size=10)
        store.close()
    finally:
        event.remove(Pool, "connect", limit)
    message = str(fault.value)
    assert f"the database {tmp_path / 'full.db'} is full" in message
    landed = re.search(r"stored before the fault: ingested (\d+), unchanged 0, rejected 0", message)
    assert landed, message
    store = open_store(url)
    stored, rejections = _stored_counts(store)
    assert stored == int(landed.group(1)) and 0 < stored < 40 and stored % 10 == 0  # whole batches only
    assert rejections == 0
    again = ingest(store, [str(corpus)], batch_size=10)
    assert again.ingested == 40 - stored and again.unchanged == stored and not again.rejected
    assert _stored_counts(store) == (40, 0)
    store.close()


def test_full_disk_via_cli_prints_summary_and_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], fast_backoff: None) -> None:
    from trucewatch import cli

    db = tmp_path / "full.db"
    corpus = _corpus(tmp_path / "corpus", 500, size=800)
    limit = _cap_pages(_pages_for(tmp_path, corpus, 300))
    monkeypatch.setattr(sys, "argv", ["trucewatch", "ingest", str(corpus), "--db", str(db), "--create"])
    try:
        with pytest.raises(SystemExit) as exited:
            cli.main()
    finally:
        event.remove(Pool, "connect", limit)
    captured = capsys.readouterr()
    assert exited.value.code == 3
    assert "rejected" not in captured.err.replace("rejected 0", "")  # no false per-document rejections
    assert f"the database {db} is full" in captured.err and "stored before the fault: ingested 200" in captured.err
    assert "Traceback" not in captured.err


def test_postgres_lost_mid_ingest(pg_server: str, pg_url: str, tmp_path: Path, fast_backoff: None) -> None:
    import psycopg

    name = pg_url.rsplit("/", 1)[1]
    corpus = _corpus(tmp_path / "corpus", 30, size=400)
    store = open_store(pg_url)
    seen = 0

    def cut(kind: str, _payload: object) -> None:
        nonlocal seen
        seen += 1
        if seen == 15:  # the first batch of 10 is committed, the second is in hand
            with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as admin:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))

    try:
        with pytest.raises(StoreFault, match="cannot be reached") as fault:
            ingest(store, [str(corpus)], batch_size=10, on_item=cut)
        assert "ingested 10" in str(fault.value)
    finally:
        with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    store.close()
    store = open_store(pg_url)
    assert _stored_counts(store) == (10, 0)
    again = ingest(store, [str(corpus)], batch_size=10)
    assert (again.ingested, again.unchanged, len(again.rejected)) == (20, 10, 0)
    assert _stored_counts(store) == (30, 0)
    store.close()


def test_a_refused_value_still_rejects_only_its_document(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The old behaviour that must survive: a value the database refuses costs one document."""
    from trucewatch.documents import ingest as module

    corpus = _corpus(tmp_path / "corpus", 5, size=100)
    original = module.prepare

    def prepare(record, **kwargs):  # type: ignore[no-untyped-def]
        prepared = original(record, **kwargs)
        if record.path.endswith("r002.txt"):
            prepared.row["source_format"] = None  # NOT NULL, no default: refused by the database
        return prepared

    module.prepare = prepare
    try:
        summary = ingest(store, [str(corpus)])
    finally:
        module.prepare = original
    assert summary.ingested == 4 and [r.path.endswith("r002.txt") for r in summary.rejected] == [True]
    assert "cannot store" in summary.rejected[0].reason


# 8. A rejection is recorded once per input and reason.

def test_repeated_rejection_is_recorded_once(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _report(inbox, "empty.txt", "")
    _report(inbox, "ok.txt", "A quiet night along the line, observers said.")
    (inbox / "lines.jsonl").write_text('{"text": "fine report about Sirte"}\nnot json\n', encoding="utf-8")
    first = ingest(store, [str(inbox)])
    assert len(first.rejected) == 2
    for _ in range(2):
        again = ingest(store, [str(inbox)])
        assert len(again.rejected) == 2  # still reported to the user on every run
    with store.session() as session:
        rows = session.execute(select(IngestError.path, IngestError.line, IngestError.reason)).all()
    assert len(rows) == 2 and len(set(rows)) == 2


# 9. Search input is capped; read queries have a statement timeout.

def test_search_query_is_capped(tmp_path: Path) -> None:
    db = _made(f"sqlite:///{tmp_path / 's.db'}", tmp_path)
    words = " ".join(f"word{i}" for i in range(2000))
    started = time.monotonic()
    done = _cli("search", words, "--db", db, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "at most 32 terms" in done.stderr
    assert time.monotonic() - started < 30
    long_word = _cli("search", "x" * 1001, "--db", db)
    assert long_word.returncode == 2 and "at most 1000 characters" in long_word.stderr
    _no_traceback(done)
    assert _cli("search", " ".join(["Geneva"] * 32), "--db", db).returncode == 0


def test_slow_read_query_is_stopped(store) -> None:  # type: ignore[no-untyped-def]
    from trucewatch.store.db import QueryTimeout

    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"the query took longer than 0\.5 s and was stopped"):
        with store.reading(timeout=0.5) as conn:
            conn.execute(text(SLOW_QUERY)).scalar()
    assert time.monotonic() - started < 10
    with store.reading(timeout=5) as conn:  # the next query on the pool still works
        assert conn.execute(text("SELECT 1")).scalar() == 1
    if store.dialect == "postgresql":  # stopped on the server too, not only in the client
        with store.engine.connect() as conn:
            running = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'WITH RECURSIVE r%' "
                                        "AND state = 'active'")).scalar()
        assert running == 0


def test_statement_timeout_comes_from_the_environment(store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from trucewatch.store.db import QueryTimeout

    monkeypatch.setenv("TRUCEWATCH_STATEMENT_TIMEOUT", "0.3")
    with pytest.raises(QueryTimeout, match=r"longer than 0\.3 s"):
        with store.reading() as conn:
            conn.execute(text(SLOW_QUERY)).scalar()


def test_search_runs_under_the_timeout(store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """search_documents reads through Store.reading: a slow engine would be stopped."""
    calls = []
    original = type(store).reading

    def spy(self, timeout=None):  # type: ignore[no-untyped-def]
        calls.append(timeout)
        return original(self, timeout)

    monkeypatch.setattr(type(store), "reading", spy)
    assert search_documents(store, "Geneva") == []
    assert calls == [None]


def test_search_cli_timeout_message(tmp_path: Path) -> None:
    """A real search stopped by a tiny timeout: the message and exit 3, no traceback."""
    db = tmp_path / "big.db"
    store = open_store(str(db))
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO raw_blobs (sha256, size, content) VALUES ('b', 1, x'00')"))
        rows = [{"id": uuid.uuid4().hex, "text": " ".join(["ceasefire truce talks"] * 50) + f" n{i}",
                 "basis": "unknown", "fmt": "txt"} for i in range(20000)]
        conn.execute(text("INSERT INTO documents (id, text, published_basis, translated, source_format, raw_sha256, "
                          "ingested_at) VALUES (:id, :text, :basis, false, :fmt, 'b', CURRENT_TIMESTAMP)"), rows)
    store.close()
    done = _cli("search", "ceasefire truce talks", "--db", str(db), TRUCEWATCH_STATEMENT_TIMEOUT="0.001")
    assert done.returncode == 3, done.stdout[-500:] + done.stderr
    assert "the query took longer than 0.001 s and was stopped" in done.stderr
    _no_traceback(done)


# SQLite cannot reflect expression indexes, so the comparison skips the incident list's
# (migration 0014); tests/test_migrations.py checks that they exist on both backends
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_build_the_schema_the_models_describe(store) -> None:  # type: ignore[no-untyped-def]
    """A migration that forgets what a model says (an index, a column) fails here, on both backends."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from trucewatch.store.schema import Base

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # the full-text machinery is the migrations' own (FTS5 tables, a generated tsvector column and its index)
    own = [d for d in diff if not any("documents_fts" in str(part) or "tsv" in str(part) for part in d)]
    assert own == []
