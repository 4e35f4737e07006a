"""Reviewing agreement records: confirm, reject, correct a field, undo.

The same shape as an incident's review (``review.actions``), on its own table
(``agreement_reviews``): agreement ids are longer and their fields differ. Building the
agreements from the news again or importing a table again replaces the machine's columns
(``ceasefire.save``), then :func:`keep_reviews` puts the reviewer's values back and flags a
field whose machine value moved, so a re-run never overwrites a reviewed field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trucewatch.ceasefire.merges import merged_into
from trucewatch.errors import UsageError
from trucewatch.review.actions import Done, NotFound, _audit, _reason
from trucewatch.review.fields import _day, _text
from trucewatch.store import Store
from trucewatch.store.schema import Agreement, AgreementReview, AuditEntry

ACTIONS = ("confirm", "reject", "correct")
#: Where a confirmation or rejection is recorded (``status`` is the agreement's own: in force, violated...).
VERDICT = "verdict"
KIND = "agreement"


def _one_of(vocabulary: Callable[[], tuple[str, ...]]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in vocabulary():
            raise UsageError(f"expected one of {', '.join(vocabulary())}, got {value!r}")
        return str(value)
    return check


def _kinds() -> tuple[str, ...]:
    from trucewatch.ceasefire.terms import kinds

    return kinds()


def _statuses() -> tuple[str, ...]:
    from trucewatch.ceasefire.terms import statuses

    return statuses()


#: Field -> its check (None is allowed but for the name and kind).
CORRECTABLE: dict[str, Callable[[Any], Any]] = {
    "name": _text(500), "kind": _one_of(_kinds), "status": _one_of(_statuses), "country": _text(100),
    "signed": _day, "effective_from": _text(40), "expires": _text(40), "duration": _text(16),
}
_REQUIRED = ("name", "kind", "status")


def clean(field: str, value: Any) -> Any:
    check = CORRECTABLE.get(field)
    if check is None:
        raise UsageError(f"{field!r} cannot be corrected; correctable agreement fields: {', '.join(CORRECTABLE)}")
    if value is None:
        if field in _REQUIRED:
            raise UsageError(f"{field}: an agreement always has one")
        return None
    try:
        return check(value)
    except UsageError as exc:
        raise UsageError(f"{field}: {exc}") from None


def _current(row: Agreement, field: str) -> Any:
    return None if field == VERDICT else getattr(row, field)


def review(store: Store, agreement_id: str, actor: str, action: str, *, field: str | None = None,
           value: Any = None, reason: str | None = None) -> Done:
    """Apply one reviewer's action to an agreement (as ``review.actions.review`` to an incident)."""
    if action not in ACTIONS:
        raise UsageError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    why = _reason(reason)
    if action in ("correct", "reject") and why is None:
        raise UsageError(f"a {action} needs a reason")
    if action == "correct":
        if not field:
            raise UsageError("a correction names the field it corrects")
        new = clean(field, value)
    else:
        field, new = VERDICT, "confirmed" if action == "confirm" else "rejected"
    with store.session() as session:
        went = merged_into(session, agreement_id)
        if went is not None:
            raise UsageError(f"agreement {agreement_id} was merged into {went}; review {went}")
        row = session.get(Agreement, agreement_id)
        if row is None:
            raise NotFound(f"no agreement {agreement_id!r}")
        held = session.get(AgreementReview, (agreement_id, field))
        before = {"value": held.value if held else _current(row, field), "reviewed": held is not None}
        entry = _audit(session, actor, action, agreement_id, field, before, {"value": new, "reviewed": True}, why,
                       kind=KIND)
        if held is None:
            session.add(AgreementReview(agreement_id=agreement_id, field=field, value=new,
                                        machine_value=_current(row, field), conflict=False, reviewer=actor,
                                        reason=why, at=entry.at, audit_id=entry.id))
        else:
            held.value, held.reviewer, held.reason, held.at, held.audit_id = new, actor, why, entry.at, entry.id
            held.conflict = False
        if field != VERDICT:
            setattr(row, field, new)
        return Done(entry.id, agreement_id, field, before["value"], new, kind=KIND)


def undo_entry(session: Session, entry: AuditEntry, actor: str, reason: str | None) -> Done:
    """Undo a decision on an agreement's field: a reviewer's earlier value, or the machine's."""
    row = session.get(Agreement, entry.target_id)
    held = session.get(AgreementReview, (entry.target_id, entry.field))
    field = entry.field or VERDICT
    before = entry.before or {}
    undo = _audit(session, actor, "undo", entry.target_id, field, entry.after, before, reason, undoes=entry.id,
                  kind=KIND)
    if before.get("reviewed") and held is not None:
        held.value, held.reviewer, held.at, held.audit_id = before.get("value"), actor, undo.at, undo.id
        restored = before.get("value")
    else:
        restored = held.machine_value if held is not None else before.get("value")
        if held is not None:
            session.delete(held)
    if row is not None and field != VERDICT:
        setattr(row, field, restored)
    return Done(undo.id, entry.target_id, field, (entry.after or {}).get("value"), restored, kind=KIND)


def keep_reviews(session: Session, row: Agreement) -> None:
    """After the machine wrote ``row``'s columns: the reviewer's values win, and a field whose
    machine value moved since the reviewer decided (and is not the reviewer's) is flagged."""
    for held in session.scalars(select(AgreementReview).where(AgreementReview.agreement_id == row.id)):
        if held.field not in CORRECTABLE:
            continue  # a verdict: no column
        machine = getattr(row, held.field)
        if machine != held.machine_value:
            held.machine_value = machine
            held.conflict = machine != held.value
        setattr(row, held.field, held.value)


def reviews_of(session: Session, agreement_id: str) -> dict[str, dict[str, Any]]:
    """``{field: decision}`` of one agreement, as ``review.actions.reviews_of`` gives an incident's."""
    return {r.field: {"value": r.value, "machine_value": r.machine_value, "conflict": r.conflict,
                      "reviewer": r.reviewer, "reason": r.reason, "at": r.at.isoformat() if r.at else None,
                      "audit_id": r.audit_id}
            for r in session.scalars(select(AgreementReview).where(AgreementReview.agreement_id == agreement_id))}
