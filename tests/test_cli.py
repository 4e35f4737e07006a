"""The command line as a user meets it: demo, ingest, process, status, search, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.clitools import run


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    done = run("demo", "--dir", str(directory))
    assert done.returncode == 0, done.stderr
    (directory / "stdout.txt").write_text(done.stdout, encoding="utf-8")
    return directory


def test_demo_builds_a_database_and_exports(demo_dir: Path) -> None:
    stdout = (demo_dir / "stdout.txt").read_text(encoding="utf-8")
    assert "36 documents stored" in stdout and "0 rejected" in stdout
    docs = [json.loads(line) for line in (demo_dir / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 36
    assert {d["language"] for d in docs} == {"en", "ar", "fr"}
    assert all("trucewatch demo" not in d["text"] for d in docs)  # the demo footers are cleaned away
    assert {d["published_basis"] for d in docs} >= {"metadata", "filename", "dateline", "unknown"}
    assert json.loads((demo_dir / "events.geojson").read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    agreements = (demo_dir / "agreements.jsonl").read_text(encoding="utf-8").splitlines()
    assert agreements and f"agreements and talks: {len(agreements)} agreements" in stdout
    assert "rounds of talks" in stdout


def test_demo_is_repeatable(demo_dir: Path) -> None:
    again = run("demo", "--dir", str(demo_dir))
    assert again.returncode == 0 and "36 documents stored" in again.stdout


def test_status_and_search_on_demo(demo_dir: Path) -> None:
    db = str(demo_dir / "trucewatch.db")
    status = run("status", "--db", db)
    assert status.returncode == 0 and "36" in status.stdout and "sentences" in status.stdout
    found = run("search", "Tarhuna", "--db", db)
    assert found.returncode == 0
    count_line = found.stdout.strip().splitlines()[-1]
    assert count_line.endswith(" documents") and int(count_line.split()[0]) > 0


def test_ingest_process_export_cycle(tmp_path: Path) -> None:
    db = str(tmp_path / "cycle.db")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("First report. The truce held overnight.", encoding="utf-8")
    (folder / "two.txt").write_text("Second report. Shelling resumed at dawn.", encoding="utf-8")
    first = run("ingest", str(folder), "--db", db, "--create")
    assert first.returncode == 0 and "ingested 2, unchanged 0, rejected 0" in first.stdout
    again = run("ingest", str(folder), "--db", db)
    assert "ingested 0, unchanged 2, rejected 0" in again.stdout
    processed = run("process", "--db", db, "--workers", "2")
    assert processed.returncode == 0 and "processed 2 documents" in processed.stdout
    assert "agreements (" in processed.stdout and "rounds of talks (" in processed.stdout  # built after fuse
    out = tmp_path / "docs.csv"
    exported = run("export", "--db", db, "--what", "documents", "--format", "csv", "-o", str(out))
    assert exported.returncode == 0 and out.read_text(encoding="utf-8").count("report.") == 2


def test_env_var_names_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUCEWATCH_DB", str(tmp_path / "env.db"))
    (tmp_path / "a.txt").write_text("A report that names no date.", encoding="utf-8")
    assert run("ingest", str(tmp_path / "a.txt"), "--create").returncode == 0
    assert (tmp_path / "env.db").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    assert run("export", "--db", db, "--create", "--format", "xml").returncode == 2
    assert run("process", "--db", db, "--create", "--stage", "nope").returncode == 2
    assert run("ingest", "x", "--db", db, "--create", "--field", "nonsense").returncode == 2
    schema = run("export", "--schema")
    assert schema.returncode == 0 and "fatalities_low" in schema.stdout
