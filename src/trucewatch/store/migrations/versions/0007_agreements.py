"""agreements: ceasefire and peace agreements with parties, provisions, status history, sources, external ids

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _child(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('agreement_id', sa.String(length=64), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )


def upgrade() -> None:
    op.create_table(
        'agreements',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('country', sa.String(length=100), nullable=True),
        sa.Column('signed', sa.String(length=10), nullable=True),
        sa.Column('effective_from', sa.String(length=40), nullable=True),
        sa.Column('effective_precision', sa.String(length=8), nullable=True),
        sa.Column('expires', sa.String(length=40), nullable=True),
        sa.Column('duration', sa.String(length=16), nullable=True),
        sa.Column('scope', sa.JSON(), nullable=True),
        sa.Column('origin', sa.String(length=16), nullable=False),
        sa.Column('extra', sa.JSON(), nullable=True),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_agreements_country_signed', 'agreements', ['country', 'signed'])
    _child('agreement_parties',
           sa.Column('role', sa.String(length=16), nullable=False),
           sa.Column('name', sa.Text(), nullable=False),
           sa.Column('actor_id', sa.String(length=64), nullable=True),
           sa.Column('side', sa.String(length=64), nullable=True))
    op.create_index('ix_agreement_parties_agreement', 'agreement_parties', ['agreement_id'])
    op.create_index('ix_agreement_parties_actor', 'agreement_parties', ['actor_id'])
    _child('agreement_provisions',
           sa.Column('type', sa.String(length=32), nullable=False),
           sa.Column('detail', sa.Text(), nullable=True),
           sa.Column('due', sa.String(length=40), nullable=True))
    op.create_index('ix_agreement_provisions_agreement', 'agreement_provisions', ['agreement_id'])
    _child('agreement_status_history',
           sa.Column('status', sa.String(length=16), nullable=False),
           sa.Column('date', sa.String(length=40), nullable=True),
           sa.Column('evidence', sa.Text(), nullable=True),
           sa.Column('source', sa.Text(), nullable=False))
    op.create_index('ix_agreement_status_agreement', 'agreement_status_history', ['agreement_id'])
    op.create_table(
        'agreement_sources',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('agreement_id', sa.String(length=64), nullable=False),
        sa.Column('document_id', sa.String(length=32), nullable=True),
        sa.Column('dataset', sa.String(length=16), nullable=True),
        sa.Column('record', sa.Text(), nullable=True),
        sa.Column('field', sa.String(length=32), nullable=True),
        sa.Column('start', sa.Integer(), nullable=True),
        sa.Column('end', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_agreement_sources_agreement', 'agreement_sources', ['agreement_id'])
    op.create_index('ix_agreement_sources_document', 'agreement_sources', ['document_id'])
    op.create_table(
        'agreement_external_ids',
        sa.Column('agreement_id', sa.String(length=64), nullable=False),
        sa.Column('scheme', sa.String(length=16), nullable=False),
        sa.Column('value', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('agreement_id', 'scheme', 'value'),
    )
    op.create_index('ix_agreement_external_ids_value', 'agreement_external_ids', ['scheme', 'value'])


def downgrade() -> None:
    op.drop_table('agreement_external_ids')
    op.drop_table('agreement_sources')
    op.drop_table('agreement_status_history')
    op.drop_table('agreement_provisions')
    op.drop_table('agreement_parties')
    op.drop_index('ix_agreements_country_signed', table_name='agreements')
    op.drop_table('agreements')
