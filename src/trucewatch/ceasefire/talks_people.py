"""Who sat for whom and who facilitated: the delegations and facilitators one report names.

A delegation is a knowledge-base party of the conflict (a commander stands for the force
he leads that day) named in the event's sentences, or in a sentence of the report that
says who sat for whom or names the forum. A facilitator is an actor that is no such
party, named as the event's mediator or in a sentence about chairing, hosting or
mediating. A forum's own body (the 5+5 commission) is neither.
"""

from __future__ import annotations

import datetime as dt

from trucewatch.ceasefire.talks_read import TalkMention
from trucewatch.ceasefire.talks_record import Fact, cite
from trucewatch.ceasefire.talks_terms import forums, forums_in, names_delegations, names_facilitation
from trucewatch.extract.actors import load_actors


def _party(actor_id: str, day: dt.date | None, country: str | None, exclude: set[str]) -> tuple[str, str, str | None] | None:
    """``(party id, party name, side)`` a delegation mention stands for (a commander: his force)."""
    actors = load_actors()
    actor = actors.get(actor_id)
    if actor is None or country is None or actor.country != country or actor.id in exclude:
        return None
    if actor.kind == "person":
        parents = actor.parents_on(day) if day else tuple(p.id for p in actor.parents)
        bodies = [actors[p] for p in parents if p in actors and actors[p].kind == "organisation"]
        if not bodies:
            return None
        actor = bodies[0]
    if actor.kind != "organisation" or actor.generated or actor.id in exclude:
        return None
    if actor.side is None and actor.inter not in (1, 2, 3, 4):
        return None
    return actor.id, actor.name, actor.side


def people(mention: TalkMention, country: str | None, forum_actor: str | None,
            day: dt.date | None) -> tuple[list[Fact], list[Fact]]:
    """Delegations (who sat for whom) and facilitators (who chaired, hosted or mediated)."""
    actors = load_actors()
    exclude = {forum_actor} if forum_actor else set()
    bodies = {f.kb_actor for f in forums() if f.kb_actor}  # a forum's own body facilitates nothing
    delegations: list[Fact] = []
    facilitators: list[Fact] = []
    for sentence in mention.all_sentences():
        facilitating = names_facilitation(sentence.text)
        # the event's sentences name who met; another sentence of the report only when it says who sat for whom
        seated = sentence in mention.sentences or names_delegations(sentence.text) or bool(forums_in(sentence.text))
        for span in (a for a in mention.actors if sentence.start <= a.start and a.end <= sentence.end):
            actor_id = span.value.get("actor_id")
            if not actor_id or actor_id in exclude:
                continue
            party = _party(actor_id, day, country, exclude)
            if party is not None:
                if not seated:
                    continue
                delegations.append(cite("delegation", party[1], span, mention, actor_id=party[0], side=party[2]))
                if actors[actor_id].kind == "person":
                    delegations.append(cite("person", span.text, span, mention, actor_id=actor_id, side=party[0]))
                continue
            actor = actors.get(actor_id)
            if facilitating and actor is not None and actor_id not in bodies and (actor.country != country or actor.side is None):
                facilitators.append(cite("facilitator", actor.name, span, mention, actor_id=actor_id))
    for span in mention.mediators:
        resolved = [a for a in mention.actors if a.value.get("actor_id") and a.start < span.end and span.start < a.end]
        actor_id = resolved[0].value["actor_id"] if resolved else None
        if actor_id in exclude or (actor_id and _party(actor_id, day, country, exclude)):
            continue
        if forums_in(span.text) or actor_id in bodies:
            continue  # "the 5+5 commission" is a forum, not a facilitator
        name = actors[actor_id].name if actor_id and actor_id in actors else span.text
        facilitators.append(cite("facilitator", name, span, mention, actor_id=actor_id))
    return delegations, facilitators
