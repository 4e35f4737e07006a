"""review: merged incidents, split (pinned) events and reviewers' decisions on agreements

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'incident_merges',
        sa.Column('merged_id', sa.String(length=40), nullable=False),
        sa.Column('into_id', sa.String(length=40), nullable=False),
        sa.Column('reviewer', sa.String(length=100), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('merged_id'),
    )
    op.create_index('ix_incident_merges_into', 'incident_merges', ['into_id'], unique=False)
    op.create_table(
        'incident_pins',
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('signature', sa.Text(), nullable=False),
        sa.Column('incident_id', sa.String(length=40), nullable=False),
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('document_id', 'signature'),
    )
    op.create_index('ix_incident_pins_incident', 'incident_pins', ['incident_id'], unique=False)
    op.create_table(
        'agreement_reviews',
        sa.Column('agreement_id', sa.String(length=64), nullable=False),
        sa.Column('field', sa.String(length=32), nullable=False),
        sa.Column('value', sa.JSON(), nullable=True),
        sa.Column('machine_value', sa.JSON(), nullable=True),
        sa.Column('conflict', sa.Boolean(), nullable=False),
        sa.Column('reviewer', sa.String(length=100), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('agreement_id', 'field'),
    )


def downgrade() -> None:
    op.drop_table('agreement_reviews')
    op.drop_index('ix_incident_pins_incident', table_name='incident_pins')
    op.drop_table('incident_pins')
    op.drop_index('ix_incident_merges_into', table_name='incident_merges')
    op.drop_table('incident_merges')
