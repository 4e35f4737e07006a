"""Linking the party names of agreements to the actor knowledge base.

Dataset party cells are free text ("Khalifa Haftar - Libyan National Army", "People of
Zintan and Zawiyyah"), so a name is tried whole, then without its brackets, then piece
by piece (split at dashes, commas, semicolons and colons). A cell naming several actors
("Government of Sri Lanka; Liberation Tigers of Tamil Eelam") gives one party per actor.
Only a name that resolves to exactly one actor is linked; an ambiguous or unknown one
stays unresolved and visible (the cell itself is kept as the record's evidence).
"""

from __future__ import annotations

import re
from functools import lru_cache

from trucewatch.extract.actors import lookup

_BRACKETS = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")
_PIECES = re.compile(r"\s+[-\u2013\u2014]\s+|[,;:]\s*")


Resolved = tuple[str, str | None, str | None]  # (name as written, actor id, side)


@lru_cache(maxsize=50_000)
def _one(name: str) -> tuple[str | None, str | None] | None:
    """The one actor ``name`` stands for; ``(None, None)`` when several share it; None when none."""
    found = lookup(name)
    if len(found) == 1:
        return found[0].id, found[0].side
    return (None, None) if found else None


@lru_cache(maxsize=20_000)
def resolve(name: str) -> tuple[str | None, str | None]:
    """``(actor_id, side)`` of the one actor the whole ``name`` stands for, or ``(None, None)``."""
    whole = " ".join(name.split())
    for candidate in dict.fromkeys((whole, _BRACKETS.sub("", whole).strip())):
        hit = _one(candidate) if candidate else None
        if hit is not None:
            return hit  # a shared name stays unresolved: the context must decide, not the first match
    return None, None


def split_parties(cell_line: str) -> list[Resolved]:
    """The parties one line of a party cell names: the whole line when it resolves (or when
    no piece of it does), else each piece that resolves to one actor."""
    whole = " ".join(cell_line.split())
    actor, side = resolve(whole)
    if actor is not None:
        return [(whole, actor, side)]
    pieces: dict[str, Resolved] = {}
    for piece in _PIECES.split(_BRACKETS.sub("", whole)):
        piece = piece.strip()
        hit = _one(piece) if len(piece) >= 3 else None
        if hit is not None and hit[0] is not None:
            pieces.setdefault(hit[0], (piece, *hit))
    return list(pieces.values()) or [(whole, None, None)]
