"""Incidents in scope: each incident checked against an agreement's time, place and parties.

An incident is in an agreement's scope when it is something an agreement may forbid (not
the talks or the agreement itself), happened while the agreement was in force
(:mod:`scope_time`), where it applies (:mod:`scope_place`) and involves an actor it binds
or is alleged by a party (:mod:`scope_actors`). Each dimension answers in, out or undetermined with its own rule;
one ``out`` decides, all ``in`` make it in, anything else stays undetermined, and the rule
kept names the dimension that decided. Beside the answer goes the incident's rung on the
violation ladder, with the agreement's own monitors as the bodies that may confirm.

:func:`refresh` writes the answers to ``incident_scope`` for one agreement (or all); a
re-run replaces them, so it may follow every fuse or agreements build. Only incidents that
could be near the agreement are checked (its countries, or none given; dated within
:data:`MARGIN_DAYS` of its time in force, or undated), so a store of many years does not
fill with rows that say "another country, another decade".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, or_, select, update

from trucewatch.ceasefire.scope_actors import Resolve, judge_actors
from trucewatch.ceasefire.scope_place import Places, default_places, fold, judge_place, scope_countries
from trucewatch.ceasefire.scope_time import Verdict, combine, judge_time, window
from trucewatch.store.db import Store
from trucewatch.store.schema import Agreement, Event, Incident, IncidentEvent, IncidentScope

#: Days either side of an agreement's time in force whose incidents are checked and kept
#: (as out, with their rule) so a reader sees the near misses, not only the hits.
MARGIN_DAYS = 40
DIMENSIONS = ("kind", "time", "place", "actors")
#: Process types that are the peace process itself, or totals over a period: nothing an
#: agreement could be breached by (a violation allegation, a withdrawal or an arms
#: transfer may be, and stays).
NOT_BREACHES = frozenset({"talks", "ceasefire", "agreement", "statistic"})


def judge_kind(incident: Mapping[str, Any]) -> Verdict:
    """Whether the incident is the kind of happening an agreement may be breached by."""
    process, sub = incident.get("process_type"), incident.get("sub_event_type")
    if process in NOT_BREACHES or sub == "Agreement":
        return Verdict("out", f"a {process or sub} is part of the process, not a breach of it",
                       {"process_type": process, "sub_event_type": sub})
    return Verdict("in", "an event an agreement may forbid", {"event_type": incident.get("event_type"),
                                                                "sub_event_type": sub, "process_type": process})


@dataclass(frozen=True)
class Decision:
    """The answer for one incident and one agreement."""

    in_scope: bool | None
    rule: str
    verdicts: dict[str, Verdict] = field(default_factory=dict)

    @property
    def answer(self) -> str:
        return {True: "in", False: "out", None: "undetermined"}[self.in_scope]

    def evidence(self) -> dict[str, Any]:
        return {name: {"answer": v.answer, "rule": v.rule, **v.detail} for name, v in self.verdicts.items()}


@lru_cache(maxsize=512)
def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a country written by name (as incidents carry it)."""
    if not name:
        return None
    from trucewatch.extract.actors.world import states

    key = fold(name)
    return next((code for code, state in states().items() if fold(state.name) == key), None)


def judge(incident: Mapping[str, Any], agreement: Mapping[str, Any], *, places: Places | None = None,
          resolve: Resolve | None = None) -> Decision:
    """Whether ``incident`` (an incident summary) falls under ``agreement`` (as ``agreements show --json``)."""
    verdicts = {
        "kind": judge_kind(incident),
        "time": judge_time(incident, agreement),
        "place": judge_place(incident, agreement, places, country_code(incident.get("country"))),
        "actors": judge_actors(incident, agreement, resolve),
    }
    answer = combine(list(verdicts.values()))
    if answer == "out":
        name, v = next((n, v) for n, v in verdicts.items() if v.answer == "out")
        return Decision(False, f"{name}: {v.rule}", verdicts)
    if answer == "in":
        return Decision(True, "; ".join(f"{n}: {v.rule}" for n, v in verdicts.items() if n != "kind"), verdicts)
    open_ = [f"{n}: {v.rule}" for n, v in verdicts.items() if v.answer == "undetermined"]
    return Decision(None, "; ".join(open_), verdicts)


SCOPE_COLUMNS = ("id", "event_date", "date_end", "time_precision", "event_type", "sub_event_type", "process_type",
                 "actor1", "actor2", "country", "admin1", "location", "latitude", "longitude", "geo_precision")


def _claimants(session: Any, ids: list[str]) -> dict[str, list[str]]:
    """Who each incident's supporting reports quote (a denial's speaker accuses no one)."""
    found: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(select(IncidentEvent.incident_id, Event.claimant)
                               .join(Event, Event.id == IncidentEvent.event_id)
                               .where(IncidentEvent.incident_id.in_(ids[start:start + 500]),
                                      IncidentEvent.role != "disputes", Event.claimant.is_not(None))
                               .order_by(IncidentEvent.incident_id, Event.id))
        for incident_id, claimant in rows:
            if claimant not in found.setdefault(incident_id, []):
                found[incident_id].append(claimant)
    return found


def _bound(agreement: Mapping[str, Any]) -> set[str]:
    return {p["actor_id"] for p in agreement.get("parties") or [] if p.get("actor_id")}


def with_successor(agreement: Mapping[str, Any], others: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The agreement with an inferred ``superseded`` step when a later mutual agreement binds all
    its parties in the same country: from the day that one takes effect, it is the one in force.

    A unilateral declaration supersedes nothing; an agreement with no known parties neither
    supersedes nor is superseded (who it binds is the question). The step is marked
    ``inferred`` and names the successor, so a reader sees why the window closed.
    """
    from trucewatch.ceasefire.scope_actors import ancestors

    mine = _bound(agreement)
    start = window(agreement)
    if not mine or start is None or start.start_lo is None:
        return dict(agreement)
    best: tuple[dt.date, str, str] | None = None
    for other in others:
        theirs = _bound(other)
        if other["id"] == agreement["id"] or other.get("kind") == "unilateral_declaration" or not theirs:
            continue
        if fold(other.get("country")) != fold(agreement.get("country")):
            continue
        begins = window(other)
        if begins is None or begins.start_lo is None or begins.start_lo <= start.start_lo:
            continue
        if all(set(ancestors(p, begins.start_lo)) & theirs for p in mine):
            if best is None or begins.start_lo < best[0]:
                best = (begins.start_lo, other["id"], other.get("name") or other["id"])
    if best is None:
        return dict(agreement)
    step = {"status": "superseded", "date": best[0].isoformat(), "source": f"inferred: {best[2]} ({best[1]}) "
            "binds the same parties from then", "evidence": None, "inferred": True}
    return {**agreement, "status_history": [*(agreement.get("status_history") or []), step]}


def _monitors(agreement: Mapping[str, Any]) -> set[str] | None:
    ids = {m["actor_id"] for m in agreement.get("monitors") or [] if m.get("actor_id")}
    return ids or None


def _candidates(session: Any, agreement: Mapping[str, Any]) -> Iterable[Incident]:
    query = select(Incident)
    countries = scope_countries(agreement) + [c for c in [agreement.get("country")] if c]
    if countries:
        query = query.where(or_(Incident.country.is_(None), Incident.country.in_(sorted(set(countries)))))
    w = window(agreement)
    if w is not None and w.start_lo is not None:
        lo = (w.start_lo - dt.timedelta(days=MARGIN_DAYS)).isoformat()
        dated = Incident.event_date >= lo
        if w.end_hi is not None:
            dated = dated & (Incident.event_date <= (w.end_hi + dt.timedelta(days=MARGIN_DAYS)).isoformat())
        query = query.where(or_(Incident.event_date.is_(None), dated))
    return session.scalars(query.order_by(Incident.id))


@dataclass
class RefreshSummary:
    agreements: int = 0
    checked: int = 0
    in_scope: int = 0
    undetermined: int = 0
    out: int = 0


def refresh(store: Store, agreement_id: str | None = None, *, places: Places | None = None,
            resolve: Resolve | None = None, ladder_of: Callable[[str, set[str] | None], Any] | None = None,
            gazetteer: bool = True, origin: str | None = None) -> RefreshSummary:
    """Recompute ``incident_scope`` for one agreement (by id or ``scheme:value``) or every one
    (of one ``origin``, "news" or "import", when given).

    ``places``: the gazetteer test (default: the built gazetteer when there is one, unless
    ``gazetteer`` is False). ``ladder_of(incident_id, monitors)``: the ladder (default:
    :func:`trucewatch.ceasefire.ladder.ladder` over the incident's full record).
    """
    from trucewatch.ceasefire.query import detail as agreement_detail
    from trucewatch.ceasefire.query import iter_agreements

    if places is None and gazetteer:
        places = default_places()
    if ladder_of is None:
        ladder_of = _default_ladder(store)
    every = list(iter_agreements(store))
    if agreement_id is not None:
        one = agreement_detail(store, agreement_id)
        if one is None:
            raise LookupError(f"no agreement {agreement_id!r} in this database (see trucewatch agreements list)")
        agreements = [one]
    else:
        agreements = [a for a in every if origin is None or a.get("origin") == origin]
    agreements = [with_successor(a, every) for a in agreements]
    summary = RefreshSummary()
    now = dt.datetime.now(dt.timezone.utc)
    for agreement in agreements:
        summary.agreements += 1
        monitors = _monitors(agreement)
        rows = []
        with store.sessions() as session:
            incidents = [{c: getattr(i, c) for c in SCOPE_COLUMNS} for i in _candidates(session, agreement)]
            said = _claimants(session, [i["id"] for i in incidents])
        for incident in incidents:
            incident["claimants"] = said.get(incident["id"], [])
        for incident in incidents:
            decision = judge(incident, agreement, places=places, resolve=resolve)
            step = rank = placed = None
            if decision.in_scope is not False:
                result = ladder_of(incident["id"], monitors)
                if result is not None:
                    step, rank = result.step, result.rank
                    placed = _placed(result)
            summary.checked += 1
            summary.in_scope += decision.in_scope is True
            summary.undetermined += decision.in_scope is None
            summary.out += decision.in_scope is False
            rows.append(IncidentScope(incident_id=incident["id"], agreement_id=agreement["id"],
                                      in_scope=decision.in_scope, rule=decision.rule[:2000],
                                      evidence=_jsonable(decision.evidence()), step=step, rank=rank,
                                      ladder=_jsonable(placed) if placed else None, checked_at=now))
        _replace(store, agreement["id"], rows)
    return summary


def _replace(store: Store, agreement_id: str, rows: list[IncidentScope]) -> None:
    """Swap an agreement's rows in one transaction; an incident a concurrent fuse dissolved
    meanwhile is dropped (its row could only name an incident that is gone)."""
    from sqlalchemy.exc import IntegrityError

    try:
        with store.session() as session:
            session.execute(delete(IncidentScope).where(IncidentScope.agreement_id == agreement_id))
            session.add_all(rows)
    except IntegrityError:
        with store.session() as session:
            alive = set(session.scalars(select(Incident.id).where(Incident.id.in_([r.incident_id for r in rows]))))
            session.execute(delete(IncidentScope).where(IncidentScope.agreement_id == agreement_id))
            session.add_all(IncidentScope(**{c.name: getattr(r, c.name) for c in IncidentScope.__table__.columns})
                            for r in rows if r.incident_id in alive)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _default_ladder(store: Store) -> Callable[[str, set[str] | None], Any]:
    from trucewatch.ceasefire.ladder import ladder, stored_reviews
    from trucewatch.fusion.query import detail
    from trucewatch.review.actions import note_machine_step

    def place(incident_id: str, monitors: set[str] | None) -> Any:
        record = detail(store, incident_id)
        if record is None:
            return None
        reviews = stored_reviews(store, incident_id)
        if any(r.step for r in reviews):
            # a reviewer moved it: the step the evidence gives is recorded beside the move,
            # and a change of it flagged (any monitor's word, as when the move was made)
            note_machine_step(store, incident_id, ladder(record, reviews=[r for r in reviews if not r.step]).step)
        return ladder(record, monitors=monitors, reviews=reviews)

    return place


def _placed(result: Any) -> dict[str, Any]:
    return {"rule": result.rule, "independent_sources": result.independent_sources, "sources": result.sources,
            "allegations": list(result.allegations), "denials": list(result.denials),
            "attribution": result.attribution}


def restep(store: Store, incident_id: str) -> int:
    """Place one incident on the ladder again under each agreement it is in or may be in,
    as ``trucewatch scope`` would, without judging scope again: after a reviewer moved it,
    confirmed it or undid either, exports and the step filters read the new step at once.
    Returns how many rows changed."""
    from trucewatch.ceasefire.query import detail as agreement_detail

    with store.sessions() as session:
        ids = list(session.scalars(select(IncidentScope.agreement_id).where(
            IncidentScope.incident_id == incident_id,
            or_(IncidentScope.in_scope.is_(True), IncidentScope.in_scope.is_(None)))))
    if not ids:
        return 0
    place = _default_ladder(store)
    found = {}
    for agreement_id in ids:
        agreement = agreement_detail(store, agreement_id)
        result = place(incident_id, _monitors(agreement) if agreement else None)
        if result is not None:
            found[agreement_id] = result
    with store.session() as session:
        for agreement_id, result in found.items():
            session.execute(update(IncidentScope).where(
                IncidentScope.incident_id == incident_id, IncidentScope.agreement_id == agreement_id).values(
                step=result.step, rank=result.rank, ladder=_jsonable(_placed(result))))
    return len(found)


def agreement_id_of(store: Store, given: str) -> str | None:
    """The stored id of an agreement given by id or external id (``pax:2232``); for one a
    reviewer merged into another, the other's."""
    from trucewatch.ceasefire.merges import merged_into
    from trucewatch.ceasefire.query import detail

    with store.sessions() as session:
        if session.get(Agreement, given) is not None:
            return merged_into(session, given) or given
    found = detail(store, given)
    return found["id"] if found else None


def scope_rows(store: Store, agreement_id: str, *, include_undetermined: bool = False) -> dict[str, IncidentScope]:
    """{incident id: its stored scope row} for incidents in the agreement's scope."""
    query = select(IncidentScope).where(IncidentScope.agreement_id == agreement_id)
    if include_undetermined:
        query = query.where(or_(IncidentScope.in_scope.is_(True), IncidentScope.in_scope.is_(None)))
    else:
        query = query.where(IncidentScope.in_scope.is_(True))
    with store.sessions() as session:
        rows = list(session.scalars(query))
        session.expunge_all()
    return {r.incident_id: r for r in rows}


def scope_test(store: Store, *, places: Places | None = None) -> Callable[[str, Mapping[str, Any]], bool]:
    """A predicate for alert rules (``alerts.check.Scope``): is this incident in the agreement's scope?

    Judged on the spot from the incident summary, so it holds for incidents fused a moment
    ago, before any :func:`refresh`; only a clear ``in`` answers True.
    """
    from trucewatch.ceasefire.query import detail

    cache: dict[str, Mapping[str, Any] | None] = {}
    chosen = places if places is not None else default_places()

    def test(agreement_id: str, incident: Mapping[str, Any]) -> bool:
        if agreement_id not in cache:
            from trucewatch.ceasefire.query import iter_agreements

            found = detail(store, agreement_id)
            cache[agreement_id] = with_successor(found, iter_agreements(store)) if found else None
        agreement = cache[agreement_id]
        return agreement is not None and judge(incident, agreement, places=chosen).in_scope is True

    return test
