"""``trucewatch check``: is the database sound?

SQLite: ``PRAGMA integrity_check`` (every page, index and b-tree) and
``PRAGMA foreign_key_check``. On every backend the same orphan queries (a row whose
parent is gone: a document without its raw bytes, a stage run, annotation or event
without its document, evidence without its event), which on PostgreSQL stand in for
the page check the server does itself. Then the fusion tables, whose rules no foreign key
can state (see :data:`_FUSION_RULES`): every incident keeps a main report, an event is a
main report of one incident at most, a story's size is its members, a repost points to an
original that is no repost itself. Then the ceasefire tables (agreements, rounds of
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
    ("document_minhash", "document_id", "documents", "id"),
    ("lsh_bands", "document_id", "documents", "id"),
    ("stories", "founder", "documents", "id"),
    ("story_members", "document_id", "documents", "id"),
    ("story_members", "story_id", "stories", "id"),
    ("story_terms", "document_id", "story_members", "document_id"),
    ("incident_events", "incident_id", "incidents", "id"),
    ("incident_events", "document_id", "documents", "id"),
    ("fuse_state", "document_id", "documents", "id"),
    ("fuse_waiting", "document_id", "documents", "id"),
)
#: A link may name an event that is gone only until fuse takes in the document's new events
#: run (re-processing replaces event rows; fuse, not a cascade, moves the links): a document
#: whose fuse state is the latest run of its events stage (id and time, as ``fusion.run.pending``
#: tells them apart) must have no such link.
_FUSED_DOCUMENT = ("EXISTS (SELECT 1 FROM fuse_state f JOIN stage_runs r ON r.document_id = f.document_id "
                   "AND r.stage = 'events' AND r.id = f.events_run_id AND r.ran_at = f.events_ran_at "
                   "WHERE f.document_id = {doc})")
#: (what must hold, a query counting the rows that break it)
_FUSION_RULES = (
    ("every incident has a main report",
     "SELECT count(*) FROM incidents i WHERE NOT EXISTS "
     "(SELECT 1 FROM incident_events l WHERE l.incident_id = i.id AND l.role = 'member')"),
    ("an event is the main report of one incident at most",
     "SELECT count(*) FROM (SELECT event_id FROM incident_events WHERE role = 'member' "
     "GROUP BY event_id HAVING count(*) > 1) x"),
    ("a link's role is member, corroborates or disputes",
     "SELECT count(*) FROM incident_events WHERE role NOT IN ('member', 'corroborates', 'disputes')"),
    ("a link of a fused document names an event of that document",
     "SELECT count(*) FROM incident_events l WHERE NOT EXISTS "
     "(SELECT 1 FROM events e WHERE e.id = l.event_id AND e.document_id = l.document_id) AND "
     + _FUSED_DOCUMENT.format(doc="l.document_id")),
    ("an incident counts between 1 and its documents as independent sources",
     "SELECT count(*) FROM incidents i WHERE i.corroboration < 1 OR i.corroboration > "
     "(SELECT count(DISTINCT l.document_id) FROM incident_events l WHERE l.incident_id = i.id)"),
    ("an incident's date window is ordered",
     "SELECT count(*) FROM incidents WHERE date_lo IS NOT NULL AND date_hi IS NOT NULL AND date_lo > date_hi"),
    ("a waiting event is linked to no incident",
     "SELECT count(*) FROM fuse_waiting w WHERE EXISTS "
     "(SELECT 1 FROM incident_events l WHERE l.event_id = w.event_id)"),
    ("a story's size is its number of members",
     "SELECT count(*) FROM stories s WHERE s.size <> (SELECT count(*) FROM story_members m WHERE m.story_id = s.id)"),
    ("a repost points to another document that is no repost itself",
     "SELECT count(*) FROM documents d WHERE d.duplicate_of IS NOT NULL AND (d.duplicate_of = d.id OR EXISTS "
     "(SELECT 1 FROM documents o WHERE o.id = d.duplicate_of AND o.duplicate_of IS NOT NULL))"),
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
            for rule, query in _FUSION_RULES:
                report.checks.append(rule)
                broken = conn.execute(text(query)).scalar()
                if broken:
                    report.problems.append(f"fusion: {broken} row(s) break the rule: {rule}")
            check_ceasefire_tables(conn, report.checks, report.problems)
    except StoreDamaged as fault:  # the page or schema read failed: that is the finding
        report.problems.append(fault.finding)  # we are the check; other faults are not damage and go up
    return report
