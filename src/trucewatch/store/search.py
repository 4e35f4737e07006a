"""Full-text search over documents, one function for every backend.

SQLite uses the FTS5 table the migration keeps in step by triggers; PostgreSQL a
generated tsvector column with a GIN index. The query is plain words (all must
match, in any order; "quoted phrases" stay phrases), so users never meet either
engine's query syntax or its syntax errors. The query is capped (a 2,000-word query
once ran for minutes) and runs under the store's statement timeout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text

from trucewatch.errors import UsageError
from trucewatch.store.db import Store

_TERMS = re.compile(r'"([^"]+)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 32
MAX_QUERY_CHARS = 1000


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


def check_query(query: str) -> list[str]:
    """The query's terms; a UsageError when it is longer than search allows."""
    terms = _terms(query)
    words = sum(len(t.split()) for t in terms)
    if words > MAX_TERMS:
        raise UsageError(f"the search query has {words} words; use at most {MAX_TERMS} terms "
                         "(words, counting each word of a quoted phrase)")
    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(f"the search query is {len(query)} characters long; use at most {MAX_QUERY_CHARS} characters")
    return terms


def search_documents(store: Store, query: str, limit: int = 20) -> list[Hit]:
    """Documents matching every term of ``query``, best first."""
    terms = check_query(query)
    if not terms:
        return []
    with store.reading() as conn:
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
