"""Is an incident's actor bound by an agreement? Its parties, with knowledge-base parents.

An incident names its actors as fusion's consensus gives them (canonical names). Each is
looked up in the actor knowledge base; it is bound when it is a party itself, when one of
its parents (on the incident's day, so a unit that changed sides counts for the side it
was on) is, or when it stands on a party's side. One bound actor puts the incident in:
a shelling of a party's positions by someone unnamed is still a matter for the truce.
None bound is ``out`` only when every actor is known; an unknown name, or no name at all
(attribution undetermined), leaves the answer ``undetermined`` — unless a party to the
agreement is the one reporting it (``claimants``: who the incident's reports quote): a
party's accusation brings the incident under the truce it accuses someone of breaking,
with its attribution still undetermined.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from trucewatch.ceasefire.scope_time import Verdict

#: Resolve an actor name to knowledge-base ids (the default: the alias index).
Resolve = Callable[[str], list[str]]
#: ACLED placeholders that name a group of people, not an armed actor: never a party.
NOT_ACTORS = ("civilians", "protesters", "rioters", "unidentified")


def _resolve(name: str) -> list[str]:
    from trucewatch.extract.actors import lookup

    return [a.id for a in lookup(name)]


def ancestors(actor_id: str, day: dt.date | None) -> list[str]:
    """The actor and every parent above it, nearest first, as the knowledge base dates them."""
    from trucewatch.extract.actors import load_actors

    actors = load_actors()
    seen: list[str] = []
    todo = [actor_id]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.append(current)
        a = actors.get(current)
        if a is not None:
            todo += list(a.parents_on(day) if day else [p.id for p in a.parents])
    return seen


def _side(actor_id: str) -> str | None:
    from trucewatch.extract.actors import load_actors

    a = load_actors().get(actor_id)
    return a.side if a is not None else None


def _party_claimant(claimants: Any, party_ids: set[str], party_sides: set[str], day: dt.date | None,
                    resolve: Resolve) -> str | None:
    """The first claimant who is a party (or belongs to one, or stands on a party's side)."""
    for claimant in claimants:
        ids = resolve(claimant)
        if not ids:  # "LNA spokesman Ahmed al-Mismari": the actors named inside the words
            from trucewatch.ceasefire.ladder import classify_claimant

            found = classify_claimant(claimant, day)
            ids = [found.actor_id] if found.actor_id else []
        for actor_id in ids:
            chain = ancestors(actor_id, day)
            if any(a in party_ids for a in chain) or any(_side(a) in party_sides for a in chain):
                return str(claimant)
    return None


def judge_actors(incident: Mapping[str, Any], agreement: Mapping[str, Any], resolve: Resolve | None = None) -> Verdict:
    """Whether any actor of the incident is bound by the agreement."""
    resolve = resolve or _resolve
    parties = [p for p in agreement.get("parties") or [] if p.get("actor_id")]
    party_ids = {p["actor_id"] for p in parties}
    party_sides = {p["side"] for p in parties if p.get("side")} | {s for p in parties if (s := _side(p["actor_id"]))}
    names = [n for n in (incident.get("actor1"), incident.get("actor2")) if n]
    detail: dict[str, Any] = {"actors": names, "parties": sorted(party_ids), "checked": []}
    if not party_ids:
        return Verdict("undetermined", "none of the agreement's parties is a known actor", detail)
    try:
        day: dt.date | None = dt.date.fromisoformat(str(incident.get("event_date"))[:10])
    except ValueError:
        day = None
    if not names:
        accuser = _party_claimant(incident.get("claimants") or (), party_ids, party_sides, day, resolve)
        if accuser is not None:
            detail["claimant"] = accuser
            return Verdict("in", f"alleged by {accuser}, a party to the agreement (attribution undetermined)",
                           detail)
        return Verdict("undetermined", "the incident names no actor (attribution undetermined)", detail)
    unknown = []
    for name in names:
        if name.casefold().startswith(NOT_ACTORS):
            detail["checked"].append({"name": name, "actor_id": None, "bound": False, "why": "not an armed actor"})
            continue
        ids = resolve(name)
        if not ids:
            unknown.append(name)
            detail["checked"].append({"name": name, "actor_id": None, "bound": None, "why": "unknown actor"})
            continue
        for actor_id in ids:
            chain = ancestors(actor_id, day)
            bound = next((a for a in chain if a in party_ids), None)
            if bound is not None:
                how = "is a party" if bound == actor_id else f"belongs to the party {bound}"
                detail["checked"].append({"name": name, "actor_id": actor_id, "bound": True, "why": how})
                return Verdict("in", f"{name} {how}", detail)
            side = next((s for a in chain if (s := _side(a)) in party_sides), None)
            if side is not None:
                detail["checked"].append({"name": name, "actor_id": actor_id, "bound": True, "why": f"side {side}"})
                return Verdict("in", f"{name} fights on the side of a party ({side})", detail)
            detail["checked"].append({"name": name, "actor_id": actor_id, "bound": False, "why": "not a party"})
    accuser = _party_claimant(incident.get("claimants") or (), party_ids, party_sides, day, resolve)
    if accuser is not None:
        detail["claimant"] = accuser
        return Verdict("in", f"alleged by {accuser}, a party to the agreement", detail)
    if unknown:
        return Verdict("undetermined", f"no known actor is a party, and {', '.join(unknown)} is not in the "
                       "knowledge base", detail)
    return Verdict("out", "none of the incident's actors is a party to the agreement", detail)
