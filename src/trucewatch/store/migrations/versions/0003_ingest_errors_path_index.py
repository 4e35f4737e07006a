"""ingest_errors: index on path, for recording each rejection once

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

Ingest looks up the rejections already recorded for the paths of each batch; without
an index that is a scan of a table that only grows. PostgreSQL gets a hash index, which
has no limit on the length of the value (a btree entry must stay under ~2.7 kB, and a
path may be longer).
"""

from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_ingest_errors_path', 'ingest_errors', ['path'], postgresql_using='hash')


def downgrade() -> None:
    op.drop_index('ix_ingest_errors_path', table_name='ingest_errors')
