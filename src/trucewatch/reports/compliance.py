"""What a compliance report says, gathered from the store: every figure in it comes from here.

The report is about one agreement over a period (``since``/``until``, inclusive, on the
incident's date). Its incidents are those the scope check (:mod:`trucewatch.ceasefire.scope`)
put in scope, run afresh first; those it could not decide are counted apart and never mixed
in. Every count is computed here once, and the templates only print them, so a test can
set each number beside its own SQL and find them equal.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from trucewatch.store.db import Store
from trucewatch.store.schema import Document, Incident, IncidentEvent, IncidentScope

UNDETERMINED = "undetermined"


@dataclass
class IncidentEntry:
    """One incident in scope, with its sources and the evidence each gives."""

    id: str
    date: str | None
    week: str | None
    type: str
    place: str
    side: str
    actor1: str | None
    actor2: str | None
    latitude: float | None
    longitude: float | None
    fatalities: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    corroboration: int
    disputed: list[str]
    step: str | None
    rule: str
    attribution: str
    reports: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ComplianceData:
    """Everything a report prints (the templates compute nothing)."""

    agreement: dict[str, Any]
    since: str | None
    until: str | None
    generated: str
    incidents: list[IncidentEntry]
    undetermined: int
    checked: int
    by_week: list[tuple[str, int]]
    by_side: list[tuple[str, int]]
    by_type: list[tuple[str, int]]
    by_place: list[tuple[str, int]]
    by_step: list[tuple[str, int]]
    allegations: list[tuple[str, str, int]]
    denials: int
    outlets: list[tuple[str, int]]
    languages: list[tuple[str, int]]
    undated: int
    unlocated: int
    disputed: int
    disputed_fields: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return len(self.incidents)


def week_of(day: str | None) -> str | None:
    """ISO week of a date, ``2020-W08``: the report's time axis."""
    if not day:
        return None
    year, week, _ = dt.date.fromisoformat(day[:10]).isocalendar()
    return f"{year}-W{week:02d}"


def weeks_between(first: str, last: str) -> list[str]:
    """Every ISO week from ``first`` to ``last`` (both ``2020-W08``), so quiet weeks show as zero."""
    def monday(week: str) -> dt.date:
        year, number = week.split("-W")
        return dt.date.fromisocalendar(int(year), int(number), 1)

    out, day = [], monday(first)
    while day <= monday(last):
        out.append(week_of(day.isoformat()) or "")
        day += dt.timedelta(days=7)
    return out


def _by_week(entries: list[IncidentEntry]) -> list[tuple[str, int]]:
    counts = Counter(e.week or "undated" for e in entries)
    dated = sorted(k for k in counts if k != "undated")
    axis = weeks_between(dated[0], dated[-1]) if dated else []
    return [(w, counts.get(w, 0)) for w in axis] + ([("undated", counts["undated"])] if counts["undated"] else [])


def side_of(actor: str | None, day: str | None) -> str:
    """The side of the actor an incident is attributed to (its own, or its nearest parent's)."""
    if not actor:
        return UNDETERMINED
    from trucewatch.ceasefire.scope_actors import ancestors
    from trucewatch.extract.actors import load_actors, lookup

    when = dt.date.fromisoformat(day[:10]) if day else None
    actors = load_actors()
    for found in lookup(actor):
        for actor_id in ancestors(found.id, when):
            a = actors.get(actor_id)
            if a is not None and a.side:
                return a.side
    return UNDETERMINED


def kind_of(incident: Incident) -> str:
    return incident.sub_event_type or incident.event_type or incident.process_type or "unknown"


def place_of(incident: Incident) -> str:
    return incident.location or incident.admin1 or incident.country or "unlocated"


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def _in_period(day: str | None, since: str | None, until: str | None) -> bool:
    if day is None:
        return since is None and until is None
    return (since is None or day >= since) and (until is None or day <= until)


def collect(store: Store, agreement_id: str, since: str | None = None, until: str | None = None, *,
            refresh_scope: bool = True, places: Any = None, gazetteer: bool = True) -> ComplianceData:
    """The report's contents for one agreement (id or ``scheme:value``); LookupError when unknown."""
    from trucewatch.ceasefire.query import detail as agreement_detail
    from trucewatch.ceasefire.scope import refresh
    from trucewatch.fusion.query import detail as incident_detail

    from trucewatch.ceasefire.query import iter_agreements
    from trucewatch.ceasefire.scope import with_successor

    found = agreement_detail(store, agreement_id)
    if found is None:
        raise LookupError(f"no agreement {agreement_id!r} in this database (see trucewatch agreements list)")
    agreement = with_successor(found, iter_agreements(store))  # its history as the scope check read it
    if refresh_scope:
        refresh(store, agreement["id"], places=places, gazetteer=gazetteer)
    with store.sessions() as session:
        rows = session.execute(select(IncidentScope, Incident).join(Incident, Incident.id == IncidentScope.incident_id)
                               .where(IncidentScope.agreement_id == agreement["id"])
                               .order_by(Incident.event_date, Incident.id)).all()
        session.expunge_all()
    chosen = [(s, i) for s, i in rows if _in_period(i.event_date, since, until)]
    scoped = [(s, i) for s, i in chosen if s.in_scope is True]
    entries = []
    allegations: Counter[tuple[str, str]] = Counter()
    denials = 0
    for scope, incident in scoped:
        record = incident_detail(store, incident.id) or {"reports": []}
        ladder = scope.ladder or {}
        for allegation in ladder.get("allegations") or []:
            allegations[(allegation.get("by") or "unknown", allegation.get("against") or UNDETERMINED)] += 1
        denials += len(ladder.get("denials") or [])
        entries.append(IncidentEntry(
            id=incident.id, date=incident.event_date, week=week_of(incident.event_date), type=kind_of(incident),
            place=place_of(incident), side=side_of(incident.actor1, incident.event_date), actor1=incident.actor1,
            actor2=incident.actor2, latitude=incident.latitude, longitude=incident.longitude,
            fatalities=incident.fatalities, fatalities_low=incident.fatalities_low,
            fatalities_high=incident.fatalities_high, corroboration=incident.corroboration,
            disputed=list(incident.disputed or []), step=scope.step, rule=scope.rule,
            attribution=(ladder.get("attribution") or {}).get("status") or UNDETERMINED,
            reports=record["reports"]))
    outlets, languages = _coverage(store, [e.id for e in entries])
    disputed_fields: Counter[str] = Counter(f for e in entries for f in e.disputed)
    return ComplianceData(
        agreement=agreement, since=since, until=until,
        generated=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        incidents=entries, undetermined=sum(1 for s, _ in chosen if s.in_scope is None), checked=len(chosen),
        by_week=_by_week(entries),
        by_side=_ranked(Counter(e.side for e in entries)),
        by_type=_ranked(Counter(e.type for e in entries)),
        by_place=_ranked(Counter(e.place for e in entries)),
        by_step=_ranked(Counter(e.step or "unplaced" for e in entries)),
        allegations=[(by, against, n) for (by, against), n in sorted(allegations.items(),
                                                                     key=lambda kv: (-kv[1], kv[0]))],
        denials=denials, outlets=outlets, languages=languages,
        undated=sum(1 for _, i in chosen if i.event_date is None),
        unlocated=sum(1 for _, i in chosen if i.latitude is None or i.longitude is None),
        disputed=sum(1 for e in entries if e.disputed), disputed_fields=_ranked(disputed_fields))


def _coverage(store: Store, incident_ids: Iterable[str]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Documents behind the incidents in scope, by outlet and by language (each document once)."""
    ids = list(incident_ids)
    docs: dict[str, tuple[str | None, str | None]] = {}
    with store.sessions() as session:
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            for doc_id, outlet, language in session.execute(
                    select(Document.id, Document.outlet, Document.language)
                    .join(IncidentEvent, IncidentEvent.document_id == Document.id)
                    .where(IncidentEvent.incident_id.in_(part))):
                docs[doc_id] = (outlet, language)
    outlets = Counter(o or "outlet unknown" for o, _ in docs.values())
    languages = Counter(lang or "unknown" for _, lang in docs.values())
    return _ranked(outlets), _ranked(languages)
