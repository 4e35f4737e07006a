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


def administration(code: str, day: dt.date) -> tuple[dt.date, dt.date | None] | None:
    """The tenure of the executive in office on ``day`` (``states.tsv``'s ``executive``
    column): consecutive terms of one person in that office are one tenure, as ACLED's
    years are ("Military Forces of Israel (2022-)": Netanyahu's return, not his first term)."""
    s = states().get(code)
    if s is None or not s.executive:
        return None
    person = holder(s.executive, code, day)
    if person is None:
        return None
    terms = sorted(((o.start, o.end) for pid, o in _holders().get((s.executive, code), ())  # type: ignore[attr-defined]
                    if pid == person), key=lambda t: t[0] or dt.date.min)
    start, end = None, None
    for a, b in terms:
        if start is not None and end is not None and a is not None and a <= end:
            end = b
        elif a is not None and a <= day and (b is None or day < b):
            start, end = a, b
        elif start is not None and end is not None and a is not None and a > end:
            break
    return (start, end) if start is not None else None


def acled_name(a: Actor, day: dt.date | None) -> str | None:
    """ACLED's actor name with the administration's years, e.g. "Military Forces of Turkey
    (2014-)" or "Government of the United Kingdom (2019-2022)"; without them when the day or
    the executive is unknown; None for actors ACLED does not name after a state."""
    if not a.acled_name:
        return None
    tenure = administration(a.country, day) if a.country and day else None
    if tenure is None:
        return a.acled_name
    start, end = tenure
    return f"{a.acled_name} ({start.year}-{end.year if end else ''})"


def acled_generic(name: str, code: str | None, day: dt.date | None) -> str:
    """A generic state force's name ("Police Forces of Kenya") with the administration's years."""
    tenure = administration(code, day) if code and day else None
    if tenure is None or not name.startswith(("Military Forces of", "Police Forces of")):
        return name
    start, end = tenure
    return f"{name} ({start.year}-{end.year if end else ''})"
