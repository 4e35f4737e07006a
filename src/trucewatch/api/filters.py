"""The incident filters as query parameters, in one place: the incident list and the incident
exports take the same ones, so an export holds exactly what paging through the list shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import Query

from trucewatch.api.problems import ProblemError
from trucewatch.ceasefire.ladder import STEPS
from trucewatch.ceasefire.scope import agreement_id_of
from trucewatch.fusion.query import BBOX, IncidentFilter, parse_bbox
from trucewatch.store import Store

#: A ladder step as a query parameter takes it (the OpenAPI document lists them).
STEP = "^(" + "|".join(STEPS) + ")$"


def bad_request(exc: ValueError) -> ProblemError:
    """A 400 naming the parameter as the API spells it (the checks name the CLI's options)."""
    return ProblemError(400, "Bad request", re.sub(r"--([a-z-]+)", lambda m: m.group(1).replace("-", "_"), str(exc)))


def bbox_of(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        return parse_bbox(value)
    except ValueError as exc:
        raise bad_request(exc) from None


def incident_filter(store: Store) -> Callable[..., IncidentFilter]:
    """A FastAPI dependency giving the request's :class:`IncidentFilter` (a 400 when malformed)."""

    def dependency(
        since: Annotated[date | None, Query(description="Incidents on or after this day (YYYY-MM-DD).")] = None,
        until: Annotated[date | None, Query(description="Incidents on or before this day.")] = None,
        country: Annotated[str | None, Query(max_length=100)] = None,
        type: Annotated[str | None, Query(max_length=64, description="Event type, sub-event type or process type.")] = None,
        min_corroboration: Annotated[int | None, Query(ge=1, le=1000)] = None,
        disputed: Annotated[bool | None, Query(description="Only incidents whose sources disagree (or agree).")] = None,
        bbox: Annotated[str | None, Query(max_length=200, pattern=BBOX.pattern,
                                          description="west,south,east,north in degrees.")] = None,
        agreement: Annotated[str | None, Query(max_length=200, description=(
            "Only incidents in this agreement's scope, as its last scope check (trucewatch scope) stored "
            "it: an agreement id or an external id (pax:2232). An unknown one has nothing in scope."))] = None,
        undetermined: Annotated[bool, Query(description="With agreement: also incidents whose scope the "
                                                        "check could not decide.")] = False,
        step: Annotated[str | None, Query(pattern=STEP, description=(
            "Violation ladder step: under agreement when given, else the highest under any agreement the "
            "incident is or may be in (the export's ladder_step). Incidents never checked against an "
            "agreement have none."))] = None,
        min_step: Annotated[str | None, Query(pattern=STEP, description="This ladder step or higher.")] = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1, description=(
            "Incidents have no confidence of their own: the highest extraction confidence of the reports "
            "that carry it (denials left out) is at least this, as alert rules read it."))] = None,
        language: Annotated[str | None, Query(max_length=8, description="A source document in this language "
                                                                       "(ISO 639-1, e.g. ar).")] = None,
    ) -> IncidentFilter:
        if agreement is not None:
            agreement = agreement_id_of(store, agreement) or agreement
        flt = IncidentFilter(since=since.isoformat() if since else None, until=until.isoformat() if until else None,
                             country=country, type=type, min_corroboration=min_corroboration, disputed=disputed,
                             bbox=bbox_of(bbox), agreement=agreement, undetermined=undetermined, step=step,
                             min_step=min_step, min_confidence=min_confidence, language=language)
        try:
            flt.check()
        except ValueError as exc:
            raise bad_request(exc) from None
        return flt

    return dependency
