"""Persistence: schema, migrations, connections and search."""

from trucewatch.store.db import Store, open_store, resolve_url

__all__ = ["Store", "open_store", "resolve_url"]
