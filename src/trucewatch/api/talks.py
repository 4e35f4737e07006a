"""``/api/v1/talks``: the rounds of talks built from the news (``trucewatch talks build``),
filtered and paged, each as ``trucewatch talks --json`` gives it: every value with the report
spans that support it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import select

from trucewatch.api.paging import json_response, keyset_page
from trucewatch.api.problems import RESPONSES, ProblemError
from trucewatch.ceasefire.talks_store import round_records
from trucewatch.store import Store
from trucewatch.store.schema import TalksRound

PAGE = 50
MAX_PAGE = 500


class TalksRoundOut(BaseModel):
    """One round: forum, track, number, dates, venue, delegations, facilitators and outcomes,
    each with its evidence; ``agreements`` the news agreements it produced."""

    id: str
    name: str
    forum: dict[str, Any] | None = None
    track: str | None = None
    country: str | None = None
    round: int | None = None
    sequence: int | None = None
    dates: dict[str, Any]
    venue: dict[str, Any] | None = None
    delegations: list[dict[str, Any]]
    facilitators: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    agreed: list[str]
    deferred: list[str]
    agreements: list[str]
    sources: list[dict[str, Any]]


class TalksPage(BaseModel):
    """A page of rounds by first day (undated last); ``next`` pages on."""

    items: list[TalksRoundOut]
    next: str | None = None


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["talks"], responses=RESPONSES)

    @api.get("/talks", response_model=TalksPage, summary="List rounds of talks")
    def list_talks(
        request: Request,
        since: Annotated[date | None, Query(description="Rounds begun on or after this day.")] = None,
        until: Annotated[date | None, Query(description="Rounds begun on or before this day.")] = None,
        forum: Annotated[str | None, Query(max_length=32, description="A forum id (jmc_5plus5).")] = None,
        track: Annotated[str | None, Query(max_length=16)] = None,
        country: Annotated[str | None, Query(max_length=100)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
        cursor: Annotated[str | None, Query(max_length=1000)] = None,
    ) -> Response:
        query = select(TalksRound)
        if since is not None:
            query = query.where(TalksRound.start >= since.isoformat())
        if until is not None:
            query = query.where(TalksRound.start <= until.isoformat())
        for column, value in ((TalksRound.forum, forum), (TalksRound.track, track), (TalksRound.country, country)):
            if value:
                query = query.where(column == value)
        with store.sessions() as session:
            rows, following = keyset_page(session, query, TalksRound.start, TalksRound.id, limit, cursor)
            items = round_records(session, [r[0] for r in rows])
        page = TalksPage(items=[TalksRoundOut(**i) for i in items], next=following)
        return json_response(request, page.model_dump_json().encode())

    @api.get("/talks/{round_id}", response_model=TalksRoundOut, summary="One round of talks with its evidence")
    def get_round(request: Request, round_id: str) -> Response:
        with store.sessions() as session:
            row = session.get(TalksRound, round_id) if len(round_id) <= 64 else None
            if row is None:
                raise ProblemError(404, "Not found", f"no round of talks {round_id!r}")
            record = round_records(session, [row])[0]
        return json_response(request, TalksRoundOut(**record).model_dump_json().encode())

    return api
