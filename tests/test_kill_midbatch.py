"""A real ``trucewatch ingest`` killed with SIGKILL mid-batch loses nothing it committed,
leaves a sound database, and the next run stores exactly what is missing."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.clitools import TRUCEWATCH, run

N_FILES = 4000  # a full run takes a second or two; the first commit comes after 200


def _text(i: int) -> str:
    return f"Observers at checkpoint {i} reported a quiet night and no breach of the truce in sector {i * 7 + 3}."


def _stored(db: Path) -> int:
    """Committed documents, read the way any other reader would (read-only, no locks held)."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.OperationalError:
        return 0
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created or migrated yet
        return 0
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_mid_batch_then_resume(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(N_FILES):
        (corpus / f"report-{i:05d}.txt").write_text(_text(i) + "\n", encoding="utf-8")
    db = tmp_path / "killed.db"

    proc = subprocess.Popen([TRUCEWATCH, "ingest", str(corpus), "--db", str(db), "--create", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while _stored(db) == 0:
            assert proc.poll() is None, f"ingest ended before anything was seen: {proc.stderr.read()!r}"
            assert time.monotonic() < deadline, "no document was committed within 30 s"
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, "the run finished before the kill; make the corpus bigger"

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT source_path, text, raw_sha256 FROM documents").fetchall()
        blobs = conn.execute("SELECT count(*) FROM raw_blobs").fetchone()[0]
    conn.close()
    stored_before = len(rows)
    assert 1 <= stored_before < N_FILES
    assert stored_before % 200 == 0, "a batch was committed in part"
    assert blobs == stored_before
    for source_path, text, _ in rows:
        index = int(re.fullmatch(r"report-(\d{5})\.txt", Path(source_path).name)[1])
        assert text == _text(index)
        assert Path(source_path).read_text(encoding="utf-8").strip() == text
    assert len({path for path, _, _ in rows}) == stored_before

    resumed = run("ingest", str(corpus), "--db", str(db), timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.strip().splitlines()[-1] == (
        f"ingested {N_FILES - stored_before}, unchanged {stored_before}, rejected 0"
    )
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*), count(DISTINCT source_path) FROM documents").fetchone() == (N_FILES, N_FILES)
        assert conn.execute("SELECT count(*) FROM raw_blobs").fetchone()[0] == N_FILES
        assert conn.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 0
    conn.close()
