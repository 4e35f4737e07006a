"""fusion, document level: MinHash signatures, persisted LSH bands, stories

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

Near-duplicate detection keeps each document's signature and its LSH bands, so a new
document is compared only with the documents sharing a band (the index on
(band, hash)), never with the whole store. Stories keep their members' profiles and
the decision that placed each member; term_df holds the document frequencies of the
lexical signal.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'document_minhash',
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('params', sa.String(length=32), nullable=False),
        sa.Column('shingles', sa.Integer(), nullable=False),
        sa.Column('signature', sa.LargeBinary(), nullable=False),
        sa.Column('matched', sa.String(length=32), nullable=True),
        sa.Column('similarity', sa.Float(), nullable=True),
        sa.Column('containment', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['matched'], ['documents.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('document_id'),
    )
    op.create_table(
        'lsh_bands',
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('band', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('hash', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('document_id', 'band'),
    )
    op.create_index('ix_lsh_bands_band_hash', 'lsh_bands', ['band', 'hash'])
    op.create_table(
        'stories',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('founder', sa.String(length=32), nullable=True),
        sa.Column('first_date', sa.String(length=10), nullable=True),
        sa.Column('last_date', sa.String(length=10), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['founder'], ['documents.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_stories_last_date', 'stories', ['last_date'])
    op.create_table(
        'story_members',
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('story_id', sa.String(length=40), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('day', sa.String(length=10), nullable=True),
        sa.Column('embedding', sa.LargeBinary(), nullable=True),
        sa.Column('profile', sa.JSON(), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('decision', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['story_id'], ['stories.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('document_id'),
    )
    op.create_index('ix_story_members_story', 'story_members', ['story_id'])
    op.create_index('ix_story_members_day', 'story_members', ['day'])
    op.create_index('ix_story_members_seq', 'story_members', ['seq'], unique=True)
    op.create_table(
        'term_df',
        sa.Column('term', sa.String(length=64), nullable=False),
        sa.Column('df', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('term'),
    )


def downgrade() -> None:
    op.drop_table('term_df')
    op.drop_index('ix_story_members_seq', table_name='story_members')
    op.drop_index('ix_story_members_day', table_name='story_members')
    op.drop_index('ix_story_members_story', table_name='story_members')
    op.drop_table('story_members')
    op.drop_index('ix_stories_last_date', table_name='stories')
    op.drop_table('stories')
    op.drop_index('ix_lsh_bands_band_hash', table_name='lsh_bands')
    op.drop_table('lsh_bands')
    op.drop_table('document_minhash')
