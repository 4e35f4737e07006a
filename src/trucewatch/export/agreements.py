"""Agreements as export rows: the records of ``agreements list --json``, fields in the order of
``export.schema.AGREEMENT_COLUMNS``, each carrying ``schema_version``.

``trucewatch export --what agreements`` and ``trucewatch agreements export`` both write these,
so the two commands give the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trucewatch.ceasefire.query import iter_agreements
from trucewatch.export.schema import AGREEMENT_COLUMN_NAMES, SCHEMA_VERSION
from trucewatch.store import Store


def agreement_row(record: dict[str, Any]) -> dict[str, Any]:
    """One agreement record (``ceasefire.query``'s shape) as an export dict, fields in schema order."""
    values = {**record, "schema_version": SCHEMA_VERSION}
    return {name: values.get(name) for name in AGREEMENT_COLUMN_NAMES}


def iter_agreement_rows(store: Store) -> Iterator[dict[str, Any]]:
    for record in iter_agreements(store):
        yield agreement_row(record)
