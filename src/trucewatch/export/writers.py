"""Writers for events and documents: JSONL, ACLED-style CSV (and TSV), GeoJSON.

Rows are streamed from the store, so an export never holds the whole table in memory
(GeoJSON too: features are written one at a time inside the collection).

CSV and TSV cells are neutralised against formula injection, as OWASP advises for CSV
injection: a text cell whose written form starts with ``=``, ``+``, ``-``, ``@``, tab or
carriage return gets a leading ``'``, so a spreadsheet shows it as text instead of
evaluating it. The test is made on the final cell text (after our cleaning, after lists
are JSON-encoded): cleaning can turn ``"\t=1+1"`` into a live ``"=1+1"``. Values that
are numbers in the store (latitude ``-3.5``, a count) are data, not formulas, and are
written as they are, unquoted, so spreadsheets still read them as numbers. Every text
cell is quoted, so a separator inside a cell (``a;=1+1``) cannot split it into a new,
armed cell in a spreadsheet that splits on ``;``. ``raw=True`` (``--raw``) turns neutralisation off.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trucewatch.export.schema import (
    COLUMN_NAMES,
    DOCUMENT_COLUMNS,
    INCIDENT_COLUMN_NAMES,
    SCHEMA_VERSION,
    STORED_COLUMNS,
)
from trucewatch.store import Store
from trucewatch.store.event_query import ORDER as EVENT_ORDER
from trucewatch.store.event_query import EventFilter, event_conditions
from trucewatch.store.schema import Document, Event

FORMATS = ("jsonl", "csv", "tsv", "geojson")
WHATS = ("events", "documents", "incidents", "agreements")
DELIMITERS = {"csv": ",", "tsv": "\t"}
# OWASP's list of the first characters that make a spreadsheet read a cell as a formula.
FORMULA_START = frozenset("=+-@\t\r")


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


def iter_events(store: Store, batch: int = 500, flt: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    """Events as export rows, by date (undated last) then id; only those ``flt`` keeps."""
    with store.sessions() as session:
        query = (
            select(Event, Document.outlet)
            .join(Document, Document.id == Event.document_id)
            .where(*event_conditions(flt or EventFilter()))
            .options(selectinload(Event.evidence))
            .order_by(*EVENT_ORDER)
            .execution_options(yield_per=batch)
        )
        for event, outlet in session.execute(query):
            yield event_record(event, outlet)


def iter_documents(store: Store, batch: int = 500) -> Iterator[dict[str, Any]]:
    with store.sessions() as session:
        query = select(*(getattr(Document, c) for c in DOCUMENT_COLUMNS)).order_by(Document.ingested_at, Document.id)
        for row in session.execute(query.execution_options(yield_per=batch)):
            yield dict(zip(DOCUMENT_COLUMNS, row))


class _Counted:
    """Rows passed through, counted (the writers return how many they wrote)."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def _write(chunks: Iterator[str], counted: _Counted, out: IO[str]) -> int:
    for chunk in chunks:
        out.write(chunk)
    return counted.count


def jsonl_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """JSON Lines, one line a row, as text pieces (what :func:`write_jsonl` writes; the API streams them)."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    counted = _Counted(rows)
    return _write(jsonl_chunks(counted), counted, out)


def neutralise(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    return "'" + cell if cell[:1] in FORMULA_START else cell


def csv_cell(value: Any, raw: bool = False) -> Any:
    """The cell written for one value: lists and dicts as JSON, text neutralised unless ``raw``.

    None, bools and numbers are returned as they are (the csv module writes them); only
    text can carry a formula.
    """
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and not raw:
        return neutralise(value)
    return value


def csv_chunks(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], *,
               raw: bool = False, delimiter: str = ",") -> Iterator[str]:
    """The lines :func:`write_csv` writes, header first, as text pieces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")

    def line(cells: list[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield line(list(columns))
    for row in rows:
        yield line([csv_cell(row.get(name), raw) for name in columns])


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: tuple[str, ...], *,
              raw: bool = False, delimiter: str = ",") -> int:
    """Flat CSV (or TSV with ``delimiter="\\t"``); every text cell quoted and formula-neutralised.

    List values (evidence) are written as JSON in their cell.
    """
    counted = _Counted(rows)
    return _write(csv_chunks(counted, columns, raw=raw, delimiter=delimiter), counted, out)


def geojson_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The FeatureCollection :func:`write_geojson` writes, one feature a piece."""
    yield '{"type": "FeatureCollection", "trucewatch_schema": "%s", "features": [\n' % SCHEMA_VERSION
    first = True
    for row in rows:
        lat, lon = row.get("latitude"), row.get("longitude")
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        feature = {"type": "Feature", "id": row.get("event_id") or row.get("incident_id"), "geometry": geometry,
                   "properties": row}
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def write_geojson(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A FeatureCollection; events without coordinates get a null geometry (valid GeoJSON)."""
    counted = _Counted(rows)
    return _write(geojson_chunks(counted), counted, out)


def check_request(fmt: str, what: str) -> None:
    """Refuse an unknown format or table before anything is opened (``ValueError``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if what not in WHATS:
        raise ValueError("--what is " + ", ".join(WHATS[:-1]) + " or " + WHATS[-1])
    if what == "agreements" and fmt != "jsonl":
        raise ValueError("agreements are nested records (parties, dates, sources with their evidence): "
                         "export them as jsonl")
    if what == "documents" and fmt == "geojson":
        raise ValueError("documents have no location: export them as jsonl, csv or tsv")


def export(store: Store, out: IO[str], fmt: str = "jsonl", what: str = "events", *, raw: bool = False) -> int:
    """Write events, documents, incidents or agreements from ``store`` to ``out``; returns the number of rows.

    ``raw`` writes CSV/TSV cells exactly as stored, without formula neutralisation.
    """
    check_request(fmt, what)
    if what == "agreements":
        from trucewatch.export.agreements import iter_agreement_rows

        return write_jsonl(iter_agreement_rows(store), out)
    if what == "documents":
        rows = iter_documents(store)
        columns = DOCUMENT_COLUMNS
    elif what == "incidents":
        from trucewatch.export.incidents import iter_incident_rows

        rows = iter_incident_rows(store)
        columns = INCIDENT_COLUMN_NAMES
    else:
        rows = iter_events(store)
        columns = COLUMN_NAMES
    counted = _Counted(rows)
    return _write(format_chunks(counted, fmt, columns, raw=raw), counted, out)


def format_chunks(rows: Iterable[dict[str, Any]], fmt: str, columns: tuple[str, ...], *,
                  raw: bool = False) -> Iterator[str]:
    """``rows`` written in ``fmt`` (jsonl, csv, tsv or geojson) as text pieces, for a file or a stream."""
    if fmt == "jsonl":
        return jsonl_chunks(rows)
    if fmt in DELIMITERS:
        return csv_chunks(rows, columns, raw=raw, delimiter=DELIMITERS[fmt])
    if fmt == "geojson":
        return geojson_chunks(rows)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
