"""``trucewatch check`` over the ceasefire tables: agreement records and rounds of talks.

Beyond the orphan links (:data:`CEASEFIRE_LINKS`, checked like the other tables' links), the
rules no foreign key can state: every value keeps the span of its evidence, so a span must lie
inside its document and be the text it quotes; an agreement takes effect before it expires;
its status history (from the news) runs in date order and its status is the last step; a round of talks
starts before it ends and links only agreements that exist. Days are compared on their
first ten characters (``effective_from`` may carry a time and an offset; a day is enough to
order two steps without knowing the zone). Nothing is written.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

# (child table, child column, parent table, parent column)
CEASEFIRE_LINKS = (
    ("agreement_parties", "agreement_id", "agreements", "id"),
    ("agreement_provisions", "agreement_id", "agreements", "id"),
    ("agreement_status_history", "agreement_id", "agreements", "id"),
    ("agreement_sources", "agreement_id", "agreements", "id"),
    ("agreement_sources", "document_id", "documents", "id"),
    ("agreement_external_ids", "agreement_id", "agreements", "id"),
    ("talks_facts", "round_id", "talks_rounds", "id"),
    ("talks_facts", "document_id", "documents", "id"),
)


def _span_breaks(table: str) -> str:
    """Rows of ``table`` whose span is outside its document or is not the text it quotes
    (``substr`` counts characters from 1 on both backends, as Python slices count from 0)."""
    return (f'SELECT count(*) FROM {table} s JOIN documents d ON d.id = s.document_id '
            f'WHERE s.start IS NOT NULL AND (s.start < 0 OR s."end" < s.start OR s."end" > length(d.text) '
            f'OR substr(d.text, s.start + 1, s."end" - s.start) <> s.text)')


#: (what must hold, a query counting the rows that break it)
CEASEFIRE_RULES = (
    ("an agreement source is a document span or a dataset row",
     "SELECT count(*) FROM agreement_sources WHERE document_id IS NULL AND (dataset IS NULL OR record IS NULL)"),
    ("an agreement source's span has both ends",
     'SELECT count(*) FROM agreement_sources WHERE (start IS NULL) <> ("end" IS NULL)'),
    ("an agreement's evidence span lies in its document and is the text it quotes",
     _span_breaks("agreement_sources")),
    ("an agreement takes effect no later than it expires",
     "SELECT count(*) FROM agreements WHERE expires IS NOT NULL AND "
     "substr(expires, 1, 10) < substr(coalesce(effective_from, signed, expires), 1, 10)"),
    # an imported table's steps are kept as the table gives them, even when its own dates disagree
    # (a UCDP row may end before it was signed); the history trucewatch builds from the news is ordered
    ("an agreement's status history from the news runs in date order",
     "SELECT count(DISTINCT a.agreement_id) FROM agreement_status_history a JOIN agreement_status_history b "
     "ON b.agreement_id = a.agreement_id AND b.id > a.id JOIN agreements g ON g.id = a.agreement_id "
     "WHERE g.origin = 'news' AND a.date IS NOT NULL AND b.date IS NOT NULL "
     "AND substr(b.date, 1, 10) < substr(a.date, 1, 10)"),
    ("an agreement's status is the last step of its history (proposed without one)",
     "SELECT count(*) FROM agreements g WHERE g.status <> coalesce((SELECT h.status FROM agreement_status_history h "
     "WHERE h.agreement_id = g.id AND h.id = (SELECT max(l.id) FROM agreement_status_history l "
     "WHERE l.agreement_id = g.id)), 'proposed')"),
    ("a talks fact's span lies in its document and is the text it quotes", _span_breaks("talks_facts")),
    ("a round of talks starts no later than it ends",
     'SELECT count(*) FROM talks_rounds WHERE start IS NOT NULL AND "end" IS NOT NULL AND start > "end"'),
)


def round_agreements_missing(conn: Connection) -> int:
    """Rounds of talks whose ``extra.agreements`` names an agreement that is not stored (a JSON
    list, read here rather than in SQL, where SQLite and PostgreSQL spell JSON apart)."""
    named: dict[str, set[str]] = {}
    for round_id, extra in conn.execute(text("SELECT id, extra FROM talks_rounds WHERE extra IS NOT NULL")):
        value: Any = json.loads(extra) if isinstance(extra, str) else extra  # SQLite gives text to text()
        ids = value.get("agreements") if isinstance(value, dict) else None
        named[round_id] = {str(i) for i in ids or []}
    wanted = set().union(*named.values()) if named else set()
    if not wanted:
        return 0
    stored: set[str] = set()
    listed = sorted(wanted)
    for start in range(0, len(listed), 500):
        part = listed[start:start + 500]
        marks = ", ".join(f":a{i}" for i in range(len(part)))
        stored.update(r[0] for r in conn.execute(text(f"SELECT id FROM agreements WHERE id IN ({marks})"),
                                                 {f"a{i}": v for i, v in enumerate(part)}))
    return sum(1 for ids in named.values() if ids - stored)


def check_ceasefire_tables(conn: Connection, checks: list[str], problems: list[str]) -> None:
    """Run :data:`CEASEFIRE_RULES` and the rounds' agreement links; append what was checked and what broke."""
    for rule, query in CEASEFIRE_RULES:
        checks.append(rule)
        broken = conn.execute(text(query)).scalar()
        if broken:
            problems.append(f"ceasefire: {broken} row(s) break the rule: {rule}")
    rule = "a round of talks links only stored agreements"
    checks.append(rule)
    broken = round_agreements_missing(conn)
    if broken:
        problems.append(f"ceasefire: {broken} row(s) break the rule: {rule}")
