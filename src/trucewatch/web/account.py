"""Signing in and out of the dashboard, and the review forms of the incident and agreement
pages (confirm, reject, correct, ladder step, merge, split; merge and split of agreements too): plain forms with the session's
CSRF token, so they work with JavaScript off."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from trucewatch.api.auth import signed_in
from trucewatch.api.problems import ProblemError
from trucewatch.errors import UsageError
from trucewatch.review import actions, agreement_structure, agreements, structure
from trucewatch.api.access import Principal
from trucewatch.store import Store
from trucewatch.web.session import check_csrf, csrf_token


def _value(text: str | None) -> Any:
    """A form's value: empty is "not known"; numbers stay text (each field's check reads them)."""
    text = (text or "").strip()
    return text or None


def router(store: Store, render: Any) -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> HTMLResponse:
        return render(request, "login.html", error=None)

    @pages.post("/login")
    def login(request: Request, token: str = Form(max_length=200), csrf: str = Form(default="", max_length=100)
              ) -> Response:
        check_csrf(request, csrf)
        principal = request.app.state.verifier.principal(token)
        if principal is None:
            return render(request, "login.html", 401, error="That token is not valid (malformed, unknown or revoked).")
        request.session.clear()
        request.session.update({"token_id": principal.token_id})
        csrf_token(request)  # a fresh one for the signed-in session
        return RedirectResponse("/", status_code=303)

    @pages.post("/logout")
    def logout(request: Request, csrf: str = Form(default="", max_length=100)) -> Response:
        check_csrf(request, csrf)
        request.session.clear()
        return RedirectResponse("/", status_code=303)

    @pages.post("/incidents/{incident_id}/review")
    def review_form(request: Request, incident_id: str, action: str = Form(max_length=16),
                    field: str = Form(default="", max_length=32), value: str = Form(default="", max_length=300),
                    reason: str = Form(default="", max_length=2000), csrf: str = Form(default="", max_length=100)
                    ) -> Response:
        who = _analyst(request, csrf)
        return _act(lambda: actions.review(store, incident_id, who.user, action, field=field or None,
                                           value=_value(value), reason=reason), f"/incidents/{quote(incident_id)}")

    @pages.post("/incidents/{incident_id}/merge")
    def merge_form(request: Request, incident_id: str, into: str = Form(max_length=64),
                   reason: str = Form(default="", max_length=2000), csrf: str = Form(default="", max_length=100)
                   ) -> Response:
        who = _analyst(request, csrf)
        return _act(lambda: structure.merge(store, incident_id, into.strip(), who.user, reason),
                    f"/incidents/{quote(incident_id)}", lambda done: f"/incidents/{quote(done.after)}")

    @pages.post("/incidents/{incident_id}/split")
    def split_form(request: Request, incident_id: str, event: list[str] = Form(default=[]),
                   reason: str = Form(default="", max_length=2000), csrf: str = Form(default="", max_length=100)
                   ) -> Response:
        who = _analyst(request, csrf)
        return _act(lambda: structure.split(store, incident_id, who.user, reason, events=[e[:64] for e in event[:500]]),
                    f"/incidents/{quote(incident_id)}")

    @pages.post("/agreements/{agreement_id}/review")
    def agreement_form(request: Request, agreement_id: str, action: str = Form(max_length=16),
                       field: str = Form(default="", max_length=32), value: str = Form(default="", max_length=500),
                       reason: str = Form(default="", max_length=2000), csrf: str = Form(default="", max_length=100)
                       ) -> Response:
        who = _analyst(request, csrf)
        return _act(lambda: agreements.review(store, agreement_id, who.user, action, field=field or None,
                                              value=_value(value), reason=reason),
                    f"/agreements/{quote(agreement_id)}")

    @pages.post("/agreements/{agreement_id}/merge")
    def agreement_merge_form(request: Request, agreement_id: str, into: str = Form(max_length=200),
                             reason: str = Form(default="", max_length=2000),
                             csrf: str = Form(default="", max_length=100)) -> Response:
        who = _analyst(request, csrf)
        return _act(lambda: agreement_structure.merge(store, agreement_id, into.strip(), who.user, reason),
                    f"/agreements/{quote(agreement_id)}", lambda done: f"/agreements/{quote(done.after)}")

    @pages.post("/agreements/{agreement_id}/split")
    def agreement_split_form(request: Request, agreement_id: str, document: list[str] = Form(default=[]),
                             reason: str = Form(default="", max_length=2000),
                             csrf: str = Form(default="", max_length=100)) -> Response:
        who = _analyst(request, csrf)
        return _act(lambda: agreement_structure.split(store, agreement_id, who.user, reason,
                                                      documents=[d[:64] for d in document[:500]]),
                    f"/agreements/{quote(agreement_id)}")

    return pages


def _analyst(request: Request, csrf: str) -> Principal:
    """The signed-in analyst (or admin) sending a form with the session's CSRF token."""
    check_csrf(request, csrf)
    who = signed_in(request)
    if who is None:
        raise ProblemError(401, "Unauthorized", "sign in to review")
    if not who.may("analyst"):
        raise ProblemError(403, "Forbidden", f"reviewing needs the analyst role; {who.user} is a {who.role}")
    return who


def _act(call: Any, page: str, then: Any = None) -> Response:
    """Run a review action; back to ``page`` (or where ``then`` says) with its error, if any."""
    try:
        done = call()
    except actions.NotFound as exc:
        raise ProblemError(404, "Not found", str(exc)) from None
    except UsageError as exc:
        return RedirectResponse(f"{page}?{_error(str(exc))}", status_code=303)
    return RedirectResponse(then(done) if then else page, status_code=303)


def quote(ident: str) -> str:
    from urllib.parse import quote as escape

    return escape(ident, safe="")


def _error(message: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"error": message[:300]})
