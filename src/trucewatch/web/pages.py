"""The dashboard's pages: incidents (list, timeline, map), one incident, one agreement,
search and the review queue."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select

from trucewatch.api.auth import signed_in
from trucewatch.ceasefire import query as agreements
from trucewatch.errors import UsageError
from trucewatch.fusion.query import ORDER, IncidentFilter, after, conditions, detail, parse_bbox, sort_key
from trucewatch.ceasefire.ladder import STEPS
from trucewatch.ceasefire.merges import merged_into as agreement_merged_into
from trucewatch.ceasefire.scope import agreement_id_of
from trucewatch.review.actions import reviews_of
from trucewatch.review.agreements import CORRECTABLE as AGREEMENT_FIELDS
from trucewatch.review.agreements import reviews_of as agreement_reviews
from trucewatch.review.structure import merged_into
from trucewatch.review.fields import CORRECTABLE
from trucewatch.store import Store
from trucewatch.store.schema import Agreement, AgreementReview, Document, Incident, IncidentReview, IncidentScope
from trucewatch.store.search import search_documents
from trucewatch.web import account
from trucewatch.web.session import csrf_token
from trucewatch.web.timeline import weekly

PAGE = 50
#: Characters of the document shown on each side of a piece of evidence.
CONTEXT = 240
FILTERS = ("since", "until", "country", "type", "min_corroboration", "disputed", "bbox", "agreement", "step",
           "min_confidence", "language")


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("trucewatch", "resources/web"), autoescape=select_autoescape(default=True))
    env.filters["query"] = lambda params: urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return env


def _renderer() -> Callable[..., HTMLResponse]:
    """``render(request, template, status=200, **values)``: a page, with who is signed in and
    the session's CSRF token for its forms."""
    env = _environment()

    def render(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(who=signed_in(request), csrf=csrf_token(request),
                                                          **values), status_code=status)

    return render


def _filter(params: dict[str, str], store: Store | None = None) -> IncidentFilter:
    """The page's filters from its URL (the API's: ``trucewatch.api.filters``); UsageError
    naming the one that is malformed. An agreement may be named by an external id."""
    bbox = None
    if params.get("bbox"):
        try:
            bbox = parse_bbox(params["bbox"])
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    corroboration = params.get("min_corroboration") or None
    if corroboration is not None and not corroboration.isdigit():
        raise UsageError("min_corroboration must be a whole number")
    disputed = {"true": True, "false": False}.get(params.get("disputed", ""), None)
    confidence = None
    if params.get("min_confidence"):
        try:
            confidence = float(params["min_confidence"])
        except ValueError:
            raise UsageError("min_confidence must be a number from 0 to 1") from None
    agreement = params.get("agreement") or None
    if agreement is not None and store is not None:
        agreement = agreement_id_of(store, agreement) or agreement
    language = params.get("language") or None
    if language is not None and not (language.isascii() and language.isalpha() and len(language) <= 8):
        raise UsageError("language must be a language code, such as ar or fr")
    flt = IncidentFilter(since=params.get("since") or None, until=params.get("until") or None,
                         country=params.get("country") or None, type=params.get("type") or None,
                         min_corroboration=int(corroboration) if corroboration else None, disputed=disputed, bbox=bbox,
                         agreement=agreement, min_step=params.get("step") or None, min_confidence=confidence,
                         language=language)
    try:
        flt.check()
    except ValueError as exc:
        raise UsageError(str(exc).replace("--", "")) from None
    return flt


def _cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def _key(cursor: str) -> list[Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError:
        raise UsageError("that page link is not one this dashboard made") from None
    if not isinstance(key, list):
        raise UsageError("that page link is not one this dashboard made")
    return key


def _in_context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The evidence and the text around it (the template marks the middle part)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    before = text[max(0, start - CONTEXT):start]
    return (("…" if start > CONTEXT else "") + before, text[start:end],
            text[end:end + CONTEXT] + ("…" if end + CONTEXT < len(text) else ""))


def router(store: Store) -> APIRouter:
    pages = APIRouter(include_in_schema=False)
    render = _renderer()

    @pages.get("/", response_class=HTMLResponse)
    def incidents_page(request: Request) -> HTMLResponse:
        params = {k: request.query_params.get(k, "") for k in FILTERS}
        try:
            flt = _filter(params, store)
            key = _key(request.query_params["cursor"]) if request.query_params.get("cursor") else None
            where = conditions(flt)
            if key is not None:
                try:
                    where.append(after(key))
                except ValueError:
                    raise UsageError("that page link is not one this dashboard made") from None
        except UsageError as exc:
            return render(request, "incidents.html", 400, error=str(exc), params=params, items=[], bars=[], total=0,
                          next_params=None, steps=STEPS)
        with store.sessions() as session:
            found = list(session.scalars(select(Incident).where(*where).order_by(*ORDER).limit(PAGE + 1)))
            days = list(session.scalars(select(Incident.event_date).where(*conditions(flt)).limit(200_000)))
            reviewed = reviews_of(session, [i.id for i in found[:PAGE]])
        next_params = ({**params, "cursor": _cursor(sort_key(found[PAGE - 1]))} if len(found) > PAGE else None)
        points = [{"id": i.id, "lat": i.latitude, "lon": i.longitude, "type": i.event_type or i.process_type or "",
                   "corroboration": i.corroboration, "date": i.event_date, "place": i.location}
                  for i in found[:PAGE] if i.latitude is not None and i.longitude is not None]
        return render(request, "incidents.html", params=params, items=found[:PAGE], bars=weekly(days), total=len(days),
                      next_params=next_params, reviewed=reviewed, points=json.dumps(points), error=None, steps=STEPS)

    @pages.get("/incidents/{incident_id}", response_class=HTMLResponse)
    def incident_page(request: Request, incident_id: str) -> Response:
        record = detail(store, incident_id) if len(incident_id) <= 40 else None
        if record is None:
            with store.sessions() as session:
                went = merged_into(session, incident_id) if len(incident_id) <= 40 else None
            if went is not None:  # a reviewer merged it: its page is the other's
                return RedirectResponse(f"/incidents/{account.quote(went)}", status_code=307)
            return render(request, "missing.html", 404, what="incident", ident=incident_id)
        with store.sessions() as session:
            texts = dict(session.execute(select(Document.id, Document.text).where(
                Document.id.in_(sorted({r["document_id"] for r in record["reports"]})))).all())
            review = reviews_of(session, [incident_id]).get(incident_id, {})
            scopes = session.execute(select(IncidentScope.agreement_id, IncidentScope.in_scope, IncidentScope.step)
                                     .where(IncidentScope.incident_id == incident_id)).all()
        for report in record["reports"]:
            text = texts.get(report["document_id"], "")
            report["context"] = [(ev["field"], *_in_context(text, ev["start"], ev["end"])) for ev in report["evidence"]]
        return render(request, "incident.html", incident=record, review=review, scopes=scopes,
                      correctable=list(CORRECTABLE), steps=STEPS, error=request.query_params.get("error"))

    @pages.get("/agreements/{agreement_id}", response_class=HTMLResponse)
    def agreement_page(request: Request, agreement_id: str) -> Response:
        if len(agreement_id) <= 200:
            with store.sessions() as session:
                went = agreement_merged_into(session, agreement_id)
            if went is not None:  # a reviewer merged it: its page is the other's
                return RedirectResponse(f"/agreements/{account.quote(went)}", status_code=307)
        record = agreements.detail(store, agreement_id) if len(agreement_id) <= 200 else None
        if record is None:
            return render(request, "missing.html", 404, what="agreement", ident=agreement_id)
        with store.sessions() as session:
            rows = session.execute(select(Incident, IncidentScope.step).join(
                IncidentScope, IncidentScope.incident_id == Incident.id).where(
                IncidentScope.agreement_id == record["id"], IncidentScope.in_scope.is_(True)).order_by(*ORDER)).all()
            review = agreement_reviews(session, record["id"])
        by_side: dict[str, list[tuple[Incident, str | None]]] = {}
        for incident, step in rows:
            by_side.setdefault(incident.actor1 or "unattributed", []).append((incident, step))
        return render(request, "agreement.html", agreement=record, by_side=sorted(by_side.items()), count=len(rows),
                      review=review, correctable=list(AGREEMENT_FIELDS), error=request.query_params.get("error"))

    @pages.get("/search", response_class=HTMLResponse)
    def search_page(request: Request, q: str = "") -> HTMLResponse:
        try:
            hits = search_documents(store, q, 50) if q.strip() else []
            error = None
        except UsageError as exc:
            hits, error = [], str(exc)
        return render(request, "search.html", 400 if error else 200, q=q, hits=hits, error=error)

    @pages.get("/review", response_class=HTMLResponse)
    def review_page(request: Request) -> HTMLResponse:
        recent = (datetime.now(timezone.utc) - timedelta(days=7))
        with store.sessions() as session:
            conflicts = session.execute(select(Incident, IncidentReview.field).join(
                IncidentReview, IncidentReview.incident_id == Incident.id).where(
                IncidentReview.conflict.is_(True)).order_by(*ORDER).limit(200)).all()
            decided = select(IncidentReview.incident_id).where(IncidentReview.field == "status")
            disputed = list(session.scalars(select(Incident).where(
                *conditions(IncidentFilter(disputed=True)), Incident.id.not_in(decided)).order_by(*ORDER).limit(200)))
            single = list(session.scalars(select(Incident).where(
                Incident.corroboration <= 1, Incident.updated_at >= recent, Incident.id.not_in(decided))
                .order_by(*ORDER).limit(200)))
            agreement_conflicts = session.execute(select(Agreement.id, Agreement.name, AgreementReview.field).join(
                AgreementReview, AgreementReview.agreement_id == Agreement.id).where(
                AgreementReview.conflict.is_(True)).order_by(Agreement.id).limit(200)).all()
        return render(request, "review.html", conflicts=conflicts, disputed=disputed, single=single,
                      agreement_conflicts=agreement_conflicts)

    return pages


def account_router(store: Store) -> APIRouter:
    """Signing in and out, and the review form: open to every visitor (a token-only server's
    readers must be able to reach the sign-in page); the forms check who is signed in."""
    return account.router(store, _renderer())
