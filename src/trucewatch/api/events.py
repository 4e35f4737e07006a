"""``/api/v1/events``: each document's own reports before fusion, filtered and paged, and one
event with its evidence spans and the incidents it was fused into.

An event is shown in the export schema's shape (``trucewatch export --what events``), so a
page of the list and a line of the events export are the same record.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trucewatch.api.filters import bad_request, bbox_of
from trucewatch.api.paging import json_response, keyset_page
from trucewatch.api.problems import RESPONSES, ProblemError
from trucewatch.export.schema import STATUSES
from trucewatch.export.writers import event_record
from trucewatch.fusion.query import BBOX
from trucewatch.store import Store
from trucewatch.store.event_query import EventFilter, event_conditions
from trucewatch.store.schema import Document, Event, IncidentEvent

PAGE = 50
MAX_PAGE = 500


class EventEvidenceSpan(BaseModel):
    """A span of the document's cleaned text that supports one field (``field``) of the event."""

    document_id: str
    start: int
    end: int
    text: str
    field: str | None = None


class EventRecord(BaseModel):
    """One event as one document reports it, in the export schema's columns."""

    event_id: str
    document_id: str
    event_date: str | None = None
    date_end: str | None = None
    time_precision: int | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    process_type: str | None = None
    status: str | None = None
    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int | None = None
    mediators: str | None = None
    claimant: str | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    source: str | None = None
    notes: str | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    injured: int | None = None
    displaced: int | None = None
    confidence: float | None = None
    evidence: list[EventEvidenceSpan]


class EventPage(BaseModel):
    """A page of events; ``next`` is the cursor of the following page (None on the last)."""

    items: list[EventRecord]
    next: str | None = None


class IncidentLink(BaseModel):
    """An incident the event was fused into, and as what (member, corroborates, disputes)."""

    incident_id: str
    role: str
    score: float | None = None


class EventDetail(EventRecord):
    incidents: list[IncidentLink]


def event_filter(
    since: Annotated[date | None, Query(description="Events on or after this day (YYYY-MM-DD).")] = None,
    until: Annotated[date | None, Query(description="Events on or before this day.")] = None,
    country: Annotated[str | None, Query(max_length=100)] = None,
    type: Annotated[str | None, Query(max_length=64, description="Event type, sub-event type or process type.")] = None,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$", description=(
        "How the report tells it: main (the news itself), background, planned, negated, hypothetical."))] = None,
    language: Annotated[str | None, Query(max_length=8, description="The language of the event's document.")] = None,
    document_id: Annotated[str | None, Query(max_length=32)] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="Extraction confidence at least this.")] = None,
    bbox: Annotated[str | None, Query(max_length=200, pattern=BBOX.pattern,
                                      description="west,south,east,north in degrees.")] = None,
) -> EventFilter:
    """The request's :class:`EventFilter` (a 400 when malformed); the event exports take it too."""
    flt = EventFilter(since=since.isoformat() if since else None, until=until.isoformat() if until else None,
                      country=country, type=type, status=status, language=language, document_id=document_id,
                      min_confidence=min_confidence, bbox=bbox_of(bbox))
    try:
        flt.check()
    except ValueError as exc:
        raise bad_request(exc) from None
    return flt


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["events"], responses=RESPONSES)

    @api.get("/events", response_model=EventPage, summary="List events (one document's reports)")
    def list_events(
        request: Request,
        flt: Annotated[EventFilter, Depends(event_filter)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
        cursor: Annotated[str | None, Query(max_length=1000)] = None,
    ) -> Response:
        query = (select(Event, Document.outlet).join(Document, Document.id == Event.document_id)
                 .where(*event_conditions(flt)).options(selectinload(Event.evidence)))
        with store.sessions() as session:
            rows, following = keyset_page(session, query, Event.event_date, Event.id, limit, cursor)
            items = [event_record(event, outlet) for event, outlet in rows]
        page = EventPage(items=[EventRecord(**i) for i in items], next=following)
        return json_response(request, page.model_dump_json().encode())

    @api.get("/events/{event_id}", response_model=EventDetail, summary="One event with its evidence")
    def get_event(request: Request, event_id: str) -> Response:
        with store.sessions() as session:
            found = session.execute(
                select(Event, Document.outlet).join(Document, Document.id == Event.document_id)
                .where(Event.id == event_id).options(selectinload(Event.evidence))).first() if len(event_id) <= 48 else None
            if found is None:
                raise ProblemError(404, "Not found", f"no event {event_id!r}")
            record: dict[str, Any] = event_record(*found)
            links = session.execute(select(IncidentEvent.incident_id, IncidentEvent.role, IncidentEvent.score)
                                    .where(IncidentEvent.event_id == event_id).order_by(IncidentEvent.incident_id))
            record["incidents"] = [{"incident_id": i, "role": role, "score": score} for i, role, score in links]
        return json_response(request, EventDetail(**record).model_dump_json().encode())

    return api
