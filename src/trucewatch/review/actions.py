"""Confirm, reject, correct, move on the ladder and undo, each in one transaction with its
audit row. Merging and splitting live in :mod:`trucewatch.review.structure`, agreements in
:mod:`trucewatch.review.agreements` and :mod:`trucewatch.review.agreement_structure`;
:func:`undo` undoes any of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trucewatch.errors import UsageError
from trucewatch.review.fields import clean
from trucewatch.store import Store
from trucewatch.store.schema import AuditEntry, Incident, IncidentReview

ACTIONS = ("confirm", "reject", "correct", "ladder")
#: The field a confirmation or rejection is recorded under.
STATUS = "status"
#: The field a move on the violation ladder is recorded under (not a column of the incident:
#: the ladder reads it, see ``ceasefire.ladder.stored_reviews``).
LADDER = "ladder_step"


class NotFound(UsageError):
    """The incident or audit entry named does not exist."""


@dataclass(frozen=True)
class Done:
    """What an action did: its audit entry and the field's value before and after."""

    audit_id: int
    incident_id: str  # the target's id (an agreement's for ``kind`` "agreement")
    field: str
    before: Any
    after: Any
    kind: str = "incident"
    #: Other incidents the action changed (the one merged into, the one split off).
    others: tuple[str, ...] = ()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _current(incident: Incident, field: str, machine_step: str | None = None) -> Any:
    if field == LADDER:
        return machine_step
    return None if field == STATUS else getattr(incident, field)


def _set(incident: Incident, field: str, value: Any) -> None:
    if field not in (STATUS, LADDER):
        setattr(incident, field, value)
    if field != STATUS:  # a ladder move too: alert rules re-read incidents updated since their last check
        incident.updated_at = _now()


def machine_step(store: Store, incident_id: str) -> str | None:
    """The ladder step the evidence alone gives (any monitoring body; a reviewer's
    confirmation counts, a reviewer's move does not): what a move is compared with."""
    from trucewatch.ceasefire.ladder import ladder, stored_reviews
    from trucewatch.fusion.query import detail

    record = detail(store, incident_id)
    if record is None:
        return None
    return ladder(record, reviews=[r for r in stored_reviews(store, incident_id) if r.step is None]).step


def note_machine_step(store: Store, incident_id: str, step: str | None) -> None:
    """Record the machine's ladder step beside a reviewer's move; when it has moved since
    (new sources, a re-run) and differs from the reviewer's, flag the conflict, as fusion
    does for the other fields."""
    with store.session() as session:
        held = session.get(IncidentReview, (incident_id, LADDER))
        if held is not None and held.machine_value != step:
            held.machine_value = step
            held.conflict = step != held.value


def _step(value: Any) -> str:
    from trucewatch.ceasefire.ladder import STEPS

    if value not in STEPS:
        raise UsageError(f"a ladder step is one of {', '.join(STEPS)}, got {value!r}")
    return str(value)


def review(store: Store, incident_id: str, actor: str, action: str, *, field: str | None = None,
           value: Any = None, reason: str | None = None) -> Done:
    """Apply one reviewer's action to an incident. ``correct`` needs a field, a value and a
    reason; ``reject`` a reason; ``confirm`` may give one; ``ladder`` puts the incident on
    the step ``value`` (alleged, reported, corroborated, confirmed) and needs a reason."""
    if action not in ACTIONS:
        raise UsageError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    reason = _reason(reason)
    if action in ("correct", "reject", "ladder") and reason is None:
        raise UsageError(f"a {action} needs a reason")
    if action == "correct":
        if not field:
            raise UsageError("a correction names the field it corrects")
        new = clean(field, value)
    elif action == "ladder":
        field, new = LADDER, _step(value)
    else:
        field, new = STATUS, "confirmed" if action == "confirm" else "rejected"
    machine = machine_step(store, incident_id) if field == LADDER else None
    with store.session() as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise NotFound(f"no incident {incident_id!r}")
        held = session.get(IncidentReview, (incident_id, field))
        before = {"value": held.value if held else _current(incident, field, machine), "reviewed": held is not None}
        entry = _audit(session, actor, action, incident_id, field, before, {"value": new, "reviewed": True}, reason)
        if held is None:
            session.add(IncidentReview(incident_id=incident_id, field=field, value=new,
                                       machine_value=_current(incident, field, machine), conflict=False,
                                       reviewer=actor, reason=reason, at=entry.at, audit_id=entry.id))
        else:
            held.value, held.reviewer, held.reason, held.at, held.audit_id = new, actor, reason, entry.at, entry.id
            held.conflict = False  # the reviewer has seen the machine's value now
            if field == LADDER:
                held.machine_value = machine
        _set(incident, field, new)
        done = Done(entry.id, incident_id, field, before["value"], new)
    if field in (LADDER, STATUS):
        _restep(store, incident_id)
    return done


def _restep(store: Store, incident_id: str) -> None:
    """The stored ladder steps (scope rows: exports, the step filters) follow a decision now,
    not at the next ``trucewatch scope``."""
    from trucewatch.ceasefire.scope import restep

    restep(store, incident_id)


def _reason(reason: str | None) -> str | None:
    """A reason as stored; control characters other than line breaks and tabs are refused."""
    reason = (reason or "").strip() or None
    if reason is not None and any(ord(c) < 32 and c not in "\n\r\t" for c in reason):
        raise UsageError("a reason may not hold control characters")
    return reason


def undo(store: Store, audit_id: int, actor: str, reason: str | None = None) -> Done:
    """Undo an action: the field goes back to what it was before it (a reviewer's earlier
    value, or the machine's own); a merge or a split is taken back. Only the latest action
    on a field (of an incident or an agreement) can be undone."""
    from trucewatch.review import agreement_structure, agreements, structure

    with store.session() as session:
        entry = session.get(AuditEntry, audit_id)
        if entry is None:
            raise NotFound(f"no audit entry {audit_id}")
        if entry.action == "undo":
            raise UsageError(f"entry {audit_id} is an undo; act again instead of undoing it")
        latest = session.scalar(select(func.max(AuditEntry.id)).where(
            AuditEntry.target_kind == entry.target_kind, AuditEntry.target_id == entry.target_id,
            AuditEntry.field == entry.field))
        if latest != entry.id:
            raise UsageError(f"entry {audit_id} is not the latest action on {entry.target_id} {entry.field}; "
                             f"entry {latest} came after it")
        if entry.target_kind == "agreement" and entry.field in (agreement_structure.MERGED, agreement_structure.SPLIT):
            done = agreement_structure.undo_entry(session, entry, actor, _reason(reason))
        elif entry.target_kind == "agreement":
            return agreements.undo_entry(session, entry, actor, _reason(reason))
        elif entry.field in (structure.MERGED, structure.SPLIT):
            done = structure.undo_entry(session, entry, actor, _reason(reason))
        else:
            done = _undo_field(session, entry, actor, reason)
    if done.kind == "agreement":
        agreement_structure.rescope(store, done)
    elif done.field in (LADDER, STATUS, structure.MERGED, structure.SPLIT):
        for incident_id in (done.incident_id, *done.others):
            _restep(store, incident_id)
    return done


def _undo_field(session: Session, entry: AuditEntry, actor: str, reason: str | None) -> Done:
    """Undo a decision on one field of an incident."""
    incident = session.get(Incident, entry.target_id)
    held = session.get(IncidentReview, (entry.target_id, entry.field))
    field = entry.field or STATUS
    before = entry.before or {}
    undo_entry = _audit(session, actor, "undo", entry.target_id, field, entry.after, before,
                        _reason(reason), undoes=entry.id)
    if before.get("reviewed") and held is not None:
        held.value, held.reviewer, held.at, held.audit_id = before.get("value"), actor, undo_entry.at, undo_entry.id
        restored = before.get("value")
    else:
        restored = held.machine_value if held is not None else before.get("value")
        if held is not None:
            session.delete(held)
    if incident is not None:
        _set(incident, field, restored)
    return Done(undo_entry.id, entry.target_id, field, (entry.after or {}).get("value"), restored)


def _audit(session: Session, actor: str, action: str, incident_id: str, field: str, before: Any, after: Any,
           reason: str | None, undoes: int | None = None, kind: str = "incident") -> AuditEntry:
    entry = AuditEntry(at=_now(), actor=actor, action=action, target_kind=kind, target_id=incident_id,
                       field=field, before=before, after=after, reason=reason, undoes=undoes)
    session.add(entry)
    session.flush()
    return entry


def reviews_of(session: Session, incident_ids: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """``{incident: {field: decision}}``: each reviewed field's value, the machine's, whether
    they conflict, who decided, why and when."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for start in range(0, len(incident_ids), 500):
        for row in session.scalars(select(IncidentReview).where(
                IncidentReview.incident_id.in_(incident_ids[start:start + 500]))):
            out.setdefault(row.incident_id, {})[row.field] = {
                "value": row.value, "machine_value": row.machine_value, "conflict": row.conflict,
                "reviewer": row.reviewer, "reason": row.reason, "at": row.at.isoformat() if row.at else None,
                "audit_id": row.audit_id}
    return out
