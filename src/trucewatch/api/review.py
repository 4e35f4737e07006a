"""Review over HTTP: ``POST /incidents/{id}/review`` (confirm, reject, correct, ladder),
``/incidents/{id}/merge``, ``/incidents/{id}/split``, ``/agreements/{id}/review``,
``/agreements/{id}/merge``, ``/agreements/{id}/split``, ``POST /audit/{id}/undo`` and the audit log. Writing needs an analyst's token (or an
admin's), whatever the server's reading mode."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from trucewatch.api.access import Principal
from trucewatch.api.auth import role
from trucewatch.api.paging import json_response
from trucewatch.api.problems import RESPONSES, ProblemError
from trucewatch.errors import UsageError
from trucewatch.review import actions, agreement_structure, agreements, audit, structure
from trucewatch.store import Store


#: The caller, who must hold an analyst's token or an admin's (module level: the route
#: annotations are strings, resolved against this module's names).
Analyst = Annotated[Principal, Depends(role("analyst"))]


#: An identifier in a request body: no control characters (PostgreSQL refuses a NUL in any text).
Ident = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f]+$")]


class ReviewIn(BaseModel):
    """One action: ``confirm``, ``reject`` (with a reason), ``correct`` (a field, its new
    value, null for "not known", and a reason) or ``ladder`` (``value`` the step: alleged,
    reported, corroborated or confirmed; and a reason)."""

    action: Literal["confirm", "reject", "correct", "ladder"]
    field: str | None = Field(default=None, max_length=32)
    value: str | int | float | None = None
    reason: str | None = Field(default=None, max_length=2000)


class AgreementReviewIn(BaseModel):
    """One action on an agreement: ``confirm``, ``reject`` (with a reason) or ``correct`` (a
    field: name, kind, status, country, signed, effective_from, expires or duration; its
    new value; and a reason)."""

    action: Literal["confirm", "reject", "correct"]
    field: str | None = Field(default=None, max_length=32)
    value: str | int | float | None = None
    reason: str | None = Field(default=None, max_length=2000)


class MergeIn(BaseModel):
    """Merge this incident into ``into`` (its reports move there, for good), and why."""

    into: Ident
    reason: str = Field(max_length=2000)


class SplitIn(BaseModel):
    """Take reports out of this incident into a new one: by event id, or every report of a
    document; and why. Both incidents must keep a main report."""

    events: list[Ident] = Field(default=[], max_length=500)
    documents: list[Ident] = Field(default=[], max_length=500)
    reason: str = Field(max_length=2000)


class AgreementMergeIn(BaseModel):
    """Merge this agreement record into ``into``: one agreement from now on (both records
    stay as the builders make them; the other shows this one's parties, terms and
    sources), and why."""

    into: Ident
    reason: str = Field(max_length=2000)


class AgreementSplitIn(BaseModel):
    """Take the reports of ``documents`` out of this agreement (built from the news) into a
    record of their own, and why. Both must keep a report of the agreement itself."""

    documents: list[Ident] = Field(min_length=1, max_length=500)
    reason: str = Field(max_length=2000)


class UndoIn(BaseModel):
    reason: str | None = Field(default=None, max_length=2000)


class Done(BaseModel):
    """What the action did: its audit entry, and the field's value before and after (a
    merge: ``merged_into``, after it the incident merged into; a split: ``split``, after it
    the new incident). ``incident_id`` or ``agreement_id`` names the target; ``others``
    the other incidents it changed."""

    audit_id: int
    target_kind: str = "incident"
    incident_id: str | None = None
    agreement_id: str | None = None
    field: str
    before: Any = None
    after: Any = None
    others: list[str] = []


class AuditLog(BaseModel):
    items: list[dict[str, Any]]


def _do(call: Any) -> Response:
    try:
        done = call()
    except actions.NotFound as exc:
        raise ProblemError(404, "Not found", str(exc)) from None
    except UsageError as exc:
        raise ProblemError(400, "Bad request", str(exc)) from None
    target = {"agreement_id" if done.kind == "agreement" else "incident_id": done.incident_id}
    return Response(Done(audit_id=done.audit_id, target_kind=done.kind, field=done.field, before=done.before,
                         after=done.after, others=list(done.others), **target).model_dump_json(),
                    media_type="application/json")


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["review"], responses=RESPONSES)

    @api.post("/incidents/{incident_id}/review", response_model=Done, summary="Confirm, reject or correct an incident")
    def review_incident(incident_id: str, body: ReviewIn, who: Analyst) -> Response:
        return _do(lambda: actions.review(store, incident_id, who.user, body.action, field=body.field,
                                          value=body.value, reason=body.reason))

    @api.post("/incidents/{incident_id}/merge", response_model=Done, summary="Merge an incident into another")
    def merge_incident(incident_id: str, body: MergeIn, who: Analyst) -> Response:
        return _do(lambda: structure.merge(store, incident_id, body.into, who.user, body.reason))

    @api.post("/incidents/{incident_id}/split", response_model=Done,
              summary="Split reports out of an incident into a new one")
    def split_incident(incident_id: str, body: SplitIn, who: Analyst) -> Response:
        return _do(lambda: structure.split(store, incident_id, who.user, body.reason, events=body.events,
                                           documents=body.documents))

    @api.post("/agreements/{agreement_id}/review", response_model=Done,
              summary="Confirm, reject or correct an agreement")
    def review_agreement(agreement_id: Annotated[str, Path(max_length=200)], body: AgreementReviewIn,
                         who: Analyst) -> Response:
        return _do(lambda: agreements.review(store, agreement_id, who.user, body.action, field=body.field,
                                             value=body.value, reason=body.reason))

    @api.post("/agreements/{agreement_id}/merge", response_model=Done,
              summary="Merge an agreement record into another")
    def merge_agreement(agreement_id: Annotated[str, Path(max_length=200)], body: AgreementMergeIn,
                        who: Analyst) -> Response:
        return _do(lambda: agreement_structure.merge(store, agreement_id, body.into, who.user, body.reason))

    @api.post("/agreements/{agreement_id}/split", response_model=Done,
              summary="Split the reports of some documents out of a news agreement into a record of their own")
    def split_agreement(agreement_id: Annotated[str, Path(max_length=200)], body: AgreementSplitIn,
                        who: Analyst) -> Response:
        return _do(lambda: agreement_structure.split(store, agreement_id, who.user, body.reason,
                                                     documents=body.documents))

    @api.post("/audit/{audit_id}/undo", response_model=Done, summary="Undo the latest action on a field")
    def undo(audit_id: Annotated[int, Path(ge=1, le=2**31 - 1)], body: UndoIn, who: Analyst) -> Response:
        return _do(lambda: actions.undo(store, audit_id, who.user, body.reason))

    @api.get("/audit", response_model=AuditLog, summary="The audit log, oldest first")
    def audit_log(request: Request, who: Analyst,
                  target: Annotated[str | None, Query(
                      max_length=64, description="One incident's or agreement's entries: its own, the merges "
                                                 "into it and the split that made it.")] = None
                  ) -> Response:
        body = AuditLog(items=list(audit.entries(store, target)))
        return json_response(request, body.model_dump_json().encode())

    return api
