"""Checking the rules against fused incidents, and recording each alert before it is sent.

:func:`after_fuse_batch` is what fuse calls after each committed batch. It reads only
incidents updated since each rule last looked (``alert_rules.checked_through``, less a
small margin), puts those a rule may want on the violation ladder, and for each
(rule, incident) decides:

* nothing sent yet and the incident answers the rule: one ``new`` alert;
* sent before at a lower step and the incident has climbed: one ``update`` (a climb of
  two steps at once is one update);
* anything else: nothing. ``alerts_sent`` has one row per (rule, incident, step),
  written before delivery, so a re-run, or two checks at once, send nothing twice.

A failed delivery is kept ``failed`` and tried again by the next check, unless the
incident has climbed since (then the newer alert replaces it: ``superseded``). A row
left ``sending`` by a process killed mid-delivery is not re-sent: at most once, never
twice.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from trucewatch.alerts import deliver as delivery
from trucewatch.alerts.deliver import DeliveryError, deliver
from trucewatch.alerts.match import high_enough, prefilter
from trucewatch.ceasefire.ladder import RANK, Review, ladder, stored_reviews
from trucewatch.fusion.query import SUMMARY_COLUMNS, detail
from trucewatch.store import Store
from trucewatch.store.schema import AlertRule, AlertSent, Event, Incident, IncidentEvent

#: Incidents updated this long before a rule's last look are read again. Fuse batches take
#: the store's write lock before they read and set ``updated_at`` inside it, so times commit
#: in order and none is needed; a clock set back is mended by ``alerts check --all`` (the
#: sent-alerts table makes a second look harmless).
MARGIN = timedelta(0)
#: Incidents read per query while checking.
PAGE = 500
#: A failed alert is tried again by later checks until it has had this many attempts.
MAX_ATTEMPTS = 20

#: Whether an incident is in an agreement's scope: (agreement id, incident summary) -> bool.
Scope = Callable[[str, Mapping[str, Any]], bool]


@dataclass
class CheckSummary:
    """What one check did."""

    incidents: int = 0
    new: int = 0
    updates: int = 0
    retried: int = 0
    failed: int = 0
    waiting_rules: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _rules(store: Store) -> list[SimpleNamespace]:
    with store.sessions() as session:
        return [SimpleNamespace(**{c.name: getattr(r, c.name) for c in AlertRule.__table__.columns})
                for r in session.scalars(select(AlertRule).order_by(AlertRule.id))]


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives back naive times; they were written in UTC."""
    return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value


def _confidence(store: Store, incident_id: str) -> float | None:
    """The highest confidence of the reports that carry the incident (denials left out)."""
    with store.sessions() as session:
        return session.scalar(select(func.max(Event.confidence)).join(IncidentEvent, IncidentEvent.event_id == Event.id)
                              .where(IncidentEvent.incident_id == incident_id, IncidentEvent.role != "disputes"))


def _sent_before(store: Store, incident_id: str) -> dict[int, list[SimpleNamespace]]:
    """{rule id: the alerts recorded for this incident under it}."""
    out: dict[int, list[SimpleNamespace]] = {}
    with store.sessions() as session:
        for r in session.execute(select(AlertSent.id, AlertSent.rule_id, AlertSent.rank, AlertSent.step,
                                        AlertSent.status).where(AlertSent.incident_id == incident_id)):
            out.setdefault(r.rule_id, []).append(SimpleNamespace(id=r.id, rank=r.rank, step=r.step, status=r.status))
    return out


def _claim(store: Store, row: dict[str, Any]) -> int | None:
    """Write the alert as ``sending`` before it goes out; None when another check has it already."""
    try:
        with store.session() as session:
            sent = AlertSent(**row)
            session.add(sent)
            session.flush()
            return sent.id
    except IntegrityError:
        return None


def _finish(store: Store, row_id: int, attempts: int, error: str | None) -> None:
    with store.session() as session:
        sent = session.get(AlertSent, row_id)
        assert sent is not None
        sent.attempts = (sent.attempts or 0) + attempts
        sent.status = "failed" if error else "sent"
        sent.error = error
        sent.sent_at = None if error else datetime.now(timezone.utc)


class _Sender:
    """Delivers for one check; after a target fails, later alerts to it wait for the next check."""

    def __init__(self, store: Store, summary: CheckSummary, backoff: Sequence[float] | None,
                 sleep: Callable[[float], None]) -> None:
        self.store, self.summary, self.sleep = store, summary, sleep
        self.backoff = delivery.BACKOFF if backoff is None else backoff
        self.down: set[int] = set()

    def send(self, rule: SimpleNamespace, row_id: int, payload: Mapping[str, Any]) -> bool:
        if rule.id in self.down:
            _finish(self.store, row_id, 0, "not tried: an earlier alert to this target failed in the same check")
            self.summary.failed += 1
            return False
        try:
            attempts = deliver(rule, payload, delivery_id=str(row_id), backoff=self.backoff, sleep=self.sleep)
        except DeliveryError as exc:
            self.down.add(rule.id)
            _finish(self.store, row_id, exc.attempts, str(exc))
            self.summary.failed += 1
            self.summary.errors.append(f"rule {rule.name!r}: {exc}")
            return False
        _finish(self.store, row_id, attempts, None)
        return True


def _payload(rule: SimpleNamespace, kind: str, record: Mapping[str, Any], placed: Any, previous: str | None,
             confidence: float | None, ladder_dict: Mapping[str, Any]) -> dict[str, Any]:
    return {"alert": kind, "rule": rule.name, "rule_id": rule.id, "agreement": rule.agreement_id,
            "incident_id": record["id"], "step": placed.step, "previous_step": previous, "confidence": confidence,
            "incident": {c: record.get(c) for c in SUMMARY_COLUMNS}, "ladder": ladder_dict,
            "created_at": datetime.now(timezone.utc).isoformat()}


def _consider(store: Store, rule: SimpleNamespace, record: Mapping[str, Any], placed: Any,
              confidence: float | None, before: list[SimpleNamespace], ladder_dict: Mapping[str, Any],
              sender: _Sender) -> None:
    if not high_enough(rule, placed.step, confidence):
        return
    live = [b for b in before if b.status in ("sent", "sending", "failed")]
    if any(b.rank >= placed.rank for b in live):
        return  # this step (or a higher one) is sent, being sent, or waiting to be retried
    delivered = [b for b in before if b.status in ("sent", "sending")]
    kind = "update" if delivered else "new"
    previous = max(delivered, key=lambda b: b.rank).step if delivered else None
    stale = [b.id for b in before if b.status == "failed"]
    if stale:  # a lower step that never went out is replaced by this one
        with store.session() as session:
            session.execute(update(AlertSent).where(AlertSent.id.in_(stale)).values(status="superseded"))
    payload = _payload(rule, kind, record, placed, previous, confidence, ladder_dict)
    row_id = _claim(store, {"rule_id": rule.id, "incident_id": record["id"], "step": placed.step,
                            "rank": placed.rank, "kind": kind, "status": "sending", "attempts": 0,
                            "payload": payload, "created_at": datetime.now(timezone.utc)})
    if row_id is not None and sender.send(rule, row_id, payload):
        if kind == "new":
            sender.summary.new += 1
        else:
            sender.summary.updates += 1


def _retry_failed(store: Store, rules: Mapping[int, SimpleNamespace], sender: _Sender) -> None:
    with store.sessions() as session:
        failed = session.execute(select(AlertSent.id, AlertSent.rule_id, AlertSent.payload)
                                 .where(AlertSent.status == "failed", AlertSent.attempts < MAX_ATTEMPTS)
                                 .order_by(AlertSent.id)).all()
    for row_id, rule_id, payload in failed:
        rule = rules.get(rule_id)
        if rule is None or rule_id in sender.down:
            continue
        with store.session() as session:  # claim it: only one check retries it
            claimed = session.execute(update(AlertSent).where(AlertSent.id == row_id, AlertSent.status == "failed")
                                      .values(status="sending")).rowcount
        if claimed and sender.send(rule, row_id, payload):
            sender.summary.retried += 1


def _changed(store: Store, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Incident summaries updated at or after ``since``, oldest first, a page per query: no
    cursor stays open while alerts are written, and a long list is never held whole."""
    page = PAGE
    columns = [Incident.id, Incident.updated_at, *(getattr(Incident, c) for c in SUMMARY_COLUMNS if c != "id")]
    after: tuple[datetime, str] | None = None
    while True:
        q = select(*columns).order_by(Incident.updated_at, Incident.id).limit(page)
        if since is not None:
            q = q.where(Incident.updated_at >= since)
        if after is not None:
            q = q.where(or_(Incident.updated_at > after[0], and_(Incident.updated_at == after[0], Incident.id > after[1])))
        with store.sessions() as session:
            rows = [dict(r._mapping) for r in session.execute(q)]
        yield from rows
        if len(rows) < page:
            return
        after = (rows[-1]["updated_at"], rows[-1]["id"])


def _stored_scope(store: Store) -> Scope:
    """The ceasefire layer's own scope test over the agreement records in the store."""
    from trucewatch.ceasefire.scope import scope_test

    return scope_test(store)


def agreement_known(store: Store, agreement_id: str) -> bool:
    """A rule naming an agreement the store does not hold yet waits for it instead of matching nothing."""
    from trucewatch.ceasefire.scope import agreement_id_of

    return agreement_id_of(store, agreement_id) is not None  # a key lookup; the full record only for pax:/ucdp: ids


def check(store: Store, *, everything: bool = False, scope: Scope | None = None,
          reviews_of: Callable[[str], Iterable[Review]] | None = None,
          backoff: Sequence[float] | None = None, sleep: Callable[[float], None] = time.sleep) -> CheckSummary:
    """Check every rule against the incidents updated since it last looked (all with ``everything``).

    ``scope`` decides agreement rules (default: the ceasefire layer's scope test); a rule whose
    agreement is not in the store yet waits and is named in the summary. ``reviews_of`` gives an incident's reviews
    (the ladder's hook; default: the store's review table).
    ``backoff``: the webhook's waits between attempts (default ``deliver.BACKOFF``).
    """
    summary = CheckSummary()
    rules = _rules(store)
    if not rules:
        return summary
    active = []
    known: Callable[[str], bool] = lambda agreement_id: True
    if scope is None and any(rule.agreement_id for rule in rules):
        scope, known = _stored_scope(store), lambda agreement_id: agreement_known(store, agreement_id)
    for rule in rules:
        if rule.agreement_id and (scope is None or not known(rule.agreement_id)):
            summary.waiting_rules.append(rule.name)
        else:
            rule.checked_through = _aware(rule.checked_through)
            active.append(rule)
    sender = _Sender(store, summary, backoff, sleep)
    if active:
        # a rule never looks at incidents last updated before it was made, unless it backfills
        # (checked_through None until its first check); the margin only re-reads its own past
        looks = [None if everything or r.checked_through is None
                 else max(r.checked_through - MARGIN, _aware(r.created_at)) for r in active]
        since = None if None in looks else min(looks)  # type: ignore[type-var]
        latest: datetime | None = None
        for row in _changed(store, since):
            updated = _aware(row["updated_at"])
            latest = updated if latest is None or updated > latest else latest  # type: ignore[operator]
            wanting = [r for r, look in zip(active, looks) if (look is None or updated >= look) and prefilter(r, row)
                       and (not r.agreement_id or (scope is not None and scope(r.agreement_id, row)))]
            if not wanting:
                continue
            record = detail(store, row["id"])
            if record is None:
                continue  # dissolved since it was read
            summary.incidents += 1
            placed = ladder(record, reviews=(reviews_of or (lambda i: stored_reviews(store, i)))(row["id"]))
            confidence = _confidence(store, row["id"])
            before = _sent_before(store, row["id"])
            ladder_dict = placed.to_dict()
            for rule in wanting:
                _consider(store, rule, record, placed, confidence, before.get(rule.id, []), ladder_dict, sender)
        if latest is not None:
            with store.session() as session:
                for rule in active:
                    if rule.checked_through is None or latest > rule.checked_through:
                        session.execute(update(AlertRule).where(AlertRule.id == rule.id)
                                        .values(checked_through=latest))
    _retry_failed(store, {r.id: r for r in active}, sender)
    return summary


def after_fuse_batch(store: Store) -> None:
    """Called by fuse after each committed batch: an alert that cannot go out never stops fusion."""
    try:
        summary = check(store)
    except Exception as exc:  # noqa: BLE001 - fusion must go on; the next batch or check tries again
        print(f"alerts: the check failed and will run again after the next batch: {exc}", file=sys.stderr)
        return
    for error in summary.errors:
        print(f"alerts: {error}", file=sys.stderr)
