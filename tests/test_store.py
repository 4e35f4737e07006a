"""The store: migrations on open, pragmas, full-text search on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from trucewatch.documents.ingest import ingest
from trucewatch.store import open_store, resolve_url
from trucewatch.store.search import search_documents


def _write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def test_open_creates_every_table(store) -> None:
    names = set(inspect(store.engine).get_table_names())
    assert {"documents", "raw_blobs", "stage_runs", "annotations", "events", "event_evidence",
            "ingest_errors", "alembic_version"} <= names


def test_reopen_is_idempotent(db_url: str) -> None:
    first = open_store(db_url)
    first.close()
    second = open_store(db_url)
    with second.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    second.close()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "x.db"))
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_resolve_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TRUCEWATCH_DB", raising=False)
    assert resolve_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert resolve_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setenv("TRUCEWATCH_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).endswith("env.db")


def test_full_text_search(store, tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", "Talks in Geneva\n\nThe Joint Military Commission met in Geneva on Monday.")
    _write(tmp_path, "b.txt", "Shelling in Tripoli\n\nShells hit a market in Tripoli, residents said.")
    _write(tmp_path, "c.txt", "Commission report\n\nThe commission said the military talks would resume.")
    ingest(store, [str(tmp_path)])
    hits = search_documents(store, "Geneva")
    assert [h.title for h in hits] == ["Talks in Geneva"]
    assert "Geneva" in hits[0].snippet
    assert {h.title for h in search_documents(store, "military commission")} == {"Talks in Geneva", "Commission report"}
    assert [h.title for h in search_documents(store, '"military commission"')] == ["Talks in Geneva"]
    assert search_documents(store, "Benghazi") == []
    assert search_documents(store, 'AND OR ( " *') == []  # operators never reach the engine
