"""Fuse's embeddings on forked workers (``process``/``fuse --workers N``, local engine).

The next batches are embedded in worker processes while this one fuses; what fuse stores
must be exactly what it stores embedding every batch itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trucewatch.documents.ingest import ingest
from trucewatch.pipeline.runner import process

from tests.fusion_fixtures import fused_rows

DEMO = Path(__file__).resolve().parents[1] / "src" / "trucewatch" / "resources" / "demo" / "text"


@pytest.fixture
def encoder_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from trucewatch.embed import get_encoder

    monkeypatch.delenv("TRUCEWATCH_NO_EMBEDDINGS", raising=False)
    if get_encoder() is None:
        pytest.skip("the sentence-embedding model is not installed")


def test_fuse_with_the_embeddings_on_workers_stores_what_fuse_in_one_process_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoder_on: None) -> None:
    from trucewatch.fusion import run as fusion_run
    from trucewatch.pipeline.local_encoder import fuse_encoder
    from trucewatch.store import open_store

    monkeypatch.setattr(fusion_run, "BATCH", 8)  # the demo corpus in several batches
    first = open_store(f"sqlite:///{tmp_path / 'one.db'}")
    ingest(first, [str(p) for p in sorted(DEMO.rglob("*.txt"))])
    process(first)
    first.close()
    shutil.copy(tmp_path / "one.db", tmp_path / "pool.db")
    alone, pooled = open_store(f"sqlite:///{tmp_path / 'one.db'}"), open_store(f"sqlite:///{tmp_path / 'pool.db'}")
    try:
        fusion_run.fuse(alone)
        batches = -(-len(fusion_run.unplaced(pooled, None)) // 8)
        assert batches >= 4
        with fuse_encoder(2) as encoder:
            assert encoder is not None and encoder.ahead == 2
            fusion_run.fuse(pooled, encoder=encoder)
            # every batch was embedded before it was asked for, and none was left waiting
            assert (encoder.hits, encoder.misses) == (batches, 0) and not encoder._sent
        expected = fused_rows(alone)
        assert all(m[4] for m in expected["members"])  # embedded
        assert fused_rows(pooled) == expected
    finally:
        alone.close()
        pooled.close()


def test_batches_sent_ahead_are_bounded_and_a_batch_not_sent_is_embedded_on_demand(encoder_on: None) -> None:
    from trucewatch.embed import get_encoder
    from trucewatch.pipeline.local_encoder import LocalEncoder

    encoder = LocalEncoder(1)
    try:
        for n in range(5):
            encoder.prefetch([f"Shelling near Sirte, report {n}."])
            assert len(encoder._sent) <= encoder.ahead + 1
        direct = get_encoder().encode(["Talks resumed in Geneva."])  # type: ignore[union-attr]
        assert (encoder.encode(["Talks resumed in Geneva."]) == direct).all()
        assert encoder.encode([]).shape == (0, 512)
        assert (encoder.hits, encoder.misses) == (0, 1)
    finally:
        encoder.shutdown()


def test_fuse_and_process_take_workers_on_the_local_engine(tmp_path: Path, encoder_on: None) -> None:
    from trucewatch.cli import app

    runner = CliRunner()
    db = str(tmp_path / "t.db")
    paths = [str(p) for p in sorted(DEMO.rglob("*.txt"))[:8]]
    assert runner.invoke(app, ["ingest", "-q", "--db", db, "--create", *paths]).exit_code == 0
    done = runner.invoke(app, ["process", "--db", db, "--workers", "2"])
    assert done.exit_code == 0 and "fused" in done.output, done.output
    again = runner.invoke(app, ["fuse", "--db", db, "--workers", "2"])
    assert again.exit_code == 0 and "fused 0 documents" in again.output, again.output
