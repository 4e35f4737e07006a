"""Migrations stand on their own: a revision's data step must not import application code
(which changes later), and upgrading an old store gives the data the current code would."""

from __future__ import annotations

import ast
from pathlib import Path

from alembic import command
from sqlalchemy import select

from tests.fusion_fixtures import PORT_AR, PORT_EN, PORT_FR, PORT_LATER_EN, UNRELATED_EN, add_document
from trucewatch.fusion.documents import fuse_documents, index_members
from trucewatch.store.db import MIGRATIONS_DIR, _alembic_config
from trucewatch.store.schema import StoryTerm

VERSIONS = Path(MIGRATIONS_DIR) / "versions"


def test_no_migration_imports_trucewatch() -> None:
    found = []
    for path in sorted(VERSIONS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}:{node.lineno}: {n}" for n in names if n.split(".")[0] == "trucewatch"]
    assert not found, "migrations must be self-contained:\n" + "\n".join(found)


def _terms(store) -> set[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    with store.session() as s:
        return {(r.document_id, r.term, r.day) for r in s.scalars(select(StoryTerm))}


def _migrate(store, revision: str, down: bool = False) -> None:  # type: ignore[no-untyped-def]
    cfg = _alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_upgrade_from_0005_indexes_stored_members_as_the_current_code_does(store) -> None:  # type: ignore[no-untyped-def]
    specs = [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en"),
             (PORT_FR, None, "2026-03-10", "fr"), (PORT_AR, None, "2026-03-11", "ar"),
             (PORT_LATER_EN, None, "2026-03-14", "en"), (UNRELATED_EN, None, None, "en")]
    with store.session() as s:
        ids = [add_document(s, text, title=title, published=day, language=lang, order=k)
               for k, (text, title, day, lang) in enumerate(specs)]
    fuse_documents(store, ids, encoder=None)
    _migrate(store, "0005", down=True)  # a store as it was before story_terms existed
    _migrate(store, "head")
    migrated = _terms(store)
    assert {d for d, _t, _day in migrated} == set(ids)
    assert {day for d, _t, day in migrated if d == ids[-1]} == {None}  # undated, as its member
    with store.session() as s:
        s.execute(StoryTerm.__table__.delete())
    with store.session() as s:
        assert index_members(s) == len(ids)  # the fuse step's own backfill, with today's weighting
    assert _terms(store) == migrated


def test_incident_lists_have_indexes_in_their_order(store) -> None:  # type: ignore[no-untyped-def]
    """Migration 0014's expression indexes (the model comparison cannot see them on SQLite):
    without them every page of the incident list sorted every incident its filter kept."""
    from sqlalchemy import text

    query = ("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents'"
             if store.dialect == "sqlite" else "SELECT indexname FROM pg_indexes WHERE tablename = 'incidents'")
    with store.sessions() as session:
        names = set(session.scalars(text(query)))
    assert {"ix_incidents_listed", "ix_incidents_country_listed"} <= names
