"""fusion: story_terms, each story member's heaviest terms indexed by term and day

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

A new document in a dense date window used to read and weight the profile of every
member there; with this index it reads only the members sharing its heaviest terms.
Members stored before this revision are indexed here, from their stored profiles and
the stored document frequencies.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
# coordinator: chain after 0005 at merge (done: main with 0005 merged into this branch)
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'story_terms',
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('term', sa.String(length=64), nullable=False),
        sa.Column('day', sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['story_members.document_id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('document_id', 'term'),
    )
    op.create_index('ix_story_terms_term_day', 'story_terms', ['term', 'day'])
    from sqlalchemy.orm import Session

    from trucewatch.fusion.documents import index_members

    session = Session(bind=op.get_bind())
    index_members(session)
    session.flush()


def downgrade() -> None:
    op.drop_index('ix_story_terms_term_day', table_name='story_terms')
    op.drop_table('story_terms')
