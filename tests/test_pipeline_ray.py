"""``process --engine ray`` on SQLite and PostgreSQL: the same stored results as the local
engine, with a worker killed in the middle of the run (Ray starts it again and runs its
job again; every document is stored once). The corpus is our demo corpus."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from trucewatch.documents.ingest import ingest
from trucewatch.pipeline.runner import process
from trucewatch.store.schema import Annotation, Event, EventEvidence, StageRun

ray = pytest.importorskip("ray")

DEMO = Path(__file__).resolve().parents[1] / "src" / "trucewatch" / "resources" / "demo" / "text"


def _stored(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Everything the stages stored, in a fixed order (event ids are derived from the
    document, the stage and the event's rank, so they compare across runs)."""
    skip = {"id", "created_at"}
    with store.sessions() as session:
        annotations = [(a.document_id, a.stage, a.kind, a.start, a.end, a.text, repr(a.value)) for a in
                       session.scalars(select(Annotation).order_by(Annotation.document_id, Annotation.stage,
                                                                   Annotation.start, Annotation.end, Annotation.kind))]
        events = [tuple((c.name, repr(getattr(e, c.name))) for c in Event.__table__.columns if c.name not in skip)
                  + (e.id,) for e in session.scalars(select(Event).order_by(Event.id))]
        evidence = [(v.event_id, v.field, v.start, v.end, v.text) for v in session.scalars(
            select(EventEvidence).order_by(EventEvidence.event_id, EventEvidence.field, EventEvidence.start))]
    return {"annotations": annotations, "events": events, "evidence": evidence}


def test_ray_engine_stores_what_the_local_engine_does_despite_a_killed_worker(store: Any) -> None:
    paths = sorted(p for p in DEMO.rglob("*.txt"))[:10]
    assert len(paths) == 10  # two of them are one text in two encodings: 9 documents
    ingest(store, [str(p) for p in paths])
    local = process(store)
    assert (local.documents, local.errors) == (9, []), local.errors
    expected = _stored(store)
    assert expected["events"] and expected["annotations"]

    killed: list[int] = []

    def kill_a_worker(doc_id: str, outputs: Any) -> None:
        if not killed:  # a worker dies while others' jobs are in flight
            actor = ray.get_actor(f"trucewatch-worker-{os.getpid()}-0", namespace="trucewatch")
            killed.append(ray.get(actor.pid.remote()))
            ray.kill(actor, no_restart=False)

    done = process(store, reprocess=True, engine="ray", workers=2, on_document=kill_a_worker)
    assert killed and (done.documents, done.errors) == (9, [])  # each document once, none failed
    assert _stored(store) == expected
    with store.sessions() as session:  # one run record per document and stage, as before
        assert session.scalar(select(func.count()).select_from(StageRun)) == 9 * 5
    assert not ray.is_initialized()  # the run's own Ray instance is shut down


def test_engine_options_on_the_command_line(tmp_path: Path) -> None:
    from trucewatch.cli import app

    runner = CliRunner()
    db = str(tmp_path / "t.db")
    wrong = runner.invoke(app, ["process", "--db", db, "--create", "--engine", "spark"])
    assert wrong.exit_code == 2 and "local or ray" in wrong.output
    stray = runner.invoke(app, ["process", "--db", db, "--create", "--ray-address", "auto"])
    assert stray.exit_code == 2 and "--engine ray" in stray.output
