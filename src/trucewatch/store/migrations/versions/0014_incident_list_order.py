"""incident lists: indexes in the order incidents are listed (undated last, by date, by id)

Without them every page of ``GET /api/v1/incidents`` sorted all the incidents its filter
kept; with 100,000 incidents that sort was most of a request's time.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_incidents_listed', 'incidents', [sa.text('(event_date IS NULL)'), 'event_date', 'id'])
    op.create_index('ix_incidents_country_listed', 'incidents',
                    ['country', sa.text('(event_date IS NULL)'), 'event_date', 'id'])


def downgrade() -> None:
    op.drop_index('ix_incidents_country_listed', table_name='incidents')
    op.drop_index('ix_incidents_listed', table_name='incidents')
