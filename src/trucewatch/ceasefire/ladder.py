"""The violation ladder: how far the evidence for an incident goes, and never further.

A monitor must not call a party's accusation a confirmed violation. Each incident is put
on the lowest rung its evidence cannot get past:

1. ``alleged``: someone who may have a stake says so. A report whose claimant is a party
   (an actor with a side, a ``party`` or ``external_supporter`` role, or a member of
   one), or a claimant the knowledge base does not know: an unknown speaker may be a
   party, so it is never taken for more.
2. ``reported``: an outlet reports it as fact (no claimant), or a named third party
   (a mediator, a state with no stake) says so.
3. ``corroborated``: at least two independent sources report it as fact. Sources are the
   incident's own (fusion counts a repost under its original and one outlet once); a
   source that only carries someone's claim does not count, since two outlets repeating
   one party's statement are one allegation.
4. ``confirmed``: a monitoring body says so (an actor of kind ``mission`` or with a
   ``monitor`` role, or only the agreement's own monitors when the caller passes them),
   or a reviewer confirmed it (:class:`Review`).

A reviewer may also move an incident to any step (``trucewatch review INCIDENT ladder``):
the incident then stands on that step whatever the evidence reaches, and the rungs still
show what the evidence alone gives.

A denial is kept beside the allegation, never subtracted from it. Attribution (who did
it) is ``attributed``, ``disputed`` (sources name sides that cannot be one party) or
``undetermined`` (no source names anyone), which is a valid answer, not a gap.

The input is the incident record :func:`trucewatch.fusion.query.detail` returns; the
function reads nothing else but the actor knowledge base, through a replaceable
``classify`` so tests and callers can give their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

STEPS: tuple[str, ...] = ("alleged", "reported", "corroborated", "confirmed")
#: Rank of each step, 1 (alleged) to 4 (confirmed), for comparing and storing.
RANK: Mapping[str, int] = {step: i for i, step in enumerate(STEPS, start=1)}

#: The kinds of claimant :func:`classify_claimant` tells apart.
PARTY, MONITOR, THIRD_PARTY, UNKNOWN = "party", "monitor", "third_party", "unknown"
#: Roles that give an actor a stake in the fighting: its word is an allegation.
STAKE_ROLES = frozenset({"party", "external_supporter"})
#: Reports that carry the incident (a denial is linked with role ``disputes``).
SUPPORTING_ROLES = frozenset({"member", "corroborates"})


@dataclass(frozen=True)
class Claimant:
    """Who a claimant is, as far as the knowledge base tells."""

    text: str
    kind: str  # party | monitor | third_party | unknown
    actor_id: str | None = None
    side: str | None = None


@dataclass(frozen=True)
class Review:
    """A reviewer's verdict on an incident; ``confirmed`` puts it on the top rung, ``step``
    (a move on the ladder) on that step (:func:`stored_reviews` reads them from the store's
    review table)."""

    reviewer: str
    confirmed: bool
    note: str = ""
    at: str | None = None
    step: str | None = None


@dataclass(frozen=True)
class Rung:
    """One step checked: whether the evidence reaches it, the rule, and the reports that meet it."""

    step: str
    met: bool
    rule: str
    evidence: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Ladder:
    """Where an incident stands, why, and what stands beside it (denials, attribution)."""

    incident_id: str
    step: str
    rank: int
    rule: str
    rungs: tuple[Rung, ...]
    independent_sources: int  # sources reporting it as fact
    sources: int  # every source carrying it (fusion's corroboration count)
    allegations: tuple[dict[str, Any], ...] = ()
    denials: tuple[dict[str, Any], ...] = ()
    attribution: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- who is speaking -------------------------------------------------------------------

def _has_stake(actor_id: str, day: dt.date | None, seen: frozenset[str] = frozenset()) -> bool:
    from trucewatch.extract.actors import load_actors

    a = load_actors().get(actor_id)
    if a is None or actor_id in seen:
        return False
    if a.side is not None or any(r.role in STAKE_ROLES for r in a.roles):
        return True
    parents = a.parents_on(day) if day is not None else tuple(p.id for p in a.parents)
    return any(_has_stake(p, day, seen | {actor_id}) for p in parents)


def _is_monitor(actor_id: str) -> bool:
    from trucewatch.extract.actors import load_actors

    a = load_actors().get(actor_id)
    return a is not None and (a.kind == "mission" or any(r.role == "monitor" for r in a.roles))


@lru_cache(maxsize=4096)
def _actors_in(text: str, day: dt.date | None) -> tuple[tuple[str, str | None], ...]:
    """(actor id, side) of every knowledge-base actor named in a claimant's words."""
    from trucewatch.extract.actors import load_actors, lookup
    from trucewatch.extract.actors.mentions import tag_actors

    found = [a.id for a in lookup(text)]
    if not found:
        found = [m.actor_id for m in tag_actors(text, use_ner=False, day=day) if m.actor_id]
    actors = load_actors()
    return tuple((i, actors[i].side) for i in dict.fromkeys(found))


def classify_claimant(text: str, day: dt.date | None = None,
                      monitors: Collection[str] | None = None) -> Claimant:
    """A claimant's kind from the actor knowledge base; the lowest kind wins when it names several.

    ``monitors``: the actor ids that monitor the agreement in question; None accepts any
    monitoring body the knowledge base lists.
    """
    named = _actors_in(text, day)
    if not named:
        return Claimant(text, UNKNOWN)
    for actor_id, side in named:
        if _has_stake(actor_id, day):
            return Claimant(text, PARTY, actor_id, side)
    for actor_id, side in named:
        if (monitors is None and _is_monitor(actor_id)) or (monitors is not None and actor_id in monitors):
            return Claimant(text, MONITOR, actor_id, side)
    return Claimant(text, THIRD_PARTY, named[0][0], named[0][1])


Classify = Callable[[str, "dt.date | None"], Claimant]


# -- the ladder ------------------------------------------------------------------------

def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _source_of(record: Mapping[str, Any]) -> dict[str, str]:
    """{document id: the independent source it counts under}, from the incident's ``sources``."""
    out: dict[str, str] = {}
    for source in record.get("sources") or []:
        for doc in [*(source.get("documents") or []), *(source.get("reposts") or [])]:
            out[doc] = source["source"]
    return out


def _cite(report: Mapping[str, Any], source: str, claimant: Claimant | None) -> dict[str, Any]:
    return {"event_id": report.get("event_id"), "document_id": report.get("document_id"),
            "outlet": report.get("outlet"), "source": source, "role": report.get("role"),
            "claimant": claimant.text if claimant else None, "claimant_kind": claimant.kind if claimant else None,
            "claimant_actor": claimant.actor_id if claimant else None,
            "evidence": [dict(ev) for ev in report.get("evidence") or []]}


def _attribution(record: Mapping[str, Any]) -> dict[str, Any]:
    actor = record.get("actor1")
    named = [v["value"] for v in ((record.get("consensus") or {}).get("values") or {}).get("actor1") or []]
    if "actor1" in (record.get("disputed") or []):
        return {"status": "disputed", "actor": None, "candidates": named,
                "rule": "sources name perpetrators that cannot be one party"}
    if not actor:
        return {"status": "undetermined", "actor": None, "candidates": [],
                "rule": "no source names who did it"}
    return {"status": "attributed", "actor": actor, "candidates": named,
            "rule": "the name most sources give (fusion's consensus)"}


def ladder(record: Mapping[str, Any], *, classify: Classify | None = None,
           monitors: Collection[str] | None = None, reviews: Iterable[Review] = ()) -> Ladder:
    """Place one incident record (as :func:`trucewatch.fusion.query.detail` gives it) on the ladder."""
    day = _day(record.get("event_date"))
    if classify is None:
        def classify(text: str, when: dt.date | None) -> Claimant:
            return classify_claimant(text, when, monitors)
    source_of = _source_of(record)
    alleged: list[dict[str, Any]] = []
    reported: list[dict[str, Any]] = []
    as_fact: dict[str, list[dict[str, Any]]] = {}
    confirmed: list[dict[str, Any]] = []
    allegations: list[dict[str, Any]] = []
    denials: list[dict[str, Any]] = []
    reports: Sequence[Mapping[str, Any]] = record.get("reports") or []
    for report in reports:
        doc = report.get("document_id") or ""
        source = source_of.get(doc, f"document:{doc}")
        claimant = classify(report["claimant"], day) if report.get("claimant") else None
        cite = _cite(report, source, claimant)
        if report.get("role") not in SUPPORTING_ROLES:
            denials.append({**cite, "denies": record.get("id")})
            continue
        if claimant is None:
            reported.append(cite)
            as_fact.setdefault(source, []).append(cite)
        elif claimant.kind == MONITOR:
            confirmed.append(cite)
        elif claimant.kind == THIRD_PARTY:
            reported.append(cite)
        else:
            alleged.append(cite)
            allegations.append({"by": claimant.text, "by_actor": claimant.actor_id, "by_side": claimant.side,
                                "against": report.get("actor1") or record.get("actor1") or "undetermined",
                                "kind": claimant.kind, "document_id": doc, "event_id": report.get("event_id")})
    confirmed += [{"reviewer": r.reviewer, "note": r.note, "at": r.at} for r in reviews if r.confirmed]
    corroborating = [cites[0] for _, cites in sorted(as_fact.items())]
    rungs = (
        Rung("alleged", bool(alleged),
             "a party, or a speaker the knowledge base does not know, says so", tuple(alleged)),
        Rung("reported", bool(reported),
             "an outlet reports it as fact, or a named third party with no stake says so", tuple(reported)),
        Rung("corroborated", len(as_fact) >= 2,
             f"at least two independent sources report it as fact ({len(as_fact)} do)", tuple(corroborating)),
        Rung("confirmed", bool(confirmed),
             "a monitoring body says so, or a reviewer confirmed it", tuple(confirmed)),
    )
    # each rung is met by its own evidence; the incident stands on the highest one met
    reached = [r for r in rungs if r.met]
    top = reached[-1] if reached else rungs[0]
    step, rule = top.step, top.rule
    moved = [r for r in reviews if r.step in RANK]
    if moved:  # a reviewer's move wins over the evidence (the rungs still say what it reaches)
        step = moved[-1].step  # type: ignore[assignment]
        rule = f"a reviewer ({moved[-1].reviewer}) put it on this step" + (f": {moved[-1].note}" if moved[-1].note else "")
    return Ladder(
        incident_id=str(record.get("id")), step=step, rank=RANK[step], rule=rule, rungs=rungs,
        independent_sources=len(as_fact), sources=int(record.get("corroboration") or len(source_of) or 0),
        allegations=tuple(allegations), denials=tuple(denials), attribution=_attribution(record))


def stored_reviews(store: Any, incident_id: str) -> list[Review]:
    """The reviewers' verdicts on ``incident_id`` in the store (``trucewatch.review``): a
    confirmation or rejection, then a move on the ladder."""
    from trucewatch.store.schema import IncidentReview

    out = []
    with store.sessions() as session:
        row = session.get(IncidentReview, (incident_id, "status"))
        if row is not None:
            out.append(Review(row.reviewer, row.value == "confirmed", row.reason or "",
                              row.at.isoformat() if row.at else None))
        row = session.get(IncidentReview, (incident_id, "ladder_step"))
        if row is not None and row.value in RANK:
            out.append(Review(row.reviewer, False, row.reason or "", row.at.isoformat() if row.at else None,
                              step=row.value))
    return out
