"""``trucewatch check``: is the database sound?

SQLite: ``PRAGMA integrity_check`` (every page, index and b-tree) and
``PRAGMA foreign_key_check``. On every backend the same orphan queries (a row whose
parent is gone: a document without its raw bytes, a stage run, annotation or event
without its document, evidence without its event), which on PostgreSQL stand in for
the page check the server does itself. Then the ceasefire tables (agreements, rounds of
talks: ``store.check_ceasefire``). Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text

from trucewatch.errors import StoreDamaged
from trucewatch.store.check_ceasefire import CEASEFIRE_LINKS, check_ceasefire_tables
from trucewatch.store.db import Store, schema_revision

# (child table, child column, parent table, parent column)
_LINKS = (
    ("documents", "raw_sha256", "raw_blobs", "sha256"),
    ("documents", "duplicate_of", "documents", "id"),
    ("stage_runs", "document_id", "documents", "id"),
    ("annotations", "document_id", "documents", "id"),
    ("events", "document_id", "documents", "id"),
    ("event_evidence", "event_id", "events", "id"),
    ("event_evidence", "document_id", "documents", "id"),
)
_MAX_LISTED = 20


@dataclass
class CheckReport:
    """What the check found; ``problems`` is empty for a sound database."""

    database: str
    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(store: Store) -> CheckReport:
    """Run every check that applies to the store's backend (a damaged SQLite file is reported, not raised)."""
    report = CheckReport(store.name)
    try:
        report.checks.append(f"schema revision {schema_revision(store.engine)}")
        with store.engine.connect() as conn:
            if store.dialect == "sqlite":
                report.checks.append("integrity_check")
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                if rows != ["ok"]:
                    report.problems += [f"integrity: {r}" for r in rows[:_MAX_LISTED]]
                report.checks.append("foreign_key_check")
                for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchmany(_MAX_LISTED):
                    report.problems.append(f"foreign key: {table} row {rowid} points to a missing row of {parent}")
            for child, column, parent, key in _LINKS + CEASEFIRE_LINKS:
                report.checks.append(f"{child}.{column} -> {parent}")
                orphans = conn.execute(text(
                    f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL "
                    f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})")).scalar()
                if orphans and not any(f"{child} row" in p and parent in p for p in report.problems):
                    report.problems.append(f"orphans: {orphans} {child} row(s) whose {column} names no row of {parent}")
            check_ceasefire_tables(conn, report.checks, report.problems)
    except StoreDamaged as fault:  # the page or schema read failed: that is the finding
        report.problems.append(fault.finding)  # we are the check; other faults are not damage and go up
    return report
