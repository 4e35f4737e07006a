"""The command line under hostile or careless use: closed streams, full devices, odd input
files, signals and a demo pointed at a user's folder. Each case is one clear message and
its exit code (``trucewatch.errors``), never a traceback, and nothing stored is lost."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.clitools import TRUCEWATCH, run

REPORT = ("Monitors said the truce held along the coastal road overnight, and a new round of talks "
          "is expected in Geneva next week, two diplomats said. ")


def _closed_stdin(*args: str) -> subprocess.CompletedProcess[str]:
    command = " ".join(f"'{a}'" for a in (TRUCEWATCH, *args))
    return subprocess.run(["sh", "-c", f"exec {command} <&-"], capture_output=True, text=True, timeout=120)


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr


@pytest.mark.parametrize("args", [("tag", "sentences"), ("tag", "time", "--jsonl"), ("classify",),
                                  ("classify", "--jsonl"), ("extract", "--jsonl", "--no-ner")])
def test_stage_commands_with_stdin_closed(args: tuple[str, ...]) -> None:
    done = _closed_stdin(*args)
    assert done.returncode == 1, done.stderr
    assert "standard input is closed" in done.stderr
    _no_traceback(done)


def test_stage_commands_name_what_is_wrong_with_the_input_file(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    cases = {loop: "symlink loop", tmp_path: "not a regular file (a directory)", fifo: "not a regular file (a FIFO)",
             tmp_path / "missing.txt": "no such file"}
    for path, reason in cases.items():
        for args in (("tag", "sentences", str(path)), ("classify", "--jsonl", str(path))):
            done = run(*args, timeout=60)  # a FIFO that was opened would hang here
            assert done.returncode == 1, (args, done.stderr)
            assert reason in done.stderr, (args, done.stderr)
            _no_traceback(done)


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    source = tmp_path / "note.txt"
    source.write_text(REPORT, encoding="utf-8")
    db = tmp_path / "t.db"
    done = run("ingest", str(source), "--db", str(db), "--create")
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_output_to_a_full_device_is_a_system_fault(small_db: Path) -> None:
    for args in (["export", "--what", "documents"], ["status"], ["search", "truce"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run([TRUCEWATCH, *args, "--db", str(small_db)], stdout=full, stderr=subprocess.PIPE,
                                  text=True, timeout=120)
        assert done.returncode == 3, (args, done.stderr)
        assert "No space left on device" in done.stderr
        _no_traceback(done)


def test_export_with_stdout_closed_asks_for_a_file(small_db: Path) -> None:
    command = f"exec '{TRUCEWATCH}' export --what documents --db '{small_db}' >&-"
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "standard output is closed" in done.stderr
    _no_traceback(done)


def _big_db(tmp_path: Path, n: int = 30000) -> Path:
    """A store of ``n`` documents (copies of one row under other ids), made quickly."""
    db = tmp_path / "big.db"
    assert run("ingest", "-", "--db", str(db), "--create", stdin=REPORT).returncode == 0
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT * FROM documents").fetchone()
        columns = [c[1] for c in conn.execute("PRAGMA table_info(documents)")]
        text = REPORT * 40
        rows = [tuple(f"{i:032x}" if c == "id" else text if c == "text" else v for c, v in zip(columns, row))
                for i in range(1, n + 1)]
        conn.executemany(f"INSERT INTO documents VALUES ({','.join('?' * len(columns))})", rows)
    conn.close()
    return db


def test_status_runs_under_the_statement_timeout(tmp_path: Path) -> None:
    db = _big_db(tmp_path)
    done = subprocess.run([TRUCEWATCH, "status", "--db", str(db)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TRUCEWATCH_STATEMENT_TIMEOUT": "0.001"})
    assert done.returncode == 3, done.stdout + done.stderr
    assert "took longer than 0.001 s and was stopped" in done.stderr
    _no_traceback(done)
    assert run("status", "--db", str(db)).returncode == 0


def test_sigterm_during_an_export_leaves_no_partial_file(tmp_path: Path) -> None:
    db = _big_db(tmp_path)
    target = tmp_path / "out.csv"
    target.write_text("the previous export\n", encoding="utf-8")
    proc = subprocess.Popen([TRUCEWATCH, "export", "--what", "documents", "--format", "csv", "--db", str(db),
                             "-o", str(target)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.csv.*")):
        assert proc.poll() is None, ("the export ended before it could be stopped", proc.stderr.read())
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    assert "stopped by SIGTERM" in stderr and "Traceback" not in stderr
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.csv")]


def test_demo_never_replaces_a_database_it_did_not_make(tmp_path: Path) -> None:
    own = tmp_path / "work"
    own.mkdir()
    db = own / "trucewatch.db"
    assert run("ingest", "-", "--db", str(db), "--create", stdin=REPORT).returncode == 0
    before = db.read_bytes()
    done = run("demo", "--dir", str(own))
    assert done.returncode == 2, done.stderr
    assert "was not made by trucewatch demo" in done.stderr
    _no_traceback(done)
    assert db.read_bytes() == before

    a_file = tmp_path / "notes.csv"
    a_file.write_text("x\n", encoding="utf-8")
    done = run("demo", "--dir", str(a_file))
    assert done.returncode == 2 and "is not a folder" in done.stderr, done.stderr
    assert a_file.read_text(encoding="utf-8") == "x\n"


def test_check_on_a_missing_database_does_not_offer_an_option_it_lacks(tmp_path: Path) -> None:
    done = run("check", "--db", str(tmp_path / "typo.db"))
    assert done.returncode == 3, done.stderr
    assert "nothing to check" in done.stderr and "--create" not in done.stderr
    assert not (tmp_path / "typo.db").exists()


@pytest.mark.parametrize("value", ["abc", "-1", "inf", "nan"])
def test_a_statement_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(small_db: Path, value: str) -> None:
    done = subprocess.run([TRUCEWATCH, "search", "truce", "--db", str(small_db)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "TRUCEWATCH_STATEMENT_TIMEOUT": value})
    assert done.returncode == 2, done.stdout + done.stderr
    assert "TRUCEWATCH_STATEMENT_TIMEOUT" in done.stderr and "is not a number of seconds" in done.stderr
    _no_traceback(done)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root and setpriv to run the CLI as an unprivileged user")
def test_export_never_replaces_a_file_its_user_may_not_write() -> None:
    # Writing to a temporary file and renaming it needs only the folder's permission, so a
    # user could replace a read-only file of someone else's in a folder anyone may write.
    base = Path(tempfile.mkdtemp(prefix="trucewatch-perm-", dir="/tmp"))
    try:
        base.chmod(0o777)  # writable by all, without the sticky bit
        db = base / "t.db"
        assert run("ingest", "-", "--db", str(db), "--create", stdin=REPORT).returncode == 0
        for path in base.iterdir():
            path.chmod(0o666)
        precious = base / "precious.csv"
        precious.write_text("keep me\n", encoding="utf-8")
        precious.chmod(0o444)
        done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", TRUCEWATCH, "export",
                               "--what", "documents", "--format", "csv", "--db", str(db), "-o", str(precious)],
                              capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": "/tmp"})
        assert done.returncode == 2, done.stdout + done.stderr
        assert "is not writable" in done.stderr
        _no_traceback(done)
        assert precious.read_text(encoding="utf-8") == "keep me\n"
    finally:
        shutil.rmtree(base, ignore_errors=True)
