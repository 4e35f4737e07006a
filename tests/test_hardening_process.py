"""Process lifetime and the --jsonl batch contract under hostile conditions (issue 13).

Real subprocesses of the console script, real signals, a real SQLite file and the real
PostgreSQL server of the fixtures: deep JSON in a batch, killed parents, SIGTERM/SIGINT
mid-run, documents ingested while ``process`` runs, and a database that goes away.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.clitools import TRUCEWATCH, run
from trucewatch.batch import BatchError, parse_line, run_batch
from trucewatch.documents.ingest import document_id, ingest
from trucewatch.errors import StoreFault
from trucewatch.pipeline import runner
from trucewatch.pipeline.runner import process
from trucewatch.store.schema import Document, StageRun

N_DOCS = 2000  # `process --stage sentences --workers 2` takes several seconds over these


def _report(i: int) -> str:
    return (f"Monitors at post {i} logged a calm evening. Nobody crossed the line near village {i * 11 + 5}. "
            "Both sides agreed to meet again on Friday.")


def _nested(depth: int) -> str:
    return json.dumps({"id": "deep", "text": "x"})[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"


# --- 1. the --jsonl batch contract: a deep line is that line's error, nothing else is lost ---


def test_parse_line_refuses_deep_nesting_with_a_message() -> None:
    assert parse_line(_nested(98), 1).id == "deep"  # 1 (object) + 98 (arrays) levels: fine
    for depth in (100, 1000, 100_000):
        with pytest.raises(BatchError, match="JSON nested deeper than 100 levels"):
            parse_line(_nested(depth), 3)
    # brackets inside strings are text, not nesting
    assert parse_line(json.dumps({"id": 1, "text": "[" * 5000 + "{" * 5000}), 1).text.startswith("[[[")


def test_run_batch_reports_a_line_whose_parsing_raises_and_goes_on() -> None:
    import io

    lines = [json.dumps({"id": "a", "text": "one"}), _nested(1000), json.dumps({"id": "b", "text": "two words"})]
    out, err = io.StringIO(), io.StringIO()
    result = run_batch(io.StringIO("\n".join(lines)), out, err, lambda item: {"n": len(item.text.split())}, name="x.jsonl")
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["a", "b"]
    assert (result.processed, result.errors) == (2, 1)
    assert err.getvalue() == "x.jsonl:2: JSON nested deeper than 100 levels\n"


@pytest.mark.parametrize("command", [["tag", "sentences"], ["classify"], ["extract", "--no-ner"]])
def test_stage_commands_survive_a_deeply_nested_line(command: list[str], tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "first", "text": "Fighting stopped at dawn. The truce held."}),
        _nested(1000),
        json.dumps({"id": "third", "text": "Shelling resumed near the airport on Tuesday."}),
        _nested(101),
        json.dumps({"id": "fifth", "text": "A prisoner exchange was agreed."}),
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sources = [(str(batch), str(batch), None)]
    if command[0] == "tag":  # stdin too, once: the slower commands load their models per run
        sources.append(("-", "<stdin>", batch.read_text()))
    for source, name, stdin in sources:
        result = run(*command, source, "--jsonl", stdin=stdin)  # stdout is a pipe: output must be flushed
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["first", "third", "fifth"]
        errors = [line for line in result.stderr.splitlines() if line.startswith(name)]
        assert errors == [f"{name}:2: JSON nested deeper than 100 levels", f"{name}:4: JSON nested deeper than 100 levels"]


# --- helpers for the process tests ---


@pytest.fixture(scope="module")
def ingested_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of N_DOCS reports, ingested once through the CLI; tests work on copies."""
    folder = tmp_path_factory.mktemp("template")
    corpus = folder / "corpus"
    corpus.mkdir()
    for i in range(N_DOCS):
        (corpus / f"post-{i:05d}.txt").write_text(_report(i) + "\n", encoding="utf-8")
    db = folder / "t.db"
    done = run("ingest", str(corpus), "--db", str(db), "--create", "-q", timeout=300)
    assert done.returncode == 0, done.stderr
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    return db


@pytest.fixture
def db(ingested_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the ingested template for one test."""
    db = tmp_path / "t.db"
    shutil.copyfile(ingested_template, db)
    return db


def _query(db: Path, sql: str) -> int:
    """One number, read the way another reader would (read-only, short wait for locks)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.OperationalError:
        return 0
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie that nobody reaped does not count)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _start_process(db: Path, *extra: str) -> subprocess.Popen[str]:
    # a session of its own: the test can signal the whole group as a terminal's Ctrl-C does
    return subprocess.Popen([TRUCEWATCH, "process", "--db", str(db), "--stage", "sentences", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for_workers(proc: subprocess.Popen[str], n: int) -> set[int]:
    deadline = time.monotonic() + 60
    while True:
        workers = {pid for pid in _children(proc.pid) if _alive(pid)}
        if len(workers) >= n:
            return workers
        assert proc.poll() is None, f"process ended before its workers were seen: {proc.communicate()}"
        assert time.monotonic() < deadline, "no workers within 60 s"
        time.sleep(0.01)


def _wait_for_runs(proc: subprocess.Popen[str], db: Path) -> None:
    deadline = time.monotonic() + 60
    while _query(db, "SELECT count(*) FROM stage_runs") == 0:
        assert proc.poll() is None, f"process ended before anything was stored: {proc.communicate()}"
        assert time.monotonic() < deadline, "nothing stored within 60 s"
        time.sleep(0.01)


def _assert_gone(pids: set[int], within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while any(_alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            left = sorted(pid for pid in pids if _alive(pid))
            for pid in left:  # do not leave them behind for the next test
                os.kill(pid, signal.SIGKILL)
            pytest.fail(f"workers {left} still running {within} s after their parent ended")
        time.sleep(0.05)


@pytest.fixture
def cleanup() -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:  # the whole session: a worker left behind by a failed test too
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()


# --- 2. workers die with their parent ---


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(signum: int, db: Path, cleanup: list) -> None:
    proc = _start_process(db, "--workers", "2")
    cleanup.append(proc)
    workers = _wait_for_workers(proc, 2)
    _wait_for_runs(proc, db)
    os.kill(proc.pid, signum)
    proc.wait(timeout=60)
    assert proc.returncode != 0, "the run finished before the signal; make the corpus bigger"
    _assert_gone(workers)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["local", pytest.param("ray", marks=pytest.mark.serial)])
def test_ctrl_c_to_the_process_group_leaves_no_worker(engine: str, db: Path, cleanup: list) -> None:
    if engine == "ray":
        pytest.importorskip("ray")
    proc = _start_process(db, "--workers", "2", "--engine", engine)
    cleanup.append(proc)
    workers = _wait_for_workers(proc, 2)
    _wait_for_runs(proc, db)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C: every process of the group
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    _assert_gone(workers)


# --- 3. SIGTERM and SIGINT stop cleanly after the document in hand ---


ENGINES = {"1": ["--workers", "1"], "2": ["--workers", "2"], "ray": ["--engine", "ray", "--workers", "2"]}


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code", "workers"), [
    (signal.SIGTERM, 143, "1"), (signal.SIGINT, 130, "1"), (signal.SIGTERM, 143, "2"), (signal.SIGINT, 130, "2"),
    pytest.param(signal.SIGTERM, 143, "ray", marks=pytest.mark.serial),  # Ray and Ctrl-C: test_ctrl_c_to_the_process_group_leaves_no_worker
])
def test_process_stops_cleanly_and_a_rerun_completes_exactly_once(
    signum: int, code: int, workers: str, db: Path, cleanup: list
) -> None:
    if workers == "ray":
        pytest.importorskip("ray")
    sentences_each = 3
    proc = _start_process(db, *ENGINES[workers])
    cleanup.append(proc)
    _wait_for_runs(proc, db)
    workers_seen = _children(proc.pid)
    os.kill(proc.pid, signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    name = signal.Signals(signum).name
    match = re.search(rf"stopped by {name} after (\d+) documents; run again to continue", stderr)
    assert match, stderr
    done = int(match[1])
    assert 0 < done < N_DOCS, "the run finished before the signal; make the corpus bigger"
    assert not [pid for pid in workers_seen if _alive(pid)], "a clean stop shuts the workers down"

    # nothing half-stored: every document with a run has all its sentences, and no others have any
    assert _query(db, "SELECT count(*) FROM stage_runs") == done
    assert _query(db, "SELECT count(*) FROM stage_runs WHERE status != 'ok'") == 0
    assert _query(db, "SELECT count(DISTINCT document_id) FROM annotations") == done
    assert _query(db, "SELECT count(*) FROM annotations") == done * sentences_each

    rerun = run("process", "--db", str(db), "--stage", "sentences", *ENGINES[workers], timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"processed {N_DOCS - done} documents" in rerun.stdout
    assert _query(db, "SELECT count(*) FROM stage_runs") == N_DOCS
    assert _query(db, "SELECT count(*) FROM annotations") == N_DOCS * sentences_each


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_ingest_commits_what_it_read_when_stopped(signum: int, code: int, tmp_path: Path, cleanup: list) -> None:
    n = 4000
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(n):
        (corpus / f"post-{i:05d}.txt").write_text(_report(i) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    proc = subprocess.Popen([TRUCEWATCH, "ingest", str(corpus), "--db", str(db), "--create", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    cleanup.append(proc)
    deadline = time.monotonic() + 60
    while _query(db, "SELECT count(*) FROM documents") == 0:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(proc.pid, signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    name = signal.Signals(signum).name
    match = re.search(rf"stopped by {name} after storing (\d+) new documents; what was read is stored; "
                      r"run again to continue", stderr)
    assert match, stderr
    read = int(match[1])
    assert 0 < read < n, "the run finished before the signal; make the corpus bigger"
    assert _query(db, "SELECT count(*) FROM documents") == read
    assert _query(db, "SELECT count(*) FROM raw_blobs") == read

    rerun = run("ingest", str(corpus), "--db", str(db), "--create", timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.strip().splitlines()[-1] == f"ingested {n - read}, unchanged {read}, rejected 0"


# --- 4. documents ingested while process runs ---


def _texts_sorting_before(limit: str, count: int, tag: str) -> list[str]:
    """Report texts of our own whose document ids sort before ``limit``."""
    found: list[str] = []
    i = 0
    while len(found) < count:
        text = f"Late report {tag}-{i}: the guns fell silent along the river after midnight."
        if document_id(text) < limit:
            found.append(text)
        i += 1
    return found


def _ingest_texts(store, folder: Path, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    folder.mkdir(parents=True, exist_ok=True)
    for n, text in enumerate(texts):
        (folder / f"late-{n}.txt").write_text(text, encoding="utf-8")
    summary = ingest(store, [str(folder)])
    assert summary.ingested == len(texts)


def _count(store, model, *where) -> int:  # type: ignore[no-untyped-def]
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_documents_arriving_during_a_run_are_processed(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _ingest_texts(store, tmp_path / "first", [_report(i) for i in range(5)])
    with store.sessions() as session:
        lowest = min(session.scalars(select(Document.id)))
    late = _texts_sorting_before(lowest, 3, "a")  # behind the runner's cursor from the start
    arrived: list[str] = []

    def ingest_during_the_run(doc_id: str, _outputs: dict) -> None:
        if not arrived:
            arrived.append(doc_id)
            _ingest_texts(store, tmp_path / "late", late)

    summary = process(store, ["sentences"], on_document=ingest_during_the_run)
    assert summary.documents == 8
    assert summary.left_over == 0
    assert _count(store, StageRun) == 8
    assert _count(store, StageRun, StageRun.document_id.in_([document_id(t) for t in late])) == 3


def test_a_run_that_never_catches_up_says_how_many_are_left(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _ingest_texts(store, tmp_path / "first", [_report(i) for i in range(3)])
    rounds = iter(range(1000))

    def endless_arrivals(_doc_id: str, _outputs: dict) -> None:
        n = next(rounds)
        with store.sessions() as session:
            lowest = min(session.scalars(select(Document.id)))
        _ingest_texts(store, tmp_path / f"late{n}", _texts_sorting_before(lowest, 1, f"r{n}"))

    summary = process(store, ["sentences"], on_document=endless_arrivals)
    total = _count(store, Document)
    assert summary.left_over > 0
    assert summary.left_over == total - _count(store, StageRun)
    assert summary.documents == _count(store, StageRun)


@pytest.mark.slow
def test_process_cli_picks_up_a_concurrent_ingest(db: Path, tmp_path: Path, cleanup: list) -> None:
    late = tmp_path / "late"
    late.mkdir()
    for i in range(300):
        (late / f"late-{i:04d}.txt").write_text(f"Evening bulletin {i}: the market reopened in quarter {i * 3}.\n",
                                                encoding="utf-8")
    # sentences, time and places take 15-20 s: several times the ingest's, however loaded the machine
    proc = _start_process(db, "--stage", "time", "--stage", "places")
    cleanup.append(proc)
    _wait_for_runs(proc, db)
    added = run("ingest", str(late), "--db", str(db), "--create", "-q", timeout=120)
    assert added.returncode == 0, added.stderr
    assert proc.poll() is None, "process ended before the ingest did; make the corpus bigger"
    stdout, stderr = proc.communicate(timeout=180)
    # all of them processed, or (only if the ingest outpaced every extra round) said so with exit 1
    left = re.search(r"(\d+) documents arrived during the run and were not processed; run process again", stderr)
    assert proc.returncode == (1 if left else 0), stderr
    done = _query(db, "SELECT count(*) FROM stage_runs WHERE stage = 'places'")
    assert done + (int(left[1]) if left else 0) == N_DOCS + 300, stdout


# --- 5. a store fault during process is a store fault, not per-document failures ---


def _store_with_a_rival(path: Path, docs: Path):  # type: ignore[no-untyped-def]
    """A SQLite store of six documents that waits 0.2 s for a lock (not the configured 30 s,
    to keep the tests short), and another program's connection to the same file."""
    from sqlalchemy import event

    from trucewatch.store import open_store

    store = open_store(str(path))
    _ingest_texts(store, docs, [_report(i) for i in range(6)])
    event.listen(store.engine, "connect", lambda conn, _record: conn.execute("PRAGMA busy_timeout=200"))
    store.engine.dispose()
    return store, sqlite3.connect(path, isolation_level=None, check_same_thread=False)


def test_database_locked_mid_process_on_sqlite_is_a_store_fault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "STORE_BATCH", 2)  # the fault comes between two batches of two
    path = tmp_path / "locked.db"
    store, holder = _store_with_a_rival(path, tmp_path / "docs")
    seen: list[str] = []

    def lock_the_database(doc_id: str, _outputs: dict) -> None:
        seen.append(doc_id)
        if len(seen) == 2:  # another program takes the write lock and keeps it
            holder.execute("BEGIN EXCLUSIVE")

    try:
        with pytest.raises(StoreFault) as caught:
            process(store, ["sentences"], on_document=lock_the_database)
    finally:
        holder.execute("ROLLBACK") if holder.in_transaction else None
        holder.close()
        store.close()
    assert str(path) in str(caught.value)
    assert "database is locked" in str(caught.value)
    assert "run process again" in str(caught.value)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM stage_runs WHERE status = 'error'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM stage_runs").fetchone()[0] == 2
        assert conn.execute("SELECT count(DISTINCT document_id) FROM annotations").fetchone()[0] == 2
    conn.close()


def test_database_gone_mid_process_on_postgresql_is_a_store_fault(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "STORE_BATCH", 2)  # the fault comes between two batches of two
    import psycopg

    from trucewatch.store import open_store

    store = open_store(pg_url)
    _ingest_texts(store, tmp_path / "docs", [_report(i) for i in range(6)])
    server, name = pg_url.rsplit("/", 1)
    seen: list[str] = []

    def take_the_database_away(doc_id: str, _outputs: dict) -> None:
        seen.append(doc_id)
        if len(seen) == 2:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))

    try:
        with pytest.raises(StoreFault) as caught:
            process(store, ["sentences"], on_document=take_the_database_away)
    finally:
        store.engine.dispose()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
    assert name in str(caught.value)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM stage_runs WHERE status = 'error'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM stage_runs").fetchone()[0] == 2
        assert conn.execute("SELECT count(DISTINCT document_id) FROM annotations").fetchone()[0] == 2


def test_a_stop_signal_inside_a_commit_is_raised_after_it() -> None:
    # A Stopped raised in the middle of a database commit left the session half-updated,
    # and the final flush then failed with another error (exit 1 instead of 130/143).
    from trucewatch.pipeline.lifetime import StopSignals, Stopped

    finished: list[bool] = []
    stopper = StopSignals(raise_once=True)
    with pytest.raises(Stopped):
        with stopper:
            with stopper.deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)  # the handler runs in here, and must not raise in here
                finished.append(True)
    assert finished == [True]
    assert stopper.requested == signal.SIGTERM


def test_a_stop_lost_where_python_ignores_exceptions_surfaces_at_the_next_commit() -> None:
    # Seen once in CI: SIGINT arrived while a finalizer closed a file, Python printed and
    # dropped the Stopped, and ingest read on to the end of the batch (exit 1, not 130).
    from trucewatch.pipeline.lifetime import StopSignals, Stopped

    stopper = StopSignals(raise_once=True)
    committed: list[int] = []
    with pytest.raises(Stopped):
        with stopper:
            try:
                stopper._handle(signal.SIGINT, None)  # raised where nobody passes it on...
            except Stopped:
                pass  # ...and dropped
            with stopper.deferred():
                committed.append(1)  # the commit in hand still completes
    assert committed == [1] and stopper.requested == signal.SIGINT
    flag_only = StopSignals()  # flag mode (process) never raises: the runner reads the flag
    flag_only._handle(signal.SIGTERM, None)
    with flag_only.deferred():
        pass


def test_a_lock_that_clears_is_retried_with_backoff_not_a_fault(tmp_path: Path) -> None:
    import threading

    path = tmp_path / "briefly-locked.db"
    store, holder = _store_with_a_rival(path, tmp_path / "docs")
    seen: list[str] = []

    def lock_briefly(doc_id: str, _outputs: dict) -> None:
        seen.append(doc_id)
        if len(seen) == 2:  # another program holds the write lock for about a second
            holder.execute("BEGIN EXCLUSIVE")
            threading.Timer(1.0, lambda: holder.execute("ROLLBACK")).start()

    try:
        summary = process(store, ["sentences"], on_document=lock_briefly)
    finally:
        time.sleep(1.2)
        holder.close()
        store.close()
    assert summary.documents == 6 and not summary.errors
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM stage_runs WHERE status = 'ok'").fetchone()[0] == 6
    conn.close()


def test_process_on_a_damaged_table_is_a_store_fault_not_failed_documents(tmp_path: Path) -> None:
    # The store turns "database disk image is malformed" into a StoreFault; the runner
    # caught it as a value the database refused and marked every document failed (exit 1).
    from trucewatch.store import open_store

    path = tmp_path / "damaged.db"
    store = open_store(str(path))
    _ingest_texts(store, tmp_path / "docs", [_report(i) for i in range(6)])
    store.close()
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'annotations'").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as handle:  # the table the sentences stage writes to: garbage
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)
    done = run("process", "--db", str(path), "--stage", "sentences", timeout=120)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "is damaged" in done.stderr and "Traceback" not in done.stderr
    assert not any(line.startswith("failed ") for line in done.stderr.splitlines())  # no document is blamed
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT count(*) FROM stage_runs WHERE status = 'error'").fetchone()[0] == 0
    check.close()


def test_a_second_stop_signal_ends_the_process_at_once(tmp_path: Path) -> None:
    # The first SIGTERM asks for a clean stop; a stage that never returns would then be
    # stuck for good if the second were only noted, as it was.
    script = tmp_path / "stuck.py"
    script.write_text(
        "import sys, time\n"
        "from trucewatch.pipeline.lifetime import StopSignals\n"
        "with StopSignals() as stop:\n"
        "    print('ready', flush=True)\n"
        "    while True:\n"
        "        time.sleep(0.05)  # a stage that does not look at the stop request\n",
        encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        assert proc.poll() is None, "the first signal only asks for a clean stop"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == -signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
