"""incidents: one record per happening across documents, their links and fuse state

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'incidents',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('founding_document_id', sa.String(length=32), nullable=False),
        sa.Column('signature', sa.Text(), nullable=False),
        sa.Column('family', sa.String(length=16), nullable=False),
        sa.Column('date_lo', sa.String(length=10), nullable=True),
        sa.Column('date_hi', sa.String(length=10), nullable=True),
        sa.Column('event_date', sa.String(length=10), nullable=True),
        sa.Column('date_end', sa.String(length=10), nullable=True),
        sa.Column('time_precision', sa.Integer(), nullable=True),
        sa.Column('event_type', sa.String(length=64), nullable=True),
        sa.Column('sub_event_type', sa.String(length=64), nullable=True),
        sa.Column('process_type', sa.String(length=32), nullable=True),
        sa.Column('actor1', sa.Text(), nullable=True),
        sa.Column('actor2', sa.Text(), nullable=True),
        sa.Column('country', sa.String(length=100), nullable=True),
        sa.Column('admin1', sa.String(length=200), nullable=True),
        sa.Column('location', sa.String(length=200), nullable=True),
        sa.Column('latitude', sa.Float(), nullable=True),
        sa.Column('longitude', sa.Float(), nullable=True),
        sa.Column('geo_precision', sa.Integer(), nullable=True),
        sa.Column('fatalities', sa.Integer(), nullable=True),
        sa.Column('fatalities_low', sa.Integer(), nullable=True),
        sa.Column('fatalities_high', sa.Integer(), nullable=True),
        sa.Column('corroboration', sa.Integer(), nullable=False),
        sa.Column('sources', sa.JSON(), nullable=True),
        sa.Column('disputed', sa.JSON(), nullable=True),
        sa.Column('consensus', sa.JSON(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_incidents_block', 'incidents', ['country', 'family', 'date_lo'])
    op.create_index('ix_incidents_family_date', 'incidents', ['family', 'date_lo'])
    op.create_table(
        'incident_events',
        sa.Column('incident_id', sa.String(length=40), nullable=False),
        sa.Column('event_id', sa.String(length=48), nullable=False),
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('reason', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('incident_id', 'event_id'),
    )
    op.create_index('ix_incident_events_event', 'incident_events', ['event_id'])
    op.create_index('ix_incident_events_document', 'incident_events', ['document_id'])
    op.create_table(
        'fuse_state',
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('events_run_id', sa.Integer(), nullable=False),
        sa.Column('events_ran_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('fused_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('document_id'),
    )
    op.create_table(
        'fuse_waiting',
        sa.Column('event_id', sa.String(length=48), nullable=False),
        sa.Column('document_id', sa.String(length=32), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('family', sa.String(length=16), nullable=False),
        sa.Column('country', sa.String(length=100), nullable=True),
        sa.Column('date_lo', sa.String(length=10), nullable=True),
        sa.Column('date_hi', sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id'),
    )
    op.create_index('ix_fuse_waiting_block', 'fuse_waiting', ['country', 'family', 'date_lo'])
    op.create_index('ix_fuse_waiting_family_date', 'fuse_waiting', ['family', 'date_lo'])
    op.create_index('ix_fuse_waiting_document', 'fuse_waiting', ['document_id'])


def downgrade() -> None:
    op.drop_table('fuse_waiting')
    op.drop_table('fuse_state')
    op.drop_table('incident_events')
    op.drop_index('ix_incidents_family_date', table_name='incidents')
    op.drop_index('ix_incidents_block', table_name='incidents')
    op.drop_table('incidents')
