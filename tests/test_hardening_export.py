"""Hardening of exports (issue 13): no export destroys data, no CSV cell arms a spreadsheet.

Output safety: ``-o`` naming the database (any spelling, a symlink, a hard link), its
WAL/SHM/journal, or any other SQLite file is refused before anything is written; a
missing folder or a folder as ``-o`` is a clear usage error; the file is written to a
temporary name and renamed into place only when the export finished.

Formula neutralisation (OWASP, CSV injection): a cell that starts with ``=``, ``+``,
``-``, ``@``, tab or carriage return gets a leading ``'``, after our own cleaning;
plain numbers (``-3.5``) are left as numbers; ``--raw`` turns it off.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.clitools import run
from trucewatch.documents.ingest import ingest
from trucewatch.errors import UsageError
from trucewatch.export.output import safe_output
from trucewatch.export.writers import export
from trucewatch.store.schema import Document, Event

# OWASP's leading characters, written out here rather than taken from the code under test.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = ["=1+1", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "-1+1|cmd"]


def _armed(cell: str) -> bool:
    """A cell a spreadsheet would read as a formula (OWASP's leading characters)."""
    return cell[:1] in FORMULA_START


# ---------------------------------------------------------------- output safety


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    """A real trucewatch SQLite database with one document, closed (WAL checkpointed)."""
    source = tmp_path / "in" / "2020-03-04_report.txt"
    source.parent.mkdir()
    source.write_text("Truce holds in Sirte\n\nThe ceasefire around Sirte held for a third day on Monday, "
                      "officials of both sides said.", encoding="utf-8")
    db = tmp_path / "t.db"
    done = run("ingest", "--db", str(db), "--create", str(source))
    assert done.returncode == 0, done.stderr
    return db


def _assert_database_intact(db: Path, before: bytes) -> None:
    assert db.read_bytes() == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (1,)


@pytest.mark.parametrize("spelling", ["t.db", "./t.db", "in/../t.db", "ABS"])
def test_export_onto_the_database_is_refused(sqlite_db: Path, spelling: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = sqlite_db.read_bytes()
    target = str(sqlite_db) if spelling == "ABS" else spelling
    monkeypatch.chdir(sqlite_db.parent)
    done = run("export", "--db", "t.db", "--format", "csv", "-o", target)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "database" in done.stderr
    _assert_database_intact(sqlite_db, before)


@pytest.mark.parametrize("kind", ["symlink", "hardlink", "symlink-to-symlink"])
def test_export_onto_a_link_to_the_database_is_refused(sqlite_db: Path, kind: str) -> None:
    before = sqlite_db.read_bytes()
    link = sqlite_db.parent / "out.csv"
    if kind == "hardlink":
        os.link(sqlite_db, link)
    elif kind == "symlink":
        link.symlink_to(sqlite_db)
    else:
        (sqlite_db.parent / "middle").symlink_to(sqlite_db)
        link.symlink_to(sqlite_db.parent / "middle")
    done = run("export", "--db", str(sqlite_db), "--format", "csv", "-o", str(link))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    _assert_database_intact(sqlite_db, before)
    assert link.is_symlink() == (kind != "hardlink")


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_export_onto_the_database_side_files_is_refused(sqlite_db: Path, suffix: str) -> None:
    before = sqlite_db.read_bytes()
    side = Path(f"{sqlite_db}{suffix}")
    done = run("export", "--db", str(sqlite_db), "-o", str(side))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and suffix in done.stderr
    assert not side.exists()
    _assert_database_intact(sqlite_db, before)


def test_export_onto_any_sqlite_file_is_refused(sqlite_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "notes.csv"  # a SQLite file whatever its name says
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (42)")
    conn.close()
    before = other.read_bytes()
    done = run("export", "--db", str(sqlite_db), "--format", "csv", "-o", str(other))
    assert done.returncode == 2, done.stderr
    assert "SQLite" in done.stderr and "Traceback" not in done.stderr
    assert other.read_bytes() == before


def test_export_to_a_missing_folder_or_a_folder_is_a_usage_error(sqlite_db: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "x.csv"
    done = run("export", "--db", str(sqlite_db), "-o", str(missing))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "no such folder" in done.stderr and "x.csv" in done.stderr
    folder = tmp_path / "in"
    done = run("export", "--db", str(sqlite_db), "-o", str(folder))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is a folder" in done.stderr
    under_a_file = tmp_path / "in" / "2020-03-04_report.txt" / "x.csv"
    done = run("export", "--db", str(sqlite_db), "-o", str(under_a_file))
    assert done.returncode == 2 and "Traceback" not in done.stderr and "not a folder" in done.stderr


def test_export_replaces_a_previous_export_and_keeps_its_mode(sqlite_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "docs.csv"
    target.write_text("old export\n", encoding="utf-8")
    target.chmod(0o640)
    done = run("export", "--db", str(sqlite_db), "--what", "documents", "--format", "csv", "-o", str(target))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 1 and rows[0]["title"] == "Truce holds in Sirte"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.csv", "in", "t.db"]  # no temporary left


def test_export_through_a_symlink_updates_its_target(sqlite_db: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    done = run("export", "--db", str(sqlite_db), "--what", "documents", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["title"] == "Truce holds in Sirte"


def test_export_to_a_device_or_a_pipe_writes_through(sqlite_db: Path) -> None:
    done = run("export", "--db", str(sqlite_db), "-o", os.devnull)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    done = run("export", "--db", str(sqlite_db), "--what", "documents", "-o", "/dev/stdout")  # stdout is a pipe here
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "Truce holds in Sirte"


def test_failure_midway_leaves_the_old_target_intact(tmp_path: Path) -> None:
    target = tmp_path / "events.csv"
    target.write_text("the previous export\n", encoding="utf-8")
    with pytest.raises(RuntimeError), safe_output(target) as handle:
        handle.write("half of a new export\n" * 1000)
        raise RuntimeError("the store went away")
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]


def test_failure_midway_leaves_no_new_file(tmp_path: Path) -> None:
    target = tmp_path / "events.csv"
    with pytest.raises(RuntimeError), safe_output(target) as handle:
        handle.write("half\n")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_library_refuses_the_database_url(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    db.write_bytes(b"")
    with pytest.raises(UsageError, match="database"), safe_output(tmp_path / "x.db", database=f"sqlite:///{db}"):
        pass


# ---------------------------------------------------------------- formula neutralisation


def _hostile_documents(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i, prefix in enumerate(HOSTILE):
            handle.write(json.dumps({
                "outlet": prefix, "title": f"{prefix} title {i}",
                "text": f"{prefix} The ceasefire around Sirte held for day {i}, officials of both sides said on Monday.",
            }) + "\n")
    return path


def _hostile_events(store) -> None:  # type: ignore[no-untyped-def]
    with store.sessions() as session:
        doc_ids = [d for (d,) in session.query(Document.id).order_by(Document.id)]
        for i, (doc_id, prefix) in enumerate(zip(doc_ids, HOSTILE)):
            session.add(Event(
                id=f"{doc_id}:test:{i}", document_id=doc_id, stage="test", stage_version="1", status="main",
                event_date="2020-03-0" + str(i + 1), notes=prefix + " shells hit homes", actor1=prefix,
                claimant=prefix, location=prefix, latitude=-3.5, longitude=-12.25, fatalities=-1,
            ))
        session.commit()


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_exports_neutralise_formulas(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = ingest(store, [str(_hostile_documents(tmp_path))])
    assert summary.ingested == len(HOSTILE) and not summary.rejected
    _hostile_events(store)
    for what in ("documents", "events"):
        buf = io.StringIO(newline="")
        assert export(store, buf, "csv", what) == len(HOSTILE)
        header, *rows = _cells(buf.getvalue())
        assert len(rows) == len(HOSTILE)
        cells = {(name, cell) for row in rows for name, cell in zip(header, row)}
        armed = [(n, c) for n, c in cells if _armed(c) and n not in ("latitude", "longitude", "fatalities")]
        assert armed == [], what
        outlets = sorted(dict(zip(header, row))["source" if what == "events" else "outlet"] for row in rows)
        # "\t=1+1" lost its tab in cleaning: it is still neutralised, as the text now written
        assert "'=1+1" in outlets and "'-2+3" in outlets and "'@SUM(A1)" in outlets
        if what == "events":
            event = dict(zip(header, rows[0]))
            # plain numbers are data, not formulas: a spreadsheet reads them as numbers
            assert (event["latitude"], event["longitude"], event["fatalities"]) == ("-3.5", "-12.25", "-1")
            assert event["notes"].startswith("'") and event["actor1"].startswith("'")
            assert json.loads(event["evidence"]) == []


def test_raw_keeps_cells_as_stored(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ingest(store, [str(_hostile_documents(tmp_path))])
    _hostile_events(store)
    buf = io.StringIO(newline="")
    export(store, buf, "csv", "documents", raw=True)
    header, *rows = _cells(buf.getvalue())
    outlets = sorted(dict(zip(header, row))["outlet"] for row in rows)
    assert "=1+1" in outlets and "-2+3" in outlets and "@SUM(A1)" in outlets
    buf = io.StringIO(newline="")
    export(store, buf, "csv", "events", raw=True)
    header, *rows = _cells(buf.getvalue())
    assert sum(_armed(dict(zip(header, row))["notes"]) for row in rows) == len(HOSTILE)


def test_tsv_export_is_neutralised_too(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ingest(store, [str(_hostile_documents(tmp_path))])
    buf = io.StringIO(newline="")
    assert export(store, buf, "tsv", "documents") == len(HOSTILE)
    header, *rows = list(csv.reader(io.StringIO(buf.getvalue(), newline=""), delimiter="\t"))
    assert "outlet" in header and len(rows) == len(HOSTILE)
    assert not [c for row in rows for c in row if _armed(c)]


def test_cli_csv_export_neutralises_and_raw_does_not(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    done = run("ingest", "--db", str(db), "--create", str(_hostile_documents(tmp_path)))
    assert done.returncode == 0, done.stderr
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        out = tmp_path / f"docs.{fmt}"
        done = run("export", "--db", str(db), "--what", "documents", "--format", fmt, "-o", str(out))
        assert done.returncode == 0, done.stderr
        cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline=""),
                                         delimiter=delimiter) for c in row]
        assert cells and not [c for c in cells if _armed(c)]
    done = run("export", "--db", str(db), "--what", "documents", "--format", "csv", "--raw")
    assert done.returncode == 0, done.stderr
    raw_cells = [c for row in _cells(done.stdout) for c in row]
    assert sum(_armed(c) for c in raw_cells) >= len(HOSTILE)


def test_text_cells_are_quoted_so_a_separator_inside_cannot_start_a_cell(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """OWASP: an attacker can use a separator to start a new cell mid-text; quoting every text cell stops it."""
    path = tmp_path / "semi.jsonl"
    path.write_text(json.dumps({"outlet": "Ledger;=1+1", "title": "a\t@SUM(A1)",
                                "text": "The ceasefire around Sirte held for a third day, officials said on Monday."})
                    + "\n", encoding="utf-8")
    ingest(store, [str(path)])
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        buf = io.StringIO(newline="")
        export(store, buf, fmt, "documents")
        line = buf.getvalue().splitlines()[1]
        assert '"Ledger;=1+1"' in line
        header, row = list(csv.reader(io.StringIO(buf.getvalue(), newline=""), delimiter=delimiter))
        assert len(row) == len(header) and "Ledger;=1+1" in row
        title = dict(zip(header, row))["title"]
        assert f'"{title}"' in line and "@SUM(A1)" in title and not _armed(title)


# ---------------------------------------------------------------- the demo


def test_demo_refuses_to_write_its_exports_over_a_sqlite_file(tmp_path: Path) -> None:
    directory = tmp_path / "demo"
    directory.mkdir()
    precious = directory / "events.csv"
    with sqlite3.connect(precious) as conn:
        conn.execute("CREATE TABLE keep (x)")
    conn.close()
    before = precious.read_bytes()
    done = run("demo", "--dir", str(directory))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "events.csv" in done.stderr
    assert precious.read_bytes() == before
