"""``/api/v1/exports``: the standard incident and event exports, streamed, with the filters of
the incident and event lists. The rows and the writers are those of ``trucewatch export``, so
a file fetched here is the file the command writes (CSV cells formula-neutralised), holding
exactly the incidents (or events) that paging through the list with the same filters shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from trucewatch.api.events import event_filter
from trucewatch.api.filters import incident_filter
from trucewatch.api.problems import RESPONSES
from trucewatch.export.incidents import iter_incident_rows
from trucewatch.export.schema import COLUMN_NAMES, INCIDENT_COLUMN_NAMES
from trucewatch.export.writers import format_chunks, iter_events
from trucewatch.fusion.query import IncidentFilter
from trucewatch.store import Store
from trucewatch.store.event_query import EventFilter

#: Each format's media type and the schema the OpenAPI document gives its body.
FORMATS: dict[str, tuple[str, dict[str, Any]]] = {
    "csv": ("text/csv", {"type": "string"}),
    "jsonl": ("application/x-ndjson", {"type": "string"}),
    "geojson": ("application/geo+json", {"type": "object"}),
}
#: Text gathered before it is sent: one network write per many rows, not one per row.
CHUNK = 64 * 1024


def _gathered(pieces: Iterable[str]) -> Iterator[bytes]:
    held: list[str] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(held).encode("utf-8")
            held, size = [], 0
    if held:
        yield "".join(held).encode("utf-8")


def _streamed(rows: Iterable[dict[str, Any]], fmt: str, columns: tuple[str, ...], name: str) -> StreamingResponse:
    media_type = FORMATS[fmt][0]
    return StreamingResponse(_gathered(format_chunks(rows, fmt, columns)), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"',
                                      "Cache-Control": "no-cache"})


def _responses(fmt: str, what: str) -> dict[int | str, dict[str, Any]]:
    media_type, schema = FORMATS[fmt]
    return {**RESPONSES, 200: {"description": f"The {what} as {fmt}, streamed (an attachment).",
                               "content": {media_type: {"schema": schema}}}}


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["exports"])
    incidents_filter = incident_filter(store)

    def add_incidents(fmt: str) -> None:
        def export_incidents(flt: IncidentFilter = Depends(incidents_filter)) -> StreamingResponse:
            return _streamed(iter_incident_rows(store, flt), fmt, INCIDENT_COLUMN_NAMES, "incidents")

        api.add_api_route(f"/exports/incidents.{fmt}", export_incidents, methods=["GET"],
                          response_class=StreamingResponse, responses=_responses(fmt, "incidents"),
                          summary=f"Export incidents as {fmt}", operation_id=f"export_incidents_{fmt}",
                          description="The incident export (schema: README, Export schema) of the incidents the "
                                      "filters keep, in the order of the incident list.")

    def add_events(fmt: str) -> None:
        def export_events(flt: EventFilter = Depends(event_filter)) -> StreamingResponse:
            return _streamed(iter_events(store, flt=flt), fmt, COLUMN_NAMES, "events")

        api.add_api_route(f"/exports/events.{fmt}", export_events, methods=["GET"],
                          response_class=StreamingResponse, responses=_responses(fmt, "events"),
                          summary=f"Export events as {fmt}", operation_id=f"export_events_{fmt}",
                          description="The event export of the events the filters keep, in the order of the "
                                      "event list.")

    adders: tuple[Callable[[str], None], ...] = (add_incidents, add_events)
    for add in adders:
        for fmt in FORMATS:
            add(fmt)
    return api
