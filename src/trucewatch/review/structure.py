"""Merging and splitting incidents: decisions about which reports are one happening.

A field decision is kept by fusion over its own value; a decision about an incident's
reports has to be kept by linking itself, or the next ``fuse`` or ``process --reprocess``
would undo it. Both are stored as small rules that fusion applies after linking, before
it recomputes (``fusion.incidents._honour_decisions``), so the matching code never reads
them and stays as it is:

* a **merge** (``incident_merges``): whatever fusion links to the merged id goes into the
  incident it was merged into. The merged row is dissolved; its id keeps resolving (the
  API and the dashboard redirect it). Incident ids come back on re-processing (a hash of
  the founding report), so the rule meets the same id again. The reports of both are
  pinned to the merged incident too: it now holds reports the matching rules find
  incompatible (else it would have merged them), so a re-processed report of either
  side may no longer match it and would found an incident of its own.
* a **split** (``incident_pins``): each report taken out is pinned, by its document and
  signature (what identifies an event across re-processing), to the new incident, and
  each report left to the old one, so linking may put them together again but they never
  stay there.

Each is one audit row (``merge`` on the merged incident, field ``merged_into``; ``split``
on the incident split, field ``split``) and undone like any other action.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from trucewatch.errors import UsageError
from trucewatch.review.actions import Done, NotFound, _audit, _now, _reason
from trucewatch.store import Store
from trucewatch.store.schema import AuditEntry, Event, Incident, IncidentEvent, IncidentMerge, IncidentPin

MERGED = "merged_into"
SPLIT = "split"
#: The columns a merged incident's row is made again from on undo (fusion recomputes the rest).
_ROW = ("founding_document_id", "signature", "family", "date_lo", "date_hi", "country")


def merged_into(session: Session, incident_id: str) -> str | None:
    """Where a merged incident went (following merges of merges), None if it was not merged."""
    seen = {incident_id}
    target = session.scalar(select(IncidentMerge.into_id).where(IncidentMerge.merged_id == incident_id))
    while target is not None and target not in seen:
        seen.add(target)
        onward = session.scalar(select(IncidentMerge.into_id).where(IncidentMerge.merged_id == target))
        if onward is None:
            break
        target = onward
    return target


def _recompute(session: Session, incident_ids: Iterable[str]) -> None:
    """Apply the stored decisions and recompute the incidents, as a fuse run would."""
    from trucewatch.fusion.incidents import Fuser
    from trucewatch.fusion.run import original_of

    session.flush()
    fuser = Fuser(session, original_of)
    fuser.touched.update(incident_ids)
    fuser.refresh()


def _needs_reason(reason: str | None, what: str) -> str:
    cleaned = _reason(reason)
    if cleaned is None:
        raise UsageError(f"a {what} needs a reason")
    return cleaned


def merge(store: Store, merged_id: str, into_id: str, actor: str, reason: str | None) -> Done:
    """Merge incident ``merged_id`` into ``into_id``: its reports move there, for good."""
    why = _needs_reason(reason, "merge")
    if merged_id == into_id:
        raise UsageError("an incident cannot be merged into itself")
    with store.session() as session:
        merged = session.get(Incident, merged_id)
        if merged is None:
            went = merged_into(session, merged_id)
            raise (UsageError(f"{merged_id} was already merged into {went}") if went
                   else NotFound(f"no incident {merged_id!r}"))
        if session.get(Incident, into_id) is None:
            raise NotFound(f"no incident {into_id!r}")
        events = list(session.scalars(select(IncidentEvent.event_id).where(
            IncidentEvent.incident_id == merged_id).order_by(IncidentEvent.event_id)))
        keys = [k for inc in (into_id, merged_id) for k in _keys(session, inc).values()]
        pins = _held(session, keys)
        row = {c: getattr(merged, c) for c in _ROW}
        entry = _audit(session, actor, "merge", merged_id, MERGED,
                       {"value": None, "incident": row, "events": events, "pins": pins},
                       {"value": into_id, "events": events}, why)
        _pin(session, pins, into_id, entry.id)
        session.add(IncidentMerge(merged_id=merged_id, into_id=into_id, reviewer=actor, reason=why, at=entry.at,
                                  audit_id=entry.id))
        _recompute(session, [merged_id, into_id])
        done = Done(entry.id, merged_id, MERGED, None, into_id, others=(into_id,))
    _restep(store, done)
    return done


def split(store: Store, incident_id: str, actor: str, reason: str | None, *, events: Iterable[str] = (),
          documents: Iterable[str] = ()) -> Done:
    """Take reports (by event id, or every report of a document) out of an incident into a
    new one. Both must keep a main report; returns the new incident's id as ``after``."""
    from trucewatch.fusion.incidents import incident_id as make_id
    from trucewatch.fusion.incidents import signature

    why = _needs_reason(reason, "split")
    events, documents = set(events), set(documents)
    if not events and not documents:
        raise UsageError("a split names the events (or documents) to take out")
    with store.session() as session:
        if session.get(Incident, incident_id) is None:
            raise NotFound(f"no incident {incident_id!r}")
        links = list(session.execute(select(Event, IncidentEvent.role).join(
            IncidentEvent, IncidentEvent.event_id == Event.id).where(
            IncidentEvent.incident_id == incident_id).order_by(Event.id)))
        unknown = sorted((events - {e.id for e, _ in links}) | (documents - {e.document_id for e, _ in links}))
        if unknown:
            raise UsageError(f"not reports of {incident_id}: {', '.join(unknown)}")
        keys = {e.id: (e.document_id, signature(e)) for e, _ in links}
        chosen = [(e, role) for e, role in links if e.id in events or e.document_id in documents]
        rest = [(e, role) for e, role in links if not (e.id in events or e.document_id in documents)]
        if not any(role == "member" for _, role in chosen):
            raise UsageError("a split takes at least one main report (role member) out")
        if not any(role == "member" for _, role in rest):
            raise UsageError("a split leaves at least one main report in the incident")
        if {keys[e.id] for e, _ in chosen} & {keys[e.id] for e, _ in rest}:
            raise UsageError("two reports of one document look alike (same signature): split both or neither")
        first = next(e for e, role in chosen if role == "member")
        doc, sig = keys[first.id]
        new_id, n = make_id(doc, f"{sig}#split"), 2
        while session.get(Incident, new_id) is not None or session.get(IncidentMerge, new_id) is not None:
            new_id, n = make_id(doc, f"{sig}#split{n}"), n + 1
        moved = [e.id for e, _ in chosen]
        pins = _held(session, [keys[e.id] for e, _ in chosen])
        kept = _held(session, [keys[e.id] for e, _ in rest])
        entry = _audit(session, actor, "split", incident_id, SPLIT, {"value": None, "pins": pins, "kept": kept},
                       {"value": new_id, "events": moved}, why)
        _pin(session, pins, new_id, entry.id)
        _pin(session, kept, incident_id, entry.id)  # or the reports left might follow the others on a re-run
        _recompute(session, [incident_id])
        done = Done(entry.id, incident_id, SPLIT, None, new_id, others=(new_id,))
    _restep(store, done)
    return done


def _restep(store: Store, done: Done) -> None:
    """The stored ladder steps of the incidents changed follow their new reports now (their
    scope itself is judged again at the next ``trucewatch scope`` or ``process``)."""
    from trucewatch.ceasefire.scope import restep

    for incident_id in (done.incident_id, *done.others):
        restep(store, incident_id)


def _keys(session: Session, incident_id: str) -> dict[str, tuple[str, str]]:
    """{event id: (document, signature)} of an incident's reports."""
    from trucewatch.fusion.incidents import signature

    return {e.id: (e.document_id, signature(e)) for e in session.scalars(select(Event).join(
        IncidentEvent, IncidentEvent.event_id == Event.id).where(IncidentEvent.incident_id == incident_id))}


def _held(session: Session, keys: Iterable[tuple[str, str]]) -> list[list[Any]]:
    """``[document, signature, the incident it is pinned to now or None]`` of each key, for undo."""
    out = []
    for key in dict.fromkeys(keys):
        held = session.get(IncidentPin, key)
        out.append([*key, held.incident_id if held else None])
    return out


def _pin(session: Session, pins: list[list[Any]], incident_id: str, audit_id: int) -> None:
    for document, sig, held_by in pins:
        if held_by is None:
            session.add(IncidentPin(document_id=document, signature=sig, incident_id=incident_id, audit_id=audit_id))
        else:
            session.execute(update(IncidentPin).where(IncidentPin.document_id == document, IncidentPin.signature == sig)
                            .values(incident_id=incident_id, audit_id=audit_id))


def _unpin(session: Session, pins: list[list[Any]], incident_id: str) -> None:
    """Give each key back the pin it had before (none, or another incident), unless a later
    decision has moved it on since."""
    for document, sig, held_by in pins:
        pin = session.get(IncidentPin, (document, sig))
        if pin is None or pin.incident_id != incident_id:
            continue
        if held_by is None:
            session.delete(pin)
        else:
            pin.incident_id = held_by


def undo_entry(session: Session, entry: AuditEntry, actor: str, reason: str | None) -> Done:
    """Take a merge or a split back: the decision goes and the reports return."""
    undo = _audit(session, actor, "undo", entry.target_id, entry.field or "", entry.after, entry.before, reason,
                  undoes=entry.id)
    after = entry.after or {}
    if entry.field == MERGED:
        merged_id, into_id = entry.target_id, after.get("value")
        held = session.get(IncidentMerge, merged_id)
        if held is None or held.audit_id != entry.id:
            raise UsageError(f"{merged_id} is no longer merged by entry {entry.id}")
        session.delete(held)
        _unpin(session, (entry.before or {}).get("pins") or [], into_id)
        if session.get(Incident, merged_id) is None:
            row = (entry.before or {}).get("incident") or {}
            session.add(Incident(id=merged_id, corroboration=1, updated_at=_now(), **{c: row.get(c) for c in _ROW}))
            session.flush()  # before any link points at it again
        touched = _move_back(session, after.get("events") or [], merged_id)
        _recompute(session, {merged_id, into_id, *touched})
        return Done(undo.id, merged_id, MERGED, into_id, None, others=tuple(sorted({into_id, *touched} - {merged_id})))
    origin, new_id = entry.target_id, after.get("value")
    if session.get(Incident, origin) is None:
        raise UsageError(f"{origin} is gone (re-processing dissolved it); merge instead")
    _unpin(session, (entry.before or {}).get("pins") or [], new_id)
    _unpin(session, (entry.before or {}).get("kept") or [], origin)
    still = set(session.scalars(select(IncidentEvent.event_id).where(IncidentEvent.incident_id == new_id)))
    touched = _move_back(session, [e for e in after.get("events") or [] if e in still], origin)
    _recompute(session, {origin, new_id, *touched})
    return Done(undo.id, origin, SPLIT, new_id, None, others=(new_id,))


def _move_back(session: Session, event_ids: list[str], target: str) -> set[str]:
    """Link the events to ``target`` wherever they are now; returns the incidents they left."""
    left = set()
    for event_id in event_ids:
        now = session.scalar(select(IncidentEvent.incident_id).where(IncidentEvent.event_id == event_id))
        if now is not None and now != target:
            session.execute(update(IncidentEvent).where(IncidentEvent.event_id == event_id,
                                                        IncidentEvent.incident_id == now).values(incident_id=target))
            left.add(now)
    return left
