"""Writers for events and documents: JSONL, ACLED-style CSV, GeoJSON.

Rows are streamed from the store, so an export never holds the whole table in memory
(GeoJSON too: features are written one at a time inside the collection).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trucewatch.export.schema import COLUMN_NAMES, DOCUMENT_COLUMNS, SCHEMA_VERSION, STORED_COLUMNS
from trucewatch.store import Store
from trucewatch.store.schema import Document, Event

FORMATS = ("jsonl", "csv", "geojson")


def event_record(event: Event, outlet: str | None) -> dict[str, Any]:
    """One stored event as an export-schema dict, columns in schema order."""
    values = {name: getattr(event, name) for name in STORED_COLUMNS}
    values["event_id"] = event.id
    values["source"] = outlet
    values["evidence"] = [
        {"document_id": ev.document_id, "start": ev.start, "end": ev.end, "text": ev.text, "field": ev.field}
        for ev in event.evidence
    ]
    return {name: values.get(name) for name in COLUMN_NAMES}


def iter_events(store: Store, batch: int = 500) -> Iterator[dict[str, Any]]:
    with store.sessions() as session:
        query = (
            select(Event, Document.outlet)
            .join(Document, Document.id == Event.document_id)
            .options(selectinload(Event.evidence))
            .order_by(Event.event_date.is_(None), Event.event_date, Event.id)
            .execution_options(yield_per=batch)
        )
        for event, outlet in session.execute(query):
            yield event_record(event, outlet)


def iter_documents(store: Store, batch: int = 500) -> Iterator[dict[str, Any]]:
    with store.sessions() as session:
        query = select(*(getattr(Document, c) for c in DOCUMENT_COLUMNS)).order_by(Document.ingested_at, Document.id)
        for row in session.execute(query.execution_options(yield_per=batch)):
            yield dict(zip(DOCUMENT_COLUMNS, row))


def write_jsonl(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str], columns: tuple[str, ...]) -> int:
    """Flat CSV; list values (evidence) are written as JSON in their cell."""
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                         for k, v in row.items()})
        count += 1
    return count


def write_geojson(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """A FeatureCollection; events without coordinates get a null geometry (valid GeoJSON)."""
    out.write('{"type": "FeatureCollection", "trucewatch_schema": "%s", "features": [\n' % SCHEMA_VERSION)
    count = 0
    for row in rows:
        lat, lon = row.get("latitude"), row.get("longitude")
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        feature = {"type": "Feature", "id": row.get("event_id"), "geometry": geometry, "properties": row}
        out.write((",\n" if count else "") + json.dumps(feature, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


def export(store: Store, out: IO[str], fmt: str = "jsonl", what: str = "events") -> int:
    """Write events or documents from ``store`` to ``out``; returns the number of rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if what == "documents":
        if fmt == "geojson":
            raise ValueError("documents have no location: export them as jsonl or csv")
        rows = iter_documents(store)
        return write_jsonl(rows, out) if fmt == "jsonl" else write_csv(rows, out, DOCUMENT_COLUMNS)
    if what != "events":
        raise ValueError("--what is events or documents")
    rows = iter_events(store)
    if fmt == "jsonl":
        return write_jsonl(rows, out)
    if fmt == "csv":
        return write_csv(rows, out, COLUMN_NAMES)
    return write_geojson(rows, out)
