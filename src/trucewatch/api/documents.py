"""``/api/v1/documents``: the stored documents, filtered and paged (their texts are read one
at a time, at ``/api/v1/documents/{id}``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from trucewatch.api.paging import json_response, keyset_page
from trucewatch.api.problems import RESPONSES
from trucewatch.fusion.documents import story_of
from trucewatch.store import Store
from trucewatch.store.schema import Document

PAGE = 50
MAX_PAGE = 500


class DocumentSummary(BaseModel):
    """One document as lists show it: where it came from, when, in what language, and where
    fusion put it (the original it repeats, its story)."""

    id: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    published: str | None = None
    published_basis: str
    translated: bool
    duplicate_of: str | None = None
    story: str | None = None


class DocumentPage(BaseModel):
    """A page of documents by published date (undated last); ``next`` pages on."""

    items: list[DocumentSummary]
    next: str | None = None


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["documents"], responses=RESPONSES)

    @api.get("/documents", response_model=DocumentPage, summary="List documents")
    def list_documents(
        request: Request,
        since: Annotated[date | None, Query(description="Published on or after this day (YYYY-MM-DD).")] = None,
        until: Annotated[date | None, Query(description="Published on or before this day.")] = None,
        language: Annotated[str | None, Query(max_length=8, description="ISO 639-1, as ingest found it (ar).")] = None,
        outlet: Annotated[str | None, Query(max_length=200, description="The outlet, as stored.")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
        cursor: Annotated[str | None, Query(max_length=1000)] = None,
    ) -> Response:
        day = func.substr(Document.published, 1, 10)
        query = select(Document).options(load_only(
            Document.id, Document.title, Document.outlet, Document.url, Document.language, Document.published,
            Document.published_basis, Document.translated, Document.duplicate_of))
        if since is not None:
            query = query.where(day >= since.isoformat())
        if until is not None:
            query = query.where(day <= until.isoformat())
        if language:
            query = query.where(Document.language == language)
        if outlet:
            query = query.where(Document.outlet == outlet)
        with store.sessions() as session:
            rows, following = keyset_page(session, query, Document.published, Document.id, limit, cursor)
            docs = [r[0] for r in rows]
            stories = story_of(session, [d.id for d in docs])
            items = [DocumentSummary(id=d.id, title=d.title, outlet=d.outlet, url=d.url, language=d.language,
                                     published=d.published, published_basis=d.published_basis,
                                     translated=d.translated, duplicate_of=d.duplicate_of, story=stories.get(d.id))
                     for d in docs]
        return json_response(request, DocumentPage(items=items, next=following).model_dump_json().encode())

    return api
