"""fusion: story_terms, each story member's heaviest terms indexed by term and day

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

A new document in a dense date window used to read and weight the profile of every
member there; with this index it reads only the members sharing its heaviest terms.
Members stored before this revision are indexed here, from their stored profiles and
the stored document frequencies.

The backfill is self-contained: the term weighting below is a frozen copy of the one
the fuse step used when this revision was written (``trucewatch.fusion.stories``:
``Idf``, ``weighted``, ``heaviest``, ``INDEX_TERMS``), so later changes to the
application cannot change what this migration writes. ``tests/test_migrations.py``
checks that it still writes what the current fuse code would.
"""

import math

from alembic import op
import sqlalchemy as sa


revision = '0006'
# coordinator: chain after 0005 at merge (done: main with 0005 merged into this branch)
down_revision = '0005'
branch_labels = None
depends_on = None

#: how many heaviest terms of a member are indexed (INDEX_TERMS at this revision)
_INDEX_TERMS = 32
#: rows read (and terms looked up) per query, as the fuse step batches them
_CHUNK = 500

_members = sa.table(
    'story_members',
    sa.column('document_id', sa.String), sa.column('seq', sa.Integer), sa.column('day', sa.String),
    sa.column('profile', sa.JSON),
)
_term_df = sa.table('term_df', sa.column('term', sa.String), sa.column('df', sa.Integer))


def _heaviest(terms: dict[str, int], df: dict[str, int], n_docs: int) -> list[str]:
    """The member's heaviest terms: sublinear tf times smoothed IDF, L2-normalised, ties by term."""
    vec = {t: (1.0 + math.log(c) if c > 0 else 0.0) * (math.log((1 + n_docs) / (1 + df.get(t, 0))) + 1.0)
           for t, c in terms.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    vec = {t: v / norm for t, v in vec.items()}
    return sorted(vec, key=lambda t: (-vec[t], t))[:_INDEX_TERMS]


def _terms(profile: dict | None) -> dict[str, int]:
    """A stored profile's term counts: a JSON object, or (profiles stored since) packed as two
    space-separated strings, ``words`` and ``counts``."""
    profile = profile or {}
    if isinstance(profile.get('words'), str):
        words = profile['words'].split(' ') if profile['words'] else []
        return {w: int(c) for w, c in zip(words, str(profile.get('counts', '')).split(' '))}
    return dict(profile.get('terms', {}))


def _index_members(conn: sa.engine.Connection, story_terms: sa.Table) -> None:
    """Index every stored member (none has story_terms rows yet: the table is new)."""
    ids = list(conn.scalars(sa.select(_members.c.document_id).order_by(_members.c.seq)))
    n_docs = len(ids)
    df: dict[str, int] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = list(conn.execute(sa.select(_members.c.document_id, _members.c.day, _members.c.profile)
                                 .where(_members.c.document_id.in_(ids[start:start + _CHUNK]))))
        counts = {doc_id: _terms(prof) for doc_id, _d, prof in rows}
        missing = sorted({t for terms in counts.values() for t in terms if t not in df})
        for low in range(0, len(missing), _CHUNK):
            chunk = missing[low:low + _CHUNK]
            found = dict(conn.execute(sa.select(_term_df.c.term, _term_df.c.df)
                                      .where(_term_df.c.term.in_(chunk))).all())
            df.update({t: found.get(t, 0) for t in chunk})
        out = [{'document_id': doc_id, 'term': t, 'day': day} for doc_id, day, _prof in rows
               for t in _heaviest(counts[doc_id], df, n_docs)]
        if out:
            conn.execute(story_terms.insert(), out)


def upgrade() -> None:
    story_terms = op.create_table(
        'story_terms',
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('term', sa.String(length=64), nullable=False),
        sa.Column('day', sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['story_members.document_id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('document_id', 'term'),
    )
    op.create_index('ix_story_terms_term_day', 'story_terms', ['term', 'day'])
    _index_members(op.get_bind(), story_terms)


def downgrade() -> None:
    op.drop_index('ix_story_terms_term_day', table_name='story_terms')
    op.drop_table('story_terms')
