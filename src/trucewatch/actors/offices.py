"""Who held an office on a given day, and which body a person acts for.

News names leaders by title as often as by name ("the Turkish president", "Russia's
foreign minister", "الرئيس التركي"). The title means the holder on the day the text
speaks of: "the UK prime minister" is Theresa May in 2018 and Keir Starmer in 2025. A
person acting in office stands for the body they lead (the dev set's convention), so the
holder's body, the state's government for most offices, travels with the mention.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from trucewatch.actors.kb import Actor, load_actors
from trucewatch.actors.world import government_id, states


@lru_cache(maxsize=1)
def _holders() -> dict[tuple[str, str], list[tuple[str, object]]]:
    """(office, of) -> [(person id, Office)] for every dated office in the knowledge base."""
    out: dict[tuple[str, str], list[tuple[str, object]]] = {}
    for a in load_actors().values():
        for o in a.offices:
            out.setdefault((o.office, o.of), []).append((a.id, o))
    return out


def holder(office: str, of: str, day: dt.date | None) -> str | None:
    """The person holding ``office`` of ``of`` (ISO2 or organisation id) on ``day``; None when
    the day is unknown or the knowledge base names nobody for that day."""
    if day is None:
        return None
    found = [pid for pid, o in _holders().get((office, of), ()) if o.held_on(day)]  # type: ignore[attr-defined]
    return found[0] if len(found) == 1 else None


def holders(office: str, of: str) -> tuple[str, ...]:
    """Everyone the knowledge base lists in that office, oldest first."""
    rows = sorted(_holders().get((office, of), ()), key=lambda r: r[1].start or dt.date.min)  # type: ignore[attr-defined]
    return tuple(dict.fromkeys(pid for pid, _ in rows))


def office_body(office: str, of: str) -> str | None:
    """The body an office's holder acts for when the knowledge base names no holder:
    the government of a state, or the organisation itself."""
    if of in states():
        for _, o in _holders().get((office, of), ()):
            if o.body:  # type: ignore[attr-defined]
                return o.body  # type: ignore[attr-defined,no-any-return]
        return government_id(of)
    return of if of in load_actors() else None


def body_of_person(a: Actor, day: dt.date | None) -> str | None:
    """The body a person leads: the one of the office held on ``day``, or, without a day,
    the one all the person's offices share (None when they differ or there are none)."""
    if not a.offices:
        return None
    if day is not None:
        bodies = {o.body for o in a.offices if o.held_on(day) and o.body}
    else:
        bodies = {o.body for o in a.offices if o.body}
    return bodies.pop() if len(bodies) == 1 else None
