"""Full-text search over documents, one function for every backend.

SQLite uses the FTS5 table the migration keeps in step by triggers; PostgreSQL a
generated tsvector column with a GIN index. The query is plain words (all must
match, in any order; "quoted phrases" stay phrases), so users never meet either
engine's query syntax or its syntax errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text

from trucewatch.store.db import Store

_TERMS = re.compile(r'"([^"]+)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str


def _terms(query: str) -> list[str]:
    terms = []
    for phrase, word in _TERMS.findall(query):
        words = _WORD.findall(phrase or word)
        if words:
            terms.append(" ".join(words))
    return terms


def search_documents(store: Store, query: str, limit: int = 20) -> list[Hit]:
    """Documents matching every term of ``query``, best first."""
    terms = _terms(query)
    if not terms:
        return []
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            match = " AND ".join('"' + t.replace('"', "") + '"' for t in terms)
            rows = conn.execute(
                text(
                    "SELECT d.id, d.title, d.outlet, d.published, "
                    "snippet(documents_fts, 2, '[', ']', ' … ', 16) "
                    "FROM documents_fts JOIN documents d ON d.id = documents_fts.doc_id "
                    "WHERE documents_fts MATCH :q ORDER BY bm25(documents_fts) LIMIT :n"
                ),
                {"q": match, "n": limit},
            )
        elif store.dialect == "postgresql":
            tsquery = " & ".join("(" + " <-> ".join(t.split()) + ")" for t in terms)
            rows = conn.execute(
                text(
                    "SELECT id, title, outlet, published, "
                    "ts_headline('simple', text, to_tsquery('simple', :q), "
                    "'StartSel=[, StopSel=], MaxWords=20, MinWords=8') "
                    "FROM documents WHERE tsv @@ to_tsquery('simple', :q) "
                    "ORDER BY ts_rank(tsv, to_tsquery('simple', :q)) DESC, id LIMIT :n"
                ),
                {"q": tsquery, "n": limit},
            )
        else:
            raise NotImplementedError(f"full-text search is not available on {store.dialect}")
        return [Hit(*row) for row in rows]
