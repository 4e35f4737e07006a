"""``/api/v1/stories``: the stories fusion grouped documents into (one happening or development,
any language), filtered and paged, and one story with its members and why each joined."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import exists, select

from trucewatch.api.paging import json_response, keyset_page
from trucewatch.api.problems import RESPONSES, ProblemError
from trucewatch.store import Store
from trucewatch.store.schema import Document, Story, StoryMember

PAGE = 50
MAX_PAGE = 500


class StorySummary(BaseModel):
    """A story: the document that founded it, its first and last days, and how many documents it holds."""

    id: str
    founder: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    size: int


class StoryPage(BaseModel):
    """A page of stories by first day (undated last); ``next`` pages on."""

    items: list[StorySummary]
    next: str | None = None


class StoryMemberOut(BaseModel):
    """A document of the story, in order of arrival (``seq``), with the score and the decision
    (the signals and scores) that placed it there, as fusion stored them."""

    document_id: str
    seq: int
    day: str | None = None
    score: float | None = None
    decision: dict[str, Any]
    title: str | None = None
    outlet: str | None = None
    language: str | None = None
    published: str | None = None


class StoryDetail(StorySummary):
    members: list[StoryMemberOut]


def _summary(story: Story) -> StorySummary:
    return StorySummary(id=story.id, founder=story.founder, first_date=story.first_date, last_date=story.last_date,
                        size=story.size)


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["stories"], responses=RESPONSES)

    @api.get("/stories", response_model=StoryPage, summary="List stories")
    def list_stories(
        request: Request,
        since: Annotated[date | None, Query(description="Stories still running on or after this day.")] = None,
        until: Annotated[date | None, Query(description="Stories begun on or before this day.")] = None,
        min_size: Annotated[int | None, Query(ge=1, le=1_000_000, description="At least this many documents.")] = None,
        language: Annotated[str | None, Query(max_length=8, description="A member document in this language.")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
        cursor: Annotated[str | None, Query(max_length=1000)] = None,
    ) -> Response:
        query = select(Story)
        if since is not None:
            query = query.where(Story.last_date >= since.isoformat())
        if until is not None:
            query = query.where(Story.first_date <= until.isoformat())
        if min_size is not None:
            query = query.where(Story.size >= min_size)
        if language:
            query = query.where(exists().where(StoryMember.story_id == Story.id,
                                               Document.id == StoryMember.document_id, Document.language == language))
        with store.sessions() as session:
            rows, following = keyset_page(session, query, Story.first_date, Story.id, limit, cursor)
            page = StoryPage(items=[_summary(r[0]) for r in rows], next=following)
        return json_response(request, page.model_dump_json().encode())

    @api.get("/stories/{story_id}", response_model=StoryDetail, summary="One story with its members")
    def get_story(request: Request, story_id: str) -> Response:
        with store.sessions() as session:
            story = session.get(Story, story_id) if len(story_id) <= 40 else None
            if story is None:
                raise ProblemError(404, "Not found", f"no story {story_id!r}")
            members = session.execute(
                select(StoryMember.document_id, StoryMember.seq, StoryMember.day, StoryMember.score,
                       StoryMember.decision, Document.title, Document.outlet, Document.language, Document.published)
                .join(Document, Document.id == StoryMember.document_id)
                .where(StoryMember.story_id == story_id).order_by(StoryMember.seq)).all()
            body = StoryDetail(**_summary(story).model_dump(), members=[
                StoryMemberOut(document_id=m[0], seq=m[1], day=m[2], score=m[3], decision=m[4] or {}, title=m[5],
                               outlet=m[6], language=m[7], published=m[8]) for m in members])
        return json_response(request, body.model_dump_json().encode())

    return api
