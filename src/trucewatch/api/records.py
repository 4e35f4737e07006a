"""``/api/v1`` for the rest of the record: agreements, documents and full-text search."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import and_, func, or_, select

from trucewatch.api.documents import DocumentSummary
from trucewatch.api.paging import decode_cursor, encode_cursor, json_response
from trucewatch.api.problems import RESPONSES, ProblemError
from trucewatch.ceasefire import query as agreements
from trucewatch.ceasefire.merges import resolved
from trucewatch.errors import UsageError
from trucewatch.review.agreements import reviews_of as agreement_reviews
from trucewatch.fusion.documents import duplicate_links, story_of
from trucewatch.store import Store
from trucewatch.store.schema import Agreement, AgreementParty, Document
from trucewatch.store.search import search_documents

PAGE = 50
MAX_PAGE = 500


class AgreementPage(BaseModel):
    """A page of agreements (each as ``trucewatch agreements show`` gives it); ``next`` pages on."""

    items: list[dict[str, Any]]
    next: str | None = None


class AgreementMergedAway(BaseModel):
    """An agreement record a reviewer merged into another: where it went."""

    id: str
    merged_into: str


class DocumentOut(DocumentSummary):
    """One stored document as lists show it, with its cleaned text (the offsets of every
    evidence span point into it) and how like its original it is."""

    text: str
    duplicate_similarity: float | None = None


class SearchHit(BaseModel):
    id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    snippet: str


class SearchResults(BaseModel):
    """Documents that hold every term of the query, best first; the snippet marks them in [brackets]."""

    items: list[SearchHit]


def _agreement_day() -> Any:
    """The order agreements are listed in: signed (else effective) day, undated last, then id."""
    return func.coalesce(Agreement.signed, func.substr(Agreement.effective_from, 1, 10), "9999-12-31")


def router(store: Store) -> APIRouter:
    api = APIRouter(responses=RESPONSES)

    @api.get("/agreements", response_model=AgreementPage, tags=["agreements"], summary="List agreements")
    def list_agreements(
        request: Request,
        country: Annotated[str | None, Query(max_length=100)] = None,
        kind: Annotated[str | None, Query(max_length=32)] = None,
        origin: Annotated[str | None, Query(pattern="^(import|news)$")] = None,
        actor: Annotated[str | None, Query(max_length=100, description="A knowledge-base actor id (ly_lna).")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
        cursor: Annotated[str | None, Query(max_length=1000)] = None,
    ) -> Response:
        day = _agreement_day()
        q = select(Agreement.id, day)
        if country:
            q = q.where(Agreement.country == country)
        if kind:
            q = q.where(Agreement.kind == kind)
        if origin:
            q = q.where(Agreement.origin == origin)
        if actor:
            q = q.where(Agreement.id.in_(select(AgreementParty.agreement_id).where(AgreementParty.actor_id == actor)))
        if cursor is not None:
            last_day, last_id = decode_cursor(cursor, 2)
            if not isinstance(last_day, str) or not isinstance(last_id, str):
                raise ProblemError(400, "Bad request", "cursor is not one this API gave")
            q = q.where(or_(day > last_day, and_(day == last_day, Agreement.id > last_id)))
        with store.sessions() as session:
            merged = list(resolved(session))  # shown inside the records they were merged into
            if merged:
                q = q.where(Agreement.id.not_in(merged))
            rows = session.execute(q.order_by(day, Agreement.id).limit(limit + 1)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = [found for ident, _day in rows if (found := agreements.detail(store, ident)) is not None]
        page = AgreementPage(items=items, next=encode_cursor([rows[-1][1], rows[-1][0]]) if more else None)
        return json_response(request, page.model_dump_json().encode())

    @api.get("/agreements/{agreement_id}", response_model=dict[str, Any], tags=["agreements"],
             summary="One agreement: parties, terms, status history and sources",
             responses={307: {"model": AgreementMergedAway, "description": "A reviewer merged it into another "
                              "agreement: Location names that one"}})
    def get_agreement(request: Request, agreement_id: str) -> Response:
        if len(agreement_id) <= 200:
            with store.sessions() as session:
                went = resolved(session).get(agreement_id)
            if went is not None:  # an undo of the merge brings it back: temporary
                location = request.url.path.rsplit("/", 1)[0] + "/" + quote(went, safe="")
                return Response(AgreementMergedAway(id=agreement_id, merged_into=went).model_dump_json(),
                                status_code=307, media_type="application/json", headers={"Location": location})
        found = agreements.detail(store, agreement_id) if len(agreement_id) <= 200 else None
        if found is None:
            raise ProblemError(404, "Not found", f"no agreement {agreement_id!r}")
        with store.sessions() as session:  # reviewers' decisions by field, as an incident's
            found["review"] = agreement_reviews(session, found["id"])
        return json_response(request, json.dumps(found, ensure_ascii=False, default=str).encode())

    @api.get("/documents/{document_id}", response_model=DocumentOut, tags=["documents"],
             summary="One document with its text")
    def get_document(request: Request, document_id: str) -> Response:
        with store.sessions() as session:
            doc = session.get(Document, document_id) if len(document_id) <= 32 else None
            if doc is None:
                raise ProblemError(404, "Not found", f"no document {document_id!r}")
            duplicate = duplicate_links(session, [doc.id]).get(doc.id)
            out = DocumentOut(id=doc.id, title=doc.title, outlet=doc.outlet, url=doc.url, language=doc.language,
                              published=doc.published, published_basis=doc.published_basis,
                              translated=doc.translated, text=doc.text,
                              duplicate_of=duplicate[0] if duplicate else None,
                              duplicate_similarity=duplicate[1] if duplicate else None,
                              story=story_of(session, [doc.id]).get(doc.id))
        return json_response(request, out.model_dump_json().encode())

    @api.get("/search", response_model=SearchResults, tags=["search"], summary="Full-text search of documents")
    def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=1000, description='Words that must all appear; "quote" a phrase.')],
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> Response:
        try:
            hits = search_documents(store, q, limit)
        except UsageError as exc:
            raise ProblemError(400, "Bad request", str(exc)) from None
        body = SearchResults(items=[SearchHit(id=h.id, title=h.title, outlet=h.outlet, published=h.published,
                                              snippet=h.snippet) for h in hits])
        return json_response(request, body.model_dump_json().encode())

    return api
