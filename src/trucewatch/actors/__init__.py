"""Actors: the knowledge base of parties, mediators and monitors, and the world around them.

``actors.yaml`` (the ceasefires' parties), ``organisations.yaml``, ``officeholders.yaml`` and
the states generated from ``states.tsv`` are merged into one knowledge base (``kb``);
``mentions`` finds actors in text, with ``agents`` (capitals and titles acting for states)
and ``offices`` (who held an office on a day).
"""

from trucewatch.actors.kb import (
    KINDS,
    OFFICES,
    ROLES,
    Actor,
    Ceasefire,
    Office,
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
    "OFFICES",
    "ROLES",
    "Actor",
    "Ceasefire",
    "Office",
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
