"""alerts: standing rules over fused incidents, and every alert sent under them

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'alert_rules',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('agreement_id', sa.String(length=64), nullable=True),
        sa.Column('country', sa.String(length=100), nullable=True),
        sa.Column('bbox', sa.JSON(), nullable=True),
        sa.Column('event_types', sa.JSON(), nullable=True),
        sa.Column('min_step', sa.String(length=16), nullable=False),
        sa.Column('min_confidence', sa.Float(), nullable=True),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('target', sa.Text(), nullable=False),
        sa.Column('secret', sa.Text(), nullable=True),
        sa.Column('options', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('checked_through', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_table(
        'alerts_sent',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('rule_id', sa.Integer(), nullable=False),
        sa.Column('incident_id', sa.String(length=40), nullable=False),
        sa.Column('step', sa.String(length=16), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['rule_id'], ['alert_rules.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('rule_id', 'incident_id', 'rank', name='uq_alerts_sent_rule_incident_rank'),
    )


def downgrade() -> None:
    op.drop_table('alerts_sent')
    op.drop_table('alert_rules')
