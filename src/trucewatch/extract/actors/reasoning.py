"""Knowledge-base reasoning for mentions: which candidate is active on a day, which force
fights for an actor, which organisation a delegate speaks for.

Kept apart from the text scanning because it reads only the knowledge base.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from trucewatch.extract.actors.alias_index import alias_index
from trucewatch.extract.actors.kb import Actor, load_actors


def is_active(aid: str, day: dt.date) -> bool:
    start, end, _ = alias_index().lifespans.get(aid, (None, None, False))
    return (start is None or start <= day) and (end is None or day <= end)


def pick(ids: Sequence[str], day: dt.date | None, country: str | None) -> str | None:
    """The one actor among ``ids`` the KB makes certain, or None."""
    ids = list(dict.fromkeys(ids))
    if len(ids) == 1:
        return ids[0]
    if not ids:
        return None
    if day is not None:
        live = [i for i in ids if is_active(i, day)]
        if len(live) == 1:
            return live[0]
        if live:
            ids = live
    if country:
        local = [i for i in ids if load_actors()[i].country == country]
        if len(local) == 1:
            return local[0]
    return None


def _parents(a: Actor, day: dt.date | None) -> tuple[str, ...]:
    return a.parents_on(day) if day is not None else tuple(dict.fromkeys(p.id for p in a.parents))


_FORCE_NAME = re.compile(r"\b(?:forces?|army|armed|military|defen[cs]e)\b", re.IGNORECASE)


def force_of(actor_id: str, day: dt.date | None = None, _depth: int = 0) -> str | None:
    """The armed force an actor's "forces", "fighters" or "troops" are (None when the KB cannot say).

    A commander's forces are the organisation he belongs to ("Haftar" -> the LNA); a
    government's are the one armed organisation under it ("GNA" -> GNA forces, "Israel" ->
    the IDF); an armed organisation is its own force; a body with no force of its own
    hands the question to its parent (the Presidential Council -> the GNA).
    """
    actors = load_actors()
    a = actors.get(actor_id)
    if a is None or _depth > 5:
        return None
    if a.kind == "person":
        parents = _parents(a, day)
        return force_of(parents[0], day, _depth + 1) if len(parents) == 1 else None
    if _FORCE_NAME.search(a.name):
        return actor_id
    kids = [
        cid for cid, link in alias_index().children.get(actor_id, ())
        if (day is None or ((link.start is None or link.start <= day) and (link.end is None or day <= link.end)))
        and actors[cid].kind == "organisation" and actors[cid].inter is not None and _FORCE_NAME.search(actors[cid].name)
    ]
    if len(kids) == 1:
        return kids[0]
    if a.inter is not None:
        return actor_id
    parents = _parents(a, day)
    return force_of(parents[0], day, _depth + 1) if len(parents) == 1 else None


def represented_by(actor_id: str, day: dt.date | None = None) -> str | None:
    """Whom an actor's "delegation" or "representatives" speak for: a person's organisation, or the actor."""
    a = load_actors().get(actor_id)
    if a is None:
        return None
    if a.kind != "person":
        return actor_id
    parents = _parents(a, day)
    return parents[0] if len(parents) == 1 else None
