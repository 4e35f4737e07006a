"""talks: rounds of talks built from the news, and the evidence of each of their values

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'talks_rounds',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('forum', sa.String(length=32), nullable=True),
        sa.Column('track', sa.String(length=16), nullable=True),
        sa.Column('country', sa.String(length=100), nullable=True),
        sa.Column('round_number', sa.Integer(), nullable=True),
        sa.Column('sequence', sa.Integer(), nullable=True),
        sa.Column('start', sa.String(length=10), nullable=True),
        sa.Column('end', sa.String(length=10), nullable=True),
        sa.Column('date_precision', sa.String(length=8), nullable=True),
        sa.Column('venue', sa.String(length=200), nullable=True),
        sa.Column('venue_country', sa.String(length=8), nullable=True),
        sa.Column('extra', sa.JSON(), nullable=True),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_talks_rounds_forum_start', 'talks_rounds', ['forum', 'start'], unique=False)
    op.create_table(
        'talks_facts',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('round_id', sa.String(length=64), nullable=False),
        sa.Column('field', sa.String(length=32), nullable=False),
        sa.Column('value', sa.Text(), nullable=True),
        sa.Column('actor_id', sa.String(length=64), nullable=True),
        sa.Column('side', sa.String(length=64), nullable=True),
        sa.Column('event_id', sa.String(length=48), nullable=True),
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['talks_rounds.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_talks_facts_round', 'talks_facts', ['round_id'], unique=False)
    op.create_index('ix_talks_facts_document', 'talks_facts', ['document_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_talks_facts_document', table_name='talks_facts')
    op.drop_index('ix_talks_facts_round', table_name='talks_facts')
    op.drop_table('talks_facts')
    op.drop_index('ix_talks_rounds_forum_start', table_name='talks_rounds')
    op.drop_table('talks_rounds')
