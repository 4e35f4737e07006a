"""Alembic environment: runs on the connection trucewatch hands it."""

from alembic import context

from trucewatch.store.schema import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when alembic is run by hand
    from trucewatch.store.db import make_engine, resolve_url

    connection = make_engine(resolve_url(config.get_main_option("sqlalchemy.url"))).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
