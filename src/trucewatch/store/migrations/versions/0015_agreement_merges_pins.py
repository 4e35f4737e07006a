"""review: merged agreements and split (pinned) news reports of agreements

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'agreement_merges',
        sa.Column('merged_id', sa.String(length=64), nullable=False),
        sa.Column('into_id', sa.String(length=64), nullable=False),
        sa.Column('reviewer', sa.String(length=100), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('merged_id'),
    )
    op.create_index('ix_agreement_merges_into', 'agreement_merges', ['into_id'], unique=False)
    op.create_table(
        'agreement_pins',
        sa.Column('from_id', sa.String(length=64), nullable=False),
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('agreement_id', sa.String(length=64), nullable=False),
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('from_id', 'document_id'),
    )


def downgrade() -> None:
    op.drop_table('agreement_pins')
    op.drop_index('ix_agreement_merges_into', table_name='agreement_merges')
    op.drop_table('agreement_merges')
