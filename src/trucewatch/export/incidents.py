"""Incidents as export rows: the ACLED columns from their consensus, plus the fusion columns.

The columns and their version are ``export.schema.INCIDENT_COLUMNS`` / ``SCHEMA_VERSION``;
every row carries ``schema_version`` so a CSV or JSONL file says what it holds on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trucewatch.export.schema import INCIDENT_COLUMN_NAMES, SCHEMA_VERSION
from trucewatch.fusion.query import iter_incidents
from trucewatch.store import Store
from trucewatch.store.schema import Incident


def incident_row(incident: Incident) -> dict[str, Any]:
    """One incident as an export dict, columns in schema order."""
    acled = (incident.consensus or {}).get("acled") or {}
    values: dict[str, Any] = {name: getattr(incident, name, None) for name in INCIDENT_COLUMN_NAMES}
    values.update({k: acled.get(k) for k in ("inter1", "inter2", "assoc_actor_1", "assoc_actor_2", "notes")})
    values["incident_id"] = incident.id
    values["source"] = "; ".join(s.get("outlet") or s["source"] for s in incident.sources or []) or None
    values["sources"] = incident.sources or []
    values["disputed"] = incident.disputed or []
    values["schema_version"] = SCHEMA_VERSION
    return {name: values.get(name) for name in INCIDENT_COLUMN_NAMES}


def iter_incident_rows(store: Store) -> Iterator[dict[str, Any]]:
    for incident in iter_incidents(store):
        yield incident_row(incident)
