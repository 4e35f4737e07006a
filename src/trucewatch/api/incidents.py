"""``/api/v1/incidents``: the incident record, filtered and paged, and one incident with its sources."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import select

from trucewatch.api.filters import incident_filter
from trucewatch.api.paging import decode_cursor, encode_cursor, json_response
from trucewatch.api.problems import RESPONSES, ProblemError
from trucewatch.fusion.query import (
    ORDER,
    SUMMARY_COLUMNS,
    IncidentFilter,
    after,
    conditions,
    detail,
    sort_key,
    summary,
)
from trucewatch.review.actions import reviews_of
from trucewatch.review.structure import merged_into
from trucewatch.store import Store
from trucewatch.store.schema import Incident

#: Incidents per page when the client does not say, and at most.
PAGE = 50
MAX_PAGE = 500


class IncidentSummary(BaseModel):
    """One incident as lists show it: the consensus values, how many independent sources, what is disputed."""

    id: str
    event_date: str | None = None
    date_end: str | None = None
    time_precision: int | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    process_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    corroboration: int
    sources: list[dict[str, Any]] | None = None
    disputed: list[Any] | None = None


class MergedAway(BaseModel):
    """An incident a reviewer merged into another: where it went."""

    id: str
    merged_into: str


class IncidentPage(BaseModel):
    """A page of incidents; ``next`` is the cursor of the following page (None on the last)."""

    items: list[IncidentSummary]
    next: str | None = None


class Evidence(BaseModel):
    """A value's evidence: the character span of the document's text it was read from."""

    field: str
    start: int
    end: int
    text: str | None = None


class Report(BaseModel):
    """One source's report linked to the incident: its role, its own values and its evidence."""

    event_id: str
    document_id: str
    role: str
    score: float | None = None
    reason: dict[str, Any] | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    status: str | None = None
    claimant: str | None = None
    event_date: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    process_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    location: str | None = None
    country: str | None = None
    fatalities: int | None = None
    evidence: list[Evidence]


class IncidentDetail(IncidentSummary):
    """One incident with every contributing report, the values each source gave and the rule of each consensus."""

    founding_document_id: str
    consensus: dict[str, Any] | None = None
    reports: list[Report]
    #: Reviewers' decisions by field (``status``: confirmed or rejected): value, the machine's
    #: own value, whether they conflict, who decided, why and when.
    review: dict[str, dict[str, Any]] = {}


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["incidents"], responses=RESPONSES)

    filtering = incident_filter(store)

    @api.get("/incidents", response_model=IncidentPage, summary="List incidents")
    def list_incidents(
        request: Request,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
        cursor: Annotated[str | None, Query(max_length=1000)] = None,
        flt: IncidentFilter = Depends(filtering),  # a default: the annotation cannot name a local
    ) -> Response:
        # the listed columns only, as rows: no ORM object per incident, no consensus JSON read
        q = select(*(getattr(Incident, c) for c in SUMMARY_COLUMNS)).where(*conditions(flt))
        if cursor is not None:
            try:
                q = q.where(after(decode_cursor(cursor, 3)))
            except ValueError:
                raise ProblemError(400, "Bad request", "cursor is not one this API gave") from None
        with store.sessions() as session:
            found = list(session.execute(q.order_by(*ORDER).limit(limit + 1)))
        more = len(found) > limit
        found = found[:limit]
        last = found[-1] if found else None
        page = IncidentPage(items=[IncidentSummary(**summary(i)) for i in found],
                            next=encode_cursor(sort_key(last)) if more and last is not None else None)
        return json_response(request, page.model_dump_json().encode())

    @api.get("/incidents/{incident_id}", response_model=IncidentDetail, summary="One incident with its sources",
             responses={307: {"model": MergedAway, "description": "A reviewer merged it into another incident: "
                              "Location names that one"}})
    def get_incident(request: Request, incident_id: str) -> Response:
        found = detail(store, incident_id) if len(incident_id) <= 40 else None
        if found is None:
            with store.sessions() as session:
                went = merged_into(session, incident_id) if len(incident_id) <= 40 else None
            if went is not None:  # temporary: an undo of the merge brings it back
                location = request.url.path.rsplit("/", 1)[0] + "/" + went
                return Response(MergedAway(id=incident_id, merged_into=went).model_dump_json(), status_code=307,
                                media_type="application/json", headers={"Location": location})
            raise ProblemError(404, "Not found", f"no incident {incident_id!r}")
        with store.sessions() as session:
            found["review"] = reviews_of(session, [incident_id]).get(incident_id, {})
        return json_response(request, IncidentDetail(**found).model_dump_json().encode())

    return api
