"""Filtering stored events (one document's reports, before fusion): the conditions the events
API and the event exports share, all in SQL so a page of results is a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select

from trucewatch.store.schema import Document, Event

#: The order events are listed and exported in: dated ones by date, then undated; ties by id.
ORDER = (Event.event_date.is_(None), Event.event_date, Event.id)


@dataclass(frozen=True)
class EventFilter:
    """What events may be filtered on; None means no condition."""

    since: str | None = None
    until: str | None = None
    country: str | None = None
    #: event type, sub-event type or process type
    type: str | None = None
    #: main, background, planned, negated or hypothetical (how the report tells it)
    status: str | None = None
    #: the language of the event's document
    language: str | None = None
    document_id: str | None = None
    min_confidence: float | None = None
    #: (west, south, east, north) in degrees; west > east crosses the antimeridian
    bbox: tuple[float, float, float, float] | None = None

    def check(self) -> None:
        """ValueError naming what is malformed."""
        check_span(self.since, self.until, self.bbox)
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be between 0 and 1, got {self.min_confidence}")


def check_span(since: str | None, until: str | None, bbox: tuple[float, float, float, float] | None,
               prefix: str = "") -> None:
    """ValueError when ``since`` or ``until`` is not a YYYY-MM-DD day or ``bbox`` not a box in
    degrees (event and incident filters alike); ``prefix`` spells the names as the caller's
    user does ("--" on the command line)."""
    for name, value in (("since", since), ("until", until)):
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{prefix}{name} must be a YYYY-MM-DD date, got {value!r}") from None
    if bbox is not None:
        west, south, east, north = bbox
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
            raise ValueError("bbox must be west,south,east,north in degrees, with south <= north")


def event_conditions(flt: EventFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of ``flt`` over ``events``."""
    out: list[ColumnElement[bool]] = []
    if flt.since:
        out.append(Event.event_date >= flt.since)
    if flt.until:
        out.append(Event.event_date <= flt.until)
    if flt.country:
        out.append(Event.country == flt.country)
    if flt.type:
        out.append((Event.event_type == flt.type) | (Event.sub_event_type == flt.type)
                   | (Event.process_type == flt.type))
    if flt.status:
        out.append(Event.status == flt.status)
    if flt.document_id:
        out.append(Event.document_id == flt.document_id)
    if flt.language:
        # a subquery, not a correlated EXISTS: the events' query may join documents itself
        out.append(Event.document_id.in_(select(Document.id).where(Document.language == flt.language)))
    if flt.min_confidence is not None:
        out.append(Event.confidence >= flt.min_confidence)
    if flt.bbox is not None:
        west, south, east, north = flt.bbox
        out.append(Event.latitude.between(south, north))
        out.append(Event.longitude.between(west, east) if west <= east
                   else (Event.longitude >= west) | (Event.longitude <= east))
    return out
