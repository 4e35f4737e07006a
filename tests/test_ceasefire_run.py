"""The ceasefire steps after fuse (``ceasefire.run.build_ceasefire``), as ``process`` and the demo
run them: agreements, talks, then the scope of the news agreements, again changing nothing, and a failing step named without
costing the other step or what fuse stored. The reports are our own invented ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tests.test_ceasefire_news import _fill
from trucewatch.ceasefire.query import iter_agreements
from trucewatch.ceasefire.run import build_ceasefire
from trucewatch.store.schema import Agreement, Incident, IncidentScope


def test_agreements_then_talks_and_again_nothing_changes(store: Any) -> None:
    _fill(store)
    first = build_ceasefire(store)
    assert first.errors == [] and first.agreements is not None and first.talks is not None
    assert first.agreements.new >= 2  # the June truce and the July declarations
    assert set(first.seconds) == {"agreements build", "talks build", "scope"}
    assert first.scope is not None and first.scope.agreements == first.agreements.new  # the news agreements
    with store.sessions() as session:
        checked = session.scalar(select(func.count()).select_from(IncidentScope))
    assert checked == first.scope.checked
    again = build_ceasefire(store)
    assert again.errors == [] and again.agreements is not None and again.talks is not None
    assert (again.agreements.new, again.agreements.updated, again.agreements_removed) == (0, 0, 0)
    assert again.agreements.unchanged == first.agreements.new
    assert (again.talks.new, again.talks.updated, again.talks.removed) == (0, 0, 0)
    assert again.scope is not None and again.scope.checked == first.scope.checked  # replaced, never doubled
    assert f"{first.agreements.new} agreements (0 new, 0 updated, 0 removed)" in again.describe()


def _half_then_fail(session: Session) -> tuple[Any, int]:
    """A build that has deleted every agreement when it meets a bad record."""
    session.execute(delete(Agreement))
    raise ValueError("unknown kind 'armistice-ish'\nsecond line")


def test_a_failing_step_is_named_and_rolled_back_alone(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(store)
    build_ceasefire(store)
    before = [r["id"] for r in iter_agreements(store)]
    monkeypatch.setattr("trucewatch.ceasefire.run.build_from_news", _half_then_fail)
    summary = build_ceasefire(store)
    (error,) = summary.errors
    assert error.startswith("agreements build failed (ValueError: unknown kind 'armistice-ish');")
    assert "run `trucewatch agreements build`" in error and "second line" not in error
    assert summary.agreements is None and summary.talks is not None  # talks still ran
    assert [r["id"] for r in iter_agreements(store)] == before  # nothing of the failed step was written
    assert "rounds of talks" in summary.describe() and "agreements (" not in summary.describe()


def test_process_builds_them_after_fuse_and_a_failure_keeps_the_fused(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from trucewatch.cli import app
    from trucewatch.store import open_store

    db = str(tmp_path / "p.db")
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Tripoli, 18 February 2020. Shells hit the port of Tripoli on Tuesday, the "
                                 "Government of National Accord said, blaming the Libyan National Army.",
                                 encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(inbox), "--db", db, "--create"]).exit_code == 0
    monkeypatch.setattr("trucewatch.ceasefire.run.build_from_news", _half_then_fail)
    failed = runner.invoke(app, ["process", "--db", db])
    assert failed.exit_code == 1, failed.output
    assert "agreements build failed (ValueError" in failed.output and "fused 1 into incidents" in failed.output
    assert "rounds of talks" in failed.output  # the talks step ran all the same
    store = open_store(db)
    try:
        with store.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Incident)) >= 1  # fuse's work is kept
    finally:
        store.close()
    monkeypatch.undo()
    skipped = runner.invoke(app, ["process", "--db", db, "--no-ceasefire"])
    assert skipped.exit_code == 0 and "agreements" not in skipped.output
    done = runner.invoke(app, ["process", "--db", db])
    assert done.exit_code == 0 and "agreements (" in done.output and "rounds of talks (" in done.output
