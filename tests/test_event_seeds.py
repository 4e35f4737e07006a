"""The seeds' key facts (issue 5): each found with its status and date, at most two spurious events.

Checked through the library on the files as they are, and through ``trucewatch ingest``
and ``trucewatch process`` with the events read back from the store. Skips when
``../shared/seeds`` is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tests.clitools import run
from trucewatch.extract.events.seedfacts import FACTS, MAX_SPURIOUS, check_seeds, score_seed, seed_files


def _failures(rows: list[dict[str, Any]]) -> list[str]:
    return [f"{r['seed']} {r['fact']}: {r['detail']}" for r in rows if r["found"] is False]


def test_seed_facts_through_the_library(seeds: Path) -> None:
    rows = check_seeds(seeds)
    if not rows:
        pytest.skip("no seed with key facts present")
    assert _failures(rows) == []
    assert sum(1 for r in rows if r["fact"] != "spurious") == sum(1 for f in FACTS if f.seed in seed_files(seeds))


def test_seed_facts_through_ingest_and_process(seeds: Path, tmp_path: Path) -> None:
    from trucewatch.export.writers import event_record
    from trucewatch.store import open_store
    from trucewatch.store.schema import Document, Event

    db = str(tmp_path / "seeds.db")
    assert run("ingest", str(seeds), "--db", db, "--create").returncode == 0
    processed = run("process", "--db", db)
    assert processed.returncode == 0, processed.stdout + processed.stderr
    store = open_store(db)
    try:
        with store.sessions() as session:
            rows: list[dict[str, Any]] = []
            for doc in session.scalars(select(Document)):
                seed = Path(doc.source_path).name[:3]
                events = session.scalars(select(Event).where(Event.document_id == doc.id, Event.stage == "events")
                                         .options(selectinload(Event.evidence))).all()
                records = [event_record(e, None) for e in events]
                for record in records:
                    for span in record["evidence"]:
                        assert doc.text[span["start"]:span["end"]] == span["text"]
                if any(f.seed == seed for f in FACTS):
                    rows += score_seed(seed, records)
    finally:
        store.close()
    assert rows, "no seed was ingested"
    assert _failures(rows) == []
    spurious = [r for r in rows if r["fact"] == "spurious"]
    assert all(int(r["detail"].split()[0]) <= MAX_SPURIOUS for r in spurious)
