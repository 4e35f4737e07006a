"""events: mediators column (export schema 1.1)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('mediators', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.drop_column('mediators')
