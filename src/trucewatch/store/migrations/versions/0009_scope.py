"""incident_scope: each incident checked against the agreements in force at its time and place

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'incident_scope',
        sa.Column('incident_id', sa.String(length=40), nullable=False),
        sa.Column('agreement_id', sa.String(length=64), nullable=False),
        sa.Column('in_scope', sa.Boolean(), nullable=True),
        sa.Column('rule', sa.Text(), nullable=False),
        sa.Column('evidence', sa.JSON(), nullable=False),
        sa.Column('step', sa.String(length=16), nullable=True),
        sa.Column('rank', sa.Integer(), nullable=True),
        sa.Column('ladder', sa.JSON(), nullable=True),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('incident_id', 'agreement_id'),
    )
    op.create_index('ix_incident_scope_agreement', 'incident_scope', ['agreement_id', 'in_scope'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_incident_scope_agreement', table_name='incident_scope')
    op.drop_table('incident_scope')
