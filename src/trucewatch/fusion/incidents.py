"""Link a document's events to incidents: the matching rules and the status rules.

For each event of a document, the candidate incidents are found by an indexed query on
(family of its type, country, date window), never by a scan, so fusing a new document
costs the same in a small store and a large one. A candidate must be compatible with
every main report it holds (type, dates, place, actors; ``fusion.compatible``); the
closest one wins. Then the status decides:

* ``main`` events join the best incident or found a new one;
* ``background`` mentions join the best incident as corroboration, never found one; with
  no incident yet they wait (``fuse_waiting``) and join the first incident founded later;
* ``negated`` events are never members; a denial that matches an incident is linked to
  it as ``disputes`` (a claim is never merged into its denial), or waits like background;
* ``hypothetical`` and ``planned`` events are left out: they have not happened.

An incident's id is a hash of its founding document and the founding event's signature
(type, date, place, actors), so a re-run, or re-processing the document, gives it back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from trucewatch.fusion.compatible import LOOKBACK_DAYS, Facts, closeness, compatible, facts_of
from trucewatch.fusion.consensus import Member, consensus
from trucewatch.store.schema import Document, Event, FuseState, FuseWaiting, Incident, IncidentEvent

EVENTS_STAGE = "events"
#: What each status may do: found an incident, join one, and with which role.
FOUNDS = frozenset({"main"})
ROLE_OF_STATUS = {"main": "member", "background": "corroborates", "negated": "disputes"}

OriginalOf = Callable[[Session, list[str]], Mapping[str, str]]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def signature(event: Any) -> str:
    """What identifies an event within its document across re-processing (not its ordinal)."""
    f = facts_of(event)
    place = event.location or event.country or ""
    return "|".join([f.key or "", event.event_date or "", place, ";".join(sorted(f.actors))])


def incident_id(document_id: str, sig: str) -> str:
    return "inc-" + hashlib.sha256(f"{document_id}\n{sig}".encode()).hexdigest()[:20]


def events_digest(events: Iterable[Any]) -> str:
    """A digest of a document's events: re-processing that changes nothing changes no link."""
    from trucewatch.export.schema import STORED_COLUMNS

    rows = sorted([[e.id, *(getattr(e, c) for c in STORED_COLUMNS)] for e in events], key=lambda r: r[0])
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


class Fuser:
    """Fuses documents into incidents inside one session (one transaction per batch)."""

    def __init__(self, session: Session, original_of: OriginalOf | None = None) -> None:
        self.session = session
        self.original_of = original_of
        self.touched: set[str] = set()
        self._members: dict[str, list[tuple[Any, str]]] = {}

    # -- reading -----------------------------------------------------------------------
    def _links(self, incident: str) -> list[tuple[Any, str]]:
        """(event row, role) of an incident's links, cached for this batch."""
        if incident not in self._members:
            rows = self.session.execute(
                select(Event, IncidentEvent.role).join(IncidentEvent, IncidentEvent.event_id == Event.id)
                .where(IncidentEvent.incident_id == incident).order_by(Event.id))
            self._members[incident] = [(e, role) for e, role in rows]
        return self._members[incident]

    def _main_facts(self, incident: str) -> list[Facts]:
        return [facts_of(e) for e, role in self._links(incident) if role == "member"]

    def _best(self, f: Facts) -> tuple[str | None, float, dict[str, str]]:
        """The closest incident ``f`` is compatible with (with every main report of it)."""
        if f.date_lo is None:
            return None, 0.0, {"date": "no date: an undated report is never merged"}
        best: tuple[str | None, float, dict[str, str]] = (None, 0.0, {})
        ids = self._candidate_ids(f)
        for inc in sorted(ids):
            mains = self._main_facts(inc)
            if not mains or any(m.document_id == f.document_id for m in mains):
                continue
            verdicts = [compatible(f, m) for m in mains]
            if not all(ok for ok, _ in verdicts):
                continue
            score = sum(closeness(f, m) for m in mains) / len(mains)
            if score > best[1]:
                best = (inc, score, verdicts[0][1])
        return best

    def _candidate_ids(self, f: Facts) -> list[str]:
        """Incidents in ``f``'s block: same family, a date window that overlaps, the same
        country or none (indexed: ``ix_incidents_block``, ``ix_incidents_family_date``)."""
        q = select(Incident.id)
        assert f.date_lo is not None and f.date_hi is not None
        earliest = _day(f.date_lo - timedelta(days=LOOKBACK_DAYS))
        q = q.where(Incident.family == f.family, Incident.date_lo >= earliest, Incident.date_lo <= _day(f.date_hi),
                    Incident.date_hi >= _day(f.date_lo))
        if f.country is None:
            return list(self.session.scalars(q))
        return [*self.session.scalars(q.where(Incident.country == f.country)),
                *self.session.scalars(q.where(Incident.country.is_(None)))]

    # -- writing -----------------------------------------------------------------------
    def _link(self, incident: str, event: Any, role: str, score: float | None, reason: dict[str, str]) -> None:
        self.session.add(IncidentEvent(incident_id=incident, event_id=event.id, document_id=event.document_id,
                                       role=role, score=round(score, 4) if score else None, reason=reason))
        self.session.flush()
        self._members.setdefault(incident, []).append((event, role))
        self._members[incident] = sorted(self._members[incident], key=lambda x: x[0].id)
        self.touched.add(incident)

    def _found(self, event: Any, f: Facts) -> str:
        sig = signature(event)
        inc = incident_id(event.document_id, sig)
        n = 2
        while self.session.get(Incident, inc) is not None and any(
                e.document_id == event.document_id for e, _ in self._links(inc)):
            inc = incident_id(event.document_id, f"{sig}#{n}")  # two alike happenings in one report
            n += 1
        if self.session.get(Incident, inc) is None:
            self.session.add(Incident(id=inc, founding_document_id=event.document_id, signature=sig, family=f.family,
                                      date_lo=_day(f.date_lo), date_hi=_day(f.date_hi), country=f.country,
                                      corroboration=1, updated_at=datetime.now(timezone.utc)))
            self.session.flush()
        self._link(inc, event, "member", None, {"founded": "first main report of this happening"})
        return inc

    def _wait(self, event: Any, f: Facts, role: str) -> None:
        if f.date_lo is None:
            return  # undated: it can never be shown to overlap an incident
        self.session.add(FuseWaiting(event_id=event.id, document_id=event.document_id, role=role, family=f.family,
                                     country=f.country, date_lo=_day(f.date_lo), date_hi=_day(f.date_hi)))

    def _adopt_waiting(self, incident: str) -> None:
        """Attach waiting background mentions and denials that this incident now matches."""
        mains = self._main_facts(incident)
        dated = [m for m in mains if m.date_lo is not None]
        if not dated:
            return
        lo, hi = min(m.date_lo for m in dated), max(m.date_hi for m in dated)  # type: ignore[type-var]
        countries = {m.country for m in mains}
        q = select(FuseWaiting).where(FuseWaiting.family == mains[0].family,
                                      FuseWaiting.date_lo >= _day(lo - timedelta(days=LOOKBACK_DAYS)),
                                      FuseWaiting.date_lo <= _day(hi), FuseWaiting.date_hi >= _day(lo))
        if None not in countries and len(countries) == 1:
            q = q.where(or_(FuseWaiting.country == next(iter(countries)), FuseWaiting.country.is_(None)))
        member_docs = {m.document_id for m in mains}
        for waiting in list(self.session.scalars(q.order_by(FuseWaiting.event_id))):
            if waiting.document_id in member_docs:
                continue
            event = self.session.get(Event, waiting.event_id)
            if event is None:
                self.session.delete(waiting)
                continue
            f = facts_of(event)
            verdicts = [compatible(f, m) for m in mains]
            if all(ok for ok, _ in verdicts):
                best, _, _ = self._best(f)
                if best == incident:
                    self.session.delete(waiting)
                    self._link(incident, event, waiting.role, sum(closeness(f, m) for m in mains) / len(mains),
                               verdicts[0][1])

    def unlink_document(self, document_id: str) -> None:
        """Take a document's events out of every incident and of the waiting list."""
        for (inc,) in self.session.execute(
                select(IncidentEvent.incident_id).where(IncidentEvent.document_id == document_id).distinct()):
            self.touched.add(inc)
            self._members.pop(inc, None)
        self.session.execute(delete(IncidentEvent).where(IncidentEvent.document_id == document_id))
        self.session.execute(delete(FuseWaiting).where(FuseWaiting.document_id == document_id))
        self.session.flush()

    def fuse_events(self, events: list[Any]) -> None:
        """Link one document's events; main reports first, so its background can wait for them."""
        order = {"main": 0, "background": 1, "negated": 2}
        for event in sorted(events, key=lambda e: (order.get(e.status, 9), e.id)):
            role = ROLE_OF_STATUS.get(event.status or "main")
            if role is None:
                continue  # planned, hypothetical: not happenings
            if role == "disputes" and not event.claimant:
                continue  # a bare negation ("no shelling was reported") denies nothing in particular
            f = facts_of(event)
            best, score, reason = self._best(f)
            if best is not None:
                self._link(best, event, role, score, reason)
                if role == "member":
                    self._adopt_waiting(best)
            elif event.status in FOUNDS:
                founded = self._found(event, f)
                self._adopt_waiting(founded)
            else:
                self._wait(event, f, role)

    def refresh(self, originals: Mapping[str, str]) -> None:
        """Recompute every touched incident from its links; one with no main report left is dissolved
        and its background mentions and denials go back to waiting."""
        for inc in sorted(self.touched):
            incident = self.session.get(Incident, inc)
            if incident is None:
                continue
            self._members.pop(inc, None)
            links = self._links(inc)
            if not any(role == "member" for _, role in links):
                for event, role in links:
                    self._wait(event, facts_of(event), role)
                self.session.delete(incident)
                self.session.flush()
                self._members.pop(inc, None)
                continue
            docs = sorted({e.document_id for e, _ in links})
            outlets = dict(self.session.execute(select(Document.id, Document.outlet).where(Document.id.in_(docs))).all())
            founder = next((e.id for e, role in links if role == "member" and e.document_id == incident.founding_document_id),
                           next(e.id for e, role in links if role == "member"))
            record = consensus([Member(e, role, outlets.get(e.document_id)) for e, role in links], founder,
                               {d: originals[d] for d in docs if d in originals}, outlets)
            mains = [facts_of(e) for e, role in links if role == "member"]
            dated = [m for m in mains if m.date_lo is not None]
            incident.family = mains[0].family
            incident.date_lo = _day(min(m.date_lo for m in dated)) if dated else None  # type: ignore[type-var]
            incident.date_hi = _day(max(m.date_hi for m in dated)) if dated else None  # type: ignore[type-var]
            for column, value in record.items():
                setattr(incident, column, value)
            incident.updated_at = datetime.now(timezone.utc)
        self.session.flush()
        self.touched.clear()


def document_events(session: Session, document_id: str) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.document_id == document_id, Event.stage == EVENTS_STAGE)
                                .order_by(Event.id)))


def fuse_documents(session: Session, runs: list[tuple[str, tuple[int, datetime]]],
                   original_of: OriginalOf | None = None) -> int:
    """Fuse documents (``(document id, (events run id, its time))``) in this session; returns how many changed.

    A document whose events are unchanged since it was last fused keeps its links; only
    its recorded run moves on.
    """
    fuser = Fuser(session, original_of)
    changed = 0
    for document_id, (run_id, ran_at) in runs:
        events = document_events(session, document_id)
        digest = events_digest(events)
        state = session.get(FuseState, document_id)
        if state is not None and state.digest == digest:
            state.events_run_id, state.events_ran_at = run_id, ran_at
            continue
        fuser.unlink_document(document_id)
        fuser.fuse_events(events)
        if state is None:
            session.add(FuseState(document_id=document_id, events_run_id=run_id, events_ran_at=ran_at, digest=digest,
                                  fused_at=datetime.now(timezone.utc)))
        else:
            state.events_run_id, state.events_ran_at, state.digest = run_id, ran_at, digest
            state.fused_at = datetime.now(timezone.utc)
        changed += 1
    touched_docs = sorted({d for (d,) in session.execute(
        select(IncidentEvent.document_id).where(IncidentEvent.incident_id.in_(sorted(fuser.touched))))})
    originals = dict(original_of(session, touched_docs)) if original_of is not None and touched_docs else {}
    fuser.refresh(originals)
    return changed
