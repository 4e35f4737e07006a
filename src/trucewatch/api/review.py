"""Review over HTTP: ``POST /incidents/{id}/review``, ``POST /audit/{id}/undo`` and the audit log.
Writing needs an analyst's token (or an admin's), whatever the server's reading mode."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from trucewatch.api.access import Principal
from trucewatch.api.auth import role
from trucewatch.api.paging import json_response
from trucewatch.api.problems import RESPONSES, ProblemError
from trucewatch.errors import UsageError
from trucewatch.review import actions, audit
from trucewatch.store import Store


#: The caller, who must hold an analyst's token or an admin's (module level: the route
#: annotations are strings, resolved against this module's names).
Analyst = Annotated[Principal, Depends(role("analyst"))]


class ReviewIn(BaseModel):
    """One action: ``confirm``, ``reject`` (with a reason) or ``correct`` (a field, its new
    value, null for "not known", and a reason)."""

    action: Literal["confirm", "reject", "correct"]
    field: str | None = Field(default=None, max_length=32)
    value: str | int | float | None = None
    reason: str | None = Field(default=None, max_length=2000)


class UndoIn(BaseModel):
    reason: str | None = Field(default=None, max_length=2000)


class Done(BaseModel):
    """What the action did: its audit entry, and the field's value before and after."""

    audit_id: int
    incident_id: str
    field: str
    before: Any = None
    after: Any = None


class AuditLog(BaseModel):
    items: list[dict[str, Any]]


def _do(call: Any) -> Response:
    try:
        done = call()
    except actions.NotFound as exc:
        raise ProblemError(404, "Not found", str(exc)) from None
    except UsageError as exc:
        raise ProblemError(400, "Bad request", str(exc)) from None
    return Response(Done(audit_id=done.audit_id, incident_id=done.incident_id, field=done.field,
                         before=done.before, after=done.after).model_dump_json(), media_type="application/json")


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["review"], responses=RESPONSES)

    @api.post("/incidents/{incident_id}/review", response_model=Done, summary="Confirm, reject or correct an incident")
    def review_incident(incident_id: str, body: ReviewIn, who: Analyst) -> Response:
        return _do(lambda: actions.review(store, incident_id, who.user, body.action, field=body.field,
                                          value=body.value, reason=body.reason))

    @api.post("/audit/{audit_id}/undo", response_model=Done, summary="Undo the latest action on a field")
    def undo(audit_id: Annotated[int, Path(ge=1, le=2**31 - 1)], body: UndoIn, who: Analyst) -> Response:
        return _do(lambda: actions.undo(store, audit_id, who.user, body.reason))

    @api.get("/audit", response_model=AuditLog, summary="The audit log, oldest first")
    def audit_log(request: Request, who: Analyst,
                  target: Annotated[str | None, Query(max_length=64, description="One incident's entries.")] = None
                  ) -> Response:
        body = AuditLog(items=list(audit.entries(store, target)))
        return json_response(request, body.model_dump_json().encode())

    return api
