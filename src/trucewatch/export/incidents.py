"""Incidents as export rows: the ACLED columns from their consensus, plus the fusion columns.

The columns and their version are ``export.schema.INCIDENT_COLUMNS`` / ``SCHEMA_VERSION``;
every row carries ``schema_version`` so a CSV or JSONL file says what it holds on its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import or_, select

from trucewatch.export.schema import INCIDENT_COLUMN_NAMES, SCHEMA_VERSION
from trucewatch.fusion.query import IncidentFilter, iter_incidents
from trucewatch.store import Store
from trucewatch.store.schema import Incident, IncidentScope

#: Incidents whose agreement scope rows are read in one query.
BATCH = 500


def incident_row(incident: Incident, scopes: Sequence[IncidentScope] = ()) -> dict[str, Any]:
    """One incident as an export dict, columns in schema order; ``scopes`` its stored scope rows."""
    acled = (incident.consensus or {}).get("acled") or {}
    values: dict[str, Any] = {name: getattr(incident, name, None) for name in INCIDENT_COLUMN_NAMES}
    values.update({k: acled.get(k) for k in ("inter1", "inter2", "assoc_actor_1", "assoc_actor_2", "notes")})
    values["incident_id"] = incident.id
    values["source"] = "; ".join(s.get("outlet") or s["source"] for s in incident.sources or []) or None
    values["sources"] = incident.sources or []
    values["disputed"] = incident.disputed or []
    values["agreements"] = [{"agreement_id": s.agreement_id, "in_scope": s.in_scope, "rule": s.rule, "step": s.step}
                            for s in sorted(scopes, key=lambda s: s.agreement_id) if s.in_scope is not False]
    ranked = [s for s in scopes if s.in_scope is not False and s.rank is not None]
    values["ladder_step"] = max(ranked, key=lambda s: s.rank).step if ranked else None  # type: ignore[arg-type,return-value]
    values["schema_version"] = SCHEMA_VERSION
    return {name: values.get(name) for name in INCIDENT_COLUMN_NAMES}


def _scopes(store: Store, ids: list[str]) -> dict[str, list[IncidentScope]]:
    found: dict[str, list[IncidentScope]] = {}
    with store.sessions() as session:
        for row in session.scalars(select(IncidentScope).where(IncidentScope.incident_id.in_(ids),
                                                               or_(IncidentScope.in_scope.is_(None),
                                                                   IncidentScope.in_scope.is_(True)))):
            found.setdefault(row.incident_id, []).append(row)
        session.expunge_all()
    return found


def iter_incident_rows(store: Store, flt: IncidentFilter | None = None) -> Iterator[dict[str, Any]]:
    """Incidents as export rows, in the order of the incident list; only those ``flt`` keeps."""
    batch: list[Incident] = []
    for incident in iter_incidents(store, flt):
        batch.append(incident)
        if len(batch) >= BATCH:
            yield from _rows(store, batch)
            batch = []
    yield from _rows(store, batch)


def _rows(store: Store, batch: list[Incident]) -> Iterator[dict[str, Any]]:
    if not batch:
        return
    scopes = _scopes(store, [i.id for i in batch])
    for incident in batch:
        yield incident_row(incident, scopes.get(incident.id, ()))
