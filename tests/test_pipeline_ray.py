"""``process --engine ray`` on PostgreSQL (and ``fuse --engine ray`` and a cluster on SQLite):
the same stored results as the local engine, with a worker killed in the middle of the run
(Ray starts it again and runs its job again; every document is stored once). The corpus is
our demo corpus."""

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

from tests.fusion_fixtures import fused_rows

ray = pytest.importorskip("ray")

#: Ray starts a dozen processes with fixed start-up deadlines (30 s for its raylet): `make test`
#: runs these alone, after the parallel part, so that a loaded machine cannot fail them.
pytestmark = pytest.mark.serial

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


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # SQLite: the fuse and cluster tests below
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
    stray = runner.invoke(app, ["fuse", "--db", db, "--create", "--ray-address", "auto"])
    assert stray.exit_code == 2 and "--engine ray" in stray.output
    wrong = runner.invoke(app, ["fuse", "--db", db, "--create", "--engine", "dask"])
    assert wrong.exit_code == 2 and "local or ray" in wrong.output


def test_fuse_with_embeddings_on_ray_stores_what_the_local_engine_does(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from trucewatch.embed import get_encoder
    from trucewatch.fusion.run import fuse
    from trucewatch.pipeline.ray_engine import fuse_encoder, ray_session
    from trucewatch.store import open_store

    monkeypatch.delenv("TRUCEWATCH_NO_EMBEDDINGS", raising=False)
    if get_encoder() is None:
        pytest.skip("the sentence-embedding model is not installed")
    first = open_store(f"sqlite:///{tmp_path / 'local.db'}")
    ingest(first, [str(p) for p in sorted(DEMO.rglob("*.txt"))])
    process(first)
    first.close()
    shutil.copy(tmp_path / "local.db", tmp_path / "ray.db")
    local, on_ray = open_store(f"sqlite:///{tmp_path / 'local.db'}"), open_store(f"sqlite:///{tmp_path / 'ray.db'}")
    try:
        fuse(local)
        with ray_session(2), fuse_encoder(2) as encoder:
            assert encoder is not None
            fuse(on_ray, encoder=encoder)
            assert (encoder.hits, encoder.misses) == (1, 0)  # the batch was embedded before it was asked for
        expected = fused_rows(local)
        assert all(m[4] for m in expected["members"])  # embedded
        assert fused_rows(on_ray) == expected
    finally:
        local.close()
        on_ray.close()


def test_a_cluster_started_with_ray_start_and_a_run_of_its_own_beside_it(tmp_path: Path) -> None:
    """`ray start --head` then `--ray-address auto` joins that cluster (Ray finds it and
    its token on this machine); without an address, a run starts an instance of its own
    even while the cluster runs."""
    import socket
    import subprocess
    import sys

    ray_cli = Path(sys.executable).with_name("ray")
    trucewatch = Path(sys.executable).with_name("trucewatch")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    db = str(tmp_path / "t.db")
    paths = [str(p) for p in sorted(DEMO.rglob("*.txt"))[:6]]  # one text twice, in two encodings: 5 documents
    assert subprocess.run([str(trucewatch), "ingest", "-q", "--db", db, "--create", *paths], env=env).returncode == 0
    started = subprocess.run([str(ray_cli), "start", "--head", f"--port={port}", "--num-cpus=2",
                              "--include-dashboard=false"], env=env, capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    try:
        joined = subprocess.run([str(trucewatch), "process", "--db", db, "--stage", "sentences", "--engine", "ray",
                                 "--workers", "2", "--ray-address", "auto"],
                                env=env, capture_output=True, text=True, timeout=300)
        assert joined.returncode == 0 and "processed 5 documents" in joined.stdout, joined.stderr[-3000:]
        beside = subprocess.run([str(trucewatch), "process", "--db", db, "--stage", "sentences", "--reprocess",
                                 "--engine", "ray", "--workers", "1"], env=env, capture_output=True, text=True,
                                timeout=300)
        assert beside.returncode == 0 and "processed 5 documents" in beside.stdout, beside.stderr[-3000:]
    finally:
        subprocess.run([str(ray_cli), "stop", "--force"], env=env, capture_output=True, timeout=120)
