"""Reading incidents back: filtered lists and one incident with every source, value and span."""

from __future__ import annotations

import re

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, exists, or_, select
from sqlalchemy.orm import selectinload

from trucewatch.ceasefire.ladder import RANK, STEPS
from trucewatch.store import Store
from trucewatch.store.event_query import check_span
from trucewatch.store.schema import Document, Event, Incident, IncidentEvent, IncidentScope

SUMMARY_COLUMNS = ("id", "event_date", "date_end", "time_precision", "event_type", "sub_event_type", "process_type",
                   "actor1", "actor2", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
                   "fatalities", "fatalities_low", "fatalities_high", "corroboration", "sources", "disputed")


@dataclass(frozen=True)
class IncidentFilter:
    """What ``trucewatch incidents`` may filter on; None means no condition."""

    since: str | None = None
    until: str | None = None
    country: str | None = None
    type: str | None = None
    min_corroboration: int | None = None
    disputed: bool | None = None
    #: (west, south, east, north) in degrees; west > east crosses the antimeridian
    bbox: tuple[float, float, float, float] | None = None
    #: a stored agreement id: only incidents its stored scope check put in scope
    #: (``trucewatch scope``), and with ``undetermined`` those it could not decide too
    agreement: str | None = None
    undetermined: bool = False
    #: the violation ladder step (exactly, or at least): under ``agreement`` when one is given,
    #: else the incident's highest step under any agreement it is (or may be) in, as the
    #: export's ``ladder_step``; an incident never checked against an agreement has no step
    step: str | None = None
    min_step: str | None = None
    #: the highest extraction confidence of the reports that carry it (denials left out),
    #: the measure alert rules use: incidents have no confidence of their own
    min_confidence: float | None = None
    #: a source document in this language (ISO 639-1, as ingest stores it)
    language: str | None = None

    def check(self) -> None:
        """Refuse a malformed filter before the store is opened (ValueError naming the option)."""
        check_span(self.since, self.until, self.bbox, "--")
        for name, step in (("--step", self.step), ("--min-step", self.min_step)):
            if step is not None and step not in RANK:
                raise ValueError(f"{name} must be one of {', '.join(STEPS)}, got {step!r}")
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"--min-confidence must be between 0 and 1, got {self.min_confidence}")
        if self.undetermined and self.agreement is None:
            raise ValueError("--undetermined needs --agreement")


def summary(incident: Incident) -> dict[str, Any]:
    return {c: getattr(incident, c) for c in SUMMARY_COLUMNS}


#: A bounding box as the API and the dashboard take it: west,south,east,north in degrees.
BBOX = re.compile(r"^\s*-?\d+(\.\d+)?\s*(,\s*-?\d+(\.\d+)?\s*){3}$")


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` as four numbers; ValueError when it is not four numbers."""
    if not BBOX.match(text):
        raise ValueError("bbox must be four numbers: west,south,east,north")
    west, south, east, north = (float(v) for v in text.split(","))
    return west, south, east, north


def conditions(flt: IncidentFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of ``flt`` (every condition in SQL, so a page of results is a page)."""
    out: list[ColumnElement[bool]] = []
    if flt.since:
        out.append(Incident.event_date >= flt.since)
    if flt.until:
        out.append(Incident.event_date <= flt.until)
    if flt.country:
        out.append(Incident.country == flt.country)
    if flt.type:
        out.append((Incident.event_type == flt.type) | (Incident.sub_event_type == flt.type)
                   | (Incident.process_type == flt.type))
    if flt.min_corroboration:
        out.append(Incident.corroboration >= flt.min_corroboration)
    if flt.disputed is not None:
        # stored as a JSON list: disputed means a list with something in it
        listed = Incident.disputed.is_not(None) & cast(Incident.disputed, Text).not_in(["[]", "null"])
        out.append(listed if flt.disputed else ~listed)
    if flt.bbox is not None:
        west, south, east, north = flt.bbox
        out.append(Incident.latitude.between(south, north))
        out.append(Incident.longitude.between(west, east) if west <= east
                   else (Incident.longitude >= west) | (Incident.longitude <= east))
    out += _scope_conditions(flt)
    if flt.min_confidence is not None:
        out.append(exists().where(IncidentEvent.incident_id == Incident.id, IncidentEvent.role != "disputes",
                                  Event.id == IncidentEvent.event_id, Event.confidence >= flt.min_confidence))
    if flt.language:
        out.append(exists().where(IncidentEvent.incident_id == Incident.id,
                                  Document.id == IncidentEvent.document_id, Document.language == flt.language))
    return out


def _scope_conditions(flt: IncidentFilter) -> list[ColumnElement[bool]]:
    """Agreement and ladder step, on the stored scope rows (``incident_scope``)."""
    counted = (IncidentScope.in_scope.is_(True) if flt.agreement is not None and not flt.undetermined
               else or_(IncidentScope.in_scope.is_(True), IncidentScope.in_scope.is_(None)))

    def scoped(*more: ColumnElement[bool]) -> ColumnElement[bool]:
        mine = [IncidentScope.incident_id == Incident.id, counted]
        if flt.agreement is not None:
            mine.append(IncidentScope.agreement_id == flt.agreement)
        return exists().where(*mine, *more)

    out: list[ColumnElement[bool]] = []
    if flt.agreement is not None:
        out.append(scoped())
    if flt.step is not None:
        # exactly this step: reached under some counted agreement, and no higher one anywhere
        out.append(scoped(IncidentScope.rank == RANK[flt.step]))
        out.append(~scoped(IncidentScope.rank > RANK[flt.step]))
    if flt.min_step is not None:
        out.append(scoped(IncidentScope.rank >= RANK[flt.min_step]))
    return out


#: The order incidents are listed in: dated ones by date, then undated; ties by id.
ORDER = (Incident.event_date.is_(None), Incident.event_date, Incident.id)


def sort_key(incident: Incident) -> list[Any]:
    """Where ``incident`` stands in :data:`ORDER` (what a page's cursor carries)."""
    return [int(incident.event_date is None), incident.event_date or "", incident.id]


def after(key: list[Any]) -> ColumnElement[bool]:
    """The incidents that come after ``key`` (a :func:`sort_key`) in :data:`ORDER`;
    ValueError for a key that is not one."""
    if len(key) != 3:
        raise ValueError("not an incident sort key")
    undated, day, ident = key
    if not isinstance(ident, str) or not isinstance(day, str) or undated not in (0, 1):
        raise ValueError("not an incident sort key")
    if undated:
        return and_(Incident.event_date.is_(None), Incident.id > ident)
    return or_(Incident.event_date.is_(None), Incident.event_date > day,
               and_(Incident.event_date == day, Incident.id > ident))


def iter_incidents(store: Store, flt: IncidentFilter | None = None, batch: int = 500) -> Iterator[Incident]:
    """Incidents matching ``flt``, by date then id, streamed."""
    q = select(Incident).where(*conditions(flt or IncidentFilter())).order_by(*ORDER)
    with store.sessions() as session:
        yield from session.scalars(q.execution_options(yield_per=batch))


def detail(store: Store, incident_id: str) -> dict[str, Any] | None:
    """One incident with every linked report: its document, outlet, role, values and evidence spans."""
    with store.sessions() as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            return None
        rows = session.execute(
            select(IncidentEvent, Event, Document.outlet, Document.title, Document.url, Document.published)
            .join(Event, Event.id == IncidentEvent.event_id)
            .join(Document, Document.id == IncidentEvent.document_id)
            .where(IncidentEvent.incident_id == incident_id)
            .options(selectinload(Event.evidence))
            .order_by(IncidentEvent.role, Event.id))
        reports = []
        for link, event, outlet, title, url, published in rows:
            reports.append({
                "event_id": event.id, "document_id": event.document_id, "role": link.role, "score": link.score,
                "reason": link.reason, "outlet": outlet, "title": title, "url": url, "published": published,
                "status": event.status, "claimant": event.claimant, "event_date": event.event_date,
                "event_type": event.event_type, "sub_event_type": event.sub_event_type,
                "process_type": event.process_type, "actor1": event.actor1, "actor2": event.actor2,
                "location": event.location, "country": event.country, "fatalities": event.fatalities,
                "evidence": [{"field": ev.field, "start": ev.start, "end": ev.end, "text": ev.text}
                             for ev in event.evidence],
            })
        return {**summary(incident), "founding_document_id": incident.founding_document_id,
                "consensus": incident.consensus, "reports": reports}
