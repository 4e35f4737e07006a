"""Actors: the curated knowledge base of parties, mediators and monitors."""

from trucewatch.actors.kb import (
    KINDS,
    ROLES,
    Actor,
    Ceasefire,
    Parent,
    Role,
    actor,
    alias_key,
    by_alias,
    ceasefires,
    load_actors,
    load_data,
    lookup,
    validate,
)

__all__ = [
    "KINDS",
    "ROLES",
    "Actor",
    "Ceasefire",
    "Parent",
    "Role",
    "actor",
    "alias_key",
    "by_alias",
    "ceasefires",
    "load_actors",
    "load_data",
    "lookup",
    "validate",
]
